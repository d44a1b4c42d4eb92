import type { RateLimitDecision, RateLimitStore } from '@timeslot/ports';
import { sweepEnded, validWindow } from './window';

export interface MemoryRateLimitStoreOptions {
  /** How often windows that have ended are dropped (default 60 s). */
  readonly sweepIntervalMs?: number;
}

interface Window {
  /** With `number`, names the window: a key reused with another window length starts afresh. */
  readonly length: number;
  readonly number: number;
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
  const sweeper = sweepEnded(windows, options.sweepIntervalMs);

  /** The key's window that contains `now`, if it has been counted in. */
  function current(key: string, length: number, now: number): Window | undefined {
    const window = windows.get(key);
    return window !== undefined && window.length === length && window.number === Math.floor(now / length) ? window : undefined;
  }

  // Runs on every request in embedded mode: no promise, no string building.
  function hitLocally(key: string, limit: number, windowMs: number): RateLimitDecision {
    const length = validWindow(limit, windowMs);
    const now = Date.now();
    let window = current(key, length, now);
    if (window === undefined) {
      const number = Math.floor(now / length);
      window = { length, number, endsAt: (number + 1) * length, count: 0 };
      windows.set(key, window);
    }
    window.count += 1;
    return decide(limit, window.count, window.endsAt - now, window.number);
  }

  return {
    hitLocally,

    async hit(key: string, limit: number, windowMs: number): Promise<RateLimitDecision> {
      return hitLocally(key, limit, windowMs);
    },

    async peek(key: string, limit: number, windowMs: number): Promise<RateLimitDecision> {
      const length = validWindow(limit, windowMs);
      const now = Date.now();
      const number = Math.floor(now / length);
      const endsAt = (number + 1) * length;
      // "Would one more hit be allowed": decide as if it were counted, and report what is left now.
      const count = current(key, length, now)?.count ?? 0;
      return { allowed: count + 1 <= limit, limit, remaining: Math.max(0, limit - count), resetMs: endsAt - now, window: number };
    },

    async release(key: string, windowMs: number, window: number): Promise<void> {
      const length = validWindow(0, windowMs);
      if (!Number.isSafeInteger(window)) throw new RangeError(`Rate-limit window must be a whole number, got ${window}`);
      const counted = windows.get(key);
      if (counted?.length === length && counted.number === window && counted.count > 0) counted.count -= 1;
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
