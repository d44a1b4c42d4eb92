import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { commonErrors, problemSchema, type App } from '@timeslot/kernel';
import type { PaymentsContext } from '../context';
import { paymentsErrors } from '../errors';
import { bookingLive, isPaid, payable } from '../orders/order.model';
import { createOrderRepository } from '../orders/order.repository';
import type { OrderRow } from '../tables';
import { checkoutPage, resultPage } from './checkout-page';
import type { SimulatorGateway } from './simulator';

const tags = ['payments'];
const idParams = z.object({ id: z.uuid({ message: 'must be a UUID' }) }).strict();
const tokenField = z.string().regex(/^[0-9a-f]{64}$/, 'is not a checkout token');
const pageHeaders = { 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' };

function closedBecause(order: OrderRow): string | null {
  if (payable(order)) return null;
  if (isPaid(order.status)) return 'This booking is paid.';
  if (!bookingLive(order) || order.status === 'cancelled') return 'This booking’s hold has ended: it can no longer be paid.';
  return 'This payment cannot be taken yet; try again in a moment.';
}

/** The simulator's checkout (see simulator.ts): served only when the simulator is this installation's gateway. */
export async function registerSimulatorRoutes(app: App, ctx: PaymentsContext, simulator: SimulatorGateway): Promise<void> {
  const orders = createOrderRepository(ctx.tables);

  async function orderFor(id: string, token: string): Promise<OrderRow> {
    if (!simulator.checkoutTokenValid(id, token)) throw paymentsErrors.checkoutLinkInvalid();
    const order = await orders.findById(ctx.database.db, id);
    if (order === undefined || order.gateway !== 'simulator') throw paymentsErrors.checkoutLinkInvalid();
    return order;
  }

  app.get(
    '/api/v1/payments/simulator/checkout/:id',
    {
      schema: {
        operationId: 'showSimulatorCheckout',
        tags,
        summary: 'The payment simulator’s checkout page (the link in a booking’s payment; its token is the key)',
        params: idParams,
        querystring: z.object({ token: tokenField }).strict(),
        produces: ['text/html'],
        response: { 200: z.string().describe('An HTML page with pay and fail buttons.'), 400: problemSchema, 404: problemSchema },
      },
    },
    async (request, reply) => {
      const order = await orderFor(request.params.id, request.query.token);
      const html = checkoutPage({ orderId: order.id, token: request.query.token, description: order.description, amount: order.amount, currency: order.currency, closedBecause: closedBecause(order) });
      return reply.headers(pageHeaders).type('text/html; charset=utf-8').send(html);
    },
  );

  await app.register(async (instance) => {
    const scope = instance.withTypeProvider<ZodTypeProvider>();
    // HTML forms post url-encoded bodies; only this route reads them.
    scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(body as string)));
    });
    scope.post(
      '/api/v1/payments/simulator/checkout/:id',
      {
        schema: {
          operationId: 'submitSimulatorCheckout',
          tags,
          summary: 'Pay or fail on the simulator’s checkout page: the simulator then sends our webhook endpoint a signed webhook',
          params: idParams,
          consumes: ['application/x-www-form-urlencoded'],
          body: z.object({ token: tokenField, outcome: z.enum(['pay', 'fail']) }).strict(),
          produces: ['text/html'],
          response: { 200: z.string().describe('An HTML page with the outcome.'), 400: problemSchema, 403: problemSchema, 404: problemSchema, 409: problemSchema },
        },
      },
      async (request, reply) => {
        // The token already keeps other sites out (they cannot know it); a browser that says the
        // form came from another site is refused all the same.
        if (request.headers['sec-fetch-site'] === 'cross-site') throw commonErrors.forbidden('This form only accepts submissions from its own page.');
        const order = await orderFor(request.params.id, request.body.token);
        if (!payable(order) || order.gatewayOrderId === null) throw paymentsErrors.notPayable(order.status);
        const placed = { id: order.id, gatewayOrderId: order.gatewayOrderId, amount: order.amount, currency: order.currency };
        const result = await simulator.complete(placed, request.body.outcome, ctx.options.now());
        return reply.headers(pageHeaders).type('text/html; charset=utf-8').send(resultPage(request.body.outcome, result));
      },
    );
  });
}
