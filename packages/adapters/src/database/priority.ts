import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Created on first use: on Node 20 an AsyncLocalStorage turns on promise hooks for the whole
 * process, which every promise then pays for, so only processes that need it (PGlite) make one.
 */
let background: AsyncLocalStorage<true> | undefined;

/**
 * Runs `work`, and everything it starts (timers, promises, event deliveries, jobs), as background
 * work: on PGlite, whose one connection every statement of the process queues for, its statements
 * give way to those of requests (see `createPgliteDatabase`). The outbox relay runs its passes
 * this way on PGlite, so the events it publishes in-process, and the consumers that handle them,
 * are background too.
 */
export function inBackground<T>(work: () => T): T {
  background ??= new AsyncLocalStorage();
  return background.run(true, work);
}

/** Whether the caller runs inside `inBackground`. */
export function isBackground(): boolean {
  return background?.getStore() === true;
}
