import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisRateLimitStore } from '@timeslot/adapters';
import { redisTestPrefixes, testServers } from '@timeslot/testing';
import type { RateLimitStore } from '@timeslot/ports';
import { createHarness, login, password, registered, uniqueEmail, type Harness } from './harness';

/**
 * Issue 7, item 1: the login limits must hold for guesses sent all at once. Every guess that gets
 * a 401 had its password verified; a 429 was refused before any hashing. So the number of 401s is
 * the number of wrong passwords tried, and it must never exceed the limit, whatever the
 * concurrency and however many replicas share the store.
 */
const perAccount = { max: 10, windowMs: 15 * 60_000 };
const perIp = { max: 20, windowMs: 15 * 60_000 };
// These tests count what the limits let through; the hash queue's own refusals (503 under a pile-up
// on a slow machine) are another test's subject (password-hashing.test.ts), so its wait is unbounded here.
const options = { loginLimits: { perAccount, perIp }, passwordHashing: { maxWaitMs: 60_000 } };

type Inject = Awaited<ReturnType<typeof login>>;

function tally(responses: readonly Inject[]): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const response of responses) counts[response.statusCode] = (counts[response.statusCode] ?? 0) + 1;
  return counts;
}

let ipCounter = 0;
const nextIp = () => `10.7.${Math.floor(ipCounter / 250)}.${(ipCounter++ % 250) + 1}`;

/** The two scenarios, against apps that share one store (one app, or replicas of identity). */
function burstTests(apps: () => readonly Harness[]): void {
  const appFor = (i: number) => {
    const all = apps();
    return (all[i % all.length] as Harness).app;
  };

  it('verifies at most the per-account limit of 50 parallel wrong guesses, the right password sent among them', async () => {
    const { user } = await registered(appFor(0));
    // Each guess from its own address: only the per-account budget can stop them.
    const guesses = Array.from({ length: 51 }, (_, i) => login(appFor(i), user.email, i === 25 ? password : `wrong guess ${i}`, nextIp()));
    const counts = tally(await Promise.all(guesses));
    console.info(`per-account burst: ${JSON.stringify(counts)}`);
    // Wrong passwords verified: never more than the limit.
    expect(counts[401] ?? 0, JSON.stringify(counts)).toBeLessThanOrEqual(perAccount.max);
    // Hashed at all: the limit, plus at most the one success that gave its unit back.
    expect((counts[401] ?? 0) + (counts[200] ?? 0), JSON.stringify(counts)).toBeLessThanOrEqual(perAccount.max + 1);
    expect((counts[401] ?? 0) + (counts[200] ?? 0) + (counts[429] ?? 0)).toBe(51);
    // And the budget is spent: the right password is refused now too.
    expect((await login(appFor(1), user.email, password, nextIp())).statusCode).toBe(429);
  });

  it('verifies at most the per-IP limit of 50 parallel guesses from one address at 50 accounts', async () => {
    const ip = nextIp();
    const guesses = Array.from({ length: 50 }, (_, i) => login(appFor(i), uniqueEmail('sprayed'), `guess ${i}`, ip));
    const counts = tally(await Promise.all(guesses));
    console.info(`per-IP burst: ${JSON.stringify(counts)}`);
    expect(counts[401] ?? 0, JSON.stringify(counts)).toBeLessThanOrEqual(perIp.max);
    expect((counts[401] ?? 0) + (counts[429] ?? 0)).toBe(50);
    expect(counts[429] ?? 0).toBeGreaterThanOrEqual(50 - perIp.max);
  });

  it('gives a successful sign-in its unit back, so signing in often never locks anyone out', async () => {
    const { user } = await registered(appFor(0));
    for (let i = 0; i < perAccount.max + 2; i += 1) {
      expect((await login(appFor(i), user.email, password, nextIp())).statusCode).toBe(200);
    }
  });
}

describe('login limits under concurrency: embedded (memory store)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness({ options });
  });
  afterAll(async () => {
    await h.close();
  });
  burstTests(() => [h]);
});

describe('login limits under concurrency: two identity replicas on one Redis store', () => {
  const prefixes = redisTestPrefixes('test_identity_login');
  let stores: RateLimitStore[] = [];
  let first: Harness;
  let second: Harness;
  beforeAll(async () => {
    const keyPrefix = prefixes.next();
    // Two connections, as two processes would have; one database, as replicas share.
    stores = [0, 1].map(() => createRedisRateLimitStore({ url: testServers.redis, keyPrefix }));
    first = await createHarness({ options, rateLimits: stores[0] });
    second = await createHarness({ options, rateLimits: stores[1], database: first.database });
  });
  afterAll(async () => {
    await second.close();
    await first.close();
    await Promise.all(stores.map((store) => store.close()));
    await prefixes.close();
  });
  burstTests(() => [first, second]);
});
