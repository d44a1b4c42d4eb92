import { randomUUID } from 'node:crypto';
import amqp from 'amqplib';
import { generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryCache, createMemoryJobQueue, createPostgresDatabase, createRabbitMqEventBus, deleteRabbitMqConsumer } from '@timeslot/adapters';
import { createHttpServer, createLogger, createTokenVerifier, installAuth, type App } from '@timeslot/kernel';
import type { Database, EventBus, JobQueue, Role } from '@timeslot/ports';
import { eventually } from '@timeslot/ports/contracts/wait';
import { createSchedulingService, type SchedulingService } from '@timeslot/scheduling';
import { testServers, uniqueName } from '@timeslot/testing';
import { signTimestamped } from '../src/gateways/signatures';
import { createPaymentsService, type PaymentsService } from '../src/index';

/*
 * Two replicas, each running scheduling and payments with its own pg pool and its own RabbitMQ
 * connection, on one PostgreSQL (one schema per service) and one exchange. A client pays once and
 * the gateway's webhook arrives 20 times at once, split over both replicas: the same event id again
 * and again, and the same payment under new event ids (a gateway's retries). The booking must be
 * confirmed exactly once: one capture, one payment.captured, one booking.confirmed.
 */

const schedulingSchema = uniqueName('sched_pay');
const paymentsSchema = uniqueName('payments_rep');
const exchange = uniqueName('payments.test');
const secret = 'replica-simulator-secret-0123456789abcdef';
const logger = createLogger({ level: 'silent' });
const issuerName = 'https://issuer.replicas.test';
const audience = 'timeslot-replicas';

interface Replica {
  readonly app: App;
  readonly url: string;
  readonly database: Database;
  readonly bus: EventBus;
  readonly jobs: JobQueue;
  readonly scheduling: SchedulingService;
  readonly payments: PaymentsService;
}

let signingKey: CryptoKey;
let publicKey: CryptoKey;
const replicas: Replica[] = [];

function token(role: Role, userId: string = randomUUID()): Promise<string> {
  return new SignJWT({ role })
    .setProtectedHeader({ alg: 'EdDSA' })
    .setSubject(userId)
    .setJti(randomUUID())
    .setIssuer(issuerName)
    .setAudience(audience)
    .setIssuedAt()
    .setExpirationTime('10m')
    .sign(signingKey);
}

async function startReplica(name: string): Promise<Replica> {
  const database = await createPostgresDatabase({ url: testServers.postgres, poolSize: 8, applicationName: `${paymentsSchema}_${name}` });
  const bus = createRabbitMqEventBus({ url: testServers.amqp, exchange, logger });
  const jobs = createMemoryJobQueue();
  const payments = await createPaymentsService({ database, bus, logger, gateway: { kind: 'simulator', secret }, options: { schema: paymentsSchema, sweepIntervalMs: 0 } });
  const scheduling = await createSchedulingService({ database, cache: createMemoryCache(), bus, jobs, logger, payments: payments.client, options: { schema: schedulingSchema } });
  await scheduling.migrate();
  await payments.migrate();
  const app = await createHttpServer({ service: `payments-${name}`, logger });
  installAuth(app, createTokenVerifier({ issuer: issuerName, audience, keys: async () => publicKey }));
  await app.register(scheduling.routes);
  await app.register(payments.routes);
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  await scheduling.start();
  await payments.start();
  return { app, url, database, bus, jobs, scheduling, payments };
}

beforeAll(async () => {
  ({ privateKey: signingKey, publicKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' }));
  // One after the other: the second migrates nothing new, as a replica started later would.
  replicas.push(await startReplica('a'));
  replicas.push(await startReplica('b'));
}, 60_000);

afterAll(async () => {
  for (const replica of replicas) {
    await replica.app.close();
    await replica.payments.stop();
    await replica.scheduling.stop();
    await replica.jobs.close();
    await replica.bus.close();
  }
  const database = replicas[0]?.database;
  await database?.query(`drop schema if exists ${schedulingSchema} cascade`);
  await database?.query(`drop schema if exists ${paymentsSchema} cascade`);
  for (const replica of replicas) await replica.database.close();
  for (const consumer of ['payments', 'scheduling', 'scheduling-payments']) await deleteRabbitMqConsumer(testServers.amqp, exchange, consumer);
  const connection = await amqp.connect(testServers.amqp);
  const channel = await connection.createChannel();
  await channel.deleteExchange(exchange);
  await connection.close();
});

async function call<T>(replica: Replica, method: string, path: string, bearer: string, body?: unknown): Promise<T> {
  const response = await fetch(`${replica.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${bearer}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const json = (await response.json()) as T;
  if (response.status >= 300) throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(json)}`);
  return json;
}

describe('a payment confirmed over two replicas', () => {
  it('confirms the booking exactly once under 20 duplicate webhooks racing over both replicas', async () => {
    const [a, b] = replicas as [Replica, Replica];
    const owner = await token('provider');
    const provider = await call<{ id: string }>(a, 'POST', '/api/v1/providers', owner, { displayName: 'Dr Replica', timeZone: 'UTC', published: true });
    const weekly = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '00:00', end: '24:00' }));
    await call(a, 'PUT', `/api/v1/providers/${provider.id}/availability`, owner, { weekly, overrides: [], blocked: [] });
    const service = await call<{ id: string }>(b, 'POST', `/api/v1/providers/${provider.id}/services`, owner, {
      name: 'Paid',
      durationMinutes: 30,
      slotIntervalMinutes: 30,
      priceAmount: 7000,
      currency: 'EUR',
      location: { kind: 'phone' },
    });
    const start = new Date(Math.ceil((Date.now() + 2 * 86_400_000) / 3_600_000) * 3_600_000).toISOString();
    const booking = await call<{ id: string; status: string; payment: { orderId: string; status: string } }>(a, 'POST', '/api/v1/bookings', await token('client'), { serviceId: service.id, start });
    expect(booking.status).toBe('pending_payment');
    expect(booking.payment.status).toBe('created');
    const [order] = await a.database.query<{ gateway_order_id: string }>(`select gateway_order_id from ${paymentsSchema}.orders where id = $1`, [booking.payment.orderId]);

    const paymentId = `pay_${randomUUID()}`;
    const repeatedEventId = `evt_${randomUUID()}`;
    const deliveries = Array.from({ length: 20 }, (_, index) => {
      const body = JSON.stringify({
        id: index % 2 === 0 ? repeatedEventId : `evt_retry_${index}_${randomUUID()}`,
        type: 'payment.captured',
        data: { order_id: order!.gateway_order_id, payment_id: paymentId, amount: 7000, currency: 'EUR' },
      });
      const replica = index % 2 === 0 ? a : b;
      return fetch(`${replica.url}/api/v1/payments/webhooks/simulator`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-simulator-signature': signTimestamped(secret, body, Math.floor(Date.now() / 1000)) },
        body,
      });
    });
    const answers = await Promise.all(deliveries);
    expect(answers.map((response) => response.status)).toEqual(Array(20).fill(200));

    const confirmed = await eventually(
      () => a.database.query<{ status: string }>(`select status from ${schedulingSchema}.bookings where id = $1`, [booking.id]),
      (rows) => rows[0]?.status === 'confirmed',
      15_000,
    );
    expect(confirmed[0]?.status).toBe('confirmed');
    await Promise.all(replicas.map((replica) => replica.payments.settled()));

    const stored = await a.database.query<{ outcome: string | null }>(`select outcome from ${paymentsSchema}.gateway_events where order_id = $1`, [booking.payment.orderId]);
    // One row for the repeated id, one per retry id; exactly one of them captured the money.
    expect(stored).toHaveLength(11);
    expect(stored.filter((row) => row.outcome === 'captured')).toHaveLength(1);
    expect(stored.filter((row) => row.outcome === 'duplicate')).toHaveLength(10);
    const transitions = await a.database.query<{ to_status: string }>(`select to_status from ${paymentsSchema}.transitions where order_id = $1 order by id`, [booking.payment.orderId]);
    expect(transitions.map((row) => row.to_status)).toEqual(['created', 'captured']);
    const byType = async (schema: string) =>
      (await a.database.query<{ type: string }>(`select type from ${schema}.outbox where payload->'data'->>'bookingId' = $1 order by created_at, seq`, [booking.id])).map((row) => row.type);
    expect(await byType(paymentsSchema)).toEqual(['payment.captured']);
    expect(await byType(schedulingSchema)).toEqual(['booking.held', 'booking.confirmed']);
    // Both services heard each other over RabbitMQ: payments knows the booking is confirmed.
    const known = await eventually(
      () => a.database.query<{ booking_status: string }>(`select booking_status from ${paymentsSchema}.orders where id = $1`, [booking.payment.orderId]),
      (rows) => rows[0]?.booking_status === 'confirmed',
    );
    expect(known[0]?.booking_status).toBe('confirmed');
  });
});
