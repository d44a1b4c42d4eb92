import { problemSchema, requireIdentity, type App } from '@timeslot/kernel';
import type { PaymentsContext } from '../context';
import { idempotencyHeaders, idParams, listPaymentsQuery, paymentPageSchema, paymentSchema, refundBody, verifyBody } from './payment.schemas';
import { getPayment, listPayments, requestRefund, verifyPayment } from './payment.service';

const tags = ['payments'];
const security = [{ bearerAuth: [] }];

/** Payments as people see them. Routes are thin: authenticate, then one domain call. */
export function registerPaymentRoutes(app: App, ctx: PaymentsContext): void {
  app.get(
    '/api/v1/payments',
    {
      schema: {
        operationId: 'listPayments',
        tags,
        security,
        summary: 'My payments: a client’s receipts, a provider’s payments and payouts due, everything for an admin; newest first',
        querystring: listPaymentsQuery,
        response: { 200: paymentPageSchema, 400: problemSchema, 401: problemSchema },
      },
    },
    async (request) => listPayments(ctx, requireIdentity(request), request.query),
  );

  app.get(
    '/api/v1/payments/:id',
    {
      schema: {
        operationId: 'getPayment',
        tags,
        security,
        summary: 'One payment with its history and refunds (its client, the booking’s provider or an admin)',
        params: idParams,
        response: { 200: paymentSchema, 400: problemSchema, 401: problemSchema, 404: problemSchema },
      },
    },
    async (request) => getPayment(ctx, requireIdentity(request), request.params.id),
  );

  app.post(
    '/api/v1/payments/:id/verify',
    {
      schema: {
        operationId: 'verifyPayment',
        tags,
        security,
        summary: 'Confirm a checkout with what the gateway handed the browser (the client; the signature is checked)',
        params: idParams,
        body: verifyBody,
        response: { 200: paymentSchema, 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema, 409: problemSchema },
      },
    },
    async (request) => verifyPayment(ctx, requireIdentity(request), request.params.id, request.body),
  );

  app.post(
    '/api/v1/payments/:id/refund',
    {
      schema: {
        operationId: 'refundPayment',
        tags,
        security,
        summary: 'Refund all or part of a captured payment (an admin or the booking’s provider)',
        params: idParams,
        headers: idempotencyHeaders,
        // A body is optional: Fastify hands over null when none was sent.
        body: refundBody.nullish(),
        response: { 201: paymentSchema, 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema, 409: problemSchema, 422: problemSchema },
      },
    },
    async (request, reply) => {
      const result = await requestRefund(ctx, requireIdentity(request), request.params.id, request.body ?? {}, request.headers['idempotency-key']);
      if (result.replayed) void reply.header('idempotent-replayed', 'true');
      return reply.status(201).send(result.payment);
    },
  );
}
