import type { Logger } from './logger';

/**
 * Runs `work` every `intervalMs` (the next pass is timed from the end of the previous one, so
 * passes never overlap) until the returned stop is called, which waits for a pass in progress. A
 * failing pass is logged and the next one runs as planned. `intervalMs` ≤ 0 runs nothing. Timers
 * do not keep the process alive.
 */
export function startPeriodic(
  work: () => Promise<unknown>,
  options: {
    readonly intervalMs: number;
    readonly logger: Logger;
    readonly what: string;
    /** The log fields of a failure (default `{ err }`; a service whose errors may carry secrets passes its own). */
    readonly describe?: (error: unknown) => object;
  },
): () => Promise<void> {
  const describe = options.describe ?? ((error: unknown) => ({ err: error }));
  if (options.intervalMs <= 0) return () => Promise.resolve();
  let stopped = false;
  let running: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  const schedule = (): void => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = work().then(
        () => schedule(),
        (error: unknown) => {
          options.logger.error(describe(error), `${options.what} failed; it runs again later`);
          schedule();
        },
      );
    }, options.intervalMs);
    timer.unref();
  };
  schedule();
  return async () => {
    stopped = true;
    clearTimeout(timer);
    await running;
  };
}
