import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { Gauge, type Registry } from 'prom-client';
import type { Queue } from 'bullmq';
import {
  createEventOutbox,
  createOutboxRelay,
  loadMigrations,
  migrate,
  outboxMigrations,
  registerJobQueueMetrics,
  registerOutboxLagMetric,
} from '@timeslot/adapters';
import type { Logger, ServiceModule, TokenVerifier } from '@timeslot/kernel';
import type { Cache, Database, EventBus, JobQueue, JobWorker, Subscription } from '@timeslot/ports';
import { resolveOptions, type NotificationsContext, type NotificationsOptions } from './context';
import { queueAdminErrorCodes } from './admin/queue-admin.errors';
import { registerQueueAdminRoutes } from './admin/queue-admin.routes';
import { emailQueue } from './context';
import { registerDevMailRoutes } from './email/dev-mail.routes';
import { createEmailQueue } from './delivery/email.queue';
import { startEmailWorkers } from './email/email.worker';
import { consumeEvents } from './events/event.consumer';
import { registerInboxRoutes } from './inbox/inbox.routes';
import { inboxErrorCodes } from './notifications.errors';
import { registerPreferenceRoutes } from './preferences/preference.routes';
import { createNotificationsStore } from './store';
import { createStreamHub, type StreamHub } from './stream/stream.hub';
import { registerStreamRoutes } from './stream/stream.routes';
import { followNotifications } from './stream/stream.service';
import { notificationsTables } from './tables';

export type { NotificationsContext, NotificationsOptions } from './context';
export { emailQueue } from './context';
export type { EmailData, EmailJob } from './email/email.data';
export { notificationKinds, defaultChannels, type Channel, type NotificationKind } from './kinds';

/** Every code the notifications service returns besides the common ones; docs/errors.md lists them. */
export const notificationsErrorCodes = { ...inboxErrorCodes, ...queueAdminErrorCodes } as const;
export { consumerName as notificationsConsumerName, handleEvent as handleNotificationEvent } from './events/event.consumer';

/**
 * The paths the gateway routes to notifications; known without building the service. The queue
 * admin API and the queue board (distributed mode) are served here because this service owns the
 * busiest queue; they show every queue of the installation.
 */
export const notificationsPrefixes = ['/api/v1/notifications', '/api/v1/admin/queues', '/admin/queues'] as const;

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
  /** Every job queue of the installation, for the admin API and the queue metrics (default: the email queue). */
  readonly queues?: readonly string[];
  /** Serve the Bull Board at /admin/queues (distributed mode: BullMQ queues, admins only). */
  readonly board?: { readonly queues: readonly Queue[]; readonly verify: TokenVerifier };
  /** Serve /dev/mail, the .eml messages written without SMTP (embedded mode only). */
  readonly devMail?: boolean;
}

export interface NotificationsService extends ServiceModule {
  /** For tests and operators: the context the domain runs on. */
  readonly context: NotificationsContext;
  /** This process's open live streams. */
  readonly streams: Pick<StreamHub, 'size' | 'closeAll'>;
}

const migrationsDir = new URL('../migrations/', import.meta.url);

function registerStreamGauge(registry: Registry, hub: StreamHub): void {
  if (registry.getSingleMetric('notifications_live_streams') !== undefined) return;
  new Gauge({
    name: 'notifications_live_streams',
    help: 'Live notification streams (Server-Sent Events) open on this process',
    registers: [registry],
    collect() {
      this.set(hub.size());
    },
  });
}

/**
 * The in-app inbox, email delivery and reminders. Consumes user.*, booking.*, waitlist.offered and
 * meeting.ready events; never reads another service's tables. The routes plugin does not install
 * authentication: the composition root calls installAuth once per app before registering it.
 */
export async function createNotificationsService(deps: NotificationsDeps): Promise<NotificationsService> {
  const options = resolveOptions(deps.options);
  const roles = deps.roles ?? { api: true, worker: true };
  const relay = createOutboxRelay({ database: deps.database, schema: options.schema, bus: deps.bus, logger: deps.logger });
  const tables = notificationsTables(options.schema);
  const store = createNotificationsStore(tables);
  const context: NotificationsContext = {
    database: deps.database,
    cache: deps.cache,
    bus: deps.bus,
    jobs: deps.jobs,
    outbox: createEventOutbox(options.schema, relay),
    logger: deps.logger,
    options,
    tables,
    store,
    emails: createEmailQueue({
      database: deps.database,
      jobs: deps.jobs,
      rows: store.emails,
      logger: deps.logger,
      now: options.now,
      sweepIntervalMs: options.emailSweepIntervalMs,
    }),
  };
  const hub = createStreamHub({ maxPerUser: options.maxStreamsPerUser, heartbeatMs: options.streamHeartbeatMs, retryMs: 3_000 });
  const subscriptions: Subscription[] = [];
  const workers: JobWorker[] = [];
  // The app's registry, once the routes are mounted: the email workers' metrics go there.
  let registry: Registry | undefined;

  const routes: FastifyPluginAsync = async (instance) => {
    const app = instance.withTypeProvider<ZodTypeProvider>();
    registry = app.metrics.registry;
    registerOutboxLagMetric(app.metrics.registry, 'notifications', relay);
    if (roles.worker && deps.devMail === true) registerDevMailRoutes(app, { mailDir: options.mailDir });
    if (!roles.api) return;
    const queues = deps.queues ?? [emailQueue];
    registerJobQueueMetrics(app.metrics.registry, deps.jobs, queues);
    registerQueueAdminRoutes(app, { jobs: deps.jobs, queues });
    // Bull Board's packages are loaded only by the processes that serve it (distributed mode).
    if (deps.board !== undefined) await (await import('./admin/board')).registerQueueBoard(app, { queues: deps.board.queues, verify: deps.board.verify });
    registerStreamGauge(app.metrics.registry, hub);
    registerInboxRoutes(app, context);
    registerPreferenceRoutes(app, context);
    registerStreamRoutes(app, context, hub);
    // Before the server waits for open requests to end: a live stream never would. Not at the
    // start of the drain: a browser's EventSource gives up for good on an HTTP error (the drain's
    // 503), but reconnects after a network error (the listener closed), to another replica.
    app.addHook('preClose', async () => hub.closeAll());
  };

  return {
    name: 'notifications',
    prefixes: roles.api ? notificationsPrefixes : [],
    routes,
    context,
    streams: hub,
    async migrate() {
      await migrate(deps.database, { schema: options.schema, migrations: [...outboxMigrations, ...(await loadMigrations(migrationsDir))] });
    },
    async start() {
      relay.start();
      if (roles.api) {
        subscriptions.push(await consumeEvents(context));
        subscriptions.push(await followNotifications(context, hub, deps.logger));
      }
      // Whichever role this process has, it re-arms email jobs lost with their queue (every
      // minute; the workers' own sweep then runs only at their start).
      context.emails.start();
      if (roles.worker) workers.push(...(await startEmailWorkers(context, registry, { sweepIntervalMs: 0 })));
    },
    async stop() {
      hub.closeAll();
      await Promise.all(subscriptions.map((subscription) => subscription.close()));
      subscriptions.length = 0;
      await Promise.all(workers.map((worker) => worker.close()));
      workers.length = 0;
      await context.emails.stop();
      await relay.stop();
    },
  };
}
