import { LRUCache } from 'lru-cache';
import type { Cache, CacheHealth } from '@timeslot/ports';
import { decode, encode, validTtl } from './codec';

export interface MemoryCacheOptions {
  /** Least recently used entries are evicted beyond this count (default 10 000). */
  readonly maxEntries?: number;
}

interface Flight {
  promise: Promise<string | undefined>;
  /** Cleared by a delete/set of the key: the load's result is then returned but not stored. */
  leased: boolean;
}

/**
 * The embedded Cache: an LRU with per-entry TTLs. It holds JSON text, so no caller can mutate a
 * cached object and a hit returns the same JSON-shaped value as the miss that stored it.
 * `undefined` means "miss", so a value or load result of `undefined` is never stored.
 */
export function createMemoryCache(options: MemoryCacheOptions = {}): Cache {
  const entries = new LRUCache<string, string>({ max: options.maxEntries ?? 10_000 });
  // Only loads in progress live here (not a counter per key ever seen), so it cannot grow unbounded.
  const flights = new Map<string, Flight>();

  function invalidateFlight(key: string): void {
    const flight = flights.get(key);
    if (flight) {
      flight.leased = false;
      // Later callers must not join a load that may have read data older than this invalidation.
      flights.delete(key);
    }
  }

  async function fly(key: string, ttl: number, flight: Flight, load: () => Promise<unknown>): Promise<string | undefined> {
    try {
      const text = encode(await load());
      if (flight.leased && text !== undefined) entries.set(key, text, { ttl });
      return text;
    } finally {
      if (flights.get(key) === flight) flights.delete(key);
    }
  }

  return {
    async get<T>(key: string): Promise<T | undefined> {
      return decode<T>(entries.get(key));
    },

    async set<T>(key: string, value: T, ttlMs: number): Promise<void> {
      const ttl = validTtl(ttlMs);
      invalidateFlight(key);
      const text = encode(value);
      if (text === undefined) entries.delete(key);
      else entries.set(key, text, { ttl });
    },

    async delete(...keys: string[]): Promise<void> {
      for (const key of keys) {
        invalidateFlight(key);
        entries.delete(key);
      }
    },

    async getOrLoad<T>(key: string, ttlMs: number, load: () => Promise<T>): Promise<T> {
      const ttl = validTtl(ttlMs);
      const hit = entries.get(key);
      if (hit !== undefined) return decode<T>(hit) as T;
      let flight = flights.get(key);
      if (!flight) {
        flight = { leased: true, promise: Promise.resolve(undefined) };
        flights.set(key, flight);
        flight.promise = fly(key, ttl, flight, load);
      }
      // Each caller parses its own copy, so callers sharing one load cannot mutate each other's value.
      return decode<T>(await flight.promise) as T;
    },

    async ping(): Promise<void> {},

    health: (): CacheHealth => ({ available: true, outages: 0 }),

    async close(): Promise<void> {
      for (const flight of flights.values()) flight.leased = false;
      flights.clear();
      entries.clear();
    },
  };
}
