import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Cache } from '@timeslot/ports';
import { decode, encode, validTtl } from './codec';

export interface RedisCacheOptions {
  /** Used to open (and, on close, quit) a connection when `redis` is not given. */
  readonly url: string;
  /** Prepended to every key (default "cache:"), so several caches can share one Redis. */
  readonly keyPrefix?: string;
  /** A connection owned by the caller: it is used as is and not closed by `close()`. */
  readonly redis?: Redis;
  /** How long a getOrLoad lease lasts (default 10 s). A slower load is returned but not stored. */
  readonly loadLeaseMs?: number;
}

// Stores the loaded value only if our lease is still there: a delete() (from any replica) removes
// the lease, and a newer loader replaces it, so a load that read stale data cannot be stored.
const STORE_IF_LEASED = `
if redis.call('GET', KEYS[2]) == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
  redis.call('DEL', KEYS[2])
  return 1
end
return 0
`;

type CacheRedis = Redis & {
  timeslotCacheStoreIfLeased(valueKey: string, leaseKey: string, token: string, value: string, ttlMs: number): Promise<number>;
};

interface Flight {
  promise: Promise<string | undefined>;
}

/**
 * The distributed Cache: Redis only, with no local tier, so a read after a delete through any
 * replica misses. Values are stored as JSON. Concurrent getOrLoad calls for one key in this process
 * share one load (single-flight), so a popular key that expires costs one load per replica, not
 * one per request.
 */
export function createRedisCache(options: RedisCacheOptions): Cache {
  const owned = options.redis === undefined;
  // Auto-pipelining sends the commands of concurrent requests in one write: far fewer syscalls under load.
  const redis = (options.redis ?? new Redis(options.url, { enableAutoPipelining: true })) as CacheRedis;
  redis.defineCommand('timeslotCacheStoreIfLeased', { numberOfKeys: 2, lua: STORE_IF_LEASED });
  const prefix = options.keyPrefix ?? 'cache:';
  const leaseMs = options.loadLeaseMs ?? 10_000;
  // "v:" and "lease:" namespaces keep a user key such as "lease:x" from colliding with a lease.
  const valueKey = (key: string) => `${prefix}v:${key}`;
  const leaseKey = (key: string) => `${prefix}lease:${key}`;
  const flights = new Map<string, Flight>();

  async function fly(key: string, ttl: number, flight: Flight, load: () => Promise<unknown>): Promise<string | undefined> {
    try {
      const token = randomUUID();
      // The lease must be in place before load() reads the source, or a delete that lands between
      // the read and the lease would go unnoticed.
      await redis.set(leaseKey(key), token, 'PX', leaseMs);
      const text = encode(await load());
      if (text !== undefined) await redis.timeslotCacheStoreIfLeased(valueKey(key), leaseKey(key), token, text, ttl);
      return text;
    } finally {
      if (flights.get(key) === flight) flights.delete(key);
    }
  }

  return {
    async get<T>(key: string): Promise<T | undefined> {
      return decode<T>((await redis.get(valueKey(key))) ?? undefined);
    },

    async set<T>(key: string, value: T, ttlMs: number): Promise<void> {
      const ttl = validTtl(ttlMs);
      flights.delete(key);
      const text = encode(value);
      // Dropping the lease too means a load in progress cannot overwrite this newer value.
      const tx = redis.multi().del(leaseKey(key));
      if (text === undefined) tx.del(valueKey(key));
      else tx.set(valueKey(key), text, 'PX', ttl);
      throwIfFailed(await tx.exec());
    },

    async delete(...keys: string[]): Promise<void> {
      if (keys.length === 0) return;
      // Later callers in this process must not join a load that may have read pre-delete data.
      for (const key of keys) flights.delete(key);
      await redis.del(...keys.flatMap((key) => [valueKey(key), leaseKey(key)]));
    },

    async getOrLoad<T>(key: string, ttlMs: number, load: () => Promise<T>): Promise<T> {
      const ttl = validTtl(ttlMs);
      const hit = await redis.get(valueKey(key));
      if (hit !== null) return decode<T>(hit) as T;
      let flight = flights.get(key);
      if (!flight) {
        flight = { promise: Promise.resolve(undefined) };
        flights.set(key, flight);
        flight.promise = fly(key, ttl, flight, load);
      }
      // Each caller parses its own copy, so callers sharing one load cannot mutate each other's value.
      return decode<T>(await flight.promise) as T;
    },

    async ping(): Promise<void> {
      await redis.ping();
    },

    async close(): Promise<void> {
      flights.clear();
      if (owned) await redis.quit();
    },
  };
}

function throwIfFailed(results: [Error | null, unknown][] | null): void {
  if (results === null) throw new Error('Redis transaction was aborted');
  const failure = results.find(([error]) => error !== null);
  if (failure?.[0]) throw failure[0];
}
