import { createMemoryCache, createMemoryEventBus, createMemoryRateLimitStore, createPgliteDatabase } from '@timeslot/adapters';
import { createAccountStatusCheck, createHttpServer, createLogger, createTokenVerifier, installAuth, type App } from '@timeslot/kernel';
import type { Cache, Database, EventBus, RateLimitStore } from '@timeslot/ports';
import {
  createIdentityService,
  generateSigningKeysJson,
  signingKeysFromJwks,
  type IdentityOptions,
  type IdentityService,
  type SigningKeys,
} from '../src/index';

export const issuer = 'https://identity.test';
export const audience = 'timeslot-test';

export interface Harness {
  readonly app: App;
  readonly service: IdentityService;
  readonly database: Database;
  readonly cache: Cache;
  readonly rateLimits: RateLimitStore;
  readonly bus: EventBus;
  readonly signingKeys: SigningKeys;
  close(): Promise<void>;
}

export interface HarnessOptions {
  readonly options?: Partial<IdentityOptions>;
  /** Defaults to a fresh in-memory PGlite, closed by `close()`. */
  readonly database?: Database;
  /** Defaults to a fresh in-memory store, closed by `close()`; one given is left open. */
  readonly rateLimits?: RateLimitStore;
  /** Defaults to a fresh in-memory cache, closed by `close()`; one given is left open. */
  readonly cache?: Cache;
  /** The verifier's account-status memo (default 0: every request reads the cache, so tests see a change at once). */
  readonly accountStatusMemoMs?: number;
}

/** The service mounted the way the composition root mounts it: installAuth once, then the routes. */
export async function createHarness(harness: HarnessOptions = {}): Promise<Harness> {
  const database = harness.database ?? (await createPgliteDatabase());
  const cache = harness.cache ?? createMemoryCache();
  const rateLimits = harness.rateLimits ?? createMemoryRateLimitStore();
  const bus = createMemoryEventBus();
  const logger = createLogger({ level: 'silent' });
  const signingKeys = harness.options?.signingKeys ?? signingKeysFromJwks(await generateSigningKeysJson());
  const service = await createIdentityService({
    database,
    cache,
    rateLimits,
    bus,
    logger,
    options: { issuer, audience, ...harness.options, signingKeys },
  });
  await service.migrate();
  const app = await createHttpServer({ service: 'identity', logger });
  const accountStatus = createAccountStatusCheck({ cache, logger, memoMs: harness.accountStatusMemoMs ?? 0 });
  installAuth(app, createTokenVerifier({ issuer, audience, keys: service.keyResolver, accountStatus }));
  await app.register(service.routes);
  await app.ready();
  return {
    app,
    service,
    database,
    cache,
    rateLimits,
    bus,
    signingKeys,
    async close() {
      await app.close();
      await service.stop();
      await bus.close();
      if (harness.cache === undefined) await cache.close();
      if (harness.rateLimits === undefined) await rateLimits.close();
      if (harness.database === undefined) await database.close();
    },
  };
}

let counter = 0;

/** An address no other test of the file uses (the service lowercases nothing it stores). */
export function uniqueEmail(prefix = 'user'): string {
  counter += 1;
  return `${prefix}${counter}.${Date.now().toString(36)}@example.com`;
}

export const password = 'correct horse battery';

export interface RegisterBody {
  email?: unknown;
  password?: unknown;
  name?: unknown;
  role?: unknown;
  timeZone?: unknown;
  locale?: unknown;
}

export function register(app: App, body: RegisterBody, remoteAddress = '127.0.0.1') {
  return app.inject({
    method: 'POST',
    url: '/api/v1/auth/register',
    payload: { password, name: 'Test User', role: 'client', ...body },
    remoteAddress,
  });
}

export function login(app: App, email: string, pass: string, remoteAddress = '127.0.0.1') {
  return app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password: pass }, remoteAddress });
}

/** A registered user's session (asserts the registration worked). */
export async function registered(app: App, body: RegisterBody = {}): Promise<SessionBody> {
  const response = await register(app, { email: uniqueEmail(), ...body });
  if (response.statusCode !== 201) throw new Error(`registration failed: ${response.statusCode} ${response.body}`);
  return response.json();
}

export interface SessionBody {
  user: { id: string; email: string; name: string; role: string; timeZone: string; locale: string; createdAt: string; updatedAt: string };
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
}

/** A problem body without what differs per request. */
export function stable(body: Record<string, unknown>): Record<string, unknown> {
  const { requestId: _requestId, instance: _instance, ...rest } = body;
  return rest;
}

export async function countRows(database: Database, table: 'users' | 'refresh_tokens' | 'outbox', schema = 'identity'): Promise<number> {
  const rows = await database.query<{ count: string }>(`select count(*)::text as count from "${schema}".${table}`);
  return Number(rows[0]?.count ?? 0);
}

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  code: string;
  detail?: string;
  instance?: string;
  requestId?: string;
  errors?: Array<{ path: string; message: string }>;
}

export { fieldPaths } from '@timeslot/testing';
