import { randomBytes } from 'node:crypto';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { Validator } from '@seriousme/openapi-schema-validator';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryCache, createMemoryEventBus, createMemoryJobQueue, createMemoryRateLimitStore, createPgliteDatabase } from '@timeslot/adapters';
import { createGatewayApp, registerProxy } from '@timeslot/gateway';
import { createIdentityService, generateSigningKeysJson, signingKeysFromJwks, type IdentityService } from '@timeslot/identity';
import { createAccountStatusCheck, createLogger, createTokenVerifier, type App } from '@timeslot/kernel';
import { createNotificationsService, type NotificationsService } from '@timeslot/notifications';
import type { Database, JobQueue } from '@timeslot/ports';
import { createPaymentsService, type PaymentsService } from '@timeslot/payments';
import { signTimestamped } from '@timeslot/payments/gateways/signatures';
import { createSchedulingService, type SchedulingService } from '@timeslot/scheduling';
import { createCalendarService, type CalendarService } from '@timeslot/calendar';
import { startFakeGoogle, type FakeGoogle } from '@timeslot/calendar/test/fake-google';
import { collectExchanges, scenario, type Exchange } from './scenario';

/*
 * The OpenAPI document against the server it describes: the embedded app (gateway with identity,
 * scheduling, calendar and notifications mounted, one in-memory PGlite) is driven through a scenario that calls every
 * operation, successes and refusals alike, and every answer must be declared by its operation:
 * the status, the content type and the body's schema. The document itself must be valid OpenAPI
 * 3.1, and every operation in it must have been called (a new route needs a step in the scenario).
 */

interface Operation {
  operationId?: string;
  tags?: string[];
  responses: Record<string, { content?: Record<string, { schema?: unknown }> }>;
}

interface Document {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, unknown> };
}

const methods = ['get', 'put', 'post', 'delete', 'patch'] as const;
const logger = createLogger({ level: 'silent' });
const issuer = 'https://identity.contract.test';
const audience = 'timeslot-contract';
/** Small enough to send a body over it, large enough for every real request. */
const bodyLimit = 16 * 1024;
/** Per client address; the scenario spreads its calls over many addresses, the 429 step uses one. */
export const ipLimit = 25;

let database: Database;
let jobs: JobQueue;
let identity: IdentityService;
let scheduling: SchedulingService;
let notifications: NotificationsService;
let calendar: CalendarService;
let google: FakeGoogle;
let payments: PaymentsService;
let app: App;
const simulatorSecret = 'contract-test-simulator-secret-0123456789';
let current = Date.parse('2030-01-07T08:00:00.000Z');
let exchanges: Exchange[] = [];
let document: Document;

beforeAll(async () => {
  database = await createPgliteDatabase();
  const cache = createMemoryCache();
  const bus = createMemoryEventBus();
  const rateLimits = createMemoryRateLimitStore();
  jobs = createMemoryJobQueue();
  identity = await createIdentityService({
    database,
    cache,
    rateLimits,
    bus,
    logger,
    options: {
      issuer,
      audience,
      signingKeys: signingKeysFromJwks(await generateSigningKeysJson()),
      registrationLimit: { max: 1000, windowMs: 60_000 },
      loginLimits: { perAccount: { max: 2, windowMs: 60_000 }, perIp: { max: 1000, windowMs: 60_000 } },
    },
  });
  google = await startFakeGoogle();
  calendar = await createCalendarService({
    database,
    bus,
    logger,
    options: {
      tokenKey: randomBytes(32),
      sweepIntervalMs: 0,
      google: { clientId: google.clientId, clientSecret: google.clientSecret, redirectUrl: 'http://contract.test/api/v1/calendar/google/callback', apiUrl: google.url, oauthUrl: google.url },
    },
  });
  // The simulator without an address to post webhooks to: the scenario confirms its checkout
  // through the callback (POST /payments/{id}/verify) and signs one webhook itself.
  payments = await createPaymentsService({ database, bus, logger, gateway: { kind: 'simulator', secret: simulatorSecret }, options: { sweepIntervalMs: 0, now: () => new Date(current) } });
  scheduling = await createSchedulingService({
    database,
    cache,
    bus,
    jobs,
    logger,
    calendar: calendar.client,
    payments: payments.client,
    options: { now: () => new Date(current) },
  });
  // One live stream per user, so the scenario can show the 429 of a second one.
  // The API role: the contract is HTTP's (the email workers have tests of their own).
  notifications = await createNotificationsService({
    database,
    cache,
    bus,
    jobs,
    logger,
    roles: { api: true, worker: false },
    options: { now: () => new Date(current), maxStreamsPerUser: 1 },
  });
  await identity.migrate();
  await calendar.migrate();
  await scheduling.migrate();
  await notifications.migrate();
  await payments.migrate();
  app = await createGatewayApp({
    logger,
    rateLimits,
    verify: createTokenVerifier({ issuer, audience, keys: identity.keyResolver, accountStatus: createAccountStatusCheck({ cache, logger }) }),
    options: {
      bodyLimit,
      rateLimits: {
        ip: { max: ipLimit, windowMs: 60_000 },
        auth: { max: 1000, windowMs: 60_000 },
        user: { max: 1_000_000, windowMs: 1000 },
      },
    },
  });
  await app.register(identity.routes);
  await app.register(calendar.routes);
  await app.register(scheduling.routes);
  await app.register(notifications.routes);
  await app.register(payments.routes);
  await app.ready();
  await identity.start();
  await calendar.start();
  await scheduling.start();
  await notifications.start();
  await payments.start();

  const inject = (options: InjectOptions): Promise<LightMyRequestResponse> => app.inject(options);
  exchanges = await collectExchanges(inject, {
    identity,
    jobs,
    google,
    clock: {
      set: (iso) => {
        current = Date.parse(iso);
      },
    },
    signSimulatorWebhook: (body) => signTimestamped(simulatorSecret, body, Math.floor(current / 1000)),
  });
  document = (await app.inject({ method: 'GET', url: '/openapi.json' })).json<Document>();
}, 120_000);

afterAll(async () => {
  await app?.close();
  await notifications?.stop();
  await payments?.stop();
  await scheduling?.stop();
  await calendar?.stop();
  await identity?.stop();
  await google?.close();
  await jobs?.close();
  await database?.close();
});

/** The document's path template a request path belongs to; literal segments win over parameters. */
function templateOf(doc: Document, path: string): string | undefined {
  const candidates = Object.keys(doc.paths)
    .map((template) => ({
      template,
      params: (template.match(/\{/g) ?? []).length,
      regex: new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{[^}]+\\?\}/g, '[^/]+')}$`),
    }))
    .filter((candidate) => candidate.regex.test(path))
    .sort((a, b) => a.params - b.params);
  return candidates[0]?.template;
}

function mediaType(header: string | undefined): string | undefined {
  return header?.split(';')[0]?.trim().toLowerCase();
}

function pointer(...parts: string[]): string {
  return parts.map((part) => part.replaceAll('~', '~0').replaceAll('/', '~1')).join('/');
}

describe('the OpenAPI document', () => {
  it('is a valid OpenAPI 3.1 document', async () => {
    const result = await new Validator().validate(structuredClone(document) as unknown as Record<string, unknown>);
    expect(result.errors ?? [], JSON.stringify(result.errors, null, 2)).toEqual([]);
    expect(result.valid).toBe(true);
    expect(document.openapi).toBe('3.1.0');
  });

  it('gives every operation a unique operationId and tags, and every error a problem+json body', () => {
    const ids: string[] = [];
    for (const [path, item] of Object.entries(document.paths)) {
      for (const method of methods) {
        const operation = item[method];
        if (operation === undefined) continue;
        expect(operation.operationId, `${method} ${path}`).toMatch(/^[a-z][A-Za-z]+$/);
        expect(operation.tags?.length ?? 0, `${method} ${path}`).toBeGreaterThan(0);
        ids.push(operation.operationId ?? '');
        for (const [status, response] of Object.entries(operation.responses)) {
          if (Number(status) < 400) continue;
          expect(Object.keys(response.content ?? {}), `${method} ${path} ${status}`).toEqual(['application/problem+json']);
          expect(response.content?.['application/problem+json']?.schema).toEqual({ $ref: '#/components/schemas/Problem' });
        }
        // Every operation may meet a bad token and the gateway's rate limit.
        expect(Object.keys(operation.responses), `${method} ${path}`).toEqual(expect.arrayContaining(['401', '429', '503']));
      }
    }
    expect(new Set(ids).size).toBe(ids.length);
    // Explicit ids on the scheduling routes (the ones clients generate code from most).
    expect(ids).toEqual(expect.arrayContaining(['listSlots', 'createBooking', 'cancelBooking', 'joinWaitlist', 'getCalendarFeed']));
  });

  it('declares the calendar feed as text/calendar, the live stream as text/event-stream and the waitlist rule as oneOf', () => {
    const feed = document.paths['/api/v1/calendar-feeds/{token}.ics']?.get;
    expect(Object.keys(feed?.responses['200']?.content ?? {})).toEqual(['text/calendar']);
    const stream = document.paths['/api/v1/notifications/stream']?.get;
    expect(Object.keys(stream?.responses['200']?.content ?? {})).toEqual(['text/event-stream']);
    expect(exchanges.find((exchange) => exchange.step === 'open my live notification stream')?.body).toMatch(/^retry: \d+\n/);
    const join = document.paths['/api/v1/waitlist']?.post as unknown as { requestBody: { content: Record<string, { schema: Record<string, unknown> }> } };
    expect(join.requestBody.content['application/json']?.schema.oneOf).toEqual([{ required: ['start'] }, { required: ['date'] }]);
    const replace = document.paths['/api/v1/providers/{id}/availability']?.put as unknown as {
      requestBody: { content: Record<string, { schema: { properties: { overrides: { items: { properties: { date: { format: string } } } } } } }> };
    };
    expect(replace.requestBody.content['application/json']?.schema.properties.overrides.items.properties.date.format).toBe('date');
  });
});

describe('real responses against the document', () => {
  it('declares the status, content type and body of every response the scenario got', () => {
    const ajv = new Ajv2020({ strict: false, allErrors: true, validateSchema: false });
    addFormats(ajv);
    ajv.addSchema(document, 'openapi');
    const failures: string[] = [];
    for (const exchange of exchanges) {
      const template = templateOf(document, exchange.path);
      const where = `${exchange.step}: ${exchange.method} ${exchange.path} → ${exchange.status}`;
      if (template === undefined) {
        failures.push(`${where}: no path in the document`);
        continue;
      }
      const operation = document.paths[template]?.[exchange.method.toLowerCase()];
      if (operation === undefined) {
        failures.push(`${where}: no ${exchange.method} operation on ${template}`);
        continue;
      }
      const declared = operation.responses[String(exchange.status)];
      if (declared === undefined) {
        failures.push(`${where}: status not declared (declared: ${Object.keys(operation.responses).join(', ')})`);
        continue;
      }
      const content = declared.content;
      if (content === undefined) {
        if (exchange.body !== '') failures.push(`${where}: a body where the document declares none`);
        continue;
      }
      const type = mediaType(exchange.contentType);
      if (type === undefined || content[type] === undefined) {
        failures.push(`${where}: content type ${exchange.contentType} not declared (declared: ${Object.keys(content).join(', ')})`);
        continue;
      }
      const ref = `openapi#/${pointer('paths', template, exchange.method.toLowerCase(), 'responses', String(exchange.status), 'content', type, 'schema')}`;
      const validate = ajv.getSchema(ref);
      if (validate === undefined) {
        failures.push(`${where}: no schema at ${ref}`);
        continue;
      }
      const body: unknown = type.endsWith('json') ? JSON.parse(exchange.body) : exchange.body;
      if (!validate(body)) failures.push(`${where}: body does not match: ${ajv.errorsText(validate.errors)} in ${exchange.body.slice(0, 300)}`);
    }
    expect(failures).toEqual([]);
  });

  it('exercised every operation of the document, and each error status the issue lists', () => {
    const called = new Set(
      exchanges.map((exchange) => `${exchange.method.toLowerCase()} ${templateOf(document, exchange.path) ?? exchange.path}`),
    );
    const missing: string[] = [];
    for (const [path, item] of Object.entries(document.paths)) {
      for (const method of methods) if (item[method] !== undefined && !called.has(`${method} ${path}`)) missing.push(`${method} ${path}`);
    }
    expect(missing).toEqual([]);
    const statuses = new Set(exchanges.map((exchange) => exchange.status));
    for (const status of [200, 201, 204, 304, 400, 401, 403, 404, 409, 413, 415, 422, 429]) expect(statuses, String(status)).toContain(status);
    expect(scenario.length).toBeGreaterThan(0);
  });
});

describe('the merged document of a distributed gateway', () => {
  it('is valid OpenAPI 3.1 with unique operationIds, and adds 429, 502 and 504 to every proxied operation', async () => {
    const address = await app.listen({ host: '127.0.0.1', port: 0 });
    const gateway = await createGatewayApp({
      logger,
      rateLimits: createMemoryRateLimitStore(),
      verify: createTokenVerifier({ issuer, audience, keys: identity.keyResolver }),
      options: { docs: false },
    });
    try {
      // Two services served by one upstream: the merge must fold the same document in twice cleanly.
      await registerProxy(gateway, {
        routes: [
          { prefix: '/api/v1/auth', upstreams: [address], service: 'identity' },
          { prefix: '/api/v1/bookings', upstreams: [address], service: 'scheduling' },
        ],
        logger,
      });
      await gateway.ready();
      const merged = (await gateway.inject({ method: 'GET', url: '/openapi.json' })).json<Document>();
      const result = await new Validator().validate(structuredClone(merged) as unknown as Record<string, unknown>);
      expect(result.errors ?? []).toEqual([]);
      const ids: string[] = [];
      for (const item of Object.values(merged.paths)) {
        for (const method of methods) {
          const operation = item[method];
          if (operation === undefined) continue;
          ids.push(operation.operationId ?? '');
          expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(['429', '502', '503', '504']));
        }
      }
      expect(ids.length).toBe(Object.values(document.paths).flatMap((item) => methods.filter((m) => item[m] !== undefined)).length);
      expect(new Set(ids).size).toBe(ids.length);
    } finally {
      await gateway.close();
    }
  });
});
