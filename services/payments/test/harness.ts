import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { createMemoryCache, createMemoryEventBus, createMemoryJobQueue, createMemoryRateLimitStore, createPgliteDatabase } from '@timeslot/adapters';
import { createIdentityService, generateSigningKeysJson, signingKeysFromJwks, type IdentityService } from '@timeslot/identity';
import { createHttpServer, createLogger, createTokenVerifier, installAuth, type App } from '@timeslot/kernel';
import type { Database, EventBus, JobQueue, Role } from '@timeslot/ports';
import { eventually } from '@timeslot/ports/contracts/wait';
import { createSchedulingService, type SchedulingOptions, type SchedulingService } from '@timeslot/scheduling';
import { createPaymentsService, type GatewaySettings, type PaymentsOptions, type PaymentsService } from '../src/index';

/**
 * Identity, scheduling and payments on one in-memory PGlite, mounted as the embedded composition
 * root mounts them (scheduling calls payments in-process), listening on a real port so that the
 * simulator's webhooks travel over HTTP. One clock for both services, moved by tests.
 *
 *   const h = await createPaymentsHarness();
 *   const { client, service } = await h.paidSetup();               // 5000 EUR, 60-minute window
 *   const booking = await h.book(client.token, service.id, '2030-01-08T10:00:00Z');
 *   // booking.payment.checkoutUrl …
 */

export const issuer = 'https://identity.payments.test';
export const audience = 'timeslot-payments-test';
export const password = 'correct horse battery';
export const defaultNow = '2030-01-07T08:00:00.000Z';
export const simulatorSecret = 'simulator-secret-for-tests-only-0123456789';

export interface TestUser {
  readonly token: string;
  readonly userId: string;
  readonly role: Role;
}

export interface HarnessInject extends Omit<InjectOptions, 'headers'> {
  readonly method: NonNullable<InjectOptions['method']>;
  readonly url: string;
  readonly token?: string;
  readonly headers?: Record<string, string>;
}

export interface PaymentView {
  orderId: string;
  bookingId: string;
  status: string;
  amount: number;
  currency: string;
  gateway: string;
  checkoutUrl: string | null;
  clientSecret: string | null;
}

export interface BookingBody {
  id: string;
  status: string;
  clientId: string;
  payment: PaymentView | null;
  [key: string]: unknown;
}

export interface HarnessOptions {
  readonly now?: string;
  readonly payments?: Omit<PaymentsOptions, 'now'>;
  readonly scheduling?: Omit<SchedulingOptions, 'now'>;
  /** Default: the simulator with `simulatorSecret`, posting webhooks to this harness's own port. */
  readonly gateway?: (self: () => string | undefined) => GatewaySettings;
  /** Where log lines go (level debug); silent without it. */
  readonly logDestination?: NodeJS.WritableStream;
}

export interface PaidSetup {
  readonly owner: TestUser;
  readonly providerId: string;
  readonly service: { readonly id: string; readonly name: string };
  readonly client: TestUser;
}

export interface PaymentsHarness {
  readonly app: App;
  /** http://127.0.0.1:<port> */
  readonly url: string;
  readonly database: Database;
  readonly bus: EventBus;
  readonly jobs: JobQueue;
  readonly identity: IdentityService;
  readonly scheduling: SchedulingService;
  readonly payments: PaymentsService;
  readonly clock: { now(): Date; set(iso: string): void; advance(ms: number): void };
  inject(options: HarnessInject): Promise<LightMyRequestResponse>;
  registerUser(role: Role): Promise<TestUser>;
  /** A provider with a published profile, a paid service (default 5000 EUR, 60-minute window) open every day 09:00–17:00, and a client. */
  paidSetup(service?: Record<string, unknown>): Promise<PaidSetup>;
  /** POST /api/v1/bookings; throws unless 201. */
  book(token: string, serviceId: string, start: string, headers?: Record<string, string>): Promise<BookingBody>;
  /** SQL on the shared database. */
  sql<Row = Record<string, unknown>>(text: string, params?: unknown[]): Promise<Row[]>;
  /** Event types in a schema's outbox, oldest first, optionally only those about one booking. */
  outboxTypes(schema: 'scheduling' | 'payments', bookingId?: string): Promise<string[]>;
  /** Waits (bounded) until the booking has `status`; resolves with the last status seen. */
  bookingStatus(bookingId: string, status: string): Promise<string>;
  /** Waits (bounded) until the order has `status`; resolves with the last status seen. */
  orderStatus(orderId: string, status: string): Promise<string>;
  /**
   * Waits (bounded) until payments has heard of the booking's `status` (its booking events are
   * handled in the background); resolves with the last booking status it knew.
   */
  orderBookingStatus(orderId: string, status: string): Promise<string>;
  close(): Promise<void>;
}

let userCounter = 0;

function expectStatus(response: LightMyRequestResponse, status: number, what: string): void {
  if (response.statusCode !== status) throw new Error(`${what} failed: ${response.statusCode} ${response.body}`);
}

export async function createPaymentsHarness(options: HarnessOptions = {}): Promise<PaymentsHarness> {
  let current = Date.parse(options.now ?? defaultNow);
  const clock = {
    now: () => new Date(current),
    set: (iso: string) => {
      current = Date.parse(iso);
    },
    advance: (ms: number) => {
      current += ms;
    },
  };
  const database = await createPgliteDatabase();
  const cache = createMemoryCache();
  const bus = createMemoryEventBus();
  const jobs = createMemoryJobQueue();
  const rateLimits = createMemoryRateLimitStore();
  const logger = options.logDestination === undefined ? createLogger({ level: 'silent' }) : createLogger({ level: 'debug', destination: options.logDestination });
  const generous = { max: 1_000_000, windowMs: 60_000 };
  const identity = await createIdentityService({
    database,
    cache,
    rateLimits,
    bus,
    logger,
    options: { issuer, audience, signingKeys: signingKeysFromJwks(await generateSigningKeysJson()), registrationLimit: generous, loginLimits: { perAccount: generous, perIp: generous } },
  });
  // Known once the app listens: the simulator posts its webhooks there.
  const listening: { address?: string } = {};
  const self = () => listening.address;
  const payments = await createPaymentsService({
    database,
    bus,
    logger,
    gateway: options.gateway?.(self) ?? { kind: 'simulator', secret: simulatorSecret, webhookBaseUrl: self, publicUrl: self },
    options: { sweepIntervalMs: 0, ...options.payments, now: clock.now },
  });
  const scheduling = await createSchedulingService({ database, cache, bus, jobs, logger, payments: payments.client, options: { ...options.scheduling, now: clock.now } });
  await identity.migrate();
  await scheduling.migrate();
  await payments.migrate();

  const app = await createHttpServer({ service: 'payments-test', logger });
  installAuth(app, createTokenVerifier({ issuer, audience, keys: identity.keyResolver }));
  await app.register(identity.routes);
  await app.register(scheduling.routes);
  await app.register(payments.routes);
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  listening.address = address;
  await identity.start();
  await scheduling.start();
  await payments.start();

  const inject = (request: HarnessInject): Promise<LightMyRequestResponse> => {
    const { token, headers, ...rest } = request;
    return app.inject({ ...rest, headers: { ...headers, ...(token === undefined ? {} : { authorization: `Bearer ${token}` }) } } as InjectOptions);
  };

  async function registerUser(role: Role): Promise<TestUser> {
    userCounter += 1;
    const email = `${role}${userCounter}.${Date.now().toString(36)}@example.com`;
    if (role === 'admin') {
      await identity.createAdmin({ email, password, name: `Admin ${userCounter}` });
      const login = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password } });
      expectStatus(login, 200, 'admin login');
      const body = login.json<{ accessToken: string; user: { id: string } }>();
      return { token: body.accessToken, userId: body.user.id, role };
    }
    const response = await app.inject({ method: 'POST', url: '/api/v1/auth/register', payload: { email, password, name: `User ${userCounter}`, role } });
    expectStatus(response, 201, `registering a ${role}`);
    const body = response.json<{ accessToken: string; user: { id: string } }>();
    return { token: body.accessToken, userId: body.user.id, role };
  }

  const sql = <Row>(text: string, params: unknown[] = []) => database.query<Row>(text, params);

  return {
    app,
    url: address,
    database,
    bus,
    jobs,
    identity,
    scheduling,
    payments,
    clock,
    inject,
    registerUser,
    async paidSetup(service = {}) {
      const owner = await registerUser('provider');
      const profile = await inject({ method: 'POST', url: '/api/v1/providers', token: owner.token, payload: { displayName: 'Dr Pay', timeZone: 'UTC', published: true } });
      expectStatus(profile, 201, 'creating a provider');
      const providerId = profile.json<{ id: string }>().id;
      const created = await inject({
        method: 'POST',
        url: `/api/v1/providers/${providerId}/services`,
        token: owner.token,
        payload: {
          name: 'Paid consultation',
          durationMinutes: 30,
          slotIntervalMinutes: 30,
          location: { kind: 'in_person', address: 'Main St 1' },
          priceAmount: 5000,
          currency: 'EUR',
          cancellationWindowMinutes: 60,
          ...service,
        },
      });
      expectStatus(created, 201, 'creating a service');
      const weekly = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '09:00', end: '17:00' }));
      expectStatus(await inject({ method: 'PUT', url: `/api/v1/providers/${providerId}/availability`, token: owner.token, payload: { weekly, overrides: [], blocked: [] } }), 200, 'setting availability');
      return { owner, providerId, service: created.json<{ id: string; name: string }>(), client: await registerUser('client') };
    },
    async book(token, serviceId, start, headers) {
      const response = await inject({ method: 'POST', url: '/api/v1/bookings', token, payload: { serviceId, start }, ...(headers === undefined ? {} : { headers }) });
      expectStatus(response, 201, 'booking');
      return response.json<BookingBody>();
    },
    sql,
    async outboxTypes(schema, bookingId) {
      const rows = await sql<{ type: string }>(
        `select type from ${schema}.outbox where $1::text is null or payload->'data'->>'bookingId' = $1 order by created_at, seq`,
        [bookingId ?? null],
      );
      return rows.map((row) => row.type);
    },
    async bookingStatus(bookingId, status) {
      const read = async () => (await sql<{ status: string }>('select status from scheduling.bookings where id = $1', [bookingId]))[0]?.status ?? 'missing';
      return eventually(read, (value) => value === status);
    },
    async orderStatus(orderId, status) {
      const read = async () => (await sql<{ status: string }>('select status from payments.orders where id = $1', [orderId]))[0]?.status ?? 'missing';
      return eventually(read, (value) => value === status);
    },
    async orderBookingStatus(orderId, status) {
      const read = async () => (await sql<{ status: string }>('select booking_status as status from payments.orders where id = $1', [orderId]))[0]?.status ?? 'missing';
      return eventually(read, (value) => value === status);
    },
    async close() {
      await app.close();
      await payments.stop();
      await scheduling.stop();
      await identity.stop();
      await jobs.close();
      await bus.close();
      await cache.close();
      await rateLimits.close();
      await database.close();
    },
  };
}

/** The checkout link's path and token. */
export function checkoutOf(payment: PaymentView): { path: string; token: string } {
  const url = new URL(payment.checkoutUrl ?? '', 'http://base.invalid');
  return { path: url.pathname, token: url.searchParams.get('token') ?? '' };
}
