import { Redis } from 'ioredis';
import type { RateLimitDecision, RateLimitStore } from '@timeslot/ports';
import { validWindow } from './window';
import { createOutageReporter, createRedisGuard, failFastRedisOptions, reportRedisOutages, type AdapterLogger } from '../redis/resilience';

export interface RedisRateLimitStoreOptions {
  /** Used to open (and, on close, quit) a connection when `redis` is not given. */
  readonly url: string;
  /** Prepended to every key (default "ratelimit:"). */
  readonly keyPrefix?: string;
  /** A connection owned by the caller: it is used as is and not closed by `close()`. */
  readonly redis?: Redis;
  /** Where connection failures go (rate-limited); without it they are not logged. */
  readonly logger?: AdapterLogger;
}

// Both scripts take the time from Redis, so replicas whose clocks disagree still share one window.
// The window number lives in the hash (field w) rather than in the key name, so that reset() is one
// DEL of a key it can name without knowing the window length.
const CLOCK = `
redis.replicate_commands()
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local length = tonumber(ARGV[1])
local number = math.floor(now / length)
local id = string.format('%d:%d', length, number)
local resetMs = (number + 1) * length - now
`;

const HIT = `${CLOCK}
if redis.call('HGET', KEYS[1], 'w') ~= id then
  redis.call('HSET', KEYS[1], 'w', id, 'c', 1)
  redis.call('PEXPIRE', KEYS[1], resetMs)
  return {1, resetMs, number}
end
return {redis.call('HINCRBY', KEYS[1], 'c', 1), resetMs, number}
`;

const PEEK = `${CLOCK}
local window = redis.call('HMGET', KEYS[1], 'w', 'c')
if window[1] == id then return {tonumber(window[2]), resetMs, number} end
return {0, resetMs, number}
`;

// Takes up to ARGV[3] hits of the window at once (fewer when fewer are left, none when it is spent)
// for a leased store to spend locally: see createLeasedRateLimitStore.
const LEASE = `${CLOCK}
local limit = tonumber(ARGV[2])
local count = 0
if redis.call('HGET', KEYS[1], 'w') == id then count = tonumber(redis.call('HGET', KEYS[1], 'c')) end
local granted = math.min(tonumber(ARGV[3]), limit - count)
if granted <= 0 then return {0, count, resetMs, number} end
if count == 0 then
  redis.call('HSET', KEYS[1], 'w', id, 'c', granted)
  redis.call('PEXPIRE', KEYS[1], resetMs)
else
  redis.call('HINCRBY', KEYS[1], 'c', granted)
end
return {granted, count + granted, resetMs, number}
`;

// No clock here: the window to give back to is named by the caller, and a window that has ended
// has either expired or been replaced by the next one (field w differs), so nothing happens.
const RELEASE = `
local window = redis.call('HMGET', KEYS[1], 'w', 'c')
if window[1] == string.format('%d:%d', tonumber(ARGV[1]), tonumber(ARGV[2])) and tonumber(window[2]) > 0 then
  redis.call('HINCRBY', KEYS[1], 'c', -1)
end
return 0
`;

type RateLimitRedis = Redis & {
  timeslotRateLimitHit(key: string, windowMs: number): Promise<[number, number, number]>;
  timeslotRateLimitPeek(key: string, windowMs: number): Promise<[number, number, number]>;
  timeslotRateLimitRelease(key: string, windowMs: number, window: number): Promise<number>;
  timeslotRateLimitLease(key: string, windowMs: number, limit: number, wanted: number): Promise<[number, number, number, number]>;
};

/** Hits of one window taken from the shared budget at once (see RedisRateLimitStore.lease). */
export interface RateLimitLease {
  /** Hits taken, 0 to `wanted`: 0 when the window's budget is spent. */
  readonly granted: number;
  /** The window's count in Redis once they were taken (every replica's hits and leases). */
  readonly count: number;
  readonly resetMs: number;
  readonly window: number;
}

export interface RedisRateLimitStore extends RateLimitStore {
  /**
   * Count up to `wanted` hits of `key`'s current window at once, atomically, never past `limit`:
   * the hits are counted as spent in Redis now, for the caller to hand out later (a leased store).
   */
  lease(key: string, limit: number, windowMs: number, wanted: number): Promise<RateLimitLease>;
}

/**
 * The distributed RateLimitStore: one atomic Lua script per hit (sent by EVALSHA), so every gateway
 * replica draws on one budget per key. Windows are fixed and aligned on the epoch, like the
 * in-memory store.
 */
export function createRedisRateLimitStore(options: RedisRateLimitStoreOptions): RedisRateLimitStore {
  const owned = options.redis === undefined;
  // Auto-pipelining sends the commands of concurrent requests in one write: far fewer syscalls under load.
  // While Redis is away a call fails at once (circuit breaker, no offline queue) instead of
  // waiting for the reconnect: the gateway then lets the request through (fails open).
  const redis = (options.redis ?? new Redis(options.url, failFastRedisOptions())) as RateLimitRedis;
  if (options.redis === undefined && options.logger) reportRedisOutages(redis, createOutageReporter(options.logger, { dependency: 'redis', client: 'rate-limit' }));
  const guard = createRedisGuard(redis);
  redis.defineCommand('timeslotRateLimitHit', { numberOfKeys: 1, lua: HIT });
  redis.defineCommand('timeslotRateLimitPeek', { numberOfKeys: 1, lua: PEEK });
  redis.defineCommand('timeslotRateLimitRelease', { numberOfKeys: 1, lua: RELEASE });
  redis.defineCommand('timeslotRateLimitLease', { numberOfKeys: 1, lua: LEASE });
  const prefix = options.keyPrefix ?? 'ratelimit:';

  return {
    async hit(key: string, limit: number, windowMs: number): Promise<RateLimitDecision> {
      const length = validWindow(limit, windowMs);
      const [count, resetMs, window] = await guard.run(() => redis.timeslotRateLimitHit(prefix + key, length));
      return { allowed: count <= limit, limit, remaining: Math.max(0, limit - count), resetMs, window };
    },

    async peek(key: string, limit: number, windowMs: number): Promise<RateLimitDecision> {
      const length = validWindow(limit, windowMs);
      const [count, resetMs, window] = await guard.run(() => redis.timeslotRateLimitPeek(prefix + key, length));
      // "Would one more hit be allowed": decide as if it were counted, and report what is left now.
      return { allowed: count + 1 <= limit, limit, remaining: Math.max(0, limit - count), resetMs, window };
    },

    async release(key: string, windowMs: number, window: number): Promise<void> {
      const length = validWindow(0, windowMs);
      if (!Number.isSafeInteger(window)) throw new RangeError(`Rate-limit window must be a whole number, got ${window}`);
      await guard.run(() => redis.timeslotRateLimitRelease(prefix + key, length, window));
    },

    async lease(key: string, limit: number, windowMs: number, wanted: number): Promise<RateLimitLease> {
      const length = validWindow(limit, windowMs);
      if (!Number.isInteger(wanted) || wanted < 1) throw new RangeError(`A lease must take a whole number >= 1 of hits, got ${wanted}`);
      const [granted, count, resetMs, window] = await guard.run(() => redis.timeslotRateLimitLease(prefix + key, length, limit, wanted));
      return { granted, count, resetMs, window };
    },

    async reset(key: string): Promise<void> {
      await guard.run(() => redis.del(prefix + key));
    },

    async ping(): Promise<void> {
      await guard.run(() => redis.ping());
    },

    async close(): Promise<void> {
      guard.close();
      if (owned) await redis.quit().catch(() => redis.disconnect());
    },
  };
}
