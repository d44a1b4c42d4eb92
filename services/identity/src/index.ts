import type { FastifyPluginAsync } from 'fastify';
import type { JWTVerifyGetKey } from 'jose';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { createOutboxRelay, loadMigrations, migrate, outboxMigrations, registerOutboxLagMetric } from '@timeslot/adapters';
import type { Logger, ServiceModule } from '@timeslot/kernel';
import type { Cache, Database, EventBus, RateLimitStore } from '@timeslot/ports';
import { registerAccountRoutes } from './account.routes';
import { createAccountService } from './account.service';
import { createAttemptLimits } from './attempt-limits';
import { registerAuthRoutes } from './auth.routes';
import { createAuthService, type NewAdmin } from './auth.service';
import { registerJwksRoutes } from './jwks.routes';
import { resolveOptions, type IdentityOptions } from './options';
import { createEventOutbox } from '@timeslot/adapters';
import { registerHashQueueMetrics, createHashQueue } from './hash-queue';
import { createDummyHash } from './passwords';
import { createRefreshTokenRepository } from './refresh-token.repository';
import { localKeyResolver } from './signing-keys';
import { identityTables } from './tables';
import { createAccessTokenIssuer } from './tokens';
import { createUserRepository } from './user.repository';
import { registerUserRoutes } from './user.routes';
import type { User } from './user.schemas';
import { createUserService } from './user.service';

export { identityErrorCodes, identityErrors, type IdentityErrorCode } from './errors';
export type { IdentityOptions, Limit } from './options';
export { passwordHashOptions } from './passwords';
export {
  generateSigningKeysJson,
  loadOrCreateSigningKeys,
  localKeyResolver,
  publicJwks,
  signingAlgorithm,
  signingKeysFromJwks,
  type SigningKey,
  type SigningKeys,
} from './signing-keys';
export type { Session } from './auth.schemas';
export { newAdminSchema, type NewAdmin } from './auth.service';
export type { User } from './user.schemas';

export interface IdentityDeps {
  readonly database: Database;
  readonly cache: Cache;
  readonly rateLimits: RateLimitStore;
  readonly bus: EventBus;
  readonly logger: Logger;
  readonly options: IdentityOptions;
}

export interface IdentityService extends ServiceModule {
  /** For `timeslot create-admin`: idempotent for an existing admin, EMAIL_TAKEN for anyone else. */
  createAdmin(input: NewAdmin): Promise<User>;
  /** Verifies this service's access tokens in-process (for createTokenVerifier). */
  readonly keyResolver: JWTVerifyGetKey;
}

const migrationsDir = new URL('../migrations/', import.meta.url);

/** Refresh tokens are deleted this long after they expire (see `deleteExpired`), hourly. */
const refreshTokenRetentionMs = 7 * 24 * 3_600_000;
const refreshTokenPruneIntervalMs = 3_600_000;
/**
 * Account-status entries outlive the access tokens they concern by this much: the verifiers'
 * clock tolerance (5 s) with room to spare. They are re-written from the database at start and
 * then every `accountStatusReseedIntervalMs`, so a cache restart forgets them for at most that long.
 */
const accountStatusSlackMs = 60_000;
const accountStatusReseedIntervalMs = 60_000;

/**
 * Runs `work` `firstDelayMs` after `start()` (default at once), then `intervalMs` after each run ends, until `stop()`, which
 * waits for a run in progress. `work` must not reject. The timer is unref'd: this alone keeps no
 * process alive.
 */
function periodically(intervalMs: number, work: () => Promise<void>): { start(firstDelayMs?: number): void; stop(): Promise<void> } {
  let started = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  function schedule(delayMs: number): void {
    if (!started) return;
    clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      running = work().then(() => schedule(intervalMs));
    }, delayMs);
    timer.unref();
  }
  return {
    start(firstDelayMs = 0): void {
      if (started) return;
      started = true;
      schedule(firstDelayMs);
    },
    async stop(): Promise<void> {
      started = false;
      clearTimeout(timer);
      timer = undefined;
      await running;
    },
  };
}

/** The paths the gateway routes to identity; known without building the service. */
export const identityPrefixes = ['/api/v1/auth', '/api/v1/users', '/.well-known/jwks.json'] as const;

/**
 * Users, password sign-in, access and refresh tokens, the JWKS. The routes plugin does not install
 * authentication: the composition root calls installAuth once per app, with a verifier over
 * `keyResolver` (or the remote JWKS), before registering it.
 */
export async function createIdentityService(deps: IdentityDeps): Promise<IdentityService> {
  const options = resolveOptions(deps.options);
  const { database, logger } = deps;
  const tables = identityTables(options.schema);
  const users = createUserRepository(tables);
  const relay = createOutboxRelay({ database, schema: options.schema, bus: deps.bus, logger });
  const outbox = createEventOutbox(options.schema, relay);
  const refreshTokens = createRefreshTokenRepository(tables);
  const tokenPruner = periodically(refreshTokenPruneIntervalMs, async () => {
    try {
      const deleted = await refreshTokens.deleteExpired(database.db, { retentionMs: refreshTokenRetentionMs, batchSize: 1000 });
      if (deleted > 0) logger.info({ deleted }, 'expired refresh tokens deleted');
    } catch (error) {
      logger.error({ err: error }, 'could not delete expired refresh tokens; will retry');
    }
  });

  const hashes = createHashQueue(options.passwordHashing);
  const auth = createAuthService({
    database,
    users,
    refreshTokens,
    limits: createAttemptLimits(deps.rateLimits, { login: options.loginLimits, registration: options.registrationLimit }, logger),
    outbox,
    issueAccessToken: createAccessTokenIssuer({
      keys: options.signingKeys,
      issuer: options.issuer,
      audience: options.audience,
      ttlSeconds: options.accessTokenTtlSeconds,
    }),
    refreshTokenTtlSeconds: options.refreshTokenTtlSeconds,
    dummyHash: await createDummyHash(),
    hashes,
    logger,
  });
  const profiles = createUserService({ database, users, cache: deps.cache, outbox, cacheTtlMs: options.profileCacheTtlMs });
  const accounts = createAccountService({
    database,
    users,
    refreshTokens,
    cache: deps.cache,
    outbox,
    logger,
    statusTtlMs: options.accessTokenTtlSeconds * 1000 + accountStatusSlackMs,
  });
  const reseedStatuses = async (): Promise<void> => {
    try {
      const count = await accounts.reseed();
      if (count > 0) logger.info({ count }, 'account statuses re-seeded into the cache');
    } catch (error) {
      logger.error({ err: error }, 'could not re-seed account statuses into the cache; will retry');
    }
  };
  const statusReseeder = periodically(accountStatusReseedIntervalMs, reseedStatuses);

  const routes: FastifyPluginAsync = async (instance) => {
    const app = instance.withTypeProvider<ZodTypeProvider>();
    registerOutboxLagMetric(app.metrics.registry, 'identity', relay);
    registerHashQueueMetrics(app.metrics.registry, hashes);
    registerAuthRoutes(app, auth, accounts);
    registerUserRoutes(app, profiles);
    registerAccountRoutes(app, accounts);
    registerJwksRoutes(app, options.signingKeys);
  };

  return {
    name: 'identity',
    prefixes: identityPrefixes,
    routes,
    keyResolver: localKeyResolver(options.signingKeys),
    async migrate() {
      const migrations = [...outboxMigrations, ...(await loadMigrations(migrationsDir))];
      await migrate(database, { schema: options.schema, migrations });
    },
    async start() {
      relay.start();
      tokenPruner.start();
      // Before serving: a cache that restarted with us must learn the disabled accounts first.
      await reseedStatuses();
      statusReseeder.start(accountStatusReseedIntervalMs);
    },
    async stop() {
      await Promise.all([relay.stop(), tokenPruner.stop(), statusReseeder.stop()]);
    },
    createAdmin: (input) => auth.createAdmin(input),
  };
}
