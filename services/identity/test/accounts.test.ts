import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryCache } from '@timeslot/adapters';
import type { App } from '@timeslot/kernel';
import { accountStatusCacheKey, type Cache } from '@timeslot/ports';
import { createHarness, login, password, registered, uniqueEmail, type Harness, type SessionBody } from './harness';

let h: Harness;
let adminToken: string;
let adminId: string;

beforeAll(async () => {
  h = await createHarness();
  const email = uniqueEmail('root');
  const admin = await h.service.createAdmin({ email, password: 'admin password 1', name: 'Root' });
  adminId = admin.id;
  adminToken = (await login(h.app, email, 'admin password 1')).json<SessionBody>().accessToken;
});

afterAll(async () => {
  await h.close();
});

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const disable = (app: App, id: string, token: string, payload?: Record<string, unknown>) =>
  app.inject({ method: 'POST', url: `/api/v1/users/${id}/disable`, headers: bearer(token), ...(payload === undefined ? {} : { payload }) });
const enable = (app: App, id: string, token: string) => app.inject({ method: 'POST', url: `/api/v1/users/${id}/enable`, headers: bearer(token) });
const me = (app: App, token: string) => app.inject({ method: 'GET', url: '/api/v1/users/me', headers: bearer(token) });
const refresh = (app: App, refreshToken: string) => app.inject({ method: 'POST', url: '/api/v1/auth/refresh', payload: { refreshToken } });

async function outboxTypes(userId: string): Promise<string[]> {
  const rows = await h.database.query<{ type: string }>(
    `select type from identity.outbox where payload->'data'->>'userId' = $1 and type in ('user.disabled', 'user.enabled') order by type`,
    [userId],
  );
  return rows.map((row) => row.type);
}

describe('POST /api/v1/users/:id/disable', () => {
  it('disables the account: its token, login and refresh are refused, its sessions revoked, the event written', async () => {
    const victim = await registered(h.app);
    expect((await me(h.app, victim.accessToken)).statusCode).toBe(200);

    const response = await disable(h.app, victim.user.id, adminToken, { reason: 'chargeback fraud' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ id: victim.user.id, disabledAt: expect.any(String), disabledReason: 'chargeback fraud' });

    // The still-valid access token: refused by the verifier's account-status check.
    const refused = await me(h.app, victim.accessToken);
    expect(refused.statusCode).toBe(401);
    expect(refused.json().code).toBe('TOKEN_REVOKED');
    // Refresh: refused, and every refresh token of the account revoked in the database.
    const refreshed = await refresh(h.app, victim.refreshToken);
    expect(refreshed.statusCode).toBe(403);
    expect(refreshed.json().code).toBe('ACCOUNT_DISABLED');
    const [live] = await h.database.query<{ count: string }>('select count(*)::text as count from identity.refresh_tokens where user_id = $1 and revoked_at is null', [victim.user.id]);
    expect(live?.count).toBe('0');
    // Login: the right password learns why; a wrong one learns nothing more than for anyone.
    const right = await login(h.app, victim.user.email, password, '10.9.0.1');
    expect(right.statusCode).toBe(403);
    expect(right.json().code).toBe('ACCOUNT_DISABLED');
    const wrong = await login(h.app, victim.user.email, 'not the password', '10.9.0.1');
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().code).toBe('INVALID_CREDENTIALS');

    expect(await outboxTypes(victim.user.id)).toEqual(['user.disabled']);
    const [event] = await h.database.query<{ data: Record<string, unknown> }>(
      `select payload->'data' as data from identity.outbox where type = 'user.disabled' and payload->'data'->>'userId' = $1`,
      [victim.user.id],
    );
    expect(event?.data).toMatchObject({ userId: victim.user.id, disabledBy: adminId, reason: 'chargeback fraud' });
  });

  it('answers the same when repeated, with no second event; the reason is optional', async () => {
    const victim = await registered(h.app);
    const first = await disable(h.app, victim.user.id, adminToken);
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json().disabledReason).toBeNull();
    const second = await disable(h.app, victim.user.id, adminToken, { reason: 'again' });
    expect(second.statusCode).toBe(200);
    expect(second.json()).toEqual(first.json());
    expect(await outboxTypes(victim.user.id)).toEqual(['user.disabled']);
  });

  it('is for administrators only: 401 without a token, 403 for a client or provider', async () => {
    const victim = await registered(h.app);
    const client = await registered(h.app);
    const provider = await registered(h.app, { role: 'provider' });
    const anonymous = await h.app.inject({ method: 'POST', url: `/api/v1/users/${victim.user.id}/disable` });
    expect(anonymous.statusCode).toBe(401);
    for (const token of [client.accessToken, provider.accessToken]) {
      const response = await disable(h.app, victim.user.id, token);
      expect(response.statusCode).toBe(403);
      expect(response.json().code).toBe('FORBIDDEN');
    }
    expect((await me(h.app, victim.accessToken)).statusCode).toBe(200);
  });

  it('answers 404 USER_NOT_FOUND for an unknown id, 400 for a malformed one or body, 409 for oneself', async () => {
    const unknown = await disable(h.app, '6a0a3c1e-7d43-4e0b-9a55-1f2d3c4b5a69', adminToken);
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().code).toBe('USER_NOT_FOUND');
    expect((await enable(h.app, '6a0a3c1e-7d43-4e0b-9a55-1f2d3c4b5a69', adminToken)).json().code).toBe('USER_NOT_FOUND');
    const malformed = await disable(h.app, 'not-a-uuid', adminToken);
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().code).toBe('VALIDATION_FAILED');
    const victim = await registered(h.app);
    for (const body of [{ reason: '' }, { reason: 'x'.repeat(501) }, { why: 'no' }]) {
      const response = await disable(h.app, victim.user.id, adminToken, body);
      expect(response.statusCode, JSON.stringify(body)).toBe(400);
    }
    expect((await me(h.app, victim.accessToken)).statusCode).toBe(200);
    const self = await disable(h.app, adminId, adminToken);
    expect(self.statusCode).toBe(409);
    expect(self.json().code).toBe('CANNOT_DISABLE_SELF');
    expect((await me(h.app, adminToken)).statusCode).toBe(200);
  });

  it('answers 503 and changes nothing when the status cannot be shared', async () => {
    const victim = await registered(h.app);
    const set = h.cache.set.bind(h.cache);
    h.cache.set = async () => {
      throw new Error('cache is down');
    };
    try {
      const response = await disable(h.app, victim.user.id, adminToken);
      expect(response.statusCode).toBe(503);
      expect(response.json().code).toBe('SERVICE_UNAVAILABLE');
    } finally {
      h.cache.set = set;
    }
    const [row] = await h.database.query<{ disabled_at: unknown }>('select disabled_at from identity.users where id = $1', [victim.user.id]);
    expect(row?.disabled_at).toBeNull();
    expect(await outboxTypes(victim.user.id)).toEqual([]);
    expect((await refresh(h.app, victim.refreshToken)).statusCode).toBe(200);
  });
});

describe('POST /api/v1/users/:id/enable', () => {
  it('lets the user sign in again, while tokens from before the disabling stay refused', async () => {
    const victim = await registered(h.app);
    await disable(h.app, victim.user.id, adminToken);
    const response = await enable(h.app, victim.user.id, adminToken);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ id: victim.user.id, disabledAt: null, disabledReason: null });
    expect(await outboxTypes(victim.user.id)).toEqual(['user.disabled', 'user.enabled']);

    const old = await me(h.app, victim.accessToken);
    expect(old.statusCode).toBe(401);
    expect(old.json().code).toBe('TOKEN_REVOKED');
    expect((await refresh(h.app, victim.refreshToken)).statusCode).toBe(401);
    // A token's iat has whole seconds: sign in from the next second on, as any real sign-in would.
    const enabledAt = Date.now();
    while (Math.floor(Date.now() / 1000) === Math.floor(enabledAt / 1000)) await new Promise((resolve) => setTimeout(resolve, 20));
    const again = await login(h.app, victim.user.email, password, '10.9.0.2');
    expect(again.statusCode).toBe(200);
    expect((await me(h.app, again.json<SessionBody>().accessToken)).statusCode).toBe(200);

    // Enabling an enabled account changes nothing.
    expect((await enable(h.app, victim.user.id, adminToken)).statusCode).toBe(200);
    expect(await outboxTypes(victim.user.id)).toEqual(['user.disabled', 'user.enabled']);
  });
});

describe('account statuses after a cache restart', () => {
  it('are written again from the database when identity starts', async () => {
    const victim = await registered(h.app);
    await disable(h.app, victim.user.id, adminToken);
    // A second identity on the same database with an empty cache: a restarted Redis.
    const cache: Cache = createMemoryCache();
    const restarted = await createHarness({ database: h.database, cache, options: { signingKeys: h.signingKeys } });
    try {
      expect(await cache.get(accountStatusCacheKey(victim.user.id))).toBeUndefined();
      expect((await me(restarted.app, victim.accessToken)).statusCode).toBe(403);
      await restarted.service.start();
      expect(await cache.get(accountStatusCacheKey(victim.user.id))).toEqual({ state: 'disabled' });
      const refused = await me(restarted.app, victim.accessToken);
      expect(refused.statusCode).toBe(401);
      expect(refused.json().code).toBe('TOKEN_REVOKED');
    } finally {
      await restarted.close();
      await cache.close();
    }
  });
});
