import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { createBullMqJobQueue, createRedisCache, createRedisRateLimitStore } from '@timeslot/adapters';
import { startPrivateRedis, type PrivateRedis } from '@timeslot/testing';

/**
 * The Redis adapters against a Redis of this file's own that it stops, freezes and restarts:
 * a cache must degrade to misses (never hang, never throw), never serve a value an invalidation
 * that failed during the outage should have removed, and log an outage in a few JSON lines.
 */
let redis: PrivateRedis;

beforeAll(async () => {
  redis = await startPrivateRedis();
});

afterAll(async () => {
  await redis?.close();
});

interface Line {
  level: 'warn' | 'info';
  obj: Record<string, unknown>;
  msg: string;
}

function capture(): { lines: Line[]; logger: { warn(obj: object, msg: string): void; info(obj: object, msg: string): void } } {
  const lines: Line[] = [];
  return {
    lines,
    logger: {
      warn: (obj, msg) => lines.push({ level: 'warn', obj: obj as Record<string, unknown>, msg }),
      info: (obj, msg) => lines.push({ level: 'info', obj: obj as Record<string, unknown>, msg }),
    },
  };
}

async function timed<T>(work: Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await work;
  return { value, ms: performance.now() - started };
}

async function until(condition: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('Redis cache while Redis is down', () => {
  it('answers misses from the loader, drops writes, opens its circuit and comes back alone', async () => {
    const { lines, logger } = capture();
    const cache = createRedisCache({ url: redis.url, keyPrefix: 'outage:', logger });
    try {
      await cache.set('k', 'before', 60_000);
      expect(await cache.get('k')).toBe('before');
      await redis.stop();

      // Each call answers at once: a miss, a dropped write, a load straight from the source.
      for (let i = 0; i < 5; i++) {
        const { value, ms } = await timed(cache.getOrLoad('user', 60_000, async () => ({ from: 'database' })));
        expect(value).toEqual({ from: 'database' });
        expect(ms).toBeLessThan(1000);
      }
      expect((await timed(cache.get('k'))).value).toBeUndefined();
      await cache.set('k', 'during', 60_000);
      await cache.delete('k');
      expect(cache.health().available).toBe(false);
      await expect(cache.ping()).rejects.toThrow(/Redis unreachable/);

      await redis.start();
      await until(() => cache.health().available);
      await cache.set('k', 'after', 60_000);
      expect(await cache.get('k')).toBe('after');
      expect(cache.health().outages).toBeGreaterThan(0);

      // One warn when it went down, one info when it came back: not a line per reconnect attempt.
      expect(lines.filter((line) => line.level === 'warn').length).toBeLessThanOrEqual(2);
      expect(lines.at(-1)).toMatchObject({ level: 'info', obj: { dependency: 'redis', client: 'cache' } });
    } finally {
      await cache.close();
    }
  });

  it('never serves a value whose invalidation failed while Redis hung, once Redis answers again', async () => {
    const cache = createRedisCache({ url: redis.url, keyPrefix: 'hung:', breaker: { halfOpenAfterMs: 300 } });
    const other = createRedisCache({ url: redis.url, keyPrefix: 'hung:' });
    try {
      await cache.set('profile', { name: 'old' }, 60_000);
      await cache.set('version', 'v1', 60_000);
      expect(await other.get('profile')).toEqual({ name: 'old' });
      // Frozen, not stopped: Redis keeps the old values, and commands time out instead of failing.
      redis.pause();
      const { ms } = await timed(cache.delete('profile'));
      expect(ms).toBeLessThan(2000);
      await cache.set('version', 'v2', 60_000);
      redis.resume();

      // The writer deletes what it could not invalidate before it uses Redis for anything else.
      await until(() => cache.health().available);
      expect(await cache.get('profile')).toBeUndefined();
      expect(await other.get('profile')).toBeUndefined();
      expect(await other.get('version')).toBeUndefined();
    } finally {
      redis.resume();
      await Promise.all([cache.close(), other.close()]);
    }
  });
});

describe('Redis job queue and rate limits while Redis is down', () => {
  it('fails an enqueue fast instead of hanging, and logs the outage in a few lines', async () => {
    const { lines, logger } = capture();
    const jobs = createBullMqJobQueue({ url: redis.url, prefix: 'outage', logger });
    const limits = createRedisRateLimitStore({ url: redis.url, keyPrefix: 'outage:rl:', logger });
    try {
      await jobs.enqueue('q', 'job', { n: 1 }, { jobId: 'before' });
      await limits.hit('a', 10, 1000);
      await redis.stop();
      for (let i = 0; i < 5; i++) {
        const started = performance.now();
        await expect(jobs.enqueue('q', 'job', { n: i }, { jobId: `during-${i}` })).rejects.toThrow();
        expect(performance.now() - started).toBeLessThan(1500);
      }
      // Long enough for every client to fail a few reconnects (they retry every ≤ 1 s).
      await new Promise((resolve) => setTimeout(resolve, 2500));
      await redis.start();
      await until(async () =>
        jobs.enqueue('q', 'job', { n: 0 }, { jobId: 'after' }).then(
          () => true,
          () => false,
        ),
      );
      const counts = await jobs.counts('q');
      expect(counts.waiting).toBe(1); // Redis came back empty: only the job enqueued after it.
      const warns = lines.filter((line) => line.level === 'warn');
      // One line per connection (producer, worker, rate limits) when it went down; none per retry.
      const clients = warns.map((line) => line.obj.client);
      expect(clients.length).toBe(new Set(clients).size);
      expect(clients).toEqual(expect.arrayContaining(['job-queue', 'rate-limit']));
      expect(clients.every((client) => ['job-queue', 'job-worker', 'rate-limit'].includes(String(client)))).toBe(true);
    } finally {
      await jobs.close();
      await limits.close();
    }
  }, 30_000);
});

it('the private Redis keeps nothing across a restart (what the coherence argument rests on)', async () => {
  const client = new Redis(redis.url);
  client.on('error', () => undefined);
  try {
    await client.set('persist', '1');
    await redis.restart();
    await until(() => client.status === 'ready');
    expect(await client.get('persist')).toBeNull();
  } finally {
    client.disconnect();
  }
});
