import { LRUCache } from 'lru-cache';
import type { Cache, CacheHealth } from '@timeslot/ports';
import { copyJson, decode, encode, validTtl } from './codec';

export interface MemoryCacheOptions {
  /** Least recently used entries are evicted beyond this count (default 10 000). */
  readonly maxEntries?: number;
}

interface Flight {
  promise: Promise<unknown>;
  /** Cleared by a delete/set of the key: the load's result is then returned but not stored. */
  leased: boolean;
}

/**
 * The JSON-shaped value `value` stands for (what JSON.parse(JSON.stringify(value)) gives), or
 * undefined for a miss.
 */
function jsonShaped(value: unknown): unknown {
  return decode(encode(value));
}

/**
 * The embedded Cache: an LRU with per-entry TTLs. It holds each value as it reads back from JSON,
 * decoded once when stored, and hands out deep copies of it: no caller can mutate a cached object,
 * and a hit returns the same JSON-shaped value as the miss that stored it, without parsing text on
 * every hit. `undefined` means "miss", so a value or load result of `undefined` is never stored.
 */
export function createMemoryCache(options: MemoryCacheOptions = {}): Cache {
  // Boxed (lru-cache holds no null). The values are never handed out, only copies of them.
  const entries = new LRUCache<string, { readonly value: unknown }>({ max: options.maxEntries ?? 10_000 });
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

  async function fly(key: string, ttl: number, flight: Flight, load: () => Promise<unknown>): Promise<unknown> {
    try {
      const value = jsonShaped(await load());
      if (flight.leased && value !== undefined) entries.set(key, { value }, { ttl });
      return value;
    } finally {
      if (flights.get(key) === flight) flights.delete(key);
    }
  }

  return {
    async get<T>(key: string): Promise<T | undefined> {
      return copyJson(entries.get(key)?.value) as T | undefined;
    },

    async set<T>(key: string, value: T, ttlMs: number): Promise<void> {
      const ttl = validTtl(ttlMs);
      invalidateFlight(key);
      const stored = jsonShaped(value);
      if (stored === undefined) entries.delete(key);
      else entries.set(key, { value: stored }, { ttl });
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
      if (hit !== undefined) return copyJson(hit.value) as T;
      let flight = flights.get(key);
      if (!flight) {
        flight = { leased: true, promise: Promise.resolve(undefined) };
        flights.set(key, flight);
        flight.promise = fly(key, ttl, flight, load);
      }
      // Each caller gets its own copy, so callers sharing one load cannot mutate each other's value.
      return copyJson(await flight.promise) as T;
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
