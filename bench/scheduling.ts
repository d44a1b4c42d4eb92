/**
 * Scheduling load, in both modes: 31-day slot reads through the gateway, cached (at a fixed
 * 1,000 req/s, for the p99, and at the maximum rate) and uncached (a new range each request);
 * booking creation on distinct slots; booking creation when every request wants the same slot;
 * plus the raw rate of the same booking insert straight into PostgreSQL.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type autocannon from 'autocannon';
import { DateTime } from 'luxon';
import { createPostgresDatabase, loadMigrations, migrate, outboxMigrations } from '@timeslot/adapters';
import { testServers, uniqueName } from '@timeslot/testing';
import { cleanups, connections, distributedEnv, load, measureLoop, paced, start, type Result } from './lib';

const password = 'benchmark password';
const DAY = 86_400_000;

async function api<T>(base: string, method: string, url: string, body: unknown, token?: string): Promise<T> {
  const res = await fetch(`${base}${url}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token === undefined ? {} : { authorization: `Bearer ${token}` }) },
    body: JSON.stringify(body),
  });
  const json = (await res.json()) as T;
  if (res.status >= 300) throw new Error(`${method} ${url}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

async function user(base: string, role: 'client' | 'provider'): Promise<string> {
  const email = `${role}.${randomUUID()}@example.com`;
  const { accessToken } = await api<{ accessToken: string }>(base, 'POST', '/api/v1/auth/register', { email, password, name: 'Bench', role });
  return accessToken;
}

async function provider(base: string, weekly: { weekday: number; start: string; end: string }[], service: Record<string, unknown>) {
  const owner = await user(base, 'provider');
  const { id } = await api<{ id: string }>(base, 'POST', '/api/v1/providers', { displayName: 'Dr Bench', timeZone: 'Europe/London', published: true }, owner);
  await api(base, 'PUT', `/api/v1/providers/${id}/availability`, { weekly }, owner);
  const created = await api<{ id: string }>(base, 'POST', `/api/v1/providers/${id}/services`, { name: 'Bench', bookingWindowDays: 730, location: { kind: 'video' }, ...service }, owner);
  return { providerId: id, serviceId: created.id };
}

/**
 * Office hours with a 30-minute service (slot reads); open around the clock with a 5-minute one
 * (many distinct bookings); a client. `slotsUrl` is a 31-day slot page starting at `from`.
 */
export async function setUp(base: string) {
  const days = [1, 2, 3, 4, 5, 6, 7];
  const office = await provider(base, days.slice(0, 5).map((weekday) => ({ weekday, start: '09:00', end: '17:00' })), { durationMinutes: 30, slotIntervalMinutes: 30 });
  const allDay = await provider(base, days.map((weekday) => ({ weekday, start: '00:00', end: '24:00' })), { durationMinutes: 5, slotIntervalMinutes: 5 });
  const tomorrow = Math.ceil(Date.now() / DAY) * DAY;
  const slotsPath = (fromMs: number) =>
    `/api/v1/providers/${office.providerId}/slots?serviceId=${office.serviceId}&from=${new Date(fromMs).toISOString()}&to=${new Date(fromMs + 31 * DAY).toISOString()}`;
  return { base, providerId: office.providerId, consultId: office.serviceId, quickId: allDay.serviceId, client: await user(base, 'client'), tomorrow, slotsPath };
}

export type SetUp = Awaited<ReturnType<typeof setUp>>;

/** 100 bookings in the slot range, so slot reads pay for real busy time (5 a weekday, 10:00–14:00 London). */
export async function bookHundred({ base, consultId, client, tomorrow }: SetUp): Promise<void> {
  let booked = 0;
  for (let day = 0; booked < 100; day++) {
    const date = new Date(tomorrow + day * DAY);
    if (date.getUTCDay() === 0 || date.getUTCDay() === 6) continue;
    for (let hour = 10; hour < 15; hour++, booked++) {
      const start = DateTime.fromISO(`${date.toISOString().slice(0, 10)}T${hour}:00`, { zone: 'Europe/London' }).toUTC().toISO();
      await api(base, 'POST', '/api/v1/bookings', { serviceId: consultId, start }, client);
    }
  }
}

/** POST /bookings requests, each for a new 5-minute slot, walking forward from a week out. */
export function bookingRequests({ quickId, client, tomorrow }: SetUp) {
  let next = tomorrow + 7 * DAY;
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${client}` };
  return () => {
    next += 5 * 60_000;
    return { method: 'POST' as const, path: '/api/v1/bookings', headers, body: JSON.stringify({ serviceId: quickId, start: new Date(next).toISOString() }) };
  };
}

/** The same as autocannon options. */
export function distinctBookings(setup: SetUp): autocannon.Options {
  const next = bookingRequests(setup);
  const { method, path, headers } = next();
  return { url: `${setup.base}${path}`, method, headers, requests: [{ setupRequest: (request) => ({ ...request, body: next().body }) }] };
}

async function scenariosFor(mode: string, base: string, direct?: string): Promise<void> {
  const setup = await setUp(base);
  const { quickId, client, tomorrow, slotsPath } = setup;
  await bookHundred(setup);
  // Cached: every request asks for the same page, so the service serves it from its page cache
  // after checking the provider's slot version. The steady rate runs first, before anything
  // saturates the processes (a saturating run leaves garbage whose collection lands in the next).
  const cachedUrl = `${base}${slotsPath(tomorrow)}`;
  await paced(`GET 31-day slots via gateway, cached, steady 1000 req/s (${mode})`, { url: cachedUrl, rate: 1000 });
  // As browsers ask for it: the same page, gzipped once per cached page.
  await paced(`GET 31-day slots via gateway, cached, gzip, steady 1000 req/s (${mode})`, { url: cachedUrl, rate: 1000, headers: { 'accept-encoding': 'gzip' } });
  if (direct !== undefined) {
    await paced(`GET 31-day slots direct on scheduling, cached, steady 1000 req/s (${mode})`, { url: `${direct}${slotsPath(tomorrow)}`, rate: 1000 });
  }
  await load(`GET 31-day slots via gateway, cached, max rate (${mode})`, { url: cachedUrl });
  // Uncached: every request a range starting one minute later, a page nobody asked for before, so
  // each one reads the bookings and computes its month.
  let shift = 0;
  await load(`GET 31-day slots via gateway, uncached, max rate (${mode})`, {
    url: cachedUrl,
    requests: [{ setupRequest: (request) => ({ ...request, path: slotsPath(tomorrow + ++shift * 60_000) }) }],
  });

  if (direct !== undefined) {
    // One connection, one request at a time: the latency is the server's time for an uncached
    // page (bookings query, computation, serialisation) plus loopback.
    await load(`GET 31-day slots direct on scheduling, uncached, one at a time (${mode})`, {
      url: `${direct}${slotsPath(tomorrow)}`,
      connections: 1,
      requests: [{ setupRequest: (request) => ({ ...request, path: slotsPath(tomorrow + ++shift * 60_000) }) }],
    });
  }

  await load(`POST /bookings, distinct slots (${mode})`, distinctBookings(setup));
  const contested = new Date(tomorrow + 400 * DAY).toISOString();
  await load(`POST /bookings, one contested slot (${mode}; all but one are 409)`, {
    url: `${base}/api/v1/bookings`,
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${client}` },
    body: JSON.stringify({ serviceId: quickId, start: contested }),
  });
}

/** The same booking insert (exclusion constraint and all) straight into PostgreSQL, no HTTP, no checks. */
export async function rawInsertBaseline(): Promise<Result> {
  const schema = uniqueName('bench_raw');
  // Patient timeouts: opening 50 connections at once on a busy machine can take more than the adapter's 2 s.
  const database = await createPostgresDatabase({ url: testServers.postgres, poolSize: connections, connectTimeoutMs: 30_000, poolWaitTimeoutMs: 30_000 });
  cleanups.push(async () => {
    await database.query(`drop schema if exists ${schema} cascade`);
    await database.close();
  });
  await migrate(database, { schema, migrations: [...outboxMigrations, ...(await loadMigrations(new URL('../services/scheduling/migrations/', import.meta.url)))] });
  const providerId = randomUUID();
  const serviceId = randomUUID();
  await database.query(`insert into ${schema}.providers (id, user_id, display_name, time_zone) values ($1, $2, 'Raw', 'UTC')`, [providerId, randomUUID()]);
  await database.query(`insert into ${schema}.services (id, provider_id, name, duration_minutes, slot_interval_minutes, location_kind) values ($1, $2, 'Raw', 5, 5, 'video')`, [serviceId, providerId]);
  const clientId = randomUUID();
  let next = Date.parse('2031-01-01T00:00:00Z');
  return measureLoop('raw PostgreSQL booking insert (same row + outbox event)', 'inserts', connections, async () => {
    next += 5 * 60_000;
    const startsAt = new Date(next);
    const endsAt = new Date(next + 5 * 60_000);
    const id = randomUUID();
    // The booking row and its outbox event in one statement (one implicit transaction), as the
    // service writes them, against the same exclusion constraint.
    await database.query(
      `with b as (insert into ${schema}.bookings (id, provider_id, service_id, client_id, status, starts_at, ends_at, occupied, session_key, capacity, seat)
         values ($1, $2, $3, $4, 'confirmed', $5, $6, tstzrange($5, $6, '[)'), $8, 1, 1) on conflict do nothing returning id)
       insert into ${schema}.outbox (id, type, version, payload) select $7, 'booking.confirmed', 1, '{}'::jsonb from b`,
      [id, providerId, serviceId, clientId, startsAt, endsAt, randomUUID(), id],
    );
  });
}

export const schedulingScenarios = {
  async 'booking-embedded'() {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'timeslot-bench-'));
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
    const server = await start(['start'], { DATA_DIR: dataDir });
    await scenariosFor('embedded', server.url);
  },
  async 'booking-distributed'() {
    const env = await distributedEnv();
    const identity = await start(['start', '--services', 'identity'], env);
    const scheduling = await start(['start', '--services', 'scheduling'], { ...env, IDENTITY_URL: identity.url });
    const gateway = await start(['start', '--services', 'gateway'], {
      ...env,
      UPSTREAMS: `identity=${identity.url};scheduling=${scheduling.url}`,
      IDENTITY_URL: identity.url,
    });
    await scenariosFor('distributed', gateway.url, scheduling.url);
    // Last: 50 connections inserting flat out leave PostgreSQL with autovacuum and checkpoint work
    // that would land in whatever ran next.
    await rawInsertBaseline();
  },
};
