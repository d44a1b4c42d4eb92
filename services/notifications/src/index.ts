import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { createEventOutbox, createOutboxRelay, loadMigrations, migrate, outboxMigrations, registerOutboxLagMetric } from '@timeslot/adapters';
import type { Logger, ServiceModule } from '@timeslot/kernel';
import type { Cache, Database, EventBus, JobQueue, JobWorker, Subscription } from '@timeslot/ports';
import { resolveOptions, type NotificationsContext, type NotificationsOptions } from './context';

export type { NotificationsOptions } from './context';
export { emailQueue } from './context';

/** The paths the gateway routes to notifications; known without building the service. */
export const notificationsPrefixes = ['/api/v1/notifications'] as const;

/**
 * What this process does of the service. API replicas serve the inbox and consume events (which
 * store entries and write the emails to send); workers send emails and reminders. Embedded mode
 * runs both; distributed mode scales them apart (`--services notifications` and
 * `--services notifications-worker`).
 */
export interface NotificationsRoles {
  readonly api: boolean;
  readonly worker: boolean;
}

export interface NotificationsDeps {
  readonly database: Database;
  readonly cache: Cache;
  readonly bus: EventBus;
  readonly jobs: JobQueue;
  readonly logger: Logger;
  readonly roles?: NotificationsRoles;
  readonly options?: NotificationsOptions;
}

export interface NotificationsService extends ServiceModule {
  /** For tests and operators: the context the domain runs on. */
  readonly context: NotificationsContext;
}

const migrationsDir = new URL('../migrations/', import.meta.url);

/**
 * The in-app inbox, email delivery and reminders. Consumes user.*, booking.* and waitlist.offered
 * events; never reads another service's tables.
 */
export async function createNotificationsService(deps: NotificationsDeps): Promise<NotificationsService> {
  const options = resolveOptions(deps.options);
  const roles = deps.roles ?? { api: true, worker: true };
  const relay = createOutboxRelay({ database: deps.database, schema: options.schema, bus: deps.bus, logger: deps.logger });
  const context: NotificationsContext = {
    database: deps.database,
    cache: deps.cache,
    bus: deps.bus,
    jobs: deps.jobs,
    outbox: createEventOutbox(options.schema, relay),
    logger: deps.logger,
    options,
  };
  const subscriptions: Subscription[] = [];
  const workers: JobWorker[] = [];

  const routes: FastifyPluginAsync = async (instance) => {
    const app = instance.withTypeProvider<ZodTypeProvider>();
    registerOutboxLagMetric(app.metrics.registry, 'notifications', relay);
    if (!roles.api) return;
  };

  return {
    name: 'notifications',
    prefixes: roles.api ? notificationsPrefixes : [],
    routes,
    context,
    async migrate() {
      await migrate(deps.database, { schema: options.schema, migrations: [...outboxMigrations, ...(await loadMigrations(migrationsDir))] });
    },
    async start() {
      relay.start();
    },
    async stop() {
      await Promise.all(subscriptions.map((subscription) => subscription.close()));
      subscriptions.length = 0;
      await Promise.all(workers.map((worker) => worker.close()));
      workers.length = 0;
      await relay.stop();
    },
  };
}
