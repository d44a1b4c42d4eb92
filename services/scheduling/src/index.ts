import type { FastifyPluginAsync } from 'fastify';
import type { Registry } from 'prom-client';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { createEventOutbox, createOutboxRelay, loadMigrations, migrate, outboxMigrations, registerOutboxLagMetric } from '@timeslot/adapters';
import type { Logger, ServiceModule } from '@timeslot/kernel';
import type { Cache, CalendarClient, Database, EventBus, JobQueue, JobWorker, PaymentsClient, Subscription } from '@timeslot/ports';
import { startBookingWorkers } from './bookings/booking.jobs';
import { registerBookingJobMetrics } from './bookings/booking.queues';
import { bookingErrorCodes } from './bookings/booking.errors';
import { registerBookingRoutes } from './bookings/booking.routes';
import { resolveOptions, type SchedulingContext, type SchedulingOptions } from './context';
import { providerErrorCodes } from './providers/provider.errors';
import { registerProviderRoutes } from './providers/provider.routes';
import { createSlotCache } from './providers/slots.cache';
import { subscribeToCalendar } from './bookings/booking.meeting';
import { bookingPaymentErrorCodes, registerBookingPaymentRoutes, subscribeToPayments } from './bookings/booking.payment';
import { schedulingTables } from './tables';

export type { SchedulingOptions } from './context';
export { computeSlots } from './slots/compute';
/** The job queues scheduling uses, for the admin API and the queue metrics. */
export { holdQueue, waitlistQueue } from './bookings/booking.queues';

/** Every code the scheduling service returns besides the common ones; docs/errors.md lists them. */
export const schedulingErrorCodes = { ...providerErrorCodes, ...bookingErrorCodes, ...bookingPaymentErrorCodes } as const;

/** The paths the gateway routes to scheduling; known without building the service. */
export const schedulingPrefixes = ['/api/v1/providers', '/api/v1/bookings', '/api/v1/waitlist', '/api/v1/calendar-feeds'] as const;

export interface SchedulingDeps {
  readonly database: Database;
  readonly cache: Cache;
  readonly bus: EventBus;
  readonly jobs: JobQueue;
  readonly logger: Logger;
  /** The calendar service, when one is configured (see SchedulingContext.calendar). */
  readonly calendar?: CalendarClient;
  /** The payments service, when one is configured (see SchedulingContext.payments). */
  readonly payments?: PaymentsClient;
  readonly options?: SchedulingOptions;
}

export interface SchedulingService extends ServiceModule {
  /** For tests and operators: the context the domain runs on. */
  readonly context: SchedulingContext;
}

const migrationsDir = new URL('../migrations/', import.meta.url);

/**
 * Providers, their services, availability and slots, bookings that can never double-book, the
 * waitlist and ICS feeds. The routes plugin does not install authentication: the composition root
 * calls installAuth once per app before registering it.
 */
export async function createSchedulingService(deps: SchedulingDeps): Promise<SchedulingService> {
  const options = resolveOptions(deps.options);
  const relay = createOutboxRelay({ database: deps.database, schema: options.schema, bus: deps.bus, logger: deps.logger });
  const context: SchedulingContext = {
    database: deps.database,
    cache: deps.cache,
    jobs: deps.jobs,
    outbox: createEventOutbox(options.schema, relay),
    logger: deps.logger,
    tables: schedulingTables(options.schema),
    options,
    slotCache: createSlotCache({ cache: deps.cache }),
    calendar: deps.calendar,
    payments: deps.payments,
  };
  let workers: JobWorker[] = [];
  let subscription: Subscription | undefined;
  let paymentEvents: Subscription | undefined;

  let registry: Registry | undefined;

  const routes: FastifyPluginAsync = async (instance) => {
    const app = instance.withTypeProvider<ZodTypeProvider>();
    registry = app.metrics.registry;
    registerOutboxLagMetric(app.metrics.registry, 'scheduling', relay);
    registerBookingJobMetrics(app.metrics.registry, context);
    registerProviderRoutes(app, context);
    registerBookingRoutes(app, context);
    registerBookingPaymentRoutes(app, context);
  };

  return {
    name: 'scheduling',
    prefixes: schedulingPrefixes,
    routes,
    context,
    async migrate() {
      await migrate(deps.database, { schema: options.schema, migrations: [...outboxMigrations, ...(await loadMigrations(migrationsDir))] });
    },
    async start() {
      relay.start();
      workers = await startBookingWorkers(context, registry === undefined ? {} : { registry });
      subscription = await subscribeToCalendar(context, deps.bus);
      paymentEvents = await subscribeToPayments(context, deps.bus);
    },
    async stop() {
      await subscription?.close();
      subscription = undefined;
      await paymentEvents?.close();
      paymentEvents = undefined;
      await Promise.all(workers.map((worker) => worker.close()));
      workers = [];
      await relay.stop();
    },
  };
}
