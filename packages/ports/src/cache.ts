/**
 * The Cache port. Embedded: an in-memory LRU. Distributed: Redis, shared by every replica.
 *
 * Values are JSON-serialisable. Semantics every adapter keeps:
 * - `get` after `delete` (from any replica, once `delete` has resolved) never returns the old value.
 * - `getOrLoad` stores what `load` returned only if no `delete` of that key happened while it was
 *   loading (a lease), so a slow reader that read the database before a writer's update cannot put
 *   the old value back into the cache after the writer invalidated it.
 * - TTLs are in milliseconds and always required: nothing lives forever.
 * - The store's failures never reach the caller: a read that fails is a miss, a write that fails is
 *   dropped, and a key whose `set` or `delete` failed is deleted before the adapter uses its store
 *   again, so a failed invalidation cannot leave an old value readable after the store returns
 *   (see `health`). Only `ping` rejects, for /readyz.
 */
export interface Cache {
  get<T>(key: string): Promise<T | undefined>;
  set<T>(key: string, value: T, ttlMs: number): Promise<void>;
  /** Invalidate keys on every replica. Resolves once a subsequent read anywhere misses. */
  delete(...keys: string[]): Promise<void>;
  getOrLoad<T>(key: string, ttlMs: number, load: () => Promise<T>): Promise<T>;
  ping(): Promise<void>;
  /**
   * Whether the store answers now. Callers that derive something longer-lived from what they read
   * (the slot pages filed under a version token) keep nothing while it is unavailable, and drop
   * what they kept whenever `outages` changes: writes of other replicas may have been lost then.
   */
  health(): CacheHealth;
  close(): Promise<void>;
}

export interface CacheHealth {
  /** False while calls would fail (the store is unreachable or its circuit is open). */
  readonly available: boolean;
  /** Times the store was lost since start; never decreases (always 0 in memory). */
  readonly outages: number;
}
