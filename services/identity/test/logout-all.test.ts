import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeJwt } from 'jose';
import { createMemoryCache } from '@timeslot/adapters';
import type { App } from '@timeslot/kernel';
import { accountStatusCacheKey, type Cache } from '@timeslot/ports';
import { createHarness, login, password, registered, type Harness, type SessionBody } from './harness';

let h: Harness;

beforeAll(async () => {
  h = await createHarness();
});

afterAll(async () => {
  await h.close();
});

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const logoutAll = (app: App, token?: string) =>
  app.inject({ method: 'POST', url: '/api/v1/auth/logout-all', headers: token === undefined ? {} : bearer(token) });
const me = (app: App, token: string) => app.inject({ method: 'GET', url: '/api/v1/users/me', headers: bearer(token) });
const refresh = (app: App, refreshToken: string) => app.inject({ method: 'POST', url: '/api/v1/auth/refresh', payload: { refreshToken } });

async function liveRefreshTokens(userId: string): Promise<number> {
  const [row] = await h.database.query<{ count: string }>('select count(*)::text as count from identity.refresh_tokens where user_id = $1 and revoked_at is null', [userId]);
  return Number(row?.count ?? 0);
}

/** Resolves just after a second begins, so what follows most likely shares one second. */
async function startOfASecond(): Promise<void> {
  await sleep(1000 - (Date.now() % 1000));
}

describe('POST /api/v1/auth/logout-all', () => {
  it('ends every session of the user: both refresh tokens revoked, both access tokens refused; a sign-in right after works', async () => {
    const first = await registered(h.app);
    const other = await registered(h.app);
    // Sign in again and sign out everywhere within one second where the clock allows: the access
    // token of that second must be refused, and the sign-in right after accepted.
    await startOfASecond();
    const second = (await login(h.app, first.user.email, password)).json<SessionBody>();
    const response = await logoutAll(h.app, second.accessToken);
    expect(response.statusCode).toBe(204);
    expect(response.body).toBe('');
    expect(response.headers['cache-control']).toBe('no-store');

    for (const session of [first, second]) {
      const refused = await me(h.app, session.accessToken);
      expect(refused.statusCode).toBe(401);
      expect(refused.json().code).toBe('TOKEN_REVOKED');
      const refreshed = await refresh(h.app, session.refreshToken);
      expect(refreshed.statusCode).toBe(401);
      expect(refreshed.json().code).toBe('INVALID_REFRESH_TOKEN');
    }
    expect(await liveRefreshTokens(first.user.id)).toBe(0);

    const again = await login(h.app, first.user.email, password);
    expect(again.statusCode).toBe(200);
    const fresh = again.json<SessionBody>();
    expect((await me(h.app, fresh.accessToken)).statusCode).toBe(200);
    const rotated = await refresh(h.app, fresh.refreshToken);
    expect(rotated.statusCode).toBe(200);
    expect((await me(h.app, rotated.json<SessionBody>().accessToken)).statusCode).toBe(200);

    // The rule behind it: tokens from before the call fall below notBefore, those after do not.
    const status = await h.cache.get<{ state: string; notBefore: number }>(accountStatusCacheKey(first.user.id));
    expect(status?.state).toBe('enabled');
    expect(decodeJwt(second.accessToken).iat).toBeLessThan(status?.notBefore ?? 0);
    expect(decodeJwt(fresh.accessToken).iat).toBeGreaterThanOrEqual(status?.notBefore ?? Infinity);

    // Nobody else is signed out.
    expect((await me(h.app, other.accessToken)).statusCode).toBe(200);
    expect((await refresh(h.app, other.refreshToken)).statusCode).toBe(200);
  });

  it('answers 401 without a token, changing nothing', async () => {
    const user = await registered(h.app);
    const response = await logoutAll(h.app);
    expect(response.statusCode).toBe(401);
    expect(response.json().code).toBe('UNAUTHENTICATED');
    expect(await liveRefreshTokens(user.user.id)).toBe(1);
    expect((await me(h.app, user.accessToken)).statusCode).toBe(200);
  });

  it('accepts an empty JSON object as its body', async () => {
    const user = await registered(h.app);
    const response = await h.app.inject({ method: 'POST', url: '/api/v1/auth/logout-all', headers: bearer(user.accessToken), payload: {} });
    expect(response.statusCode).toBe(204);
    expect(await liveRefreshTokens(user.user.id)).toBe(0);
  });

  it('answers 503 and changes nothing when the status cannot be shared', async () => {
    const user = await registered(h.app);
    const set = h.cache.set.bind(h.cache);
    h.cache.set = async () => {
      throw new Error('cache is down');
    };
    try {
      const response = await logoutAll(h.app, user.accessToken);
      expect(response.statusCode).toBe(503);
      expect(response.json().code).toBe('SERVICE_UNAVAILABLE');
    } finally {
      h.cache.set = set;
    }
    expect(await liveRefreshTokens(user.user.id)).toBe(1);
    const [row] = await h.database.query<{ tokens_valid_after: unknown }>('select tokens_valid_after from identity.users where id = $1', [user.user.id]);
    expect(row?.tokens_valid_after).toBeNull();
    expect((await me(h.app, user.accessToken)).statusCode).toBe(200);
  });

  it('is not forgotten when the cache restarts: identity writes it again from the database', async () => {
    const user = await registered(h.app);
    expect((await logoutAll(h.app, user.accessToken)).statusCode).toBe(204);
    const fresh = (await login(h.app, user.user.email, password)).json<SessionBody>();
    // A second identity on the same database with an empty cache: a restarted Redis.
    const cache: Cache = createMemoryCache();
    const restarted = await createHarness({ database: h.database, cache, options: { signingKeys: h.signingKeys } });
    try {
      expect((await me(restarted.app, user.accessToken)).statusCode).toBe(200);
      await restarted.service.start();
      expect(await cache.get(accountStatusCacheKey(user.user.id))).toEqual(await h.cache.get(accountStatusCacheKey(user.user.id)));
      const refused = await me(restarted.app, user.accessToken);
      expect(refused.statusCode).toBe(401);
      expect(refused.json().code).toBe('TOKEN_REVOKED');
      expect((await me(restarted.app, fresh.accessToken)).statusCode).toBe(200);
    } finally {
      await restarted.close();
      await cache.close();
    }
  });
});
