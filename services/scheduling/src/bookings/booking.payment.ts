import { appErrorFactory, commonErrors, problemSchema, requireIdentity, type App } from '@timeslot/kernel';
import { events, parseEvent, paymentSummarySchema, withTimeout, type EventBus, type Identity, type PaymentSummary, type Subscription } from '@timeslot/ports';
import type { SchedulingContext } from '../context';
import { bookingErrors } from './booking.errors';
import { createBookingRepository } from './booking.repository';
import { bookingSchema, idParams, type Booking } from './booking.schemas';
import { canSee } from './booking.service';
import { loadTarget } from './booking.slots';
import { confirmBooking } from './booking.transitions';

/*
 * What scheduling asks of the payments service (ctx.payments, in-process or over HTTP, chosen by
 * the composition root, as the calendar), and what it hears from it:
 * - right after a paid booking's hold commits, its payment order (bounded by `paymentTimeoutMs`
 *   and the request's deadline), so the response carries what the client needs to pay. Best
 *   effort: past the bound, or with payments down, the hold stands and the response says
 *   `payment: null`; payments makes the order from booking.held, and GET /bookings/:id/payment
 *   shows it once made;
 * - GET /bookings/:id/payment, served here because the gateway routes /api/v1/bookings/* to
 *   scheduling, which also knows who may see the booking;
 * - payment.captured: the booking is confirmed, through confirmBooking (idempotent, so a
 *   redelivered event confirms nothing twice). A booking that expired or was cancelled meanwhile
 *   stays as it is: payments refunds that payment when it hears of the expiry or cancellation.
 */

export const bookingPaymentErrorCodes = { PAYMENT_NOT_FOUND: 404 } as const;
const paymentError = appErrorFactory(bookingPaymentErrorCodes);

/** The consumer name of payment events: not 'scheduling', whose queue carries the calendar's events. */
export const paymentsConsumer = 'scheduling-payments';

export const createdBookingSchema = bookingSchema
  .extend({
    payment: paymentSummarySchema
      .nullable()
      .optional()
      .describe('Paid services only: the order to pay (its checkoutUrl or clientSecret), or null when it is not made yet (GET /bookings/{id}/payment shows it later).'),
  })
  .describe('The booking just made, with its payment order when it is paid for.');

/** What the booking's client needs to pay is theirs alone; its provider and admins see the rest. */
function forCaller(summary: PaymentSummary, caller: Identity, clientId: string): PaymentSummary {
  return caller.userId === clientId ? summary : { ...summary, checkoutUrl: null, clientSecret: null };
}

/** The response of a new (or replayed) booking, with its payment order when one is owed and payments answered in time. */
export async function withPayment(ctx: SchedulingContext, body: Booking, deadline: number | undefined): Promise<Booking & { payment?: PaymentSummary | null }> {
  const payments = ctx.payments;
  if (payments === undefined || body.status !== 'pending_payment' || body.service.priceAmount <= 0) return body;
  // The margin is the answer's way back; nothing is committed after this call.
  const budget = Math.min(ctx.options.paymentTimeoutMs, deadline === undefined ? Infinity : deadline - Date.now() - 50);
  if (budget <= 0) return { ...body, payment: null };
  try {
    // The provider and service from the cache the booking itself was checked against; the price is
    // the booking's own.
    const { provider, service } = await loadTarget(ctx, body.serviceId);
    const payment = await withTimeout(
      payments.ensureOrder({
        bookingId: body.id,
        clientId: body.clientId,
        providerId: body.providerId,
        providerUserId: provider.userId,
        serviceId: body.serviceId,
        serviceName: service.name,
        amount: body.service.priceAmount,
        currency: body.service.currency,
        startsAt: body.start,
        holdExpiresAt: body.holdExpiresAt,
        cancellationWindowMinutes: service.cancellationWindowMinutes,
      }),
      budget,
      `the payments service did not answer within ${budget} ms`,
    );
    return { ...body, payment };
  } catch (error) {
    ctx.logger.warn({ err: error, bookingId: body.id }, 'no payment order yet: the booking stays held, and payments makes the order from booking.held');
    return { ...body, payment: null };
  }
}

export function registerBookingPaymentRoutes(app: App, ctx: SchedulingContext): void {
  app.get(
    '/api/v1/bookings/:id/payment',
    {
      schema: {
        operationId: 'getBookingPayment',
        tags: ['bookings'],
        security: [{ bearerAuth: [] }],
        summary: 'The booking’s payment order (its client, its provider or an admin; paying details for the client only)',
        params: idParams,
        response: { 200: paymentSummarySchema, 400: problemSchema, 401: problemSchema, 404: problemSchema, 503: problemSchema },
      },
    },
    async (request) => {
      const caller = requireIdentity(request);
      const found = await createBookingRepository(ctx.tables).findById(ctx.database.db, request.params.id);
      if (found === undefined || !canSee(caller, found)) throw bookingErrors.notFound();
      const payments = ctx.payments;
      if (payments === undefined || found.service.priceAmount === 0) throw paymentError('PAYMENT_NOT_FOUND', 'This booking has no payment.');
      let summary: PaymentSummary | null;
      try {
        summary = await withTimeout(payments.orderOfBooking(found.booking.id), ctx.options.paymentTimeoutMs, 'the payments service did not answer in time');
      } catch (error) {
        throw commonErrors.unavailable('The payments service is unavailable; try again shortly.', error);
      }
      if (summary === null) throw paymentError('PAYMENT_NOT_FOUND', 'This booking has no payment order yet.');
      return forCaller(summary, caller, found.booking.clientId);
    },
  );
}

/** payment.captured → the booking is confirmed (consumer 'scheduling-payments'). */
export async function subscribeToPayments(ctx: SchedulingContext, bus: EventBus): Promise<Subscription> {
  return bus.subscribe(paymentsConsumer, [events.paymentCaptured.type], async (envelope) => {
    const { data } = parseEvent(events.paymentCaptured, envelope);
    try {
      await confirmBooking(ctx, data.bookingId, envelope.requestId);
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      // Gone before the money came: payments refunds it on the expiry or cancellation event.
      if (code === 'INVALID_TRANSITION' || code === 'BOOKING_NOT_FOUND') {
        ctx.logger.warn({ bookingId: data.bookingId, orderId: data.orderId, code }, 'a payment came for a booking that can no longer be confirmed; payments refunds it');
        return;
      }
      throw error;
    }
  });
}
