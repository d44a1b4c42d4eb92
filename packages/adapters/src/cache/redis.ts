import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Cache, CacheHealth } from '@timeslot/ports';
import { createOutageReporter, createRedisGuard, failFastRedisOptions, reportRedisOutages, type AdapterLogger, type RedisGuardOptions } from '../redis/resilience';
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
  /** Where connection failures go (rate-limited); without it they are not logged. */
  readonly logger?: AdapterLogger;
  /** Per-command deadline of the connection it opens (default 500 ms). */
  readonly commandTimeoutMs?: number;
  /** The circuit breaker's settings. */
  readonly breaker?: Omit<RedisGuardOptions, 'beforeUse'>;
  /**
   * Keys whose invalidation failed, remembered until Redis answers again (default 10 000); past
   * that, the whole prefix is cleared on recovery instead.
   */
  readonly maxPendingInvalidations?: number;
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
 *
 * Redis is never the source of truth, so its failures never reach the caller: every call goes
 * through a circuit breaker with a short deadline, a failed read is a miss (the caller loads from
 * the database) and a failed write is dropped. A failed `set` or `delete` leaves Redis possibly
 * holding an older value, so the key is remembered and deleted before this process uses Redis
 * again (see docs/architecture.md, "Cache coherence").
 */
export function createRedisCache(options: RedisCacheOptions): Cache {
  const owned = options.redis === undefined;
  const redis = (options.redis ?? new Redis(options.url, failFastRedisOptions(options.commandTimeoutMs))) as CacheRedis;
  redis.defineCommand('timeslotCacheStoreIfLeased', { numberOfKeys: 2, lua: STORE_IF_LEASED });
  if (owned && options.logger) reportRedisOutages(redis, createOutageReporter(options.logger, { dependency: 'redis', client: 'cache' }));
  const prefix = options.keyPrefix ?? 'cache:';
  const leaseMs = options.loadLeaseMs ?? 10_000;
  const maxPending = options.maxPendingInvalidations ?? 10_000;
  // "v:" and "lease:" namespaces keep a user key such as "lease:x" from colliding with a lease.
  const valueKey = (key: string) => `${prefix}v:${key}`;
  const leaseKey = (key: string) => `${prefix}lease:${key}`;
  const flights = new Map<string, Flight>();

  // Invalidations Redis did not get: replayed before anything else this process asks of it.
  const pending = new Set<string>();
  let pendingOverflow = false;
  let replaying: Promise<void> | undefined;

  function remember(keys: readonly string[]): void {
    if (pendingOverflow) return;
    for (const key of keys) pending.add(key);
    if (pending.size > maxPending) {
      pending.clear();
      pendingOverflow = true;
    }
  }

  async function replay(): Promise<void> {
    // A call made while a replay runs waits for it: its keys are no longer in `pending`, but
    // their deletes may not have been sent yet (a prefix scan takes several round trips).
    if (replaying) return replaying;
    if (!pendingOverflow && pending.size === 0) return;
    replaying = (async () => {
      const overflow = pendingOverflow;
      const keys = [...pending];
      pending.clear();
      pendingOverflow = false;
      try {
        if (overflow) await deleteUnder(redis, prefix);
        for (let i = 0; i < keys.length; i += 500) await redis.del(...keys.slice(i, i + 500).flatMap((key) => [valueKey(key), leaseKey(key)]));
      } catch (error) {
        if (overflow) pendingOverflow = true;
        else remember(keys);
        throw error;
      }
    })().finally(() => {
      replaying = undefined;
    });
    return replaying;
  }

  const guard = createRedisGuard(redis, { ...options.breaker, beforeUse: replay });
  /** The call's result, or undefined when Redis failed (the failure is the breaker's business). */
  const attempt = <T>(call: () => Promise<T>): Promise<T | undefined> => guard.run(call).catch(() => undefined);

  async function fly(key: string, ttl: number, flight: Flight, load: () => Promise<unknown>): Promise<string | undefined> {
    try {
      const token = randomUUID();
      // The lease must be in place before load() reads the source, or a delete that lands between
      // the read and the lease would go unnoticed. Without one (Redis failing) nothing is stored.
      const leased = (await attempt(() => redis.set(leaseKey(key), token, 'PX', leaseMs))) !== undefined;
      const text = encode(await load());
      if (leased && text !== undefined) await attempt(() => redis.timeslotCacheStoreIfLeased(valueKey(key), leaseKey(key), token, text, ttl));
      return text;
    } finally {
      if (flights.get(key) === flight) flights.delete(key);
    }
  }

  return {
    async get<T>(key: string): Promise<T | undefined> {
      return decode<T>((await attempt(() => redis.get(valueKey(key)))) ?? undefined);
    },

    async set<T>(key: string, value: T, ttlMs: number): Promise<void> {
      const ttl = validTtl(ttlMs);
      flights.delete(key);
      const text = encode(value);
      try {
        await guard.run(async () => {
          // Dropping the lease too means a load in progress cannot overwrite this newer value.
          const tx = redis.multi().del(leaseKey(key));
          if (text === undefined) tx.del(valueKey(key));
          else tx.set(valueKey(key), text, 'PX', ttl);
          throwIfFailed(await tx.exec());
        });
      } catch {
        // Redis may still hold the value this set meant to replace: it is deleted on recovery.
        remember([key]);
      }
    },

    async delete(...keys: string[]): Promise<void> {
      if (keys.length === 0) return;
      // Later callers in this process must not join a load that may have read pre-delete data.
      for (const key of keys) flights.delete(key);
      try {
        await guard.run(() => redis.del(...keys.flatMap((key) => [valueKey(key), leaseKey(key)])));
      } catch {
        remember(keys);
      }
    },

    async getOrLoad<T>(key: string, ttlMs: number, load: () => Promise<T>): Promise<T> {
      const ttl = validTtl(ttlMs);
      const hit = await attempt(() => redis.get(valueKey(key)));
      if (hit !== undefined && hit !== null) return decode<T>(hit) as T;
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
      try {
        await guard.run(() => redis.ping());
      } catch (error) {
        throw new Error(guard.describe(), { cause: error });
      }
    },

    health(): CacheHealth {
      return { available: guard.available(), outages: guard.outages() };
    },

    async close(): Promise<void> {
      flights.clear();
      guard.close();
      if (!owned) return;
      try {
        await redis.quit();
      } catch {
        // Not connected: there is nothing to say goodbye to.
        redis.disconnect();
      }
    },
  };
}

/** Deletes every key under `prefix` (SCAN, so a large cache never blocks Redis). */
async function deleteUnder(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    if (keys.length > 0) await redis.unlink(...keys);
    cursor = next;
  } while (cursor !== '0');
}

function throwIfFailed(results: [Error | null, unknown][] | null): void {
  if (results === null) throw new Error('Redis transaction was aborted');
  const failure = results.find(([error]) => error !== null);
  if (failure?.[0]) throw failure[0];
}
