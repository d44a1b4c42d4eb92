import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '@timeslot/kernel';
import { createHashQueue } from '../src/hash-queue';
import { hashPassword, needsRehash, verifyPassword } from '../src/passwords';
import { createHarness, login, password, registered, type Harness } from './harness';

// Made by the `argon2` package (node-gyp) this project used before @node-rs/argon2: stored hashes
// from then must keep verifying, and the weaker one must be upgraded at the next sign-in.
const legacyCurrent = '$argon2id$v=19$m=19456,t=2,p=1$psNJtGCpirdexJoYc5d75A$dvTlr83duvmYkWftvjZgNlvfD56H0/x7BBPluMNR+ts';
const legacyWeaker = '$argon2id$v=19$m=4096,t=3,p=1$7mYPhzm8U+jIf0ZByq51ow$aL+1zywne6gFsxAub+ZBE1HcfIC/hykKU18TX+Jd1Bc';
const legacyPassword = 'correct horse battery staple';

describe('password hashes', () => {
  it('verifies hashes stored by the previous Argon2 library, and refuses a wrong password against them', async () => {
    expect(await verifyPassword(legacyCurrent, legacyPassword)).toBe(true);
    expect(await verifyPassword(legacyWeaker, legacyPassword)).toBe(true);
    expect(await verifyPassword(legacyCurrent, 'correct horse battery stapler')).toBe(false);
  });

  it('writes Argon2id PHC strings with the OWASP parameters, which verify', async () => {
    const stored = await hashPassword('a new password');
    expect(stored).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/);
    expect(await verifyPassword(stored, 'a new password')).toBe(true);
    expect(needsRehash(stored)).toBe(false);
  });

  it('asks for a rehash of other parameters or variants only', () => {
    expect(needsRehash(legacyCurrent)).toBe(false);
    expect(needsRehash(legacyWeaker)).toBe(true);
    expect(needsRehash(legacyCurrent.replace('$argon2id$', '$argon2i$'))).toBe(true);
    expect(needsRehash(legacyCurrent.replace('p=1', 'p=2'))).toBe(true);
    // Not an Argon2 hash: it can never verify, so there is nothing to rehash it with.
    expect(needsRehash('plain text')).toBe(false);
  });

  it('answers false, not an error, for a malformed stored hash', async () => {
    expect(await verifyPassword('$argon2id$v=19$m=19456,t=2,p=1$short', 'x')).toBe(false);
    expect(await verifyPassword('', 'x')).toBe(false);
  });
});

/** A job the test finishes by hand, counting how many run at once. */
function gate() {
  let running = 0;
  let peak = 0;
  const releases: (() => void)[] = [];
  const order: number[] = [];
  const job = (id: number) => async () => {
    running += 1;
    peak = Math.max(peak, running);
    order.push(id);
    await new Promise<void>((resolve) => releases.push(resolve));
    running -= 1;
    return id;
  };
  const releaseAll = async () => {
    while (releases.length > 0 || running > 0) {
      releases.splice(0).forEach((release) => release());
      await new Promise((resolve) => setImmediate(resolve));
    }
  };
  return { job, releaseAll, peak: () => peak, order };
}

describe('hash queue', () => {
  it('runs at most `concurrency` hashes at once, the rest in arrival order', async () => {
    const queue = createHashQueue({ concurrency: 2, maxWaitMs: 60_000 });
    const g = gate();
    const results = Array.from({ length: 7 }, (_, i) => queue.run(g.job(i)));
    await new Promise((resolve) => setImmediate(resolve));
    expect(queue.stats()).toEqual({ running: 2, waiting: 5, refused: 0 });
    await g.releaseAll();
    expect(await Promise.all(results)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(g.peak()).toBe(2);
    expect(g.order).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(queue.stats()).toEqual({ running: 0, waiting: 0, refused: 0 });
  });

  it('refuses with 503 and Retry-After once the expected wait passes maxWaitMs, and frees the slot of a failed job', async () => {
    const queue = createHashQueue({ concurrency: 1, maxWaitMs: 0 });
    const g = gate();
    const first = queue.run(g.job(1));
    const refused = await queue.run(g.job(2)).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(AppError);
    expect(refused).toMatchObject({ code: 'SERVICE_UNAVAILABLE', status: 503, headers: { 'retry-after': '1' } });
    expect(queue.stats().refused).toBe(1);
    await g.releaseAll();
    expect(await first).toBe(1);
    await expect(queue.run(() => Promise.reject(new Error('hash failed')))).rejects.toThrow('hash failed');
    expect(await queue.run(async () => 'free again')).toBe('free again');
  });

  it('rejects nonsense options', () => {
    expect(() => createHashQueue({ concurrency: 0 })).toThrow(/concurrency/);
    expect(() => createHashQueue({ concurrency: 1.5 })).toThrow(/concurrency/);
    expect(() => createHashQueue({ maxWaitMs: -1 })).toThrow(/maxWaitMs/);
  });
});

describe('sign-ins piling up (one hash at a time, no waiting allowed)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness({
      options: {
        loginLimits: { perAccount: { max: 10, windowMs: 60_000 }, perIp: { max: 100, windowMs: 60_000 } },
        passwordHashing: { concurrency: 1, maxWaitMs: 0 },
      },
    });
  });
  afterAll(async () => {
    await h.close();
  });

  it('answers 503 problem+json with Retry-After to those that cannot be hashed now, and keeps their login budget', async () => {
    const { user } = await registered(h.app);
    const responses = await Promise.all(Array.from({ length: 8 }, (_, i) => login(h.app, user.email, password, `10.9.0.${i + 1}`)));
    const statuses = responses.map((response) => response.statusCode);
    expect(statuses).toContain(200);
    expect(statuses).toContain(503);
    expect(statuses.every((status) => status === 200 || status === 503)).toBe(true);
    const busy = responses.find((response) => response.statusCode === 503)!;
    expect(busy.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(busy.json()).toMatchObject({ status: 503, code: 'SERVICE_UNAVAILABLE' });
    expect(Number(busy.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    // The refusals cost no attempt: the per-account budget of 10 still has room for 9 wrong guesses and then the right one.
    for (let i = 0; i < 9; i += 1) expect((await login(h.app, user.email, `wrong ${i}`, '10.9.1.1')).statusCode).toBe(401);
    expect((await login(h.app, user.email, password, '10.9.1.1')).statusCode).toBe(200);
    const metrics = await h.app.inject({ method: 'GET', url: '/metrics' });
    const refused = statuses.filter((status) => status === 503).length;
    expect(metrics.body).toMatch(new RegExp(`^password_hashes_refused_total\\{service="identity"\\} ${refused}$`, 'm'));
    expect(metrics.body).toMatch(/^password_hashes\{state="waiting",service="identity"\} 0$/m);
  });
});
