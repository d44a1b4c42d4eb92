import type { Logger } from './logger';

export interface ShutdownOptions {
  /** Longest the whole shutdown (drain included) may take before the process exits anyway (default 25 s). */
  readonly graceMs?: number;
  /**
   * How long to keep the listener open after `drain()` before `stop()` (default 0): long enough for
   * load balancers to see /readyz fail and for keep-alive clients to get their `Connection: close`.
   */
  readonly drainMs?: number;
  /** Start draining at once (the HTTP apps' `beginDrain`): not ready, no keep-alive, new requests 503. */
  readonly drain?: () => void;
}

/**
 * On SIGTERM or SIGINT: drain (see ShutdownOptions), then run `stop` once (stop accepting, finish
 * in-flight requests, close consumers and pools), then exit. A second signal, or shutdown running
 * past the grace period, exits at once.
 */
export function onShutdown(logger: Logger, stop: () => Promise<void>, options: ShutdownOptions | number = {}): void {
  const { graceMs = 25_000, drainMs = 0, drain } = typeof options === 'number' ? { graceMs: options } : options;
  let stopping = false;
  const handler = (signal: NodeJS.Signals): void => {
    if (stopping) {
      logger.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal, drainMs }, 'shutting down');
    const timer = setTimeout(() => {
      logger.error({ graceMs }, 'shutdown took too long: exiting');
      process.exit(1);
    }, graceMs);
    timer.unref();
    drain?.();
    const drained = new Promise<void>((resolve) => setTimeout(resolve, drainMs));
    drained.then(stop).then(
      () => {
        logger.info('stopped');
        logger.flush();
        process.exit(0);
      },
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        logger.flush();
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', handler);
  process.once('SIGINT', handler);
}
