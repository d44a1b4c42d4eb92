import { randomUUID } from 'node:crypto';
import amqp from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryCache, createMemoryJobQueue, createPostgresDatabase, createRabbitMqEventBus, deleteRabbitMqConsumer } from '@timeslot/adapters';
import { createLogger, type App } from '@timeslot/kernel';
import { events, makeEvent, type Database, type EventBus, type JobQueue } from '@timeslot/ports';
import { eventually } from '@timeslot/ports/contracts/wait';
import { testServers, uniqueName } from '@timeslot/testing';
import { createNotificationsService, handleNotificationEvent, notificationsConsumerName, type NotificationsService } from '../src/index';
import { bookingSnapshot, createTestIssuer, eventOf, mountService, type TestIssuer } from './harness';
import { isNotification, notificationOf, openSse, type SseConnection } from './sse';

/*
 * Two notifications replicas, as two processes would run them: each its own pg pool, RabbitMQ
 * connection, service and HTTP server on a real port, sharing one PostgreSQL schema and one
 * exchange. A browser connected to replica B hears of an entry replica A stored, because every
 * replica follows `notification.created` through its own broadcast queue.
 */

const schema = uniqueName('notifications_sse');
const exchange = uniqueName('test.events');
const logger = createLogger({ level: 'silent' });

interface Replica {
  readonly name: string;
  readonly database: Database;
  readonly bus: EventBus;
  readonly jobs: JobQueue;
  readonly service: NotificationsService;
  readonly app: App;
  url: string;
}

let issuer: TestIssuer;
let replicas: Replica[] = [];
let publisher: EventBus;
const streams: SseConnection[] = [];

async function startReplica(name: string): Promise<Replica> {
  const database = await createPostgresDatabase({ url: testServers.postgres, poolSize: 4, applicationName: `${schema}_${name}` });
  const bus = createRabbitMqEventBus({ url: testServers.amqp, exchange, logger });
  const jobs = createMemoryJobQueue();
  const service = await createNotificationsService({ database, cache: createMemoryCache(), bus, jobs, logger, roles: { api: true, worker: false }, options: { schema } });
  await service.migrate();
  const app = await mountService(service, issuer, logger, `notifications-${name}`);
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  await service.start();
  return { name, database, bus, jobs, service, app, url };
}

beforeAll(async () => {
  issuer = await createTestIssuer();
  replicas = await Promise.all([startReplica('a'), startReplica('b')]);
  publisher = createRabbitMqEventBus({ url: testServers.amqp, exchange, logger });
});

afterAll(async () => {
  for (const stream of streams) stream.close();
  for (const replica of replicas) {
    await replica.app.close();
    await replica.service.stop();
  }
  await replicas[0]?.database.query(`drop schema if exists "${schema}" cascade`);
  for (const replica of replicas) {
    await replica.bus.close();
    await replica.jobs.close();
    await replica.database.close();
  }
  await publisher?.close();
  await deleteRabbitMqConsumer(testServers.amqp, exchange, notificationsConsumerName);
  const connection = await amqp.connect(testServers.amqp);
  const channel = await connection.createChannel();
  await channel.deleteExchange(exchange);
  await connection.close();
});

/** A user both replicas know (user.registered consumed through the bus by one of them). */
async function registeredUser(): Promise<{ userId: string; token: string }> {
  const userId = randomUUID();
  await publisher.publish([makeEvent(events.userRegistered, { userId, email: `${userId}@example.com`, name: 'Sam', role: 'client', timeZone: 'Europe/Berlin', locale: 'de' }, { source: 'identity' })]);
  await eventually(() => replicas[0]!.service.context.store.recipients.find(replicas[0]!.database.db, userId), (found) => found !== undefined);
  return { userId, token: await issuer.token('client', userId) };
}

async function streamOn(replica: Replica, token: string): Promise<SseConnection> {
  const stream = await openSse(`${replica.url}/api/v1/notifications/stream`, { token });
  streams.push(stream);
  expect(stream.status).toBe(200);
  await stream.next((frame) => frame.retry !== undefined);
  return stream;
}

describe('live streams across replicas (PostgreSQL, RabbitMQ, real sockets)', () => {
  it('delivers to a client on replica B the entry replica A stored', async () => {
    const [a, b] = replicas as [Replica, Replica];
    const user = await registeredUser();
    const onB = await streamOn(b, user.token);
    const booking = bookingSnapshot(user, undefined);

    // Replica A's consumer handles the event: the entry is A's write, published by A's relay.
    expect(await handleNotificationEvent(a.service.context, eventOf(events.bookingConfirmed, booking))).toBe(true);

    // (The user's welcome may arrive too, stored just before the stream opened.)
    const frame = await onB.next((f) => isNotification(f) && notificationOf(f).kind === 'booking_confirmed', 10_000);
    const [stored] = await a.database.query<{ id: string }>(`select id from "${schema}".notifications where user_id = $1 and kind = 'booking_confirmed'`, [user.userId]);
    expect(frame.id).toBe(stored?.id);
    expect(notificationOf(frame)).toMatchObject({ kind: 'booking_confirmed', data: { bookingId: booking.bookingId } });
    expect(notificationOf(frame).body).toContain('11:00 MEZ');
  });

  it('delivers every entry to the user’s streams on every replica, whichever replica consumed its event', async () => {
    const [a, b] = replicas as [Replica, Replica];
    const user = await registeredUser();
    const onA = await streamOn(a, user.token);
    const onB = await streamOn(b, user.token);
    const bookings = Array.from({ length: 8 }, () => bookingSnapshot(user, undefined));

    await publisher.publish(bookings.map((booking) => eventOf(events.bookingConfirmed, booking)));

    const expected = bookings.map((booking) => booking.bookingId).sort();
    const confirmations = (stream: SseConnection) => stream.frames.filter((frame) => isNotification(frame) && notificationOf(frame).kind === 'booking_confirmed');
    for (const stream of [onA, onB]) {
      await eventually(async () => confirmations(stream).length, (n) => n >= bookings.length, 10_000);
      expect(confirmations(stream).map((frame) => notificationOf(frame).data.bookingId).sort()).toEqual(expected);
    }
    // Competing consumers: the events were split between the replicas' consumers, each handled once.
    const handled = await a.database.query<{ n: number }>(`select count(*)::int as n from "${schema}".notifications where user_id = $1 and kind = 'booking_confirmed'`, [user.userId]);
    expect(handled[0]?.n).toBe(bookings.length);
  });
});
