import type { RateLimitDecision, RateLimitStore } from '@timeslot/ports';

export interface MemoryRateLimitStoreOptions {
  /** How often windows that have ended are dropped (default 60 s). */
  readonly sweepIntervalMs?: number;
}

interface Window {
  /** `${windowMs}:${window number}`: a key reused with another window length starts afresh. */
  readonly id: string;
  readonly endsAt: number;
  count: number;
}

/**
 * The embedded RateLimitStore: fixed windows aligned on the epoch (the window number is
 * floor(now / windowMs)), like the Redis store. One process is one replica, and JavaScript runs
 * each hit to completion, so counting needs no locking.
 */
export function createMemoryRateLimitStore(options: MemoryRateLimitStoreOptions = {}): RateLimitStore {
  const windows = new Map<string, Window>();
  // Keys seen once (say, one client IP) would otherwise stay in memory forever.
  const sweeper = setInterval(() => {
    const now = Date.now();
    for (const [key, window] of windows) if (window.endsAt <= now) windows.delete(key);
  }, options.sweepIntervalMs ?? 60_000);
  sweeper.unref();

  function current(key: string, windowMs: number, now: number): { id: string; number: number; endsAt: number; window: Window | undefined } {
    const number = Math.floor(now / windowMs);
    const id = `${windowMs}:${number}`;
    const window = windows.get(key);
    return { id, number, endsAt: (number + 1) * windowMs, window: window?.id === id ? window : undefined };
  }

  return {
    async hit(key: string, limit: number, windowMs: number): Promise<RateLimitDecision> {
      const length = validWindow(limit, windowMs);
      const now = Date.now();
      const { id, number, endsAt, window } = current(key, length, now);
      const counted = window ?? { id, endsAt, count: 0 };
      if (!window) windows.set(key, counted);
      counted.count += 1;
      return decide(limit, counted.count, endsAt - now, number);
    },

    async peek(key: string, limit: number, windowMs: number): Promise<RateLimitDecision> {
      const length = validWindow(limit, windowMs);
      const now = Date.now();
      const { number, endsAt, window } = current(key, length, now);
      // "Would one more hit be allowed": decide as if it were counted, and report what is left now.
      const count = window?.count ?? 0;
      return { allowed: count + 1 <= limit, limit, remaining: Math.max(0, limit - count), resetMs: endsAt - now, window: number };
    },

    async release(key: string, windowMs: number, window: number): Promise<void> {
      const length = validWindow(0, windowMs);
      if (!Number.isSafeInteger(window)) throw new RangeError(`Rate-limit window must be a whole number, got ${window}`);
      const counted = windows.get(key);
      if (counted?.id === `${length}:${window}` && counted.count > 0) counted.count -= 1;
    },

    async reset(key: string): Promise<void> {
      windows.delete(key);
    },

    async ping(): Promise<void> {},

    async close(): Promise<void> {
      clearInterval(sweeper);
      windows.clear();
    },
  };
}

function decide(limit: number, count: number, resetMs: number, window: number): RateLimitDecision {
  return { allowed: count <= limit, limit, remaining: Math.max(0, limit - count), resetMs, window };
}

/** Returns the window length in whole milliseconds. */
function validWindow(limit: number, windowMs: number): number {
  if (!Number.isInteger(limit) || limit < 0) throw new RangeError(`Rate limit must be a whole number >= 0, got ${limit}`);
  if (!Number.isFinite(windowMs) || windowMs <= 0) throw new RangeError(`Rate-limit window must be a positive number of ms, got ${windowMs}`);
  return Math.ceil(windowMs);
}
