import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { createMemoryCache, createMemoryEventBus, createMemoryJobQueue, createPgliteDatabase } from '@timeslot/adapters';
import { createHttpServer, createLogger, createTokenVerifier, installAuth, type App, type Logger } from '@timeslot/kernel';
import { events, makeEvent, type Database, type EventBus, type EventData, type EventEnvelope, type JobQueue, type Role } from '@timeslot/ports';
import type { BookingSnapshot } from '../src/email/email.data';
import { createNotificationsService, handleNotificationEvent, type NotificationsOptions, type NotificationsRoles, type NotificationsService } from '../src/index';
import type { NotificationsContext } from '../src/context';

/*
 * One notifications service on one in-memory PGlite, mounted the way the composition root mounts
 * it. Tests sign access tokens with a key of their own, as identity would, and feed the consumer
 * the events identity and scheduling would publish (`handle` runs the consumer's handler on one
 * event and resolves once it has committed; `bus.publish` goes the whole way through the bus).
 */

export const issuer = 'https://identity.notifications.test';
export const audience = 'timeslot-notifications-test';
/** A Monday, so dates in tests are easy to follow. */
export const defaultNow = '2030-01-07T08:00:00.000Z';

export interface TestIssuer {
  readonly publicKey: CryptoKey;
  token(role: Role, userId?: string): Promise<string>;
}

export async function createTestIssuer(): Promise<TestIssuer> {
  const { publicKey, privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
  return {
    publicKey,
    token: (role, userId = randomUUID()) =>
      new SignJWT({ role })
        .setProtectedHeader({ alg: 'EdDSA' })
        .setSubject(userId)
        .setJti(randomUUID())
        .setIssuer(issuer)
        .setAudience(audience)
        .setIssuedAt()
        .setExpirationTime('10m')
        .sign(privateKey),
  };
}

/** Mounts a service's routes on a plain service app with token verification, as app.ts does. */
export async function mountService(service: NotificationsService, testIssuer: TestIssuer, logger: Logger, name = 'notifications'): Promise<App> {
  const app = await createHttpServer({ service: name, logger });
  installAuth(app, createTokenVerifier({ issuer, audience, keys: async () => testIssuer.publicKey }));
  await app.register(service.routes);
  await app.ready();
  return app;
}

export interface UserInput {
  readonly role?: Role;
  readonly name?: string;
  readonly locale?: string;
  readonly timeZone?: string;
}

export interface TestUser {
  readonly userId: string;
  readonly token: string;
  readonly name: string;
}

export interface HarnessOptions {
  readonly options?: Omit<NotificationsOptions, 'now' | 'schema'>;
  /** Start the background work (relay, consumer, stream feed, sweep); default false. */
  readonly start?: boolean;
  /** Where the logs go (default: nowhere). */
  readonly logLines?: string[];
  /** The job queue (default: a new in-process one, closed by close()). */
  readonly jobs?: JobQueue;
  /** Default: the API role only (no email workers writing files); the worker has tests of its own. */
  readonly roles?: NotificationsRoles;
}

export interface Harness {
  readonly app: App;
  readonly service: NotificationsService;
  readonly ctx: NotificationsContext;
  readonly database: Database;
  readonly bus: EventBus;
  readonly jobs: JobQueue;
  readonly issuer: TestIssuer;
  readonly clock: { set(iso: string): void; now(): Date };
  inject(options: Omit<InjectOptions, 'headers'> & { url: string; token?: string; headers?: Record<string, string> }): Promise<LightMyRequestResponse>;
  /** A registered user: their user.registered handled, and a token. */
  user(input?: UserInput): Promise<TestUser>;
  /** A token for a user the service has not heard of. */
  stranger(role?: Role): Promise<TestUser>;
  handle(event: EventEnvelope): Promise<boolean>;
  close(): Promise<void>;
}

/** A logger whose JSON lines land in `lines`. */
export function capturingLogger(lines: string[]): Logger {
  return createLogger({
    level: 'debug',
    destination: new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(...chunk.toString('utf8').split('\n').filter((line) => line !== ''));
        done();
      },
    }),
  });
}

export async function createHarness(input: HarnessOptions = {}): Promise<Harness> {
  let current = Date.parse(defaultNow);
  const clock = { set: (iso: string) => void (current = Date.parse(iso)), now: () => new Date(current) };
  const logger = input.logLines === undefined ? createLogger({ level: 'silent' }) : capturingLogger(input.logLines);
  const database = await createPgliteDatabase();
  const bus = createMemoryEventBus({ logger });
  const jobs = input.jobs ?? createMemoryJobQueue();
  const service = await createNotificationsService({
    database,
    cache: createMemoryCache(),
    bus,
    jobs,
    logger,
    roles: input.roles ?? { api: true, worker: false },
    options: { ...input.options, schema: 'notifications', now: clock.now },
  });
  await service.migrate();
  const testIssuer = await createTestIssuer();
  const app = await mountService(service, testIssuer, logger);
  if (input.start === true) await service.start();
  const ctx = service.context;
  let counter = 0;

  const harness: Harness = {
    app,
    service,
    ctx,
    database,
    bus,
    jobs,
    issuer: testIssuer,
    clock,
    inject: ({ token, headers, ...options }) =>
      app.inject({ ...options, headers: { ...headers, ...(token === undefined ? {} : { authorization: `Bearer ${token}` }) } }),
    async user(user = {}) {
      counter += 1;
      const userId = randomUUID();
      const role = user.role ?? 'client';
      const name = user.name ?? `User ${counter}`;
      await harness.handle(
        makeEvent(
          events.userRegistered,
          { userId, email: `user${counter}.${userId.slice(0, 8)}@example.com`, name, role, timeZone: user.timeZone ?? 'UTC', locale: user.locale ?? 'en' },
          { source: 'identity' },
        ),
      );
      return { userId, name, token: await testIssuer.token(role, userId) };
    },
    async stranger(role = 'client') {
      const userId = randomUUID();
      return { userId, name: 'Stranger', token: await testIssuer.token(role, userId) };
    },
    handle: (event) => handleNotificationEvent(ctx, event),
    async close() {
      await app.close();
      await service.stop();
      await bus.close();
      await jobs.close();
      await database.close();
    },
  };
  return harness;
}

/** A booking as scheduling's events describe it: a free 30-minute video consultation unless overridden. */
export function bookingSnapshot(client: { userId: string }, provider: { userId: string; name?: string } | undefined, overrides: Partial<BookingSnapshot> = {}): BookingSnapshot {
  return {
    bookingId: randomUUID(),
    providerId: randomUUID(),
    serviceId: randomUUID(),
    clientId: client.userId,
    status: 'confirmed',
    startsAt: '2030-01-08T10:00:00.000Z',
    endsAt: '2030-01-08T10:30:00.000Z',
    seat: 1,
    priceAmount: 0,
    currency: 'EUR',
    holdExpiresAt: null,
    ...(provider === undefined ? {} : { providerUserId: provider.userId, providerName: provider.name ?? 'Dr Ada' }),
    providerTimeZone: 'UTC',
    serviceName: 'Consultation',
    locationKind: 'video',
    locationAddress: null,
    meetingUrl: null,
    ...overrides,
  };
}

type Def = (typeof events)[keyof typeof events];

/** An envelope of `def` with `data`, happened at `occurredAt` (default now). */
export function eventOf<D extends Def>(def: D, data: EventData<D>, occurredAt?: string): EventEnvelope {
  const event = makeEvent(def, data, { source: 'scheduling' });
  return occurredAt === undefined ? event : { ...event, occurredAt };
}
