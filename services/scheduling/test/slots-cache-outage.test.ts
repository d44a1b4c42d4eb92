import { afterAll, beforeAll, expect, it } from 'vitest';
import { createRedisCache } from '@timeslot/adapters';
import { startPrivateRedis, type PrivateRedis } from '@timeslot/testing';
import { createSlotCache, type CachedPage } from '../src/providers/slots.cache';

/**
 * Slot pages with Redis (holding the version tokens) stopped and frozen: no token is trusted while
 * the cache is down, pages are computed from the source every time, and a page kept before an
 * outage is never served after it (a writer's new token may have been lost meanwhile).
 */
let redis: PrivateRedis;

beforeAll(async () => {
  redis = await startPrivateRedis();
});

afterAll(async () => {
  await redis?.close();
});

const page = (body: string): CachedPage<{ provider: string }> => ({ meta: { provider: 'p' }, body, etag: `"${body}"`, expiresAt: Date.now() + 3_600_000 });

async function until(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

it('computes every page from the source while Redis is down and drops pages kept before the outage', async () => {
  const cache = createRedisCache({ url: redis.url, keyPrefix: 'slots:', breaker: { halfOpenAfterMs: 200 } });
  const slots = createSlotCache<{ provider: string }>({ cache });
  try {
    let source = 'v1';
    const read = async () => {
      const version = await slots.version('p');
      return slots.page(version === undefined ? undefined : `p|${version}`, Date.now(), async () => page(source));
    };
    await until(() => cache.health().available);
    expect((await read()).source).toBe('miss');
    expect(await read()).toMatchObject({ source: 'hit', page: { body: 'v1' } });

    // Frozen: Redis keeps the token, but a writer's change cannot reach it.
    redis.pause();
    source = 'v2';
    await slots.changed('p');
    for (let i = 0; i < 4; i++) await read();
    await until(() => !cache.health().available);
    expect(await read()).toMatchObject({ source: 'uncached', page: { body: 'v2' } });
    redis.resume();

    await until(() => cache.health().available);
    // The old token may still be in Redis, but the page kept under it is gone and so is the token.
    const after = await read();
    expect(after.page.body).toBe('v2');
    expect(after.source).toBe('miss');
  } finally {
    redis.resume();
    await cache.close();
  }
});
