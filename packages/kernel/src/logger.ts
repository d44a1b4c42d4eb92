import type { FastifyBaseLogger } from 'fastify';
import { levels, pino, type Bindings, type ChildLoggerOptions, type Level, type LogFn, type Logger, type LoggerOptions } from 'pino';

export type { Logger } from 'pino';

/** Paths whose values never reach a log line. */
export const redactPaths = [
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  'headers.cookie',
  '*.password',
  '*.newPassword',
  '*.token',
  '*.accessToken',
  '*.refreshToken',
  // The live-stream route accepts one in its query (EventSource sends no headers).
  '*.access_token',
  '*.authorization',
  'password',
  'token',
  'accessToken',
  'refreshToken',
  'access_token',
];

export interface LoggerConfig {
  readonly level?: string;
  readonly name?: string;
  /** A stream to write to instead of stdout (tests capture lines with it). */
  readonly destination?: NodeJS.WritableStream;
}

/** pino JSON, one object per line, secrets redacted. */
export function createLogger(config: LoggerConfig = {}): Logger {
  const options: LoggerOptions = {
    level: config.level ?? 'info',
    redact: { paths: redactPaths, censor: '[redacted]' },
    base: config.name === undefined ? { pid: process.pid } : { pid: process.pid, service: config.name },
    timestamp: isoTimeOncePerMillisecond(),
  };
  return config.destination === undefined ? pino(options) : pino(options, config.destination);
}

/**
 * pino's ISO timestamp, formatted once per millisecond: under load several lines share one, and
 * formatting a Date was a visible share of each request's log line.
 */
function isoTimeOncePerMillisecond(): () => string {
  let last = Number.NaN;
  let text = '';
  return () => {
    const now = Date.now();
    if (now !== last) {
      last = now;
      text = `,"time":"${new Date(now).toISOString()}"`;
    }
    return text;
  };
}

const levelValues: Readonly<Record<string, number>> = levels.values;

/**
 * `request.log`, bound to the request id, made by pino only when the request logs something at
 * an enabled level. Most requests log nothing but their one request line (written without
 * `request.log`), and pino's child() cost more than that line. A class, so that making one per
 * request allocates one small object.
 */
class LazyChildLogger implements FastifyBaseLogger {
  #child: Logger | undefined;

  constructor(
    private readonly parent: Logger,
    private readonly bindings: Bindings,
  ) {}

  get level(): string {
    return this.#child?.level ?? this.parent.level;
  }

  set level(level: string) {
    this.#made().level = level;
  }

  fatal(...args: unknown[]): void {
    this.#log('fatal', args);
  }

  error(...args: unknown[]): void {
    this.#log('error', args);
  }

  warn(...args: unknown[]): void {
    this.#log('warn', args);
  }

  info(...args: unknown[]): void {
    this.#log('info', args);
  }

  debug(...args: unknown[]): void {
    this.#log('debug', args);
  }

  trace(...args: unknown[]): void {
    this.#log('trace', args);
  }

  silent(): void {}

  child(bindings: Bindings, options?: ChildLoggerOptions): FastifyBaseLogger {
    return this.#made().child(bindings, options);
  }

  #made(): Logger {
    return (this.#child ??= this.parent.child(this.bindings));
  }

  #log(level: Level, args: unknown[]): void {
    if (this.#child === undefined && (levelValues[level] ?? 0) < this.parent.levelVal) return;
    this.#made()[level](...(args as Parameters<LogFn>));
  }
}

/** Fastify's `childLoggerFactory` for `logger`: see LazyChildLogger. */
export function lazyChildLogger(parent: Logger, bindings: Bindings, options: ChildLoggerOptions): FastifyBaseLogger {
  // A route's own log level or serializers: rare, so made at once.
  if (options.level !== undefined || options.serializers !== undefined) return parent.child(bindings, options);
  return new LazyChildLogger(parent, bindings);
}
