import { Redis } from 'ioredis';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { deleteRedisKeys, redisTestPrefixes, testServers } from '@timeslot/testing';
import { rateLimitContract } from '@timeslot/ports/contracts/rate-limit.contract';
import { createMemoryRateLimitStore } from '../src/rate-limit/memory';
import { createRedisRateLimitStore } from '../src/rate-limit/redis';

const prefixes = redisTestPrefixes('test_ratelimit');
const { admin } = prefixes;
const nextPrefix = prefixes.next;

afterAll(() => prefixes.close());

rateLimitContract('memory', async () => {
  // One process has one store, so the "replica" is the same instance.
  const store = createMemoryRateLimitStore();
  return { store, replica: store, cleanup: () => store.close() };
});

rateLimitContract('redis', async () => {
  const keyPrefix = nextPrefix();
  // Two clients, two connections: what two gateway replicas would have.
  const store = createRedisRateLimitStore({ url: testServers.redis, keyPrefix });
  const replica = createRedisRateLimitStore({ url: testServers.redis, keyPrefix });
  return {
    store,
    replica,
    cleanup: async () => {
      await Promise.all([store.close(), replica.close()]);
      await deleteRedisKeys(admin, keyPrefix);
    },
  };
});

describe('redis rate-limit store', () => {
  it('keeps one key per limited key, expiring when its window ends', async () => {
    const keyPrefix = nextPrefix();
    const store = createRedisRateLimitStore({ url: testServers.redis, keyPrefix });
    await store.hit('ip:1', 5, 10_000);
    await store.hit('ip:1', 5, 10_000);
    await store.peek('ip:2', 5, 10_000);
    const ttl = await admin.pttl(`${keyPrefix}ip:1`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(10_000);
    expect(await admin.exists(`${keyPrefix}ip:2`)).toBe(0);
    await store.close();
  });

  it('takes the window from the Redis clock, so replicas with skewed clocks share one budget', async () => {
    const store = createRedisRateLimitStore({ url: testServers.redis, keyPrefix: nextPrefix() });
    const hour = 3_600_000;
    expect((await store.hit('skew', 2, hour)).remaining).toBe(1);
    const realNow = Date.now();
    const skewed = vi.spyOn(Date, 'now').mockReturnValue(realNow + 2 * hour);
    try {
      expect(await store.hit('skew', 2, hour)).toMatchObject({ allowed: true, remaining: 0 });
    } finally {
      skewed.mockRestore();
    }
    expect((await store.hit('skew', 2, hour)).allowed).toBe(false);
    await store.close();
  });

  it('leaves a connection it was given open on close', async () => {
    const redis = new Redis(testServers.redis);
    const store = createRedisRateLimitStore({ url: 'redis://unused.invalid:1', redis, keyPrefix: nextPrefix() });
    await store.hit('k', 1, 60_000);
    await store.close();
    expect(await redis.ping()).toBe('PONG');
    await redis.quit();
  });
});

describe('memory rate-limit store', () => {
  it('starts a fresh window for a key used with another window length', async () => {
    const store = createMemoryRateLimitStore();
    await store.hit('k', 1, 3_600_000);
    expect((await store.hit('k', 1, 3_600_000)).allowed).toBe(false);
    expect((await store.hit('k', 1, 7_200_000)).allowed).toBe(true);
    await store.close();
  });
});
