import { randomBytes, randomUUID } from 'node:crypto';
import amqp from 'amqplib';
import { generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryCache, createMemoryJobQueue, createPostgresDatabase, createRabbitMqEventBus, deleteRabbitMqConsumer } from '@timeslot/adapters';
import { createHttpServer, createLogger, createTokenVerifier, installAuth, type App, type ServiceModule } from '@timeslot/kernel';
import { eventually } from '@timeslot/ports/contracts/wait';
import type { CalendarClient, Database, EventBus, JobQueue, Role } from '@timeslot/ports';
import { createSchedulingService, type SchedulingService } from '@timeslot/scheduling';
import { freePort, testServers, uniqueName } from '@timeslot/testing';
import { createCalendarService, createHttpCalendarClient, type CalendarService, type HttpCalendarClient } from '../src/index';
import { startFakeGoogle, type FakeGoogle } from './fake-google';

/*
 * Calendar and scheduling as two processes would run them: each its own PostgreSQL pool and
 * schema, its own RabbitMQ connection on one exchange, scheduling calling calendar over HTTP with
 * the service token. When scheduling's CALENDAR_URL leads nowhere (a closed port), bookings still
 * confirm, with their meeting pending, and the link arrives through the broker: calendar consumes
 * booking.confirmed, publishes meeting.ready, scheduling stores it.
 */

const exchange = uniqueName('test.calendar');
const schedulingSchema = uniqueName('scheduling_cal');
const calendarSchema = uniqueName('calendar_dist');
const internalToken = randomBytes(32).toString('base64url');
const issuer = 'https://identity.distributed.test';
const audience = 'timeslot-distributed-test';
const logger = createLogger({ level: 'silent' });

interface Process {
  readonly database: Database;
  readonly bus: EventBus;
  readonly app: App;
}

let keys: { publicKey: CryptoKey; privateKey: CryptoKey };
let google: FakeGoogle;
let calendarProcess: Process & { service: CalendarService; url: string };
const schedulers: (Process & { service: SchedulingService; jobs: JobQueue; client: HttpCalendarClient })[] = [];

async function token(role: Role, userId: string = randomUUID()): Promise<{ bearer: string; userId: string }> {
  const bearer = await new SignJWT({ role })
    .setProtectedHeader({ alg: 'EdDSA' })
    .setSubject(userId)
    .setJti(randomUUID())
    .setIssuer(issuer)
    .setAudience(audience)
    .setIssuedAt()
    .setExpirationTime('10m')
    .sign(keys.privateKey);
  return { bearer, userId };
}

async function app(name: string, plugins: readonly ServiceModule['routes'][]): Promise<App> {
  const server = await createHttpServer({ service: name, logger });
  installAuth(server, createTokenVerifier({ issuer, audience, keys: async () => keys.publicKey }));
  for (const plugin of plugins) await server.register(plugin);
  await server.ready();
  return server;
}

async function startScheduler(calendarUrl: string): Promise<(typeof schedulers)[number]> {
  const database = await createPostgresDatabase({ url: testServers.postgres, poolSize: 4, applicationName: schedulingSchema });
  const bus = createRabbitMqEventBus({ url: testServers.amqp, exchange, logger });
  const jobs = createMemoryJobQueue();
  const client = createHttpCalendarClient({ url: calendarUrl, internalToken, timeoutMs: 1000 });
  const calendar: CalendarClient = client;
  const service = await createSchedulingService({ database, cache: createMemoryCache(), bus, jobs, logger, calendar, options: { schema: schedulingSchema, meetingTimeoutMs: 1000 } });
  await service.migrate();
  const server = await app('scheduling', [service.routes]);
  await service.start();
  const scheduler = { database, bus, app: server, service, jobs, client };
  schedulers.push(scheduler);
  return scheduler;
}

beforeAll(async () => {
  keys = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
  google = await startFakeGoogle();
  const database = await createPostgresDatabase({ url: testServers.postgres, poolSize: 4, applicationName: calendarSchema });
  const bus = createRabbitMqEventBus({ url: testServers.amqp, exchange, logger });
  const service = await createCalendarService({
    database,
    bus,
    logger,
    options: {
      schema: calendarSchema,
      tokenKey: randomBytes(32),
      internalToken,
      sweepIntervalMs: 0,
      google: { clientId: google.clientId, clientSecret: google.clientSecret, redirectUrl: 'http://timeslot.test/api/v1/calendar/google/callback', apiUrl: google.url, oauthUrl: google.url },
    },
  });
  await service.migrate();
  const server = await app('calendar', [service.routes]);
  const url = await server.listen({ host: '127.0.0.1', port: 0 });
  await service.start();
  calendarProcess = { database, bus, app: server, service, url };
}, 60_000);

afterAll(async () => {
  for (const scheduler of schedulers) {
    await scheduler.app.close();
    await scheduler.service.stop();
    await scheduler.client.close();
    await scheduler.jobs.close();
    await scheduler.bus.close();
  }
  if (calendarProcess !== undefined) {
    await calendarProcess.app.close();
    await calendarProcess.service.stop();
    await calendarProcess.bus.close();
  }
  await google?.close();
  for (const consumer of ['calendar', 'scheduling']) await deleteRabbitMqConsumer(testServers.amqp, exchange, consumer);
  const connection = await amqp.connect(testServers.amqp);
  const channel = await connection.createChannel();
  await channel.deleteExchange(exchange);
  await connection.close();
  const last = schedulers[0]?.database ?? calendarProcess?.database;
  await last?.query(`drop schema if exists "${schedulingSchema}" cascade`);
  await last?.query(`drop schema if exists "${calendarSchema}" cascade`);
  for (const scheduler of schedulers) await scheduler.database.close();
  await calendarProcess?.database.close();
});

const DAY_MS = 86_400_000;
const day = new Date(Math.floor(Date.now() / DAY_MS) * DAY_MS + 2 * DAY_MS).toISOString().slice(0, 10);
const at = (time: string) => `${day}T${time}:00.000Z`;

async function videoService(scheduler: Process, bearer: string): Promise<{ providerId: string; serviceId: string }> {
  const call = (method: 'POST' | 'PUT', url: string, payload: unknown) => scheduler.app.inject({ method, url, headers: { authorization: `Bearer ${bearer}` }, payload: payload as object });
  const provider = await call('POST', '/api/v1/providers', { displayName: 'Ada', timeZone: 'UTC', published: true });
  const providerId = provider.json<{ id: string }>().id;
  const service = await call('POST', `/api/v1/providers/${providerId}/services`, { name: 'Consultation', durationMinutes: 30, location: { kind: 'video' } });
  const weekly = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '09:00', end: '17:00' }));
  expect((await call('PUT', `/api/v1/providers/${providerId}/availability`, { weekly, overrides: [], blocked: [] })).statusCode).toBe(200);
  return { providerId, serviceId: service.json<{ id: string }>().id };
}

interface BookingBody {
  id: string;
  meeting: { status: string; url: string | null };
}

describe('calendar and scheduling as separate processes', () => {
  it('a booking confirms with its meeting pending while the calendar cannot be reached, and the link arrives through the broker', async () => {
    const closedPort = await freePort();
    const scheduler = await startScheduler(`http://127.0.0.1:${closedPort}`);
    const owner = await token('provider');
    const { serviceId } = await videoService(scheduler, owner.bearer);
    const client = await token('client');
    const created = await scheduler.app.inject({ method: 'POST', url: '/api/v1/bookings', headers: { authorization: `Bearer ${client.bearer}` }, payload: { serviceId, start: at('10:00') } });
    expect(created.statusCode, created.body).toBe(201);
    const booking = created.json<BookingBody>();
    expect(booking.meeting).toEqual({ status: 'pending', url: null });

    const read = async () =>
      (await scheduler.app.inject({ method: 'GET', url: `/api/v1/bookings/${booking.id}`, headers: { authorization: `Bearer ${client.bearer}` } })).json<BookingBody>();
    const later = await eventually(read, (body) => body.meeting.status === 'ready', 15_000);
    expect(later.meeting.url).toMatch(/^https:\/\/meet\.jit\.si\/timeslot-/);
    const rows = await calendarProcess.database.query<{ state: string; url: string }>(`select state, url from "${calendarSchema}".meetings where booking_id = $1`, [booking.id]);
    expect(rows).toEqual([{ state: 'ready', url: later.meeting.url }]);
  });

  it('with the calendar reachable, the link is in the booking response, and Google busy times reach the slots over HTTP', async () => {
    const scheduler = await startScheduler(calendarProcess.url);
    // Connect a Google account for the provider through the calendar's public routes.
    const owner = await token('provider');
    const started = await calendarProcess.app.inject({ method: 'GET', url: '/api/v1/calendar/google/connect', headers: { authorization: `Bearer ${owner.bearer}` } });
    google.setBusy('dist@example.com', [{ start: at('12:00'), end: at('13:00') }]);
    google.nextConsent('dist@example.com');
    const back = await google.consent(started.json<{ authorizationUrl: string }>().authorizationUrl);
    expect((await calendarProcess.app.inject({ method: 'GET', url: back.callbackPath })).statusCode).toBe(200);

    const { providerId, serviceId } = await videoService(scheduler, owner.bearer);
    const page = await eventually(
      async () => (await scheduler.app.inject({ method: 'GET', url: `/api/v1/providers/${providerId}/slots?serviceId=${serviceId}&from=${at('00:00')}&to=${at('23:59')}` })).json<{ slots: { start: string }[]; busyTimes: string }>(),
      (body) => body.slots.length > 0,
    );
    expect(page.busyTimes).toBe('current');
    expect(page.slots.map((slot) => slot.start)).not.toContain(at('12:00'));
    expect(page.slots.map((slot) => slot.start)).toContain(at('11:30'));

    const client = await token('client');
    const created = await scheduler.app.inject({ method: 'POST', url: '/api/v1/bookings', headers: { authorization: `Bearer ${client.bearer}` }, payload: { serviceId, start: at('14:00') } });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json<BookingBody>().meeting).toMatchObject({ status: 'ready', url: expect.stringMatching(/^https:\/\/meet\.google\.com\//) });
    const refused = await scheduler.app.inject({ method: 'POST', url: '/api/v1/bookings', headers: { authorization: `Bearer ${client.bearer}` }, payload: { serviceId, start: at('12:30') } });
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ code: 'SLOT_UNAVAILABLE' });
  });
});
