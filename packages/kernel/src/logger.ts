import { pino, type Logger, type LoggerOptions } from 'pino';

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
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  return config.destination === undefined ? pino(options) : pino(options, config.destination);
}
