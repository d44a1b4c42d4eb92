import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryEventBus, createPgliteDatabase } from '@timeslot/adapters';
import { createHttpServer, createLogger, installAuth, createTokenVerifier } from '@timeslot/kernel';
import { exchangeCode } from '../src/adapters/google';
import { sealedAs } from '../src/connections/google-account';
import { createCalendarService } from '../src/index';
import { createCalendarHarness, redirectUrl, type CalendarHarness } from './harness';

/*
 * Connecting a provider's Google Calendar: the real OAuth client against the fake Google's real
 * OAuth endpoints. PKCE, the state's single use, owner and expiry, tokens encrypted at rest,
 * refresh, and every refusal as a 4xx/502 problem with its code.
 */

let h: CalendarHarness;
let offsetMs = 0;

beforeAll(async () => {
  h = await createCalendarHarness({ options: { now: () => new Date(Date.now() + offsetMs) } });
});

afterAll(async () => {
  await h?.close();
});

async function start(bearer: string): Promise<{ authorizationUrl: string; expiresAt: string }> {
  const response = await h.inject({ method: 'GET', url: '/api/v1/calendar/google/connect', bearer });
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
}

async function connectionRow(userId: string): Promise<Record<string, unknown> | undefined> {
  const rows = await h.database.query<Record<string, unknown>>('select * from calendar.google_connections where user_id = $1', [userId]);
  return rows[0];
}

describe('connecting Google Calendar (OAuth 2.0 code flow with PKCE and state)', () => {
  it('sends the provider to the consent page with an S256 challenge, a state and offline access', async () => {
    const provider = await h.token('provider');
    const { authorizationUrl, expiresAt } = await start(provider.bearer);
    const url = new URL(authorizationUrl);
    expect(`${url.origin}${url.pathname}`).toBe(`${h.google.url}/o/oauth2/v2/auth`);
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(url.searchParams.get('state')?.length).toBeGreaterThanOrEqual(43);
    expect(url.searchParams.get('access_type')).toBe('offline');
    expect(url.searchParams.get('redirect_uri')).toBe(redirectUrl);
    expect(url.searchParams.get('scope')).toContain('https://www.googleapis.com/auth/calendar.events');
    expect(Date.parse(expiresAt) - Date.now()).toBeLessThanOrEqual(10 * 60_000 + 1000);
  });

  it('connects: the code is exchanged with its verifier, the account is listed, and the tokens are stored encrypted', async () => {
    const provider = await h.token('provider');
    const { authorizationUrl } = await start(provider.bearer);
    h.google.nextConsent('ada@example.com');
    const back = await h.google.consent(authorizationUrl);
    const done = await h.inject({ method: 'GET', url: back.callbackPath });
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json()).toMatchObject({ provider: 'google', account: 'ada@example.com', calendarId: 'primary', status: 'active', busyTimes: { stale: false } });

    const exchange = h.google.requests.find((r) => r.path === '/token' && (r.body as Record<string, string>).code === back.code);
    expect((exchange?.body as Record<string, string>).code_verifier).toMatch(/^[A-Za-z0-9_-]{86}$/);

    const list = await h.inject({ method: 'GET', url: '/api/v1/calendar/connections', bearer: provider.bearer });
    expect(list.json<{ items: { account: string }[] }>().items.map((item) => item.account)).toEqual(['ada@example.com']);

    // At rest: neither token appears in the row; they decrypt only with the key and for this user.
    const refreshToken = h.google.issuedRefreshTokens().at(-1) ?? '';
    const row = await connectionRow(provider.userId);
    const stored = JSON.stringify(row);
    expect(refreshToken).toMatch(/^1\/\//);
    expect(stored).not.toContain(refreshToken);
    expect(stored).not.toContain(refreshToken.slice(3, 20));
    const secrets = h.calendar.context.secrets;
    expect(secrets.decrypt(String(row?.refresh_token), sealedAs.refreshToken(provider.userId))).toBe(refreshToken);
    expect(() => secrets.decrypt(String(row?.refresh_token), sealedAs.refreshToken(randomBytes(16).toString('hex')))).toThrow();
    expect(() => secrets.decrypt(String(row?.refresh_token), sealedAs.accessToken(provider.userId))).toThrow();
  });

  it('refuses a code sent with the wrong PKCE verifier (the fake checks S256 like Google)', async () => {
    const provider = await h.token('provider');
    const { authorizationUrl } = await start(provider.bearer);
    const back = await h.google.consent(authorizationUrl);
    const settings = h.calendar.context.options.google!;
    await expect(exchangeCode(settings, back.code!, 'x'.repeat(64))).rejects.toMatchObject({ status: 400 });
    // The code is spent by that attempt; through the service, a swapped verifier is refused as a 502.
    const again = await h.google.consent((await start(provider.bearer)).authorizationUrl);
    const stateHash = (await import('node:crypto')).createHash('sha256').update(again.state!).digest('hex');
    const forged = h.calendar.context.secrets.encrypt('y'.repeat(64), sealedAs.codeVerifier(provider.userId));
    await h.database.query('update calendar.oauth_states set code_verifier = $1 where state_hash = $2', [forged, stateHash]);
    const refused = await h.inject({ method: 'GET', url: again.callbackPath });
    expect(refused.statusCode).toBe(502);
    expect(refused.json()).toMatchObject({ code: 'GOOGLE_REFUSED' });
    expect(await connectionRow(provider.userId)).toBeUndefined();
  });

  it('takes a state once: the same callback again is refused', async () => {
    const provider = await h.token('provider');
    const back = await h.google.consent((await start(provider.bearer)).authorizationUrl);
    expect((await h.inject({ method: 'GET', url: back.callbackPath })).statusCode).toBe(200);
    const replay = await h.inject({ method: 'GET', url: back.callbackPath });
    expect(replay.statusCode).toBe(400);
    expect(replay.json()).toMatchObject({ code: 'OAUTH_STATE_INVALID' });
  });

  it("refuses another user's state, and a state nobody issued", async () => {
    const ada = await h.token('provider');
    const eve = await h.token('provider');
    const back = await h.google.consent((await start(ada.bearer)).authorizationUrl);
    const foreign = await h.inject({ method: 'GET', url: back.callbackPath, bearer: eve.bearer });
    expect(foreign.statusCode).toBe(400);
    expect(foreign.json()).toMatchObject({ code: 'OAUTH_STATE_INVALID' });
    expect(await connectionRow(eve.userId)).toBeUndefined();
    expect(await connectionRow(ada.userId)).toBeUndefined();
    const unknown = await h.inject({ method: 'GET', url: `/api/v1/calendar/google/callback?state=${randomBytes(32).toString('base64url')}&code=4/abc` });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json()).toMatchObject({ code: 'OAUTH_STATE_INVALID' });
  });

  it('refuses a state older than 10 minutes', async () => {
    const provider = await h.token('provider');
    const back = await h.google.consent((await start(provider.bearer)).authorizationUrl);
    offsetMs = 10 * 60_000 + 1000;
    try {
      const late = await h.inject({ method: 'GET', url: back.callbackPath });
      expect(late.statusCode).toBe(400);
      expect(late.json()).toMatchObject({ code: 'OAUTH_STATE_INVALID' });
    } finally {
      offsetMs = 0;
    }
  });

  it('answers a refused consent with 400 GOOGLE_CONSENT_DENIED, and a callback without code or error with 400', async () => {
    const provider = await h.token('provider');
    h.google.nextConsent('ada@example.com', { deny: true });
    const back = await h.google.consent((await start(provider.bearer)).authorizationUrl);
    const denied = await h.inject({ method: 'GET', url: back.callbackPath });
    expect(denied.statusCode).toBe(400);
    expect(denied.json()).toMatchObject({ code: 'GOOGLE_CONSENT_DENIED' });
    const bare = await h.inject({ method: 'GET', url: '/api/v1/calendar/google/callback?state=abc' });
    expect(bare.statusCode).toBe(400);
    expect(bare.json()).toMatchObject({ code: 'VALIDATION_FAILED' });
  });

  it('answers Google being down at the exchange with 502 GOOGLE_REFUSED, never 500', async () => {
    const provider = await h.token('provider');
    const back = await h.google.consent((await start(provider.bearer)).authorizationUrl);
    h.google.setTokenEndpoint('fail');
    try {
      const response = await h.inject({ method: 'GET', url: back.callbackPath });
      expect(response.statusCode).toBe(502);
      expect(response.headers['content-type']).toContain('application/problem+json');
      expect(response.json()).toMatchObject({ code: 'GOOGLE_REFUSED' });
    } finally {
      h.google.setTokenEndpoint('ok');
    }
  });

  it('lets only providers start, and only signed-in users list', async () => {
    const client = await h.token('client');
    expect((await h.inject({ method: 'GET', url: '/api/v1/calendar/google/connect', bearer: client.bearer })).statusCode).toBe(403);
    expect((await h.inject({ method: 'GET', url: '/api/v1/calendar/google/connect' })).statusCode).toBe(401);
    expect((await h.inject({ method: 'GET', url: '/api/v1/calendar/connections' })).statusCode).toBe(401);
    const none = await h.inject({ method: 'GET', url: '/api/v1/calendar/connections', bearer: client.bearer });
    expect(none.json()).toEqual({ items: [] });
  });

  it('refreshes an expired access token with the refresh token, and stores the new one encrypted', async () => {
    const provider = await h.connect('grace@example.com');
    const before = await connectionRow(provider.userId);
    await h.database.query(`update calendar.google_connections set access_token_expires_at = now() - interval '1 minute' where user_id = $1`, [provider.userId]);
    h.google.expireAccessTokens();
    const grants = () => h.google.requests.filter((r) => r.path === '/token' && (r.body as Record<string, string>).grant_type === 'refresh_token').length;
    const refreshesBefore = grants();
    const { refreshBusy } = await import('../src/busy/busy.service');
    expect(await refreshBusy(h.calendar.context, provider.userId)).not.toBe('failed');
    expect(grants()).toBe(refreshesBefore + 1);
    const after = await connectionRow(provider.userId);
    expect(after?.access_token).not.toEqual(before?.access_token);
    expect((after?.access_token_expires_at as Date).getTime()).toBeGreaterThan(Date.now());
  });

  it('marks a connection whose grant Google revoked as needing a reconnect', async () => {
    const provider = await h.connect('heidi@example.com');
    const refreshToken = h.google.issuedRefreshTokens().at(-1) ?? '';
    await fetch(`${h.google.url}/revoke?token=${encodeURIComponent(refreshToken)}`, { method: 'POST' });
    await h.database.query(`update calendar.google_connections set access_token_expires_at = now() - interval '1 minute' where user_id = $1`, [provider.userId]);
    const { refreshBusy } = await import('../src/busy/busy.service');
    expect(await refreshBusy(h.calendar.context, provider.userId)).toBe('failed');
    const list = await h.inject({ method: 'GET', url: '/api/v1/calendar/connections', bearer: provider.bearer });
    expect(list.json()).toMatchObject({ items: [{ status: 'reconnect_needed', busyTimes: { stale: true } }] });
  });

  it('disconnects: tokens and busy times are deleted, Google is told, and a second disconnect is 404', async () => {
    const provider = await h.connect('ivan@example.com');
    const refreshToken = h.google.issuedRefreshTokens().at(-1) ?? '';
    const gone = await h.inject({ method: 'DELETE', url: '/api/v1/calendar/connections/google', bearer: provider.bearer });
    expect(gone.statusCode).toBe(204);
    expect(await connectionRow(provider.userId)).toBeUndefined();
    expect(h.google.revokedTokens()).toContain(refreshToken);
    const again = await h.inject({ method: 'DELETE', url: '/api/v1/calendar/connections/google', bearer: provider.bearer });
    expect(again.statusCode).toBe(404);
    expect(again.json()).toMatchObject({ code: 'CONNECTION_NOT_FOUND' });
    const bad = await h.inject({ method: 'DELETE', url: '/api/v1/calendar/connections/outlook', bearer: provider.bearer });
    expect(bad.statusCode).toBe(400);
  });
});

describe('a calendar service without Google', () => {
  it('answers connect with 501 GOOGLE_NOT_CONFIGURED', async () => {
    const database = await createPgliteDatabase();
    const bus = createMemoryEventBus();
    const logger = createLogger({ level: 'silent' });
    const calendar = await createCalendarService({ database, bus, logger, options: { tokenKey: randomBytes(32), sweepIntervalMs: 0 } });
    await calendar.migrate();
    const app = await createHttpServer({ service: 'calendar', logger });
    installAuth(app, createTokenVerifier({ issuer: 'x', audience: 'y', keys: () => Promise.reject(new Error('unused')) }));
    await app.register(calendar.routes);
    try {
      const provider = await h.token('provider');
      // Signed by the harness's key, which this app does not know: use the domain call instead.
      const { startGoogleConnect } = await import('../src/connections/connection.service');
      await expect(startGoogleConnect(calendar.context, { userId: provider.userId, role: 'provider', tokenId: 't' })).rejects.toMatchObject({ code: 'GOOGLE_NOT_CONFIGURED', status: 501 });
      const callback = await app.inject({ method: 'GET', url: '/api/v1/calendar/google/callback?state=abc&code=def' });
      expect(callback.statusCode).toBe(501);
      expect(callback.json()).toMatchObject({ code: 'GOOGLE_NOT_CONFIGURED' });
    } finally {
      await app.close();
      await bus.close();
      await database.close();
    }
  });
});
