import { randomBytes, randomUUID } from 'node:crypto';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { createMemoryCache, createMemoryEventBus, createMemoryJobQueue, createPgliteDatabase } from '@timeslot/adapters';
import { createHttpServer, createLogger, createTokenVerifier, installAuth, type App } from '@timeslot/kernel';
import type { CalendarClient, Database, EventBus, EventEnvelope, JobQueue, Role } from '@timeslot/ports';
import { createSchedulingService, type SchedulingOptions, type SchedulingService } from '@timeslot/scheduling';
import { createCalendarService, type CalendarOptions, type CalendarService } from '../src/index';
import { startFakeGoogle, type FakeGoogle } from './fake-google';

/*
 * One calendar service on an in-memory PGlite and an in-process bus, with the real Google client
 * libraries talking to a local fake Google (fake-google.ts), mounted the way the composition root
 * mounts it. Tests sign access tokens with a key of their own, as identity would.
 */

export const issuer = 'https://identity.calendar.test';
export const audience = 'timeslot-calendar-test';
export const redirectUrl = 'http://timeslot.test/api/v1/calendar/google/callback';

export interface CalendarHarness {
  readonly app: App;
  readonly calendar: CalendarService;
  readonly database: Database;
  readonly bus: EventBus;
  readonly google: FakeGoogle;
  readonly tokenKey: Buffer;
  /** With `scheduling`: the scheduling service, calling this calendar (or the client given). */
  readonly scheduling: SchedulingService | undefined;
  /** Every event the calendar published (through its outbox), in order. */
  readonly published: EventEnvelope[];
  token(role: Role, userId?: string): Promise<{ bearer: string; userId: string }>;
  inject(options: Omit<InjectOptions, 'headers'> & { url: string; bearer?: string; headers?: Record<string, string> }): Promise<LightMyRequestResponse>;
  /** Connect `email`'s Google calendar for a new provider user, through the real routes. */
  connect(email: string): Promise<{ bearer: string; userId: string }>;
  close(): Promise<void>;
}

export interface HarnessInput {
  readonly options?: Partial<CalendarOptions>;
  readonly googleTimeoutMs?: number;
  readonly start?: boolean;
  /** Mount scheduling too, with this calendar as its CalendarClient (in-process) unless `client` says otherwise. */
  readonly scheduling?: { readonly options?: SchedulingOptions; readonly client?: CalendarClient };
}

export async function createCalendarHarness(input: HarnessInput = {}): Promise<CalendarHarness> {
  const google = await startFakeGoogle();
  const database = await createPgliteDatabase();
  const logger = createLogger({ level: 'silent' });
  const bus = createMemoryEventBus({ logger });
  const tokenKey = randomBytes(32);
  const calendar = await createCalendarService({
    database,
    bus,
    logger,
    options: {
      tokenKey,
      sweepIntervalMs: 0,
      google: { clientId: google.clientId, clientSecret: google.clientSecret, redirectUrl, apiUrl: google.url, oauthUrl: google.url, timeoutMs: input.googleTimeoutMs ?? 2000 },
      eventRetry: { maxAttempts: 20, retryDelayMs: 20 },
      ...input.options,
    },
  });
  await calendar.migrate();
  let scheduling: SchedulingService | undefined;
  let jobs: JobQueue | undefined;
  if (input.scheduling !== undefined) {
    jobs = createMemoryJobQueue();
    scheduling = await createSchedulingService({
      database,
      cache: createMemoryCache(),
      bus,
      jobs,
      logger,
      calendar: input.scheduling.client ?? calendar.client,
      options: input.scheduling.options,
    });
    await scheduling.migrate();
  }
  const published: EventEnvelope[] = [];
  const watcher = await bus.subscribe('calendar-test-watcher', ['#'], async (event) => {
    if (event.source === 'calendar') published.push(event);
  });
  const keys = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
  const publicKey: CryptoKey = keys.publicKey;
  const app = await createHttpServer({ service: 'calendar', logger });
  installAuth(app, createTokenVerifier({ issuer, audience, keys: async () => publicKey }));
  await app.register(calendar.routes);
  if (scheduling !== undefined) await app.register(scheduling.routes);
  await app.ready();
  if (input.start !== false) await calendar.start();
  if (scheduling !== undefined) await scheduling.start();

  const token = async (role: Role, userId: string = randomUUID()) => ({
    userId,
    bearer: await new SignJWT({ role })
      .setProtectedHeader({ alg: 'EdDSA' })
      .setSubject(userId)
      .setJti(randomUUID())
      .setIssuer(issuer)
      .setAudience(audience)
      .setIssuedAt()
      .setExpirationTime('10m')
      .sign(keys.privateKey),
  });

  const inject: CalendarHarness['inject'] = (options) => {
    const { bearer, headers, ...rest } = options;
    return app.inject({ ...rest, headers: { ...headers, ...(bearer === undefined ? {} : { authorization: `Bearer ${bearer}` }) } } as InjectOptions);
  };

  return {
    app,
    calendar,
    database,
    bus,
    google,
    tokenKey,
    scheduling,
    published,
    token,
    inject,
    async connect(email) {
      const provider = await token('provider');
      const started = await inject({ method: 'GET', url: '/api/v1/calendar/google/connect', bearer: provider.bearer });
      if (started.statusCode !== 200) throw new Error(`connect: ${started.statusCode} ${started.body}`);
      google.nextConsent(email);
      const back = await google.consent(started.json<{ authorizationUrl: string }>().authorizationUrl);
      const done = await inject({ method: 'GET', url: back.callbackPath });
      if (done.statusCode !== 200) throw new Error(`callback: ${done.statusCode} ${done.body}`);
      return provider;
    },
    async close() {
      await app.close();
      await scheduling?.stop();
      await jobs?.close();
      await calendar.stop();
      await watcher.close();
      await bus.close();
      await database.close();
      await google.close();
    },
  };
}
