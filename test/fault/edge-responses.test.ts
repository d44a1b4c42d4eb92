import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '@timeslot/kernel';
import { buildTimeslot, type Timeslot } from '@timeslot/server/app';
import { configSchema } from '@timeslot/server/config';
import { generateSigningKeysJson } from '@timeslot/identity';
import { adminSql, testServers } from '@timeslot/testing';

/*
 * Issue 7 items 6, 8 and 9 through the real app (gateway with identity and scheduling mounted), over
 * a socket, on both database adapters: PostgreSQL refuses U+0000 in text, so before the edge check
 * every one of these was a 500.
 */

const namespace = `nul-${randomBytes(4).toString('hex')}`;
const databaseName = `timeslot_${namespace.replace('-', '_')}`;
const logger = createLogger({ level: 'silent' });

const admin = (sql: string): Promise<void> => adminSql(sql);

interface Running {
  readonly timeslot: Timeslot;
  readonly url: string;
}

async function start(env: Record<string, string>, mode: 'embedded' | 'distributed'): Promise<Running> {
  const config = configSchema.parse({ ...env, PORT: '0', LOG_LEVEL: 'silent' });
  const timeslot = await buildTimeslot({ config, mode, services: ['gateway', 'identity', 'scheduling'], logger });
  await timeslot.migrate();
  const url = await timeslot.listen();
  return { timeslot, url };
}

let dataDir: string;
const running: Record<'pglite' | 'postgres', Running | undefined> = { pglite: undefined, postgres: undefined };

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'timeslot-nul-'));
  await admin(`create database ${databaseName}`);
  const databaseUrl = new URL(testServers.postgres);
  databaseUrl.pathname = `/${databaseName}`;
  // One after the other: Fastify gives each plugin 10 s to load, and the machine is shared.
  running.pglite = await start({ DATA_DIR: dataDir }, 'embedded');
  running.postgres = await start(
      {
        DATABASE_URL: databaseUrl.toString(),
        REDIS_URL: testServers.redis,
        AMQP_URL: testServers.amqp,
        NAMESPACE: namespace,
        SIGNING_KEYS: await generateSigningKeysJson(),
      },
      'distributed',
    );
}, 120_000);

afterAll(async () => {
  await running.pglite?.timeslot.stop();
  await running.postgres?.timeslot.stop();
  await rm(dataDir, { recursive: true, force: true });
  await admin(`drop database if exists ${databaseName} with (force)`);
});

async function call(base: string, method: 'GET' | 'POST' | 'PATCH', pathName: string, body?: unknown, token?: string) {
  const res = await request(`${base}${pathName}`, {
    method,
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.statusCode, headers: res.headers, body: (await res.body.json()) as Record<string, any> };
}

describe.each(['pglite', 'postgres'] as const)('on %s', (adapter) => {
  let base: string;
  let token: string;
  let providerId: string;

  beforeAll(async () => {
    base = running[adapter]!.url;
    const registered = await call(base, 'POST', '/api/v1/auth/register', {
      email: `nul-${adapter}@example.com`,
      password: 'a long passphrase',
      name: 'Nul Tester',
      role: 'provider',
    });
    expect(registered.status).toBe(201);
    token = registered.body.accessToken;
    const provider = await call(base, 'POST', '/api/v1/providers', { displayName: 'Dr Nul', timeZone: 'UTC', published: true }, token);
    expect(provider.status).toBe(201);
    providerId = provider.body.id;
  });

  it('refuses U+0000 with 400 INVALID_CHARACTER on every route, naming the field, and changes nothing', async () => {
    const cases: Array<[string, 'GET' | 'POST' | 'PATCH', string, unknown, string]> = [
      ['provider search', 'GET', '/api/v1/providers?q=a%00b', undefined, 'query.q'],
      ['specialty filter', 'GET', '/api/v1/providers?specialty=x%00', undefined, 'query.specialty'],
      ['login email', 'POST', '/api/v1/auth/login', { email: 'a\u0000@example.com', password: 'a long passphrase' }, 'body.email'],
      ['register', 'POST', '/api/v1/auth/register', { email: `nul2-${adapter}@example.com`, password: 'a long passphrase', name: 'N\u0000' }, 'body.name'],
      ['profile', 'PATCH', '/api/v1/users/me', { name: 'Bad\u0000Name' }, 'body.name'],
      ['provider profile', 'PATCH', `/api/v1/providers/${providerId}`, { bio: 'about\u0000me' }, 'body.bio'],
      ['service', 'POST', `/api/v1/providers/${providerId}/services`, { name: 'Talk\u0000', durationMinutes: 30, location: { kind: 'video' } }, 'body.name'],
      ['path parameter', 'GET', '/api/v1/providers/a%00b', undefined, 'params.id'],
    ];
    for (const [what, method, pathName, body, field] of cases) {
      const res = await call(base, method, pathName, body, token);
      expect(res.status, `${what}: ${JSON.stringify(res.body)}`).toBe(400);
      expect(res.headers['content-type'], what).toContain('application/problem+json');
      expect(res.body.code, what).toBe('INVALID_CHARACTER');
      expect((res.body.errors as { path: string }[]).map((e) => e.path), what).toEqual([field]);
      expect(res.headers['x-content-type-options'], what).toBe('nosniff');
    }
    const me = await call(base, 'GET', '/api/v1/users/me', undefined, token);
    expect(me.body.name).toBe('Nul Tester');
    const login = await call(base, 'POST', '/api/v1/auth/login', { email: `nul2-${adapter}@example.com`, password: 'a long passphrase' });
    expect(login.status).toBe(401);
  });

  it('answers If-None-Match on the slots endpoint with a bodiless 304 that undici reads, on a reused socket', async () => {
    const service = await call(base, 'POST', `/api/v1/providers/${providerId}/services`, { name: 'Talk', durationMinutes: 30, location: { kind: 'video' } }, token);
    expect(service.status).toBe(201);
    const from = new Date(Date.now() + 86_400_000).toISOString();
    const to = new Date(Date.now() + 8 * 86_400_000).toISOString();
    const slotsPath = `/api/v1/providers/${providerId}/slots?serviceId=${service.body.id}&from=${from}&to=${to}`;
    const client = new Client(base, { pipelining: 1 });
    try {
      const first = await client.request({ method: 'GET', path: slotsPath });
      expect(first.statusCode).toBe(200);
      await first.body.json();
      const etag = first.headers.etag as string;
      for (let i = 0; i < 3; i++) {
        const again = await client.request({ method: 'GET', path: slotsPath, headers: { 'if-none-match': etag } });
        expect(again.statusCode).toBe(304);
        expect(again.headers['content-length'] ?? '0').toBe('0');
        expect(again.headers['content-type']).toBeUndefined();
        expect(await again.body.text()).toBe('');
      }
      const after = await client.request({ method: 'GET', path: slotsPath });
      expect(after.statusCode).toBe(200);
      await after.body.json();
    } finally {
      await client.close();
    }
  });

  it("answers a swagger-ui static file refusal as a 4xx problem with the gateway's headers", async () => {
    const res = await request(`${base}/docs/static/index.html%00.js`);
    const body = (await res.body.json()) as Record<string, unknown>;
    expect(res.statusCode).toBeGreaterThanOrEqual(400);
    expect(res.statusCode).toBeLessThan(500);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(body.requestId).toBe(res.headers['x-request-id']);
    expect(res.headers['content-security-policy']).toBeTypeOf('string');
  });

  it("answers errors raised before routing with the gateway's security headers", async () => {
    const bad = await request(`${base}/api/v1/providers/%E0%A4%A`);
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-security-policy']).toBeTypeOf('string');
    expect(((await bad.body.json()) as Record<string, unknown>).code).toBe('BAD_REQUEST');
    const long = await request(`${base}/api/v1/providers/${'x'.repeat(300)}`);
    expect(long.statusCode).toBe(400);
    expect(long.headers['strict-transport-security']).toBeTypeOf('string');
    await long.body.json();
  });
});
