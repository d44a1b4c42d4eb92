/** What a rate-limit check decided. */
export interface RateLimitDecision {
  readonly allowed: boolean;
  readonly limit: number;
  /** Hits still allowed in the current window (0 when refused). */
  readonly remaining: number;
  /** Milliseconds until the current window resets (for Retry-After and RateLimit-Reset). */
  readonly resetMs: number;
  /** The fixed window the decision is about (its number since the epoch); `release` takes it. */
  readonly window: number;
}

/**
 * The RateLimitStore port. Embedded: in-memory. Distributed: Redis with one atomic script per hit,
 * so N gateway replicas share one budget.
 *
 * Fixed windows of `windowMs`: within one window at most `limit` calls to `hit` return
 * `allowed: true`, whatever the number of processes calling concurrently — plus one more for each
 * hit given back with `release`.
 */
export interface RateLimitStore {
  /** Count one hit against `key` and say whether it is within `limit` per `windowMs`. */
  hit(key: string, limit: number, windowMs: number): Promise<RateLimitDecision>;
  /**
   * Optional: count one hit like `hit`, decided from this process's memory, synchronously (no I/O,
   * timer or promise: the path cannot fail or time out), or `undefined` when this process cannot
   * decide alone and the caller must use `hit`. The in-memory store always decides; the leased
   * Redis store decides while it holds tokens for the key's window (or knows it is spent).
   * Throws RangeError, like `hit` rejects, on a limit or window that makes no sense.
   */
  hitLocally?(key: string, limit: number, windowMs: number): RateLimitDecision | undefined;
  /** Say whether one more hit would be allowed, without counting one. */
  peek(key: string, limit: number, windowMs: number): Promise<RateLimitDecision>;
  /**
   * Give back one hit counted in `window` (from the hit's decision): the count drops by one, never
   * below zero, atomically with concurrent hits. Nothing happens once that window has ended, so a
   * late give-back never adds to the next window's budget. For "reserve before the costly work,
   * give back when it turned out not to count" (a login that succeeded).
   */
  release(key: string, windowMs: number, window: number): Promise<void>;
  /** Forget the key's hits. */
  reset(key: string): Promise<void>;
  ping(): Promise<void>;
  close(): Promise<void>;
}
