import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLeasedRateLimitStore } from '@timeslot/adapters/rate-limit/leased';
import { createRedisRateLimitStore } from '@timeslot/adapters/rate-limit/redis';
import { testServers, uniqueName } from '@timeslot/testing';
import { buildGateway, closedPort, createTestKeys, type TestKeys } from './helpers';

// Windows are aligned on the epoch: long ones keep a test from straddling a reset.
const hour = 3_600_000;
let keys: TestKeys;
let redis: Redis;
const keyPrefix = `${uniqueName('gateway')}:`;

beforeAll(async () => {
  keys = await createTestKeys();
  redis = new Redis(testServers.redis);
});

afterAll(async () => {
  const stored = await redis.keys(`${keyPrefix}*`);
  if (stored.length > 0) await redis.del(...stored);
  await redis.quit();
});

describe('with the Redis rate-limit store', () => {
  it('shares one budget between gateway replicas, under rl:ip and rl:user keys', async () => {
    const options = { rateLimits: { ip: { max: 3, windowMs: hour }, user: { max: 100, windowMs: hour } } };
    const replicas = await Promise.all(
      [1, 2].map(() => buildGateway(keys, options, { store: createRedisRateLimitStore({ url: testServers.redis, keyPrefix }) })),
    );
    try {
      const userId = crypto.randomUUID();
      const authorization = `Bearer ${await keys.sign({ userId })}`;
      const statuses: number[] = [];
      for (const gateway of [...replicas, ...replicas]) {
        statuses.push((await gateway.app.inject({ url: '/healthz' })).statusCode);
        statuses.push((await gateway.app.inject({ url: '/api/v1/nothing', headers: { authorization } })).statusCode);
      }
      expect(statuses).toEqual([200, 404, 200, 404, 200, 404, 200, 429]);
      expect(await redis.exists(`${keyPrefix}rl:ip:127.0.0.1`)).toBe(1);
      expect(await redis.exists(`${keyPrefix}rl:user:${userId}`)).toBe(1);
    } finally {
      await Promise.all(replicas.map((gateway) => gateway.close()));
    }
  });

  it('shares one budget between gateway replicas with leased stores, within a lease of the limit', async () => {
    // A lease of 5 hits for a limit of 100: two replicas allow 95 to 100 of one client's requests.
    const options = { rateLimits: { ip: { max: 100, windowMs: hour }, user: { max: 1000, windowMs: hour } } };
    const leasedPrefix = `${keyPrefix}leased:`;
    const replicas = await Promise.all(
      [1, 2].map(() =>
        buildGateway(keys, options, { store: createLeasedRateLimitStore({ shared: createRedisRateLimitStore({ url: testServers.redis, keyPrefix: leasedPrefix }) }) }),
      ),
    );
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 150; i++) statuses.push((await replicas[i % 2]!.app.inject({ url: '/api/v1/nothing', remoteAddress: '10.1.2.3' })).statusCode);
      const allowed = statuses.filter((status) => status === 404).length;
      expect(allowed).toBeLessThanOrEqual(100);
      expect(allowed).toBeGreaterThanOrEqual(95);
      expect(statuses.slice(100).every((status) => status === 429)).toBe(true);
    } finally {
      await Promise.all(replicas.map((gateway) => gateway.close()));
    }
  });

  it('lets requests through when Redis cannot be reached, and says so in /metrics', async () => {
    const unreachable = new Redis(`redis://127.0.0.1:${await closedPort()}`, { maxRetriesPerRequest: 1, retryStrategy: () => 20, lazyConnect: false });
    unreachable.on('error', () => {});
    const gateway = await buildGateway(
      keys,
      { rateLimits: { ip: { max: 1, windowMs: hour }, storeTimeoutMs: 100 } },
      { store: createRedisRateLimitStore({ url: 'unused', redis: unreachable }) },
    );
    try {
      for (let i = 0; i < 3; i++) expect((await gateway.app.inject({ url: '/api/v1/nothing' })).statusCode).toBe(404);
      const metrics = (await gateway.app.inject({ url: '/metrics' })).body;
      expect(metrics).toMatch(/gateway_rate_limit_store_failures_total\{[^}]*\} 3/);
    } finally {
      await gateway.close();
      unreachable.disconnect();
    }
  });

  it('lets requests through with a leased store when Redis cannot be reached', async () => {
    const unreachable = new Redis(`redis://127.0.0.1:${await closedPort()}`, { maxRetriesPerRequest: 1, retryStrategy: () => 20, lazyConnect: false });
    unreachable.on('error', () => {});
    const gateway = await buildGateway(
      keys,
      { rateLimits: { ip: { max: 1, windowMs: hour }, storeTimeoutMs: 100 } },
      { store: createLeasedRateLimitStore({ shared: createRedisRateLimitStore({ url: 'unused', redis: unreachable }) }) },
    );
    try {
      for (let i = 0; i < 3; i++) expect((await gateway.app.inject({ url: '/api/v1/nothing' })).statusCode).toBe(404);
      expect((await gateway.app.inject({ url: '/metrics' })).body).toMatch(/gateway_rate_limit_store_failures_total\{[^}]*\} 3/);
    } finally {
      await gateway.close();
      unreachable.disconnect();
    }
  });
});
