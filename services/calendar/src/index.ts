import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { createEventOutbox, createOutboxRelay, loadMigrations, migrate, outboxMigrations, registerOutboxLagMetric } from '@timeslot/adapters';
import type { Logger, ServiceModule } from '@timeslot/kernel';
import type { CalendarClient, Database, EventBus, Subscription } from '@timeslot/ports';
import { refreshesInFlight } from './busy/busy.service';
import { createLocalCalendarClient } from './client';
import { registerConnectionRoutes } from './connections/connection.routes';
import { resolveOptions, type CalendarContext, type CalendarOptions } from './context';
import { registerInternalRoutes } from './internal.routes';
import { subscribeToBookings } from './meetings/meeting.events';
import { createCalendarSecrets } from './secrets';
import { startSweeper, sweep } from './sweeper';
import { calendarTables } from './tables';

export type { CalendarOptions } from './context';
export { calendarErrorCodes } from './errors';
export { createHttpCalendarClient, type HttpCalendarClient } from './client';
export { generateTokenKey, loadOrCreateTokenKey, parseTokenKey } from './secrets';
export type { GoogleSettings } from './adapters/google';

/** The paths the gateway routes to calendar; known without building the service. /api/v1/internal is never among them. */
export const calendarPrefixes = ['/api/v1/calendar'] as const;

export interface CalendarDeps {
  readonly database: Database;
  readonly bus: EventBus;
  readonly logger: Logger;
  readonly options: CalendarOptions;
}

export interface CalendarService extends ServiceModule {
  /** For tests and operators: the context the domain runs on. */
  readonly context: CalendarContext;
  /** This service as scheduling calls it in this process: plain function calls. */
  readonly client: CalendarClient;
  /** One background pass now (tests; operators). */
  sweep(): ReturnType<typeof sweep>;
}

const migrationsDir = new URL('../migrations/', import.meta.url);

/**
 * Meeting links and calendar events of bookings, Google Calendar connections and the busy times
 * they report. The routes plugin does not install authentication: the composition root calls
 * installAuth once per app before registering it.
 */
export async function createCalendarService(deps: CalendarDeps): Promise<CalendarService> {
  const options = resolveOptions(deps.options);
  const relay = createOutboxRelay({ database: deps.database, schema: options.schema, bus: deps.bus, logger: deps.logger });
  const context: CalendarContext = {
    database: deps.database,
    outbox: createEventOutbox(options.schema, relay),
    logger: deps.logger,
    tables: calendarTables(options.schema),
    secrets: createCalendarSecrets(deps.options.tokenKey),
    options,
  };
  let subscription: Subscription | undefined;
  let stopSweeper: (() => Promise<void>) | undefined;

  const routes: FastifyPluginAsync = async (instance) => {
    const app = instance.withTypeProvider<ZodTypeProvider>();
    registerOutboxLagMetric(app.metrics.registry, 'calendar', relay);
    registerConnectionRoutes(app, context);
    if (options.internalToken !== undefined) registerInternalRoutes(app, context, options.internalToken);
  };

  return {
    name: 'calendar',
    prefixes: calendarPrefixes,
    routes,
    context,
    client: createLocalCalendarClient(context),
    sweep: () => sweep(context),
    async migrate() {
      await migrate(deps.database, { schema: options.schema, migrations: [...outboxMigrations, ...(await loadMigrations(migrationsDir))] });
    },
    async start() {
      relay.start();
      subscription = await subscribeToBookings(context, deps.bus);
      stopSweeper = startSweeper(context);
    },
    async stop() {
      await stopSweeper?.();
      stopSweeper = undefined;
      await subscription?.close();
      subscription = undefined;
      await refreshesInFlight(context);
      await relay.stop();
    },
  };
}
