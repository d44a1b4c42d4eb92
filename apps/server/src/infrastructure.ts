import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Queue } from 'bullmq';
import type { Cache, Database, EventBus, JobQueue, RateLimitStore } from '@timeslot/ports';
import {
  createBullMqJobQueue,
  createFallbackRateLimitStore,
  createLeasedRateLimitStore,
  createMemoryCache,
  createMemoryEventBus,
  createMemoryJobQueue,
  createMemoryRateLimitStore,
  createPgliteDatabase,
  createPostgresDatabase,
  createRabbitMqEventBus,
  createRedisCache,
  createRedisRateLimitStore,
} from '@timeslot/adapters';
import type { Logger, ReadinessCheck } from '@timeslot/kernel';
import type { Config, Mode } from './config';
import { acquireDataLock, type DataLock } from './data-lock';

/** The adapters behind every port, chosen here and nowhere else. */
export interface Infrastructure {
  readonly database: Database | undefined;
  readonly cache: Cache;
  readonly rateLimits: RateLimitStore;
  /**
   * Identity's brute-force budgets: the shared store, falling back to this process's memory while
   * it fails, so sign-in neither stops nor goes unlimited when Redis does.
   */
  readonly attemptLimits: RateLimitStore;
  readonly bus: EventBus;
  readonly jobs: JobQueue;
  /** Distributed mode: the BullMQ queues behind `jobs`, by name, for the queue board. */
  readonly bullQueues?: (names: readonly string[]) => Queue[];
  /** Dependencies /readyz checks; Redis is not critical (a cache and a job transport, see docs/architecture.md). */
  readonly readiness: Record<string, ReadinessCheck>;
  /** Embedded mode: this process's lock on DATA_DIR, released by close(). */
  readonly dataLock?: DataLock;
  close(): Promise<void>;
}

export interface InfrastructureNeeds {
  /** Whether any local service keeps data (the gateway alone does not). */
  readonly database: boolean;
  /**
   * Only the database: in-process cache, bus, jobs and limits even in distributed mode (for
   * `migrate` and `create-admin`, which need no Redis or RabbitMQ).
   */
  readonly databaseOnly?: boolean;
  /** What this process is, recorded in the data directory's lock for whoever finds it taken. */
  readonly command?: string;
}

/** Close in dependency order: consumers of work first, the database last. */
function withClose(parts: Omit<Infrastructure, 'close'>): Infrastructure {
  return {
    ...parts,
    async close() {
      await parts.jobs.close();
      await parts.bus.close();
      await parts.cache.close();
      await parts.rateLimits.close();
      if (parts.attemptLimits !== parts.rateLimits) await parts.attemptLimits.close();
      await parts.database?.close();
      await parts.dataLock?.release();
    },
  };
}

export async function createInfrastructure(mode: Mode, config: Config, needs: InfrastructureNeeds, logger: Logger): Promise<Infrastructure> {
  if (mode === 'embedded') return embedded(config, needs, logger);
  return needs.databaseOnly === true ? databaseOnly(config, logger) : distributed(config, needs, logger);
}

async function embedded(config: Config, needs: InfrastructureNeeds, logger: Logger): Promise<Infrastructure> {
  let database: Database | undefined;
  let dataLock: DataLock | undefined;
  if (needs.database) {
    // Before PGlite opens a file: a second process on the same files would lose writes.
    dataLock = await acquireDataLock(path.resolve(config.DATA_DIR), needs.command ?? 'timeslot');
    try {
      const dataDir = path.resolve(config.DATA_DIR, 'pglite');
      await mkdir(dataDir, { recursive: true });
      database = await createPgliteDatabase({ dataDir });
    } catch (error) {
      await dataLock.release();
      throw error;
    }
  }
  const cache = createMemoryCache();
  const rateLimits = createMemoryRateLimitStore();
  // Through the process's logger: everything it prints is one JSON object per line.
  const bus = createMemoryEventBus({ logger });
  const jobs = createMemoryJobQueue();
  return withClose({ database, cache, rateLimits, attemptLimits: rateLimits, bus, jobs, dataLock, readiness: database === undefined ? {} : { database: () => database.ping() } });
}

async function databaseOnly(config: Config, logger: Logger): Promise<Infrastructure> {
  if (config.DATABASE_URL === undefined) throw new Error('DATABASE_URL is required in distributed mode');
  const database = await createPostgresDatabase({ url: config.DATABASE_URL, poolSize: 2, applicationName: 'timeslot-cli' });
  const rateLimits = createMemoryRateLimitStore();
  return withClose({
    database,
    cache: createMemoryCache(),
    rateLimits,
    attemptLimits: rateLimits,
    bus: createMemoryEventBus({ logger }),
    jobs: createMemoryJobQueue(),
    readiness: { database: () => database.ping() },
  });
}

async function distributed(config: Config, needs: InfrastructureNeeds, logger: Logger): Promise<Infrastructure> {
  const required = (name: 'DATABASE_URL' | 'REDIS_URL' | 'AMQP_URL'): string => {
    const value = config[name];
    // checkDistributed() has already refused to start without these; this keeps the types honest.
    if (value === undefined) throw new Error(`${name} is required in distributed mode`);
    return value;
  };
  const database = needs.database
    ? await createPostgresDatabase({ url: required('DATABASE_URL'), poolSize: config.DATABASE_POOL_SIZE, applicationName: 'timeslot' })
    : undefined;
  const redisUrl = required('REDIS_URL');
  const cache = createRedisCache({ url: redisUrl, keyPrefix: `${config.NAMESPACE}:cache:`, logger });
  // One count per hit in Redis for identity's attempt limits; the gateway's per-request limits take
  // that budget in leases instead of a round trip per request (see createLeasedRateLimitStore).
  const sharedLimits = createRedisRateLimitStore({ url: redisUrl, keyPrefix: `${config.NAMESPACE}:rl:`, logger });
  const rateLimits = createLeasedRateLimitStore({ shared: sharedLimits });
  // A gateway-only process publishes, consumes and enqueues nothing; it still gets a bus and a
  // job queue so the types are uniform, but in-process ones that open no connection.
  const bullMq = needs.database ? createBullMqJobQueue({ url: redisUrl, prefix: config.NAMESPACE, logger }) : undefined;
  const jobs = bullMq ?? createMemoryJobQueue();
  const bus = needs.database ? createRabbitMqEventBus({ url: required('AMQP_URL'), exchange: `${config.NAMESPACE}.events`, logger }) : createMemoryEventBus({ logger });
  const readiness: Record<string, ReadinessCheck> = {
    // Without Redis reads go to the database, jobs are re-armed by sweeps and rate limits fail
    // open: degraded, not down.
    redis: { check: () => cache.ping(), critical: false },
  };
  if (database !== undefined) readiness.database = () => database.ping();
  if (needs.database) readiness.broker = () => bus.ping();
  const attemptLimits = createFallbackRateLimitStore({ shared: sharedLimits, logger });
  const bullQueues = bullMq === undefined ? undefined : (names: readonly string[]) => names.map((name) => bullMq.queue(name));
  return withClose({ database, cache, rateLimits, attemptLimits, bus, jobs, readiness, ...(bullQueues === undefined ? {} : { bullQueues }) });
}
