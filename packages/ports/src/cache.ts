/**
 * The Cache port. Embedded: an in-memory LRU. Distributed: Redis, shared by every replica.
 *
 * Values are JSON-serialisable. Semantics every adapter keeps:
 * - `get` after `delete` (from any replica, once `delete` has resolved) never returns the old value.
 * - `getOrLoad` stores what `load` returned only if no `delete` of that key happened while it was
 *   loading (a lease), so a slow reader that read the database before a writer's update cannot put
 *   the old value back into the cache after the writer invalidated it.
 * - TTLs are in milliseconds and always required: nothing lives forever.
 */
export interface Cache {
  get<T>(key: string): Promise<T | undefined>;
  set<T>(key: string, value: T, ttlMs: number): Promise<void>;
  /** Invalidate keys on every replica. Resolves once a subsequent read anywhere misses. */
  delete(...keys: string[]): Promise<void>;
  getOrLoad<T>(key: string, ttlMs: number, load: () => Promise<T>): Promise<T>;
  ping(): Promise<void>;
  close(): Promise<void>;
}
