import { afterAll, describe, expect, it } from 'vitest';
import { deleteRedisKeys, redisTestPrefixes, startPrivateRedis, testServers } from '@timeslot/testing';
import type { RateLimitStore } from '@timeslot/ports';
import { createLeasedRateLimitStore, leaseSize } from '../src/rate-limit/leased';
import { createRedisRateLimitStore } from '../src/rate-limit/redis';

const prefixes = redisTestPrefixes('test_ratelimit_leased');
afterAll(() => prefixes.close());

// Windows are aligned on the clock: a long one keeps a test inside one window.
const HOUR = 3_600_000;

/** Two gateway replicas: a leased store each, on its own connection, sharing one Redis budget. */
function replicas(keyPrefix = prefixes.next()): { stores: RateLimitStore[]; keyPrefix: string; close: () => Promise<void> } {
  const stores = [1, 2].map(() => createLeasedRateLimitStore({ shared: createRedisRateLimitStore({ url: testServers.redis, keyPrefix }) }));
  return {
    stores,
    keyPrefix,
    close: async () => {
      await Promise.all(stores.map((store) => store.close()));
      await deleteRedisKeys(prefixes.admin, keyPrefix);
    },
  };
}

const allowed = (decisions: readonly { allowed: boolean }[]) => decisions.filter((d) => d.allowed).length;

describe('leased rate-limit store', () => {
  it('takes a share of the limit per lease, at least one hit and at most 100', () => {
    expect([1, 20, 39, 40, 100, 50_000].map((limit) => leaseSize(limit))).toEqual([1, 1, 1, 2, 5, 100]);
  });

  it('hands out a lease from memory: one Redis count per lease, not per hit', async () => {
    const { stores, keyPrefix, close } = replicas();
    const [store] = stores as [RateLimitStore];
    try {
      expect(store.hitLocally?.('ip:1', 100, HOUR)).toBeUndefined();
      expect(await store.hit('ip:1', 100, HOUR)).toMatchObject({ allowed: true, limit: 100, remaining: 99 });
      // The rest of the lease of 5: decided without Redis.
      const local = [1, 2, 3, 4].map(() => store.hitLocally?.('ip:1', 100, HOUR));
      expect(local.map((d) => d?.remaining)).toEqual([98, 97, 96, 95]);
      expect(store.hitLocally?.('ip:1', 100, HOUR)).toBeUndefined();
      expect(await prefixes.admin.hget(`${keyPrefix}ip:1`, 'c')).toBe('5');
      await store.hit('ip:1', 100, HOUR);
      expect(await prefixes.admin.hget(`${keyPrefix}ip:1`, 'c')).toBe('10');
    } finally {
      await close();
    }
  });

  it('never allows more than the limit over two replicas, and refuses no earlier than the stated tolerance', async () => {
    const { stores, close } = replicas();
    try {
      const limit = 100;
      // (R − 1) × leaseSize(limit): what the other replica may hold unspent when one is refused.
      const tolerance = (stores.length - 1) * leaseSize(limit);
      const alternating = [];
      for (let i = 0; i < 2 * limit; i++) alternating.push(await stores[i % 2]!.hit('alternating', limit, HOUR));
      expect(allowed(alternating)).toBeLessThanOrEqual(limit);
      expect(allowed(alternating)).toBeGreaterThanOrEqual(limit - tolerance);
      const concurrent = await Promise.all(Array.from({ length: 3 * limit }, (_, i) => stores[i % 2]!.hit('stampede', limit, HOUR)));
      expect(allowed(concurrent)).toBeLessThanOrEqual(limit);
      expect(allowed(concurrent)).toBeGreaterThanOrEqual(limit - tolerance);
    } finally {
      await close();
    }
  });

  it('is exact with a lease of one hit, even over two replicas', async () => {
    const { stores, close } = replicas();
    try {
      const decisions = [];
      for (let i = 0; i < 30; i++) decisions.push(await stores[i % 2]!.hit('login', 20, HOUR));
      expect(decisions.map((d) => d.allowed)).toEqual([...Array<boolean>(20).fill(true), ...Array<boolean>(10).fill(false)]);
    } finally {
      await close();
    }
  });

  it('refuses from memory, without a round trip, once the window is spent', async () => {
    const { stores, keyPrefix, close } = replicas();
    const [store] = stores as [RateLimitStore];
    try {
      for (let i = 0; i < 3; i++) expect((await store.hit('spent', 3, HOUR)).allowed).toBe(true);
      const refused = await store.hit('spent', 3, HOUR);
      expect(refused).toMatchObject({ allowed: false, remaining: 0, limit: 3 });
      expect(refused.resetMs).toBeGreaterThan(0);
      expect(refused.resetMs).toBeLessThanOrEqual(HOUR);
      expect(store.hitLocally?.('spent', 3, HOUR)).toMatchObject({ allowed: false, remaining: 0 });
      // A refusal takes nothing from Redis: the window's count stays at the limit.
      expect(await prefixes.admin.hget(`${keyPrefix}spent`, 'c')).toBe('3');
    } finally {
      await close();
    }
  });

  it('refuses everything with a limit of 0, and rejects a limit or window that makes no sense', async () => {
    const { stores, close } = replicas();
    const [store] = stores as [RateLimitStore];
    try {
      expect(await store.hit('closed', 0, HOUR)).toMatchObject({ allowed: false, remaining: 0 });
      await expect(store.hit('k', 1.5, HOUR)).rejects.toThrow(RangeError);
      expect(() => store.hitLocally?.('k', 1, 0)).toThrow(RangeError);
    } finally {
      await close();
    }
  });

  it('peeks, gives back and resets through its lease and the shared count', async () => {
    const { stores, close } = replicas();
    const [store, replica] = stores as [RateLimitStore, RateLimitStore];
    try {
      const first = await store.hit('give', 2, HOUR);
      await store.hit('give', 2, HOUR);
      expect((await store.hit('give', 2, HOUR)).allowed).toBe(false);
      await store.release('give', HOUR, first.window);
      expect(await store.peek('give', 2, HOUR)).toMatchObject({ allowed: true });
      expect((await store.hit('give', 2, HOUR)).allowed).toBe(true);
      await replica.reset('give');
      await store.reset('give');
      expect(await store.hit('give', 2, HOUR)).toMatchObject({ allowed: true, remaining: 1 });
    } finally {
      await close();
    }
  });

  it('hands out what it leased while Redis is down, then fails (the gateway lets requests through), and recovers', async () => {
    const redis = await startPrivateRedis();
    const store = createLeasedRateLimitStore({ shared: createRedisRateLimitStore({ url: redis.url, keyPrefix: 'leased:' }) });
    try {
      expect((await store.hit('ip:1', 100, HOUR)).allowed).toBe(true);
      await redis.stop();
      for (let i = 0; i < 4; i++) expect((await store.hit('ip:1', 100, HOUR)).allowed).toBe(true);
      await expect(store.hit('ip:1', 100, HOUR)).rejects.toThrow();
      await redis.start();
      // The connection and the circuit breaker come back within a few seconds.
      let recovered = false;
      for (const deadline = Date.now() + 15_000; !recovered && Date.now() < deadline; ) {
        recovered = await store.hit('ip:2', 100, HOUR).then(
          (decision) => decision.allowed,
          () => false,
        );
        if (!recovered) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(recovered).toBe(true);
    } finally {
      await store.close();
      await redis.close();
    }
  });
});
