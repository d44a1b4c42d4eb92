import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { Redis } from 'ioredis';
import { generateKeyPair, importJWK, SignJWT, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminSql, deleteRedisKeys, freePort, type RunningProcess, runTimeslot, startTimeslot, testServers } from '@timeslot/testing';
import { generateSigningKeysJson } from '@timeslot/identity';

/**
 * The distributed topology as real processes on the real servers: one identity process behind two
 * gateway replicas, each a separate `timeslot start --services …`, in a database of its own.
 */
const namespace = `e2e-${randomBytes(4).toString('hex')}`;
const databaseName = `timeslot_${namespace.replace('-', '_')}`;
const adminUrl = testServers.postgres;
const databaseUrl = (() => {
  const url = new URL(adminUrl);
  url.pathname = `/${databaseName}`;
  return url.toString();
})();
const authLimit = 40;

let signingKeys: string;
let identity: RunningProcess;
let schedulers: RunningProcess[] = [];
let gateways: RunningProcess[] = [];

const admin = (sql: string): Promise<void> => adminSql(sql, adminUrl);

beforeAll(async () => {
  await admin(`create database ${databaseName}`);
  signingKeys = await generateSigningKeysJson();
  const common = {
    DATABASE_URL: databaseUrl,
    REDIS_URL: testServers.redis,
    AMQP_URL: testServers.amqp,
    NAMESPACE: namespace,
    SIGNING_KEYS: signingKeys,
    TRUST_PROXY: 'true',
    RATE_LIMIT_AUTH_PER_MINUTE: String(authLimit),
  };
  const migrated = await runTimeslot(['migrate', '--services', 'identity,scheduling'], common);
  if (migrated.code !== 0) throw new Error(`timeslot migrate failed:\n${migrated.output}`);
  const identityPort = await freePort();
  identity = await startTimeslot(['start', '--services', 'identity'], common, { port: identityPort });
  schedulers = await Promise.all(
    [await freePort(), await freePort()].map((port) => startTimeslot(['start', '--services', 'scheduling'], { ...common, IDENTITY_URL: identity.url }, { port })),
  );
  const gatewayEnv = {
    ...common,
    UPSTREAMS: `identity=${identity.url};scheduling=${schedulers.map((s) => s.url).join(',')}`,
    IDENTITY_URL: identity.url,
  };
  gateways = await Promise.all(
    [await freePort(), await freePort()].map((port) => startTimeslot(['start', '--services', 'gateway'], gatewayEnv, { port })),
  );
}, 90_000);

afterAll(async () => {
  const codes = await Promise.all([...gateways, ...schedulers, identity].filter(Boolean).map((p) => p.stop()));
  expect(codes.every((code) => code === 0)).toBe(true);
  await admin(`drop database if exists ${databaseName} with (force)`);
  const redis = new Redis(testServers.redis);
  await deleteRedisKeys(redis, `${namespace}:`);
  redis.disconnect();
}, 60_000);

/** Each call from a distinct documentation address, so per-IP limits of one test don't touch another. */
let ipCounter = 1;
function clientIp(): string {
  ipCounter += 1;
  return `198.51.100.${ipCounter}`;
}

async function call(base: string, method: string, path: string, options: { body?: unknown; token?: string; headers?: Record<string, string>; ip?: string } = {}) {
  const headers: Record<string, string> = { 'x-forwarded-for': options.ip ?? '198.51.100.1', ...options.headers };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  const res = await fetch(`${base}${path}`, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text === '' ? undefined : (JSON.parse(text) as Record<string, any>) };
}

describe('distributed: identity behind two gateway replicas', () => {
  const email = `ada.${namespace}@example.com`;
  const password = 'correct horse battery';

  it('runs register → login → me → refresh → reuse (family revoked) → logout across both gateways', async () => {
    const [g1, g2] = gateways.map((g) => g.url) as [string, string];
    const registered = await call(g1, 'POST', '/api/v1/auth/register', { body: { email, password, name: 'Ada', role: 'client' } });
    expect(registered.status).toBe(201);
    expect(registered.body!.user).toMatchObject({ email, name: 'Ada', role: 'client' });

    const login = await call(g2, 'POST', '/api/v1/auth/login', { body: { email: email.toUpperCase(), password } });
    expect(login.status).toBe(200);
    const { accessToken, refreshToken } = login.body as { accessToken: string; refreshToken: string };

    const me = await call(g1, 'GET', '/api/v1/users/me', { token: accessToken });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ email, role: 'client' });

    const refreshed = await call(g2, 'POST', '/api/v1/auth/refresh', { body: { refreshToken } });
    expect(refreshed.status).toBe(200);
    const second = refreshed.body!.refreshToken as string;
    expect(second).not.toBe(refreshToken);

    const reuse = await call(g1, 'POST', '/api/v1/auth/refresh', { body: { refreshToken } });
    expect(reuse.status).toBe(401);
    expect(reuse.body!.code).toBe('REFRESH_TOKEN_REUSED');
    const afterReuse = await call(g2, 'POST', '/api/v1/auth/refresh', { body: { refreshToken: second } });
    expect(afterReuse.status).toBe(401);

    const again = await call(g1, 'POST', '/api/v1/auth/login', { body: { email, password } });
    const logout = await call(g2, 'POST', '/api/v1/auth/logout', { body: { refreshToken: again.body!.refreshToken } });
    expect(logout.status).toBe(204);
    const afterLogout = await call(g1, 'POST', '/api/v1/auth/refresh', { body: { refreshToken: again.body!.refreshToken } });
    expect(afterLogout.status).toBe(401);
  });

  it('ignores a forged x-user-id at the gateway and at the service itself', async () => {
    const [g1] = gateways.map((g) => g.url) as [string];
    const other = await call(g1, 'POST', '/api/v1/auth/register', { body: { email: `eve.${namespace}@example.com`, password, name: 'Eve', role: 'provider' }, ip: clientIp() });
    const victim = await call(g1, 'POST', '/api/v1/auth/login', { body: { email, password }, ip: clientIp() });
    const forged = await call(g1, 'GET', '/api/v1/users/me', {
      token: other.body!.accessToken,
      headers: { 'x-user-id': victim.body!.user.id, 'x-user-role': 'admin' },
    });
    expect(forged.status).toBe(200);
    expect(forged.body!.email).toBe(`eve.${namespace}@example.com`);

    const direct = await call(identity.url, 'GET', '/api/v1/users/me', { headers: { 'x-user-id': victim.body!.user.id, 'x-user-role': 'admin' } });
    expect(direct.status).toBe(401);
  });

  it('refuses tokens with alg none, a wrong key, a wrong audience or an expired time', async () => {
    const [g1] = gateways.map((g) => g.url) as [string];
    const user = (await call(g1, 'POST', '/api/v1/auth/login', { body: { email, password }, ip: clientIp() })).body!.user as { id: string };
    const [realJwk] = (JSON.parse(signingKeys) as { keys: (JWK & { kid: string })[] }).keys;
    const realKey = await importJWK(realJwk!, 'EdDSA');
    const now = Math.floor(Date.now() / 1000);
    const claims = { role: 'admin', jti: 'forged' };
    const sign = (key: Parameters<SignJWT['sign']>[0], kid: string, aud: string, iat: number, exp: number) =>
      new SignJWT(claims).setProtectedHeader({ alg: 'EdDSA', kid }).setSubject(user.id).setIssuer('timeslot').setAudience(aud).setIssuedAt(iat).setExpirationTime(exp).sign(key);

    const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
    const payload = Buffer.from(JSON.stringify({ ...claims, sub: user.id, iss: 'timeslot', aud: 'timeslot-api', iat: now, exp: now + 600 })).toString('base64url');
    const algNone = `${header}.${payload}.`;
    const { privateKey: strangerKey } = await generateKeyPair('EdDSA');
    const wrongKey = await sign(strangerKey, realJwk!.kid, 'timeslot-api', now, now + 600);
    const wrongAudience = await sign(realKey, realJwk!.kid, 'someone-else', now, now + 600);
    const expired = await sign(realKey, realJwk!.kid, 'timeslot-api', now - 3600, now - 1800);
    const valid = await sign(realKey, realJwk!.kid, 'timeslot-api', now, now + 600);

    for (const [name, token] of Object.entries({ algNone, wrongKey, wrongAudience, expired })) {
      const res = await call(g1, 'GET', '/api/v1/users/me', { token, ip: clientIp() });
      expect(res.status, name).toBe(401);
      expect(res.headers.get('content-type'), name).toContain('application/problem+json');
    }
    // The control: the same construction with the right key and audience is accepted.
    expect((await call(g1, 'GET', '/api/v1/users/me', { token: valid, ip: clientIp() })).status).toBe(200);
  });

  it('scheduling replicas behind both gateways: 200 concurrent attempts on one slot make exactly one booking', async () => {
    const [g1, g2] = gateways.map((g) => g.url) as [string, string];
    const owner = (await call(g1, 'POST', '/api/v1/auth/register', { body: { email: `dr.${namespace}@example.com`, password, name: 'Dr Race', role: 'provider' }, ip: clientIp() })).body!;
    const provider = await call(g2, 'POST', '/api/v1/providers', { token: owner.accessToken, body: { displayName: 'Dr Race', timeZone: 'UTC', published: true }, ip: clientIp() });
    expect(provider.status).toBe(201);
    const providerId = provider.body!.id as string;
    const weekly = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '00:00', end: '24:00' }));
    expect((await call(g1, 'PUT', `/api/v1/providers/${providerId}/availability`, { token: owner.accessToken, body: { weekly }, ip: clientIp() })).status).toBe(200);
    const newService = async (body: Record<string, unknown>) => {
      const res = await call(g2, 'POST', `/api/v1/providers/${providerId}/services`, { token: owner.accessToken, ip: clientIp(), body: { durationMinutes: 30, slotIntervalMinutes: 30, location: { kind: 'video' }, ...body } });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return res.body!.id as string;
    };
    const oneToOne = await newService({ name: 'Consultation' });
    const group = await newService({ name: 'Group class', capacity: 5 });

    // 40 clients, each firing 5 attempts at once: 200 concurrent attempts per slot, spread over
    // both gateways (and so both scheduling replicas).
    const clients: string[] = [];
    for (let batch = 0; batch < 40; batch += 8) {
      clients.push(
        ...(await Promise.all(
          Array.from({ length: 8 }, async (_, i) => {
            const res = await call(g1, 'POST', '/api/v1/auth/register', { body: { email: `c${batch + i}.${namespace}@example.com`, password, name: 'Client', role: 'client' }, ip: clientIp() });
            return res.body!.accessToken as string;
          }),
        )),
      );
    }
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    const attempt = (serviceId: string, start: string) =>
      Promise.all(
        Array.from({ length: 200 }, (_, i) =>
          call(i % 2 === 0 ? g1 : g2, 'POST', '/api/v1/bookings', { token: clients[i % clients.length], body: { serviceId, start }, ip: `192.0.2.${(i % 200) + 1}` }),
        ),
      );
    const statuses = (results: { status: number }[]) => results.reduce<Record<number, number>>((acc, r) => ({ ...acc, [r.status]: (acc[r.status] ?? 0) + 1 }), {});

    const single = await attempt(oneToOne, `${tomorrow}T10:00:00.000Z`);
    expect(statuses(single)).toEqual({ 201: 1, 409: 199 });
    expect(single.filter((r) => r.status === 409).every((r) => r.body!.code === 'SLOT_TAKEN')).toBe(true);

    const seated = await attempt(group, `${tomorrow}T12:00:00.000Z`);
    expect(statuses(seated)).toEqual({ 201: 5, 409: 195 });

    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      const overlaps = await client.query(`
        select count(*)::int as n from scheduling.bookings a join scheduling.bookings b
          on a.provider_id = b.provider_id and a.id < b.id and a.occupied && b.occupied and a.session_key <> b.session_key
        where a.status in ('pending_payment', 'confirmed') and b.status in ('pending_payment', 'confirmed')`);
      expect(overlaps.rows[0].n).toBe(0);
      const live = await client.query(`select count(*)::int as n from scheduling.bookings where status in ('pending_payment', 'confirmed')`);
      expect(live.rows[0].n).toBe(6);
    } finally {
      await client.end();
    }
  }, 120_000);

  it('serves cached slot pages from both replicas, and no replica serves an old page after a booking or a cancel', async () => {
    const [g1, g2] = gateways.map((g) => g.url) as [string, string];
    const owner = (await call(g1, 'POST', '/api/v1/auth/register', { body: { email: `dr.cache.${namespace}@example.com`, password, name: 'Dr Cache', role: 'provider' }, ip: clientIp() })).body!;
    const clientToken = (await call(g2, 'POST', '/api/v1/auth/register', { body: { email: `c.cache.${namespace}@example.com`, password, name: 'Client', role: 'client' }, ip: clientIp() })).body!.accessToken as string;
    const providerId = (await call(g1, 'POST', '/api/v1/providers', { token: owner.accessToken, body: { displayName: 'Dr Cache', timeZone: 'UTC', published: true }, ip: clientIp() })).body!.id as string;
    const weekly = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '09:00', end: '12:00' }));
    expect((await call(g2, 'PUT', `/api/v1/providers/${providerId}/availability`, { token: owner.accessToken, body: { weekly }, ip: clientIp() })).status).toBe(200);
    const service = await call(g1, 'POST', `/api/v1/providers/${providerId}/services`, { token: owner.accessToken, ip: clientIp(), body: { name: 'Consult', durationMinutes: 60, location: { kind: 'video' } } });
    const serviceId = service.body!.id as string;
    const day = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
    const path = `/api/v1/providers/${providerId}/slots?serviceId=${serviceId}&from=${day}T00:00:00Z&to=${day}T23:59:59Z`;
    // Eight reads over two gateways reach both scheduling replicas (round robin) more than once.
    const readAll = async () => {
      const pages = await Promise.all(Array.from({ length: 8 }, (_, i) => call(i % 2 === 0 ? g1 : g2, 'GET', path, { ip: clientIp() })));
      for (const page of pages) expect(page.status).toBe(200);
      return { starts: new Set(pages.map((page) => JSON.stringify((page.body!.slots as { start: string }[]).map((slot) => slot.start.slice(11, 16))))), etags: new Set(pages.map((page) => page.headers.get('etag'))) };
    };
    const before = await readAll();
    expect([...before.starts]).toEqual([JSON.stringify(['09:00', '10:00', '11:00'])]);
    expect(before.etags.size).toBe(1);
    const etag = [...before.etags][0]!;
    expect((await call(g2, 'GET', path, { ip: clientIp(), headers: { 'if-none-match': etag } })).status).toBe(304);

    const booking = await call(g1, 'POST', '/api/v1/bookings', { token: clientToken, body: { serviceId, start: `${day}T10:00:00.000Z` }, ip: clientIp() });
    expect(booking.status, JSON.stringify(booking.body)).toBe(201);
    const booked = await readAll();
    expect([...booked.starts]).toEqual([JSON.stringify(['09:00', '11:00'])]);
    expect(booked.etags.has(etag)).toBe(false);

    const cancel = await call(g2, 'POST', `/api/v1/bookings/${booking.body!.id as string}/cancel`, { token: clientToken, body: { reason: 'test' }, ip: clientIp() });
    expect(cancel.status, JSON.stringify(cancel.body)).toBe(200);
    expect([...(await readAll()).starts]).toEqual([JSON.stringify(['09:00', '10:00', '11:00'])]);
  }, 60_000);

  it('admits no more than the auth budget across both gateway replicas together', async () => {
    // Fixed windows of a minute: start the burst early in a window so it cannot straddle two.
    const intoWindow = Date.now() % 60_000;
    if (intoWindow > 50_000) await new Promise((r) => setTimeout(r, 60_000 - intoWindow + 50));
    const ip = '203.0.113.77';
    const attempts = authLimit + 30;
    const results = await Promise.all(
      Array.from({ length: attempts }, (_, i) =>
        call(gateways[i % 2]!.url, 'POST', '/api/v1/auth/login', { body: { email: `nobody${i}@example.com`, password: 'wrong password' }, ip }),
      ),
    );
    const limited = results.filter((r) => r.status === 429);
    const admitted = results.filter((r) => r.status !== 429);
    expect(admitted).toHaveLength(authLimit);
    expect(limited).toHaveLength(attempts - authLimit);
    expect(Number(limited[0]!.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(limited[0]!.body!.code).toBe('RATE_LIMITED');
  });
});
