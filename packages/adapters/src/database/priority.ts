import { AsyncLocalStorage } from 'node:async_hooks';

const background = new AsyncLocalStorage<true>();

/**
 * Runs `work`, and everything it starts (timers, promises, event deliveries, jobs), as background
 * work: on PGlite, whose one connection every statement of the process queues for, its statements
 * give way to those of requests (see `createPgliteDatabase`). The outbox relay runs its passes
 * this way, so the events it publishes in-process, and the consumers that handle them, are
 * background too. Adapters with a connection pool ignore it.
 */
export function inBackground<T>(work: () => T): T {
  return background.run(true, work);
}

/** Whether the caller runs inside `inBackground`. */
export function isBackground(): boolean {
  return background.getStore() === true;
}
