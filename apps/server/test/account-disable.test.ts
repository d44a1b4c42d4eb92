import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '@timeslot/kernel';
import { generateSigningKeysJson } from '@timeslot/identity';
import { adminSql, deleteRedisKeys, freePort, testServers } from '@timeslot/testing';
import { buildTimeslot, type Timeslot } from '../src/app';
import { configSchema, type ServiceName } from '../src/config';

/**
 * Issue 7, item 4: once an administrator disables an account, every process refuses its still
 * valid access token within seconds — the gateway and every service replica, embedded and
 * distributed — and identity refuses its login and refresh.
 */
const logger = createLogger({ level: 'silent' });
const password = 'correct horse battery';
const adminPassword = 'admin password 1';

interface Answer {
  status: number;
  body: Record<string, any> | undefined;
}

type Call = (base: string, method: string, url: string, options?: { token?: string; body?: unknown }) => Promise<Answer>;

const overHttp: Call = async (base, method, url, options = {}) => {
  const headers: Record<string, string> = {};
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  const res = await fetch(`${base}${url}`, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
  const text = await res.text();
  return { status: res.status, body: text === '' ? undefined : (JSON.parse(text) as Record<string, any>) };
};

/**
 * Polls `probe` until it refuses the token (bounded); resolves with how long that took. Refused is
 * 401 TOKEN_REVOKED (the account-status check every process runs), or 403 ACCOUNT_DISABLED from
 * identity's own routes, which read its database and so may say it first.
 */
async function untilRevoked(name: string, probe: () => Promise<Answer>, since: number, boundMs = 15_000): Promise<number> {
  for (;;) {
    const answer = await probe();
    if (answer.status === 401 && answer.body?.code === 'TOKEN_REVOKED') return Date.now() - since;
    if (answer.status === 403 && answer.body?.code === 'ACCOUNT_DISABLED') return Date.now() - since;
    if (answer.status !== 200) throw new Error(`${name}: unexpected ${answer.status} ${JSON.stringify(answer.body)}`);
    if (Date.now() - since > boundMs) throw new Error(`${name} still accepted the disabled account's token after ${boundMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The scenario, against a gateway URL, identity's URL, and the scheduling replicas' URLs. */
async function disableScenario(call: Call, gateway: string, direct: { identity: string; scheduling: readonly string[] }, adminEmail: string) {
  const email = `mallory.${randomBytes(4).toString('hex')}@example.com`;
  const registered = await call(gateway, 'POST', '/api/v1/auth/register', { body: { email, password, name: 'Mallory', role: 'client' } });
  expect(registered.status, JSON.stringify(registered.body)).toBe(201);
  const { accessToken, refreshToken, user } = registered.body as { accessToken: string; refreshToken: string; user: { id: string } };
  const admin = await call(gateway, 'POST', '/api/v1/auth/login', { body: { email: adminEmail, password: adminPassword } });
  expect(admin.status).toBe(200);

  // Every endpoint accepts the token first (and so every process has its status memoised).
  const probes: Array<[string, () => Promise<Answer>]> = [
    ['gateway → identity', () => call(gateway, 'GET', '/api/v1/users/me', { token: accessToken })],
    ['gateway → scheduling', () => call(gateway, 'GET', '/api/v1/bookings', { token: accessToken })],
    ['identity', () => call(direct.identity, 'GET', '/api/v1/users/me', { token: accessToken })],
    ...direct.scheduling.map((url, i): [string, () => Promise<Answer>] => [`scheduling replica ${i + 1}`, () => call(url, 'GET', '/api/v1/bookings', { token: accessToken })]),
  ];
  for (const [name, probe] of probes) expect((await probe()).status, name).toBe(200);

  const disabledAt = Date.now();
  const disabled = await call(gateway, 'POST', `/api/v1/users/${user.id}/disable`, { token: admin.body!.accessToken, body: { reason: 'test' } });
  expect(disabled.status, JSON.stringify(disabled.body)).toBe(200);

  const delays = await Promise.all(probes.map(([name, probe]) => untilRevoked(name, probe, disabledAt)));
  const login = await call(gateway, 'POST', '/api/v1/auth/login', { body: { email, password } });
  expect(login.status).toBe(403);
  expect(login.body!.code).toBe('ACCOUNT_DISABLED');
  const refreshed = await call(gateway, 'POST', '/api/v1/auth/refresh', { body: { refreshToken } });
  expect(refreshed.status).toBe(403);
  expect(refreshed.body!.code).toBe('ACCOUNT_DISABLED');
  return Math.max(...delays);
}

describe('embedded: the gateway app with every service', () => {
  let dataDir: string;
  let timeslot: Timeslot;
  let base: string;
  const adminEmail = 'root@example.com';

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'timeslot-disable-'));
    const config = configSchema.parse({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', PORT: String(await freePort()) });
    const services: ServiceName[] = ['gateway', 'identity', 'scheduling'];
    timeslot = await buildTimeslot({ config, mode: 'embedded', services, logger });
    await timeslot.migrate();
    base = await timeslot.listen();
    await timeslot.identity!.createAdmin({ email: adminEmail, password: adminPassword, name: 'Root' });
  });

  afterAll(async () => {
    await timeslot?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('refuses a disabled account’s token on every route within seconds, and its login and refresh', async () => {
    // One process: the gateway's URL is also identity's and scheduling's.
    const slowest = await disableScenario(overHttp, base, { identity: base, scheduling: [base] }, adminEmail);
    console.info(`embedded: every route refused the token ${slowest} ms after the disable answered`);
  });
});

describe('distributed: one identity, two scheduling replicas, a gateway, on PostgreSQL, Redis and RabbitMQ', () => {
  const namespace = `dis-${randomBytes(4).toString('hex')}`;
  const databaseName = `timeslot_${namespace.replace('-', '_')}`;
  const adminEmail = `root.${namespace}@example.com`;
  const processes: Timeslot[] = [];
  let urls: { gateway: string; identity: string; scheduling: string[] };

  const admin = (sql: string): Promise<void> => adminSql(sql);

  async function start(services: ServiceName[], env: Record<string, string>): Promise<{ timeslot: Timeslot; url: string }> {
    const config = configSchema.parse({ ...env, PORT: String(await freePort()) });
    const timeslot = await buildTimeslot({ config, mode: 'distributed', services, logger });
    processes.push(timeslot);
    await timeslot.migrate();
    return { timeslot, url: await timeslot.listen() };
  }

  beforeAll(async () => {
    await admin(`create database ${databaseName}`);
    const databaseUrl = new URL(testServers.postgres);
    databaseUrl.pathname = `/${databaseName}`;
    const common = {
      DATABASE_URL: databaseUrl.toString(),
      REDIS_URL: testServers.redis,
      AMQP_URL: testServers.amqp,
      NAMESPACE: namespace,
      SIGNING_KEYS: await generateSigningKeysJson(),
      LOG_LEVEL: 'silent',
    };
    const identity = await start(['identity'], common);
    await identity.timeslot.identity!.createAdmin({ email: adminEmail, password: adminPassword, name: 'Root' });
    const scheduling = [await start(['scheduling'], { ...common, IDENTITY_URL: identity.url })];
    scheduling.push(await start(['scheduling'], { ...common, IDENTITY_URL: identity.url }));
    const upstreams = `identity=${identity.url};scheduling=${scheduling.map((s) => s.url).join(',')}`;
    const gateway = await start(['gateway'], { ...common, UPSTREAMS: upstreams, IDENTITY_URL: identity.url });
    urls = { gateway: gateway.url, identity: identity.url, scheduling: scheduling.map((s) => s.url) };
  }, 90_000);

  afterAll(async () => {
    for (const timeslot of processes.reverse()) await timeslot.stop();
    await admin(`drop database if exists ${databaseName} with (force)`);
    const redis = new Redis(testServers.redis);
    await deleteRedisKeys(redis, `${namespace}:`);
    redis.disconnect();
  }, 60_000);

  it('every replica refuses a disabled account’s token within seconds, and identity its login and refresh', async () => {
    const slowest = await disableScenario(overHttp, urls.gateway, { identity: urls.identity, scheduling: urls.scheduling }, adminEmail);
    console.info(`distributed: every process refused the token ${slowest} ms after the disable answered`);
  });
});
