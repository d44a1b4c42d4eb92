import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '@timeslot/kernel';
import { buildTimeslot, type Timeslot } from '@timeslot/server/app';
import { configSchema } from '@timeslot/server/config';
import { generateSigningKeysJson } from '@timeslot/identity';
import { adminSql, testServers } from '@timeslot/testing';

/*
 * Issue 8 item 2, the service side: a booking whose caller has given up (its x-request-timeout-ms
 * budget, which the gateway sets, has run out) is never committed. The database is held busy by a
 * lock on every scheduling table until the budget is spent, as a slow database would; the booking
 * then reaches its commit point late and must be abandoned with DEADLINE_EXCEEDED, leaving no row.
 */

const namespace = `deadline-${randomBytes(4).toString('hex')}`;
const databaseName = `timeslot_${namespace.replace('-', '_')}`;
const databaseUrl = (() => {
  const url = new URL(testServers.postgres);
  url.pathname = `/${databaseName}`;
  return url.toString();
})();
let timeslot: Timeslot;
let base: string;

const admin = (sql: string): Promise<void> => adminSql(sql);

beforeAll(async () => {
  await admin(`create database ${databaseName}`);
  const config = configSchema.parse({
    PORT: '0',
    DATABASE_URL: databaseUrl,
    REDIS_URL: testServers.redis,
    AMQP_URL: testServers.amqp,
    NAMESPACE: namespace,
    SIGNING_KEYS: await generateSigningKeysJson(),
  });
  timeslot = await buildTimeslot({ config, mode: 'distributed', services: ['gateway', 'identity', 'scheduling'], logger: createLogger({ level: 'silent' }) });
  await timeslot.migrate();
  base = await timeslot.listen();
}, 120_000);

afterAll(async () => {
  await timeslot?.stop();
  await admin(`drop database if exists ${databaseName} with (force)`);
});

async function call(method: 'GET' | 'POST' | 'PUT', pathName: string, body: unknown, token?: string, headers: Record<string, string> = {}) {
  const res = await request(`${base}${pathName}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token === undefined ? {} : { authorization: `Bearer ${token}` }), ...headers },
    body: JSON.stringify(body),
  });
  return { status: res.statusCode, body: (await res.body.json()) as Record<string, any> };
}

async function registered(role: 'client' | 'provider'): Promise<{ token: string; userId: string }> {
  const res = await call('POST', '/api/v1/auth/register', { email: `${role}-${randomBytes(3).toString('hex')}@example.com`, password: 'a long passphrase', name: role, role });
  expect(res.status).toBe(201);
  return { token: res.body.accessToken, userId: res.body.user.id };
}

/** Book `booking` with a 300 ms budget while every scheduling table is locked past that budget. */
async function bookLate(booking: { serviceId: string; start: string }, client: { token: string; userId: string }) {
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    // Hold the database: every scheduling table locked, so the booking waits whatever it reads first.
    const { rows: tables } = await db.query<{ name: string }>(`select format('%I.%I', schemaname, tablename) as name from pg_tables where schemaname = 'scheduling'`);
    await db.query('begin');
    await db.query(`lock table ${tables.map((t) => t.name).join(', ')} in access exclusive mode`);
    const budgetMs = 300;
    const sentAt = Date.now();
    const late = call('POST', '/api/v1/bookings', booking, client.token, { 'x-request-timeout-ms': String(budgetMs) });
    // Wait for the booking to queue behind the lock, then for its budget to run out.
    for (;;) {
      const { rows } = await db.query<{ waiting: number }>(
        `select count(*)::int as waiting from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock' and pid <> pg_backend_pid()`,
      );
      if ((rows[0]?.waiting ?? 0) > 0) break;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, sentAt + budgetMs + 50 - Date.now())));
    await db.query('rollback');

    const res = await late;
    const { rows } = await db.query<{ count: number }>('select count(*)::int as count from scheduling.bookings where client_id = $1', [client.userId]);
    const { rows: events } = await db.query<{ count: number }>(`select count(*)::int as count from scheduling.outbox where payload::text like $1`, [`%${client.userId}%`]);
    console.log(`deadline: booking with a ${budgetMs} ms budget held ${Date.now() - sentAt} ms by the lock: ${res.status} ${res.body.code}, ${rows[0]?.count} rows`);
    return { res, rows: rows[0]?.count, events: events[0]?.count };
  } finally {
    await db.query('rollback').catch(() => undefined);
    await db.end();
  }
}

describe('a booking past its deadline', () => {
  it.each([
    ['one-to-one (one statement)', 1],
    ['seated (a transaction)', 3],
  ])('%s is abandoned before it commits: 504 DEADLINE_EXCEEDED and no row; with time left it books', async (_kind, capacity) => {
    const owner = await registered('provider');
    const provider = await call('POST', '/api/v1/providers', { displayName: 'Dr Deadline', timeZone: 'UTC', published: true }, owner.token);
    expect(provider.status).toBe(201);
    const service = await call('POST', `/api/v1/providers/${provider.body.id}/services`, { name: 'Talk', durationMinutes: 30, capacity, location: { kind: 'video' } }, owner.token);
    expect(service.status, JSON.stringify(service.body)).toBe(201);
    const weekly = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '09:00', end: '17:00' }));
    expect((await call('PUT', `/api/v1/providers/${provider.body.id}/availability`, { weekly, overrides: [], blocked: [] }, owner.token)).status).toBe(200);
    const client = await registered('client');
    const day = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10);
    const booking = { serviceId: service.body.id as string, start: `${day}T10:00:00.000Z` };

    const late = await bookLate(booking, client);
    expect(late.res.status, JSON.stringify(late.res.body)).toBe(504);
    expect(late.res.body.code).toBe('DEADLINE_EXCEEDED');
    expect(late.rows).toBe(0);
    expect(late.events).toBe(0);

    const inTime = await call('POST', '/api/v1/bookings', booking, client.token, { 'x-request-timeout-ms': '10000' });
    expect(inTime.status, JSON.stringify(inTime.body)).toBe(201);
  }, 60_000);
});
