import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { createMemoryCache } from '@timeslot/adapters';
import { AppError, createAccountStatusCheck, createHttpServer, createLogger, createTokenVerifier, installAuth, type AccountStatusCheck } from '@timeslot/kernel';
import { accountStatusCacheKey, type Cache } from '@timeslot/ports';

const userId = '4f1c1b9e-3a2b-4c5d-8e9f-0a1b2c3d4e5f';

async function setup(accountStatus?: AccountStatusCheck) {
  const { privateKey, publicKey } = await generateKeyPair('EdDSA');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'EdDSA' };
  let clock = Date.parse('2030-01-01T00:00:00Z');
  const verify = createTokenVerifier({
    issuer: 'timeslot',
    audience: 'api',
    keys: createLocalJWKSet({ keys: [jwk] }),
    now: () => clock,
    ...(accountStatus === undefined ? {} : { accountStatus }),
  });
  const sign = (claims: Record<string, unknown>, expiresInSeconds: number) => {
    const iat = Math.floor(clock / 1000);
    return new SignJWT(claims).setProtectedHeader({ alg: 'EdDSA', kid: 'k1' }).setIssuer('timeslot').setAudience('api').setSubject(userId).setIssuedAt(iat).setExpirationTime(iat + expiresInSeconds).sign(privateKey);
  };
  return { verify, sign, advance: (ms: number) => (clock += ms) };
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'accepted';
  } catch (error) {
    return error instanceof AppError ? error.code : String(error);
  }
}

describe('createTokenVerifier', () => {
  it('accepts a valid token, then (from its cache) until exp, and refuses it after', async () => {
    const { verify, sign, advance } = await setup();
    const token = await sign({ role: 'client', jti: 't1' }, 60);
    expect(await verify(token)).toEqual({ userId, role: 'client', tokenId: 't1' });
    advance(59_000);
    expect(await verify(token)).toEqual({ userId, role: 'client', tokenId: 't1' });
    advance(10_000); // past exp and the 5 s clock tolerance
    expect(await codeOf(verify(token))).toBe('TOKEN_EXPIRED');
  });

  it('never caches a failure, and a changed byte is a different token', async () => {
    const { verify, sign } = await setup();
    const token = await sign({ role: 'client', jti: 't2' }, 60);
    await verify(token);
    // Change one character inside the signature (every bit of it counts there, unlike the last).
    const at = token.lastIndexOf('.') + 10;
    const tampered = `${token.slice(0, at)}${token[at] === 'A' ? 'B' : 'A'}${token.slice(at + 1)}`;
    expect(tampered).not.toBe(token);
    expect(await codeOf(verify(tampered))).toBe('INVALID_TOKEN');
    expect(await codeOf(verify(tampered))).toBe('INVALID_TOKEN');
  });

  it('refuses tokens whose claims are not ours', async () => {
    const { verify, sign } = await setup();
    expect(await codeOf(verify(await sign({ role: 'superuser', jti: 't3' }, 60)))).toBe('INVALID_TOKEN');
    expect(await codeOf(verify(await sign({ role: 'client' }, 60)))).toBe('INVALID_TOKEN');
  });
});

/** A real in-memory cache that counts reads, or fails them when told to. */
function countingCache(): { cache: Cache; reads: () => number; fail: (mode: 'throw' | 'hang' | undefined) => void } {
  const inner = createMemoryCache();
  let reads = 0;
  let failing: 'throw' | 'hang' | undefined;
  const cache: Cache = {
    ...inner,
    get: async <T>(key: string) => {
      reads += 1;
      if (failing === 'throw') throw new Error('cache is down');
      if (failing === 'hang') return new Promise<T | undefined>(() => {});
      return inner.get<T>(key);
    },
    set: (key, value, ttl) => inner.set(key, value, ttl),
    delete: (...keys) => inner.delete(...keys),
  };
  return { cache, reads: () => reads, fail: (mode) => (failing = mode) };
}

describe('createAccountStatusCheck', () => {
  const logger = createLogger({ level: 'silent' });
  const hour = 3_600_000;

  it('refuses every token of a disabled account with TOKEN_REVOKED, and those from before a re-enabling', async () => {
    const { cache } = countingCache();
    let clock = 1_000_000;
    const check = createAccountStatusCheck({ cache, logger, memoMs: 1000, now: () => clock });
    const { verify, sign } = await setup(check);
    const token = await sign({ role: 'client', jti: 'a1' }, 600);
    expect(await codeOf(verify(token))).toBe('accepted');

    await cache.set(accountStatusCacheKey(userId), { state: 'disabled' }, hour);
    // Remembered for memoMs: the change shows once that has passed, not before.
    expect(await codeOf(verify(token))).toBe('accepted');
    clock += 1000;
    expect(await codeOf(verify(token))).toBe('TOKEN_REVOKED');

    const iat = Math.floor(Date.parse('2030-01-01T00:00:00Z') / 1000);
    await cache.set(accountStatusCacheKey(userId), { state: 'enabled', notBefore: iat + 1 }, hour);
    clock += 1000;
    expect(await codeOf(verify(token))).toBe('TOKEN_REVOKED');
    await cache.set(accountStatusCacheKey(userId), { state: 'enabled', notBefore: iat }, hour);
    clock += 1000;
    expect(await codeOf(verify(token))).toBe('accepted');
  });

  it('reads the cache once per account per memo period, however many requests, concurrent or not', async () => {
    const { cache, reads } = countingCache();
    let clock = 0;
    const check = createAccountStatusCheck({ cache, logger, memoMs: 2000, now: () => clock });
    await Promise.all(Array.from({ length: 100 }, () => check(userId, 1)));
    for (let i = 0; i < 100; i += 1) await check(userId, 1);
    expect(reads()).toBe(1);
    await check('5d7f0a4e-2b1c-4f3e-9a8b-7c6d5e4f3a2b', 1);
    expect(reads()).toBe(2);
    clock += 2000;
    await check(userId, 1);
    expect(reads()).toBe(3);
  });

  it('fails open when the cache throws or hangs, remembering that for the memo period too', async () => {
    const { cache, reads, fail } = countingCache();
    await cache.set(accountStatusCacheKey(userId), { state: 'disabled' }, hour);
    let clock = 0;
    const warnings: unknown[] = [];
    const spy = createLogger({ level: 'silent' });
    spy.warn = ((...args: unknown[]) => void warnings.push(args));
    const check = createAccountStatusCheck({ cache, logger: spy, memoMs: 1000, timeoutMs: 50, now: () => clock });
    for (const mode of ['throw', 'hang'] as const) {
      fail(mode);
      clock += 20_000;
      expect(await codeOf(check(userId, 1))).toBe('accepted');
      expect(await codeOf(check(userId, 1))).toBe('accepted');
    }
    expect(reads()).toBe(2);
    expect(warnings).toHaveLength(2);
    fail(undefined);
    clock += 1000;
    expect(await codeOf(check(userId, 1))).toBe('TOKEN_REVOKED');
  });
});

describe('installAuth with accessTokenInQuery', () => {
  it('reads ?access_token= only on routes that opt in, and only without an Authorization header', async () => {
    const { verify, sign } = await setup();
    const token = await sign({ role: 'client', jti: 'q1' }, 600);
    const other = await sign({ role: 'provider', jti: 'q2' }, 600);
    const app = await createHttpServer({ service: 'auth-test', logger: createLogger({ level: 'silent' }) });
    installAuth(app, verify);
    const whoAmI = async (request: { identity: { role: string } | null }) => ({ role: request.identity?.role ?? null });
    app.get('/stream', { config: { accessTokenInQuery: true } }, whoAmI);
    app.get('/plain', whoAmI);
    await app.ready();
    try {
      expect((await app.inject({ url: `/stream?access_token=${token}` })).json()).toEqual({ role: 'client' });
      expect((await app.inject({ url: `/plain?access_token=${token}` })).json()).toEqual({ role: null });
      // The header wins; the query is not even read.
      expect((await app.inject({ url: `/stream?access_token=${token}`, headers: { authorization: `Bearer ${other}` } })).json()).toEqual({ role: 'provider' });
      const forged = await app.inject({ url: '/stream?access_token=forged' });
      expect(forged.statusCode).toBe(401);
      expect(forged.json()).toMatchObject({ code: 'INVALID_TOKEN' });
      expect((await app.inject({ url: '/stream?access_token=' })).json()).toEqual({ role: null });
    } finally {
      await app.close();
    }
  });
});
