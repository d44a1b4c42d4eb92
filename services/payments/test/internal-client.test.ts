import { randomUUID } from 'node:crypto';
import { generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryCache, createMemoryEventBus, createMemoryJobQueue, createPgliteDatabase } from '@timeslot/adapters';
import { createHttpServer, createLogger, createTokenVerifier, installAuth, type App } from '@timeslot/kernel';
import { internalTokenHeader, type Database, type EventBus, type JobQueue, type Role } from '@timeslot/ports';
import { eventually } from '@timeslot/ports/contracts/wait';
import { createSchedulingService, type SchedulingService } from '@timeslot/scheduling';
import { createHttpPaymentsClient, createPaymentsService, type HttpPaymentsClient, type PaymentsService } from '../src/index';

/*
 * Scheduling and payments as separate processes would run them: scheduling asks payments over
 * HTTP (its internal routes, with the shared service token). Payments being down costs a paid
 * booking its order in the response, never the booking.
 */

const internalToken = 'internal-token-for-tests-0123456789abcdef';
const issuer = 'https://issuer.internal.test';
const audience = 'timeslot-internal';
const logger = createLogger({ level: 'silent' });
let signingKey: CryptoKey;
let publicKey: CryptoKey;
let database: Database;
let bus: EventBus;
let jobs: JobQueue;
let payments: PaymentsService;
let scheduling: SchedulingService;
let paymentsApp: App;
let schedulingApp: App;
let client: HttpPaymentsClient;
let paymentsUrl: string;

const token = (role: Role, userId: string = randomUUID()) =>
  new SignJWT({ role }).setProtectedHeader({ alg: 'EdDSA' }).setSubject(userId).setJti(randomUUID()).setIssuer(issuer).setAudience(audience).setIssuedAt().setExpirationTime('10m').sign(signingKey);

async function appFor(name: string): Promise<App> {
  const app = await createHttpServer({ service: name, logger });
  installAuth(app, createTokenVerifier({ issuer, audience, keys: async () => publicKey }));
  return app;
}

beforeAll(async () => {
  ({ privateKey: signingKey, publicKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' }));
  database = await createPgliteDatabase();
  bus = createMemoryEventBus();
  jobs = createMemoryJobQueue();
  payments = await createPaymentsService({ database, bus, logger, gateway: { kind: 'simulator', secret: 'internal-test-simulator-secret-0123456789' }, options: { internalToken, sweepIntervalMs: 0 } });
  await payments.migrate();
  paymentsApp = await appFor('payments');
  await paymentsApp.register(payments.routes);
  paymentsUrl = await paymentsApp.listen({ host: '127.0.0.1', port: 0 });
  await payments.start();
  client = createHttpPaymentsClient({ url: paymentsUrl, internalToken, timeoutMs: 2000 });
  scheduling = await createSchedulingService({ database, cache: createMemoryCache(), bus, jobs, logger, payments: client, options: { paymentTimeoutMs: 1000 } });
  await scheduling.migrate();
  schedulingApp = await appFor('scheduling');
  await schedulingApp.register(scheduling.routes);
  await schedulingApp.ready();
  await scheduling.start();
}, 60_000);

afterAll(async () => {
  await schedulingApp?.close();
  await scheduling?.stop();
  await paymentsApp?.close();
  await payments?.stop();
  await client?.close();
  await jobs?.close();
  await bus?.close();
  await database?.close();
});

async function paidService(): Promise<{ serviceId: string; owner: string }> {
  const owner = await token('provider');
  const auth = { authorization: `Bearer ${owner}` };
  const profile = await schedulingApp.inject({ method: 'POST', url: '/api/v1/providers', headers: auth, payload: { displayName: 'Dr Remote', timeZone: 'UTC', published: true } });
  const providerId = profile.json<{ id: string }>().id;
  const weekly = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '00:00', end: '24:00' }));
  await schedulingApp.inject({ method: 'PUT', url: `/api/v1/providers/${providerId}/availability`, headers: auth, payload: { weekly, overrides: [], blocked: [] } });
  const service = await schedulingApp.inject({
    method: 'POST',
    url: `/api/v1/providers/${providerId}/services`,
    headers: auth,
    payload: { name: 'Remote', durationMinutes: 30, slotIntervalMinutes: 30, priceAmount: 900, currency: 'GBP', location: { kind: 'phone' }, bookingWindowDays: 365 },
  });
  expect(service.statusCode).toBe(201);
  return { serviceId: service.json<{ id: string }>().id, owner };
}

let day = 0;
const slot = () => new Date(Math.ceil((Date.now() + (2 + ++day) * 86_400_000) / 3_600_000) * 3_600_000).toISOString();

describe('the internal routes', () => {
  it('refuse calls without the service token, and are not in the OpenAPI document', async () => {
    const attempts: Record<string, string>[] = [{}, { [internalTokenHeader]: 'wrong-token-wrong-token-wrong-token' }];
    for (const headers of attempts) {
      const response = await fetch(`${paymentsUrl}/api/v1/internal/payments/orders/${randomUUID()}`, { headers });
      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({ code: 'SERVICE_TOKEN_INVALID' });
    }
    const document = (await (await fetch(`${paymentsUrl}/openapi.json`)).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(document.paths).filter((path) => path.includes('internal'))).toEqual([]);
    expect(await client.orderOfBooking(randomUUID())).toBeNull();
  });
});

describe('scheduling asking payments over HTTP', () => {
  it('puts the order in the booking response and serves the booking’s payment', async () => {
    const { serviceId } = await paidService();
    const clientToken = await token('client');
    const booked = await schedulingApp.inject({ method: 'POST', url: '/api/v1/bookings', headers: { authorization: `Bearer ${clientToken}` }, payload: { serviceId, start: slot() } });
    expect(booked.statusCode).toBe(201);
    const body = booked.json<{ id: string; payment: { orderId: string; amount: number; currency: string; checkoutUrl: string } }>();
    expect(body.payment).toMatchObject({ amount: 900, currency: 'GBP', status: 'created', gateway: 'simulator' });
    const read = await schedulingApp.inject({ method: 'GET', url: `/api/v1/bookings/${body.id}/payment`, headers: { authorization: `Bearer ${clientToken}` } });
    expect(read.json()).toEqual(body.payment);
  });

  it('keeps the booking held, without an order in the response, while payments is down; the held event makes the order', async () => {
    const { serviceId } = await paidService();
    const clientToken = await token('client');
    // Payments stops answering HTTP (its consumer of booking events still runs, as another replica's would).
    await paymentsApp.close();
    const held = await schedulingApp.inject({ method: 'POST', url: '/api/v1/bookings', headers: { authorization: `Bearer ${clientToken}` }, payload: { serviceId, start: slot() } });
    expect(held.statusCode).toBe(201);
    expect(held.json()).toMatchObject({ status: 'pending_payment', payment: null });
    const bookingId = held.json<{ id: string }>().id;
    const unknown = await schedulingApp.inject({ method: 'GET', url: `/api/v1/bookings/${bookingId}/payment`, headers: { authorization: `Bearer ${clientToken}` } });
    expect(unknown.statusCode).toBe(503);
    expect(unknown.json()).toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
    const rows = await eventually(
      () => database.query<{ status: string; amount: number; gateway_order_id: string | null }>('select status, amount::int, gateway_order_id from payments.orders where booking_id = $1', [bookingId]),
      (found) => found.length > 0,
    );
    expect(rows).toEqual([{ status: 'created', amount: 900, gateway_order_id: null }]);
  });
});
