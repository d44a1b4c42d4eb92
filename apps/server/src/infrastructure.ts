import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Cache, Database, EventBus, JobQueue, RateLimitStore } from '@timeslot/ports';
import {
  createBullMqJobQueue,
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
import type { Logger } from '@timeslot/kernel';
import type { Config, Mode } from './config';
import { acquireDataLock, type DataLock } from './data-lock';

/** The adapters behind every port, chosen here and nowhere else. */
export interface Infrastructure {
  readonly database: Database | undefined;
  readonly cache: Cache;
  readonly rateLimits: RateLimitStore;
  readonly bus: EventBus;
  readonly jobs: JobQueue;
  /** Dependencies /readyz checks. */
  readonly readiness: Record<string, () => Promise<void>>;
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
      await parts.database?.close();
      await parts.dataLock?.release();
    },
  };
}

export async function createInfrastructure(mode: Mode, config: Config, needs: InfrastructureNeeds, logger: Logger): Promise<Infrastructure> {
  if (mode === 'embedded') return embedded(config, needs);
  return needs.databaseOnly === true ? databaseOnly(config) : distributed(config, needs, logger);
}

async function embedded(config: Config, needs: InfrastructureNeeds): Promise<Infrastructure> {
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
  const bus = createMemoryEventBus();
  const jobs = createMemoryJobQueue();
  return withClose({ database, cache, rateLimits, bus, jobs, dataLock, readiness: database === undefined ? {} : { database: () => database.ping() } });
}

async function databaseOnly(config: Config): Promise<Infrastructure> {
  if (config.DATABASE_URL === undefined) throw new Error('DATABASE_URL is required in distributed mode');
  const database = await createPostgresDatabase({ url: config.DATABASE_URL, poolSize: 2, applicationName: 'timeslot-cli' });
  return withClose({
    database,
    cache: createMemoryCache(),
    rateLimits: createMemoryRateLimitStore(),
    bus: createMemoryEventBus(),
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
  const cache = createRedisCache({ url: redisUrl, keyPrefix: `${config.NAMESPACE}:cache:` });
  const rateLimits = createRedisRateLimitStore({ url: redisUrl, keyPrefix: `${config.NAMESPACE}:rl:` });
  // A gateway-only process publishes, consumes and enqueues nothing; it still gets a bus and a
  // job queue so the types are uniform, but in-process ones that open no connection.
  const jobs = needs.database ? createBullMqJobQueue({ url: redisUrl, prefix: config.NAMESPACE }) : createMemoryJobQueue();
  const bus = needs.database ? createRabbitMqEventBus({ url: required('AMQP_URL'), exchange: `${config.NAMESPACE}.events`, logger }) : createMemoryEventBus();
  const readiness: Record<string, () => Promise<void>> = {
    redis: () => cache.ping(),
  };
  if (database !== undefined) readiness.database = () => database.ping();
  if (needs.database) readiness.broker = () => bus.ping();
  return withClose({ database, cache, rateLimits, bus, jobs, readiness });
}
