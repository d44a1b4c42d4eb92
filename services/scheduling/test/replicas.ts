import { randomUUID } from 'node:crypto';
import { generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { createMemoryCache, createMemoryEventBus, createPostgresDatabase } from '@timeslot/adapters';
import { createHttpServer, createLogger, createTokenVerifier, installAuth, type App } from '@timeslot/kernel';
import type { Cache, Database, EventBus, JobQueue, Role } from '@timeslot/ports';
import { testServers } from '@timeslot/testing';
import { createSchedulingService, type SchedulingOptions, type SchedulingService } from '../src/index';

/*
 * Scheduling replicas on the real PostgreSQL, without identity: tests sign access tokens with a
 * key of their own, as identity would, and every replica verifies them with its public half.
 */

export interface TestIssuer {
  readonly issuer: string;
  readonly audience: string;
  readonly publicKey: CryptoKey;
  /** An access token for `userId` (a new one by default) with `role`, valid 10 minutes. */
  token(role: Role, userId?: string): Promise<string>;
}

export async function createTestIssuer(issuer: string, audience: string): Promise<TestIssuer> {
  const { publicKey, privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
  return {
    issuer,
    audience,
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

export interface Replica<Jobs extends JobQueue> {
  readonly app: App;
  readonly service: SchedulingService;
  readonly database: Database;
  readonly cache: Cache;
  readonly bus: EventBus;
  readonly jobs: Jobs;
}

/**
 * One replica: its own pg pool, in-process cache and bus, the given job queue and its own app,
 * migrated (replicas started together migrate at once) and, with `start`, running its workers.
 */
export async function startReplica<Jobs extends JobQueue>(input: {
  readonly name: string;
  readonly issuer: TestIssuer;
  readonly jobs: Jobs;
  readonly poolSize: number;
  readonly options: SchedulingOptions & { schema: string };
  readonly start?: boolean;
}): Promise<Replica<Jobs>> {
  const { name, issuer, jobs, options } = input;
  const logger = createLogger({ level: 'silent' });
  const database = await createPostgresDatabase({ url: testServers.postgres, poolSize: input.poolSize, applicationName: `${options.schema}_${name}` });
  const cache = createMemoryCache();
  const bus = createMemoryEventBus();
  const service = await createSchedulingService({ database, cache, bus, jobs, logger, options });
  await service.migrate();
  const app = await createHttpServer({ service: `scheduling-${name}`, logger });
  installAuth(app, createTokenVerifier({ issuer: issuer.issuer, audience: issuer.audience, keys: async () => issuer.publicKey }));
  await app.register(service.routes);
  await app.ready();
  if (input.start) await service.start();
  return { app, service, database, cache, bus, jobs };
}
