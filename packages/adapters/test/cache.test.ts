import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { deleteRedisKeys, redisKeysUnder, redisTestPrefixes, testServers } from '@timeslot/testing';
import { cacheContract } from '@timeslot/ports/contracts/cache.contract';
import { copyJson } from '../src/cache/codec';
import { createMemoryCache } from '../src/cache/memory';
import { createRedisCache } from '../src/cache/redis';

const prefixes = redisTestPrefixes('test_cache');
const { admin } = prefixes;
const nextPrefix = prefixes.next;

afterAll(() => prefixes.close());

cacheContract('memory', async () => {
  // One process has one cache, so the "replica" is the same instance.
  const cache = createMemoryCache();
  return { cache, replica: cache, cleanup: () => cache.close() };
});

cacheContract('redis', async () => {
  const keyPrefix = nextPrefix();
  // Two clients, two connections: what two replicas of a service would have.
  const cache = createRedisCache({ url: testServers.redis, keyPrefix });
  const replica = createRedisCache({ url: testServers.redis, keyPrefix });
  return {
    cache,
    replica,
    cleanup: async () => {
      await Promise.all([cache.close(), replica.close()]);
      await deleteRedisKeys(admin, keyPrefix);
    },
  };
});

describe('memory cache', () => {
  it('evicts the least recently used entry beyond maxEntries', async () => {
    const cache = createMemoryCache({ maxEntries: 2 });
    await cache.set('a', 1, 60_000);
    await cache.set('b', 2, 60_000);
    expect(await cache.get('a')).toBe(1);
    await cache.set('c', 3, 60_000);
    expect(await cache.get('b')).toBeUndefined();
    expect(await cache.get('a')).toBe(1);
    expect(await cache.get('c')).toBe(3);
    await cache.close();
  });

  it('returns but does not store a load result of undefined', async () => {
    const cache = createMemoryCache();
    let calls = 0;
    const load = async () => {
      calls += 1;
      return undefined;
    };
    expect(await cache.getOrLoad('nothing', 60_000, load)).toBeUndefined();
    expect(await cache.getOrLoad('nothing', 60_000, load)).toBeUndefined();
    expect(calls).toBe(2);
    await cache.close();
  });
});

describe('redis cache', () => {
  it('gives every key it writes a TTL and leaves no lease behind', async () => {
    const keyPrefix = nextPrefix();
    const cache = createRedisCache({ url: testServers.redis, keyPrefix });
    await cache.set('set', { a: 1 }, 60_000);
    await cache.getOrLoad('loaded', 60_000, async () => ({ b: 2 }));
    expect(await redisKeysUnder(admin, keyPrefix)).toEqual([`${keyPrefix}v:loaded`, `${keyPrefix}v:set`]);
    for (const key of await redisKeysUnder(admin, keyPrefix)) {
      const ttl = await admin.pttl(key);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(60_000);
    }
    expect(JSON.parse((await admin.get(`${keyPrefix}v:loaded`))!)).toEqual({ b: 2 });
    await cache.close();
  });

  it('does not store a load that outlived its lease', async () => {
    const keyPrefix = nextPrefix();
    const cache = createRedisCache({ url: testServers.redis, keyPrefix, loadLeaseMs: 20 });
    const value = await cache.getOrLoad('slow', 60_000, async () => {
      // Wait (bounded) until Redis has expired the lease, as it would for a load slower than it.
      const startedAt = Date.now();
      while ((await admin.exists(`${keyPrefix}lease:slow`)) === 1 && Date.now() - startedAt < 2_000) {
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      return 'too late';
    });
    expect(value).toBe('too late');
    expect(await cache.get('slow')).toBeUndefined();
    await cache.close();
  });

  it('leaves a connection it was given open on close', async () => {
    const redis = new Redis(testServers.redis);
    const cache = createRedisCache({ url: 'redis://unused.invalid:1', redis, keyPrefix: nextPrefix() });
    await cache.set('k', 1, 60_000);
    await cache.close();
    expect(await redis.ping()).toBe('PONG');
    await redis.quit();
  });
});

describe('copyJson', () => {
  it('copies what JSON.parse gives, own "__proto__" keys included, sharing nothing with the original', () => {
    const parsed = JSON.parse('{"a":[1,{"b":null}],"__proto__":{"polluted":true},"s":"x"}') as Record<string, unknown>;
    const copy = copyJson(parsed);
    expect(copy).toEqual(parsed);
    expect(JSON.stringify(copy)).toBe(JSON.stringify(parsed));
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect((copy as { polluted?: boolean }).polluted).toBeUndefined();
    (copy.a as unknown[]).push(2);
    expect(parsed.a).toEqual([1, { b: null }]);
  });
});
