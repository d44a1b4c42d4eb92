import { z } from 'zod';
import { commonErrors, requireInternalToken, type App } from '@timeslot/kernel';
import { orderRequestSchema, paymentSummarySchema } from '@timeslot/ports';
import type { PaymentsContext } from './context';
import { paymentsErrors } from './errors';
import { ensureOrder, orderOfBooking } from './orders/order.service';

/*
 * The routes scheduling's HTTP PaymentsClient calls, never the public: not among the payments
 * prefixes the gateway routes, hidden from the OpenAPI document, served only when a shared service
 * token is configured (INTERNAL_TOKEN) and never by a process that runs the gateway (see the
 * composition root), and every call must present that token.
 */

const bookingParams = z.object({ bookingId: z.uuid() }).strict();

export function registerInternalRoutes(app: App, ctx: PaymentsContext, token: string): void {
  const onRequest = requireInternalToken(token);

  app.put(
    '/api/v1/internal/payments/orders/:bookingId',
    { onRequest, schema: { hide: true, params: bookingParams, body: orderRequestSchema, response: { 200: paymentSummarySchema } } },
    async (request) => {
      if (request.body.bookingId !== request.params.bookingId) throw commonErrors.validation([{ path: 'body.bookingId', message: 'must be the booking id of the path' }]);
      return ensureOrder(ctx, request.body);
    },
  );

  app.get(
    '/api/v1/internal/payments/orders/:bookingId',
    { onRequest, schema: { hide: true, params: bookingParams, response: { 200: paymentSummarySchema } } },
    async (request) => {
      const summary = await orderOfBooking(ctx, request.params.bookingId);
      if (summary === null) throw paymentsErrors.notFound();
      return summary;
    },
  );
}
