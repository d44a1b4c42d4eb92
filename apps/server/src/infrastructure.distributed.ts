import {
  createBullMqJobQueue,
  createFallbackRateLimitStore,
  createLeasedRateLimitStore,
  createMemoryCache,
  createMemoryEventBus,
  createMemoryJobQueue,
  createMemoryRateLimitStore,
  createPostgresDatabase,
  createRabbitMqEventBus,
  createRedisCache,
  createRedisRateLimitStore,
} from '@timeslot/adapters';
import type { Logger, ReadinessCheck } from '@timeslot/kernel';
import type { Config } from './config';
import type { InfrastructureNeeds, InfrastructureParts } from './infrastructure';

/*
 * The distributed adapters (PostgreSQL, Redis, BullMQ, RabbitMQ), apart from infrastructure.ts so
 * that an embedded process does not load their clients (createInfrastructure imports this lazily).
 */

export async function databaseOnly(config: Config, logger: Logger): Promise<InfrastructureParts> {
  if (config.DATABASE_URL === undefined) throw new Error('DATABASE_URL is required in distributed mode');
  const database = await createPostgresDatabase({ url: config.DATABASE_URL, poolSize: 2, applicationName: 'timeslot-cli' });
  const rateLimits = createMemoryRateLimitStore();
  return {
    database,
    cache: createMemoryCache(),
    rateLimits,
    attemptLimits: rateLimits,
    bus: createMemoryEventBus({ logger }),
    jobs: createMemoryJobQueue(),
    readiness: { database: () => database.ping() },
  };
}

export async function distributed(config: Config, needs: InfrastructureNeeds, logger: Logger): Promise<InfrastructureParts> {
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
  return { database, cache, rateLimits, attemptLimits, bus, jobs, readiness, ...(bullQueues === undefined ? {} : { bullQueues }) };
}
