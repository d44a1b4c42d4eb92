import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { commonErrors, type App } from '@timeslot/kernel';
import { internalTokenHeader, orderRequestSchema, paymentSummarySchema } from '@timeslot/ports';
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

const digest = (text: string): Buffer => createHash('sha256').update(text).digest();

/** Compared as digests: equal lengths for timingSafeEqual, and no timing hint of the token's length. */
function checker(token: string): (request: FastifyRequest) => Promise<void> {
  const expected = digest(token);
  return async (request) => {
    const presented = request.headers[internalTokenHeader];
    if (typeof presented !== 'string' || !timingSafeEqual(digest(presented), expected)) throw paymentsErrors.serviceTokenInvalid();
  };
}

export function registerInternalRoutes(app: App, ctx: PaymentsContext, token: string): void {
  const onRequest = checker(token);

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
