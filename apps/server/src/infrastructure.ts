import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Queue } from 'bullmq';
import type { Cache, Database, EventBus, JobQueue, RateLimitStore } from '@timeslot/ports';
import { createMemoryCache, createMemoryEventBus, createMemoryJobQueue, createMemoryRateLimitStore, createPgliteDatabase } from '@timeslot/adapters';
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

/** What each mode's adapters are; createInfrastructure adds close(). */
export type InfrastructureParts = Omit<Infrastructure, 'close'>;

/** Close in dependency order: consumers of work first, the database last. */
function withClose(parts: InfrastructureParts): Infrastructure {
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
  if (mode === 'embedded') return withClose(await embedded(config, needs, logger));
  // Loaded only here: an embedded process never loads the PostgreSQL, Redis, BullMQ and RabbitMQ clients.
  const { databaseOnly, distributed } = await import('./infrastructure.distributed');
  return withClose(needs.databaseOnly === true ? await databaseOnly(config, logger) : await distributed(config, needs, logger));
}

async function embedded(config: Config, needs: InfrastructureNeeds, logger: Logger): Promise<InfrastructureParts> {
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
  return { database, cache, rateLimits, attemptLimits: rateLimits, bus, jobs, dataLock, readiness: database === undefined ? {} : { database: () => database.ping() } };
}
