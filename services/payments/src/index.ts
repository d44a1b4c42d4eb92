import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { createEventOutbox, createOutboxRelay, loadMigrations, migrate, outboxMigrations, registerOutboxLagMetric } from '@timeslot/adapters';
import type { Logger, ServiceModule } from '@timeslot/kernel';
import type { Database, EventBus, PaymentsClient, Subscription } from '@timeslot/ports';
import { subscribeToBookings } from './bookings/booking.events';
import { createLocalPaymentsClient } from './client';
import { resolveOptions, type PaymentsContext, type PaymentsOptions } from './context';
import { createGateway, type GatewaySettings } from './gateways';
import { registerSimulatorRoutes } from './gateways/simulator.routes';
import { registerInternalRoutes } from './internal.routes';
import { registerPaymentRoutes } from './orders/payment.routes';
import { startSweeper, sweep } from './sweep';
import { paymentsTables } from './tables';
import { registerWebhookRoutes } from './webhooks/webhook.routes';

export type { PaymentsOptions } from './context';
export type { GatewaySettings } from './gateways';
export { paymentsErrorCodes } from './errors';
export { createHttpPaymentsClient, type HttpPaymentsClient } from './client';

/** The paths the gateway routes to payments; known without building the service. /api/v1/internal is never among them. */
export const paymentsPrefixes = ['/api/v1/payments'] as const;

export interface PaymentsDeps {
  readonly database: Database;
  readonly bus: EventBus;
  readonly logger: Logger;
  /** The payment gateway and its secrets. */
  readonly gateway: GatewaySettings;
  readonly options?: PaymentsOptions;
}

export interface PaymentsService extends ServiceModule {
  /** For tests and operators: the context the domain runs on. */
  readonly context: PaymentsContext;
  /** This service as scheduling calls it in this process: plain function calls. */
  readonly client: PaymentsClient;
  /** One background pass now (tests; operators). */
  sweep(): ReturnType<typeof sweep>;
  /** Resolves once the work started after commits (applying webhooks, sending refunds) is done. */
  settled(): Promise<void>;
}

const migrationsDir = new URL('../migrations/', import.meta.url);

/**
 * Payment orders of paid bookings, the gateway adapters, signed webhooks and refunds. The routes
 * plugin does not install authentication: the composition root calls installAuth once per app
 * before registering it.
 */
export async function createPaymentsService(deps: PaymentsDeps): Promise<PaymentsService> {
  const options = resolveOptions(deps.options);
  const relay = createOutboxRelay({ database: deps.database, schema: options.schema, bus: deps.bus, logger: deps.logger });
  const { gateway, simulator } = await createGateway(deps.gateway, deps.logger);
  const context: PaymentsContext = {
    database: deps.database,
    outbox: createEventOutbox(options.schema, relay),
    logger: deps.logger,
    tables: paymentsTables(options.schema),
    gateway,
    options,
    background: new Set(),
  };
  let subscription: Subscription | undefined;
  let stopSweeper: (() => Promise<void>) | undefined;

  const routes: FastifyPluginAsync = async (instance) => {
    const app = instance.withTypeProvider<ZodTypeProvider>();
    registerOutboxLagMetric(app.metrics.registry, 'payments', relay);
    registerPaymentRoutes(app, context);
    await registerWebhookRoutes(app, context);
    if (simulator !== undefined) await registerSimulatorRoutes(app, context, simulator);
    if (options.internalToken !== undefined) registerInternalRoutes(app, context, options.internalToken);
  };

  async function settled(): Promise<void> {
    while (context.background.size > 0) await Promise.allSettled([...context.background]);
  }

  return {
    name: 'payments',
    prefixes: paymentsPrefixes,
    routes,
    context,
    client: createLocalPaymentsClient(context),
    sweep: () => sweep(context),
    settled,
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
      await settled();
      await gateway.close?.();
      await relay.stop();
    },
  };
}
