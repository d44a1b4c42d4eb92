import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { createMemoryCache, createMemoryEventBus, createMemoryJobQueue, createMemoryRateLimitStore, createPgliteDatabase } from '@timeslot/adapters';
import { createIdentityService, generateSigningKeysJson, signingKeysFromJwks, type IdentityService } from '@timeslot/identity';
import { createHttpServer, createLogger, createTokenVerifier, installAuth, type App } from '@timeslot/kernel';
import type { Cache, Database, EventBus, JobQueue, Role } from '@timeslot/ports';
import type { SchedulingContext, SchedulingOptions } from '../src/context';
import { createSchedulingService, type SchedulingService } from '../src/index';

/**
 * One scheduling service (plus identity, for real users and tokens) on one in-memory PGlite, mounted
 * the way the composition root mounts it, with a clock tests move instead of sleeping.
 *
 *   const h = await createSchedulingHarness({ now: '2030-01-07T08:00:00Z' });
 *   const { token } = await h.registerUser('provider');
 *   const provider = await h.createProvider(token);            // published, UTC
 *   const service = await h.createService(token, provider.id); // 30 min, video, free
 *   await h.setAvailability(token, provider.id, { weekly: [{ weekday: 1, start: '09:00', end: '17:00' }] });
 *   const res = await h.inject({ method: 'GET', url: `/api/v1/providers/${provider.id}/slots?…`, token });
 *   await h.close();
 *
 * One harness per test file (beforeAll/afterAll); tests share it and isolate by creating their own
 * users and providers.
 */

export const issuer = 'https://identity.test';
export const audience = 'timeslot-test';
export const password = 'correct horse battery';
/** A Monday, so weekday arithmetic in tests is easy to follow. */
export const defaultNow = '2030-01-07T08:00:00.000Z';

export interface HarnessOptions {
  /** The clock's start (ISO 8601; default {@link defaultNow}). */
  readonly now?: string;
  /** Scheduling options besides the clock (holdMinutes, cacheTtlMs …). */
  readonly options?: Omit<SchedulingOptions, 'now'>;
  /** Start the background work (outbox relay, booking workers); default true. */
  readonly start?: boolean;
}

export interface Clock {
  readonly now: () => Date;
  /** Jump to an instant (ISO 8601). */
  readonly set: (iso: string) => void;
  readonly advance: (ms: number) => void;
}

export interface TestUser {
  readonly token: string;
  readonly userId: string;
  readonly role: Role;
}

export interface HarnessInject extends Omit<InjectOptions, 'headers'> {
  readonly method: NonNullable<InjectOptions['method']>;
  readonly url: string;
  /** Sent as `Authorization: Bearer <token>`. */
  readonly token?: string;
  readonly headers?: Record<string, string>;
}

/** The API shapes tests read most, loosely typed (the routes' zod schemas are the real contract). */
export interface ProviderBody {
  id: string;
  userId: string;
  displayName: string;
  title: string;
  specialty: string | null;
  bio: string;
  timeZone: string;
  photoUrl: string | null;
  published: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface ServiceBody {
  id: string;
  providerId: string;
  name: string;
  description: string;
  durationMinutes: number;
  slotIntervalMinutes: number;
  bufferBeforeMinutes: number;
  bufferAfterMinutes: number;
  minNoticeMinutes: number;
  bookingWindowDays: number;
  capacity: number;
  priceAmount: number;
  currency: string;
  location: { kind: 'video' | 'in_person' | 'phone'; address?: string };
  cancellationWindowMinutes: number;
  active: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface AvailabilityInput {
  weekly?: Array<{ weekday: number; start: string; end: string }>;
  overrides?: Array<{ date: string; intervals: Array<{ start: string; end: string }> }>;
  blocked?: Array<{ id?: string; start: string; end: string; reason?: string }>;
}

export interface SchedulingHarness {
  readonly app: App;
  /** Started unless `start: false`: outbox relay and booking workers run; stopped by close(). */
  readonly scheduling: SchedulingService;
  readonly context: SchedulingContext;
  readonly identity: IdentityService;
  readonly database: Database;
  readonly cache: Cache;
  readonly bus: EventBus;
  readonly jobs: JobQueue;
  readonly clock: Clock;
  /** app.inject with an optional bearer token. */
  inject(options: HarnessInject): Promise<LightMyRequestResponse>;
  /** A new user with a real access token (admins through identity.createAdmin, then login). */
  registerUser(role: Role): Promise<TestUser>;
  /** POST /api/v1/providers as `token`'s user; published and in UTC unless overridden. Throws unless 201. */
  createProvider(token: string, overrides?: Record<string, unknown>): Promise<ProviderBody>;
  /** POST /api/v1/providers/:id/services; 30 minutes every 30, free, video, unless overridden. Throws unless 201. */
  createService(token: string, providerId: string, overrides?: Record<string, unknown>): Promise<ServiceBody>;
  /** PUT /api/v1/providers/:id/availability; omitted lists are sent empty. Throws unless 200. */
  setAvailability(token: string, providerId: string, body: AvailabilityInput): Promise<unknown>;
  /**
   * A provider user with a published profile, one service and availability in one call
   * (default: every day 09:00–17:00 in the profile's zone).
   */
  bookableProvider(input?: {
    provider?: Record<string, unknown>;
    service?: Record<string, unknown>;
    availability?: AvailabilityInput;
  }): Promise<{ owner: TestUser; provider: ProviderBody; service: ServiceBody }>;
  close(): Promise<void>;
}

const everyDayNineToFive: AvailabilityInput = {
  weekly: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '09:00', end: '17:00' })),
};

let userCounter = 0;

function expectStatus(response: LightMyRequestResponse, status: number, what: string): void {
  if (response.statusCode !== status) throw new Error(`${what} failed: ${response.statusCode} ${response.body}`);
}

export async function createSchedulingHarness(harness: HarnessOptions = {}): Promise<SchedulingHarness> {
  let current = new Date(harness.now ?? defaultNow).getTime();
  const clock: Clock = {
    now: () => new Date(current),
    set: (iso) => {
      current = new Date(iso).getTime();
    },
    advance: (ms) => {
      current += ms;
    },
  };

  const database = await createPgliteDatabase();
  const cache = createMemoryCache();
  const bus = createMemoryEventBus();
  const jobs = createMemoryJobQueue();
  const rateLimits = createMemoryRateLimitStore();
  const logger = createLogger({ level: 'silent' });
  const generous = { max: 1_000_000, windowMs: 60_000 };
  const identity = await createIdentityService({
    database,
    cache,
    rateLimits,
    bus,
    logger,
    options: {
      issuer,
      audience,
      signingKeys: signingKeysFromJwks(await generateSigningKeysJson()),
      // Tests register dozens of users from one address.
      registrationLimit: generous,
      loginLimits: { perAccount: generous, perIp: generous },
    },
  });
  const scheduling = await createSchedulingService({ database, cache, bus, jobs, logger, options: { ...harness.options, now: clock.now } });
  await identity.migrate();
  await scheduling.migrate();

  const app = await createHttpServer({ service: 'scheduling', logger });
  installAuth(app, createTokenVerifier({ issuer, audience, keys: identity.keyResolver }));
  await app.register(identity.routes);
  await app.register(scheduling.routes);
  await app.ready();
  await identity.start();
  if (harness.start !== false) await scheduling.start();

  const inject = (options: HarnessInject): Promise<LightMyRequestResponse> => {
    const { token, headers, ...rest } = options;
    return app.inject({
      ...rest,
      headers: { ...headers, ...(token === undefined ? {} : { authorization: `Bearer ${token}` }) },
    } as InjectOptions);
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
    const response = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/register',
      payload: { email, password, name: `User ${userCounter}`, role },
    });
    expectStatus(response, 201, `registering a ${role}`);
    const body = response.json<{ accessToken: string; user: { id: string } }>();
    return { token: body.accessToken, userId: body.user.id, role };
  }

  async function createProvider(token: string, overrides: Record<string, unknown> = {}): Promise<ProviderBody> {
    userCounter += 1;
    const payload = { displayName: `Provider ${userCounter}`, timeZone: 'UTC', published: true, ...overrides };
    const response = await inject({ method: 'POST', url: '/api/v1/providers', token, payload });
    expectStatus(response, 201, 'creating a provider');
    return response.json();
  }

  async function createService(token: string, providerId: string, overrides: Record<string, unknown> = {}): Promise<ServiceBody> {
    const payload = { name: 'Consultation', durationMinutes: 30, slotIntervalMinutes: 30, location: { kind: 'video' }, ...overrides };
    const response = await inject({ method: 'POST', url: `/api/v1/providers/${providerId}/services`, token, payload });
    expectStatus(response, 201, 'creating a service');
    return response.json();
  }

  async function setAvailability(token: string, providerId: string, body: AvailabilityInput): Promise<unknown> {
    const payload = { weekly: [], overrides: [], blocked: [], ...body };
    const response = await inject({ method: 'PUT', url: `/api/v1/providers/${providerId}/availability`, token, payload });
    expectStatus(response, 200, 'setting availability');
    return response.json();
  }

  return {
    app,
    scheduling,
    context: scheduling.context,
    identity,
    database,
    cache,
    bus,
    jobs,
    clock,
    inject,
    registerUser,
    createProvider,
    createService,
    setAvailability,
    async bookableProvider(input = {}) {
      const owner = await registerUser('provider');
      const provider = await createProvider(owner.token, input.provider);
      const service = await createService(owner.token, provider.id, input.service);
      await setAvailability(owner.token, provider.id, input.availability ?? everyDayNineToFive);
      return { owner, provider, service };
    },
    async close() {
      await app.close();
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
