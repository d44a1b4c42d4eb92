import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import amqp from 'amqplib';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteRabbitMqConsumer } from '@timeslot/adapters';
import { generateSigningKeysJson } from '@timeslot/identity';
import { createLogger } from '@timeslot/kernel';
import { adminSql, deleteRedisKeys, freePort, testServers } from '@timeslot/testing';
import { buildTimeslot, type Timeslot } from '../src/app';
import { configSchema, type ServiceName } from '../src/config';

/*
 * The calendar as the composition root wires it: in embedded mode an in-process client (its key
 * kept under DATA_DIR), in distributed mode the HTTP client to CALENDAR_URL with the service
 * token, and in both the internal routes unreachable through the gateway.
 */

const logger = createLogger({ level: 'silent' });
const password = 'correct horse battery';
const internalToken = randomBytes(32).toString('base64url');
const DAY_MS = 86_400_000;
const start = new Date(Math.floor(Date.now() / DAY_MS) * DAY_MS + 2 * DAY_MS + 10 * 3_600_000).toISOString();

type Call = (method: string, url: string, options?: { token?: string; body?: unknown; headers?: Record<string, string> }) => Promise<{ status: number; body: Record<string, unknown> }>;

function over(base: string): Call {
  return async (method, url, options = {}) => {
    const response = await fetch(`${base}${url}`, {
      method,
      headers: {
        ...options.headers,
        ...(options.token === undefined ? {} : { authorization: `Bearer ${options.token}` }),
        ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
    });
    const text = await response.text();
    return { status: response.status, body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>) };
  };
}

/** A provider with a published video service open every day, and a client; returns the client's booking answer. */
async function bookVideo(call: Call, tag: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const register = async (role: string) =>
    (await call('POST', '/api/v1/auth/register', { body: { email: `${role}.${tag}@example.com`, password, name: role, role } })).body.accessToken as string;
  const provider = await register('provider');
  const client = await register('client');
  const profile = await call('POST', '/api/v1/providers', { token: provider, body: { displayName: 'Ada', timeZone: 'UTC', published: true } });
  const providerId = profile.body.id as string;
  const service = await call('POST', `/api/v1/providers/${providerId}/services`, { token: provider, body: { name: 'Call', durationMinutes: 30, location: { kind: 'video' } } });
  const weekly = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '09:00', end: '17:00' }));
  await call('PUT', `/api/v1/providers/${providerId}/availability`, { token: provider, body: { weekly, overrides: [], blocked: [] } });
  return call('POST', '/api/v1/bookings', { token: client, body: { serviceId: service.body.id, start } });
}

describe('embedded', () => {
  let dataDir: string;
  let timeslot: Timeslot;
  let call: Call;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'timeslot-calendar-'));
    const config = configSchema.parse({
      DATA_DIR: dataDir,
      LOG_LEVEL: 'silent',
      PORT: String(await freePort()),
      MEETING_BASE_URL: 'https://video.example.test/room-',
      INTERNAL_TOKEN: internalToken,
    });
    timeslot = await buildTimeslot({ config, mode: 'embedded', services: ['gateway', 'identity', 'scheduling', 'calendar'], logger });
    await timeslot.migrate();
    call = over(await timeslot.listen());
  });

  afterAll(async () => {
    await timeslot?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('gives a video booking its link in the response, keeping the calendar key under DATA_DIR', async () => {
    const booked = await bookVideo(call, 'embedded');
    expect(booked.status).toBe(201);
    expect(booked.body.meeting).toMatchObject({ status: 'ready', url: expect.stringMatching(/^https:\/\/video\.example\.test\/room-[A-Za-z0-9_-]{32}$/) });
    const key = await stat(path.join(dataDir, 'keys', 'calendar-token-key'));
    expect(key.mode & 0o777).toBe(0o600);
  });

  it('does not serve the internal routes on the gateway, even with the service token', async () => {
    const internal = await call('GET', `/api/v1/internal/busy-times/${crypto.randomUUID()}?from=2030-01-01T00:00:00Z&to=2030-01-02T00:00:00Z`, {
      headers: { 'x-timeslot-internal-token': internalToken },
    });
    expect(internal.status).toBe(404);
    expect(internal.body.code).toBe('ROUTE_NOT_FOUND');
  });
});

describe('distributed: scheduling calls calendar over HTTP; the gateway routes the calendar, never its internal routes', () => {
  const namespace = `cal-${randomBytes(4).toString('hex')}`;
  const databaseName = `timeslot_${namespace.replace('-', '_')}`;
  const processes: Timeslot[] = [];
  let gateway: Call;
  let calendarUrl: string;

  async function run(services: ServiceName[], env: Record<string, string>, port?: number): Promise<string> {
    const config = configSchema.parse({ ...env, PORT: String(port ?? (await freePort())) });
    const timeslot = await buildTimeslot({ config, mode: 'distributed', services, logger });
    processes.push(timeslot);
    await timeslot.migrate();
    return timeslot.listen();
  }

  beforeAll(async () => {
    await adminSql(`create database ${databaseName}`);
    const databaseUrl = new URL(testServers.postgres);
    databaseUrl.pathname = `/${databaseName}`;
    const common = {
      DATABASE_URL: databaseUrl.toString(),
      REDIS_URL: testServers.redis,
      AMQP_URL: testServers.amqp,
      NAMESPACE: namespace,
      SIGNING_KEYS: await generateSigningKeysJson(),
      LOG_LEVEL: 'silent',
      INTERNAL_TOKEN: internalToken,
      CALENDAR_TOKEN_KEY: randomBytes(32).toString('base64'),
      MEETING_BASE_URL: 'https://video.example.test/d-',
    };
    const identity = await run(['identity'], common);
    calendarUrl = await run(['calendar'], { ...common, IDENTITY_URL: identity });
    const scheduling = await run(['scheduling'], { ...common, IDENTITY_URL: identity, CALENDAR_URL: calendarUrl });
    gateway = over(await run(['gateway'], { ...common, IDENTITY_URL: identity, UPSTREAMS: `identity=${identity};scheduling=${scheduling};calendar=${calendarUrl}` }));
  }, 120_000);

  afterAll(async () => {
    for (const timeslot of processes.reverse()) await timeslot.stop();
    await adminSql(`drop database if exists ${databaseName} with (force)`);
    const redis = new Redis(testServers.redis);
    await deleteRedisKeys(redis, `${namespace}:`);
    redis.disconnect();
    const exchange = `${namespace}.events`;
    for (const consumer of ['calendar', 'scheduling']) await deleteRabbitMqConsumer(testServers.amqp, exchange, consumer);
    const connection = await amqp.connect(testServers.amqp);
    await (await connection.createChannel()).deleteExchange(exchange);
    await connection.close();
  }, 60_000);

  it('books with the link made by the calendar process, and proxies /api/v1/calendar but not /api/v1/internal', async () => {
    const booked = await bookVideo(gateway, namespace);
    expect(booked.status).toBe(201);
    expect(booked.body.meeting).toMatchObject({ status: 'ready', url: expect.stringMatching(/^https:\/\/video\.example\.test\/d-/) });
    expect((await gateway('GET', '/api/v1/calendar/connections')).status).toBe(401);
    const internal = `/api/v1/internal/busy-times/${crypto.randomUUID()}?from=2030-01-01T00:00:00Z&to=2030-01-02T00:00:00Z`;
    const viaGateway = await gateway('GET', internal, { headers: { 'x-timeslot-internal-token': internalToken } });
    expect(viaGateway.status).toBe(404);
    // The calendar process itself serves it, to the token holder only.
    expect((await over(calendarUrl)('GET', internal, { headers: { 'x-timeslot-internal-token': internalToken } })).status).toBe(200);
    expect((await over(calendarUrl)('GET', internal)).status).toBe(401);
  });
});
