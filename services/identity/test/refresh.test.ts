import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '@timeslot/kernel';
import { createHarness, login, password, registered, type Harness } from './harness';

let h: Harness;

beforeAll(async () => {
  h = await createHarness();
});

afterAll(async () => {
  await h.close();
});

const refresh = (app: App, refreshToken: unknown) => app.inject({ method: 'POST', url: '/api/v1/auth/refresh', payload: { refreshToken } });
const logout = (app: App, refreshToken: unknown) => app.inject({ method: 'POST', url: '/api/v1/auth/logout', payload: { refreshToken } });

describe('POST /api/v1/auth/refresh', () => {
  it('rotates: returns a new pair, and the old refresh token is used up', async () => {
    const first = await registered(h.app);
    const response = await refresh(h.app, first.refreshToken);
    expect(response.statusCode).toBe(200);
    const second = response.json();
    expect(second.user).toEqual(first.user);
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect(second.accessToken).not.toBe(first.accessToken);
    expect(second.expiresIn).toBe(900);
    const me = await h.app.inject({ method: 'GET', url: '/api/v1/users/me', headers: { authorization: `Bearer ${second.accessToken}` } });
    expect(me.statusCode).toBe(200);

    // And the new one rotates again.
    const third = await refresh(h.app, second.refreshToken);
    expect(third.statusCode).toBe(200);
  });

  it('treats a used token as stolen: 401 REFRESH_TOKEN_REUSED and the whole family is revoked', async () => {
    const first = await registered(h.app);
    const second = (await refresh(h.app, first.refreshToken)).json();
    const third = (await refresh(h.app, second.refreshToken)).json();

    const replay = await refresh(h.app, first.refreshToken);
    expect(replay.statusCode).toBe(401);
    expect(replay.json().code).toBe('REFRESH_TOKEN_REUSED');

    // The newest token, never used, no longer works either.
    const newest = await refresh(h.app, third.refreshToken);
    expect(newest.statusCode).toBe(401);
    expect(newest.json().code).toBe('INVALID_REFRESH_TOKEN');

    const rows = await h.database.query<{ revoked: boolean }>('select revoked_at is not null as revoked from identity.refresh_tokens where user_id = $1', [
      first.user.id,
    ]);
    expect(rows).toHaveLength(3);
    expect(rows.every((row) => row.revoked)).toBe(true);
  });

  it('leaves the user’s other sessions alone when one family is revoked', async () => {
    const first = await registered(h.app);
    const other = (await login(h.app, first.user.email, password)).json();
    await refresh(h.app, first.refreshToken);
    expect((await refresh(h.app, first.refreshToken)).json().code).toBe('REFRESH_TOKEN_REUSED');
    expect((await refresh(h.app, other.refreshToken)).statusCode).toBe(200);
  });

  it('lets only one of two simultaneous refreshes with one token succeed; the other revokes the family', async () => {
    const first = await registered(h.app);
    const results = await Promise.all([refresh(h.app, first.refreshToken), refresh(h.app, first.refreshToken)]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 401]);
    const winner = results.find((r) => r.statusCode === 200)!.json();
    expect(results.find((r) => r.statusCode === 401)!.json().code).toBe('REFRESH_TOKEN_REUSED');
    expect((await refresh(h.app, winner.refreshToken)).statusCode).toBe(401);
  });

  it('refuses an unknown token with 401 INVALID_REFRESH_TOKEN', async () => {
    const response = await refresh(h.app, 'A'.repeat(43));
    expect(response.statusCode).toBe(401);
    expect(response.json().code).toBe('INVALID_REFRESH_TOKEN');
  });

  it('refuses an expired token with 401 INVALID_REFRESH_TOKEN', async () => {
    const first = await registered(h.app);
    await h.database.query(`update identity.refresh_tokens set expires_at = now() - interval '1 second' where user_id = $1`, [first.user.id]);
    const response = await refresh(h.app, first.refreshToken);
    expect(response.statusCode).toBe(401);
    expect(response.json().code).toBe('INVALID_REFRESH_TOKEN');
  });

  it('gives a fresh token a fresh lifetime of 30 days', async () => {
    const first = await registered(h.app);
    const next = (await refresh(h.app, first.refreshToken)).json();
    const [row] = await h.database.query<{ days: number }>(
      `select extract(epoch from expires_at - now()) / 86400 as days from identity.refresh_tokens where user_id = $1 and used_at is null`,
      [next.user.id],
    );
    expect(Number(row?.days)).toBeGreaterThan(29.99);
    expect(Number(row?.days)).toBeLessThanOrEqual(30);
  });

  it('rejects a missing or non-string token with VALIDATION_FAILED', async () => {
    for (const payload of [{}, { refreshToken: 12 }, { refreshToken: '' }]) {
      const response = await h.app.inject({ method: 'POST', url: '/api/v1/auth/refresh', payload });
      expect(response.statusCode).toBe(400);
      expect(response.json().code).toBe('VALIDATION_FAILED');
    }
  });
});

describe('POST /api/v1/auth/logout', () => {
  it('revokes the family: 204, then neither the token nor its successors refresh', async () => {
    const first = await registered(h.app);
    const second = (await refresh(h.app, first.refreshToken)).json();
    const response = await logout(h.app, second.refreshToken);
    expect(response.statusCode).toBe(204);
    expect(response.body).toBe('');
    const after = await refresh(h.app, second.refreshToken);
    expect(after.statusCode).toBe(401);
    expect(after.json().code).toBe('INVALID_REFRESH_TOKEN');
  });

  it('is idempotent, and answers 204 for a token it never issued', async () => {
    const first = await registered(h.app);
    expect((await logout(h.app, first.refreshToken)).statusCode).toBe(204);
    expect((await logout(h.app, first.refreshToken)).statusCode).toBe(204);
    expect((await logout(h.app, 'never-issued')).statusCode).toBe(204);
  });

  it('rejects a body without a token with VALIDATION_FAILED', async () => {
    const response = await h.app.inject({ method: 'POST', url: '/api/v1/auth/logout', payload: {} });
    expect(response.statusCode).toBe(400);
    expect(response.json().code).toBe('VALIDATION_FAILED');
  });
});
