import { CircuitState, ConsecutiveBreaker, circuitBreaker, handleAll } from 'cockatiel';
import type { Redis, RedisOptions } from 'ioredis';
import { withTimeout } from '@timeslot/ports';

/** What the adapters log through: pino's Logger fits. */
export interface AdapterLogger {
  warn(obj: object, msg: string): void;
  info?(obj: object, msg: string): void;
}

export const errorMessage = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** How long a summary line of a lasting outage waits for the next one (see `createOutageReporter`). */
export const OUTAGE_SUMMARY_INTERVAL_MS = 15_000;

/** Reports the failures of one dependency: one line when it goes down, few while it stays down. */
export interface OutageReporter {
  failed(error: unknown): void;
  recovered(): void;
}

/**
 * A client reconnecting to a dead server fails several times a second (ioredis, BullMQ and
 * amqplib each retry on their own), and a line per failure buries every other log line. So the
 * first failure is logged at warn, later ones only as a count in one summary line per
 * `intervalMs`, and the recovery at info with how long it lasted.
 */
export function createOutageReporter(logger: AdapterLogger, fields: Record<string, unknown>, intervalMs = OUTAGE_SUMMARY_INTERVAL_MS): OutageReporter {
  let downSince: number | undefined;
  let lastLine = 0;
  let unreported = 0;
  return {
    failed(error) {
      const now = Date.now();
      if (downSince === undefined) {
        downSince = now;
        lastLine = now;
        unreported = 0;
        logger.warn({ ...fields, err: errorMessage(error) }, 'dependency unreachable; retrying in the background (repeats are summarised)');
        return;
      }
      unreported++;
      if (now - lastLine >= intervalMs) {
        logger.warn({ ...fields, err: errorMessage(error), failures: unreported, downForMs: now - downSince }, 'dependency still unreachable');
        lastLine = now;
        unreported = 0;
      }
    },
    recovered() {
      if (downSince === undefined) return;
      logger.info?.({ ...fields, downForMs: Date.now() - downSince, failures: unreported }, 'dependency reachable again');
      downSince = undefined;
    },
  };
}

/** Routes a connection's errors to a reporter: without an 'error' listener ioredis prints each one to stderr. */
export function reportRedisOutages(redis: Redis, reporter: OutageReporter): void {
  redis.on('error', (error: Error) => reporter.failed(error));
  // A Redis that restarts within the reconnect delay refuses no connection, so no 'error' comes:
  // the lost connection itself is the outage ('reconnecting' never follows a close we asked for).
  redis.on('reconnecting', () => reporter.failed(new Error('connection lost; reconnecting')));
  redis.on('ready', () => reporter.recovered());
}

/** Per-command time limit of the clients that must fail fast (cache, rate limits, job producers). */
export const REDIS_COMMAND_TIMEOUT_MS = 500;

/**
 * ioredis options for a connection whose callers would rather miss than wait: every command has a
 * deadline, and while disconnected commands fail at once instead of queueing for the reconnect
 * (a queued write could otherwise land long after the caller gave up on it).
 */
export function failFastRedisOptions(commandTimeoutMs = REDIS_COMMAND_TIMEOUT_MS): RedisOptions {
  return {
    commandTimeout: commandTimeoutMs,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    autoResendUnfulfilledCommands: false,
    // Auto-pipelining sends the commands of concurrent requests in one write: far fewer syscalls under load.
    enableAutoPipelining: true,
    // Back within a second of Redis; the default waits up to 2 s between attempts.
    retryStrategy: (attempt: number) => Math.min(attempt * 50, 1000),
  };
}

export interface RedisGuardOptions {
  /** Consecutive failures that open the circuit (default 3). */
  readonly failureThreshold?: number;
  /** How long the circuit stays open before a probe (default 1000 ms). */
  readonly halfOpenAfterMs?: number;
  /** How long a call made before the first connection waits for it (default the command timeout). */
  readonly firstConnectWaitMs?: number;
  /** Runs inside the guard before each call (e.g. replaying invalidations that failed). */
  readonly beforeUse?: () => Promise<void>;
}

/** Calls to one Redis connection through a circuit breaker. */
export interface RedisGuard {
  run<T>(call: () => Promise<T>): Promise<T>;
  /** False while the circuit is not closed or the connection is not ready: calls would fail. */
  available(): boolean;
  /** How many times the connection was lost or the circuit opened (never decreases). */
  outages(): number;
  /** Why calls fail now, for /readyz. */
  describe(): string;
  close(): void;
}

/**
 * A circuit breaker (cockatiel) around a fail-fast connection: after `failureThreshold`
 * consecutive failures calls are refused at once for `halfOpenAfterMs`, so a dead or hanging
 * Redis costs a request nothing; then one probe (a PING of its own, so no request waits on it)
 * closes it again or re-opens it. A call made before the connection was first established waits
 * for it a little, so a process that has just started does not count its first calls as failures.
 */
export function createRedisGuard(redis: Redis, options: RedisGuardOptions = {}): RedisGuard {
  const halfOpenAfterMs = options.halfOpenAfterMs ?? 1000;
  const firstConnectWaitMs = options.firstConnectWaitMs ?? REDIS_COMMAND_TIMEOUT_MS;
  const policy = circuitBreaker(handleAll, { halfOpenAfter: halfOpenAfterMs, breaker: new ConsecutiveBreaker(options.failureThreshold ?? 3) });
  let connectedOnce = redis.status === 'ready';
  let lost = 0;
  let probe: NodeJS.Timeout | undefined;
  let closed = false;
  const firstReady = connectedOnce ? Promise.resolve() : new Promise<void>((resolve) => redis.once('ready', () => resolve()));
  redis.on('ready', () => {
    connectedOnce = true;
  });
  redis.on('close', () => {
    if (connectedOnce) lost++;
  });

  async function connected(): Promise<void> {
    if (redis.status === 'ready') return;
    if (connectedOnce) throw new Error(`Redis connection is ${redis.status}`);
    await withTimeout(firstReady, firstConnectWaitMs, `Redis did not connect within ${firstConnectWaitMs} ms`);
  }

  const run = <T>(call: () => Promise<T>): Promise<T> =>
    policy.execute(async () => {
      await connected();
      await options.beforeUse?.();
      return call();
    });

  // While open, probe on our own: callers that check `available()` first would never make one.
  function scheduleProbe(): void {
    if (closed || probe) return;
    probe = setTimeout(() => {
      probe = undefined;
      run(() => redis.ping()).catch(() => undefined);
    }, halfOpenAfterMs + 10);
    probe.unref();
  }
  policy.onBreak(() => {
    lost++;
    scheduleProbe();
  });

  return {
    run,
    available: () => redis.status === 'ready' && policy.state === CircuitState.Closed,
    outages: () => lost,
    describe() {
      const circuit = CircuitState[policy.state].toLowerCase();
      return `Redis unreachable (connection ${redis.status}, circuit ${circuit})`;
    },
    close() {
      closed = true;
      clearTimeout(probe);
      probe = undefined;
    },
  };
}
