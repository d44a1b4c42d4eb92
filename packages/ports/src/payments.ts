import { z } from 'zod';

/*
 * What scheduling asks of the payments service, synchronously, like the calendar (see
 * calendar.ts): the payment order of a booking just held for payment, and the order of a booking
 * when someone asks for it. Two implementations, chosen by the composition root: in-process (a
 * function call) and HTTP (the payments service's internal routes, with the shared service token).
 * Scheduling never depends on the answer for safety: a hold stands whether or not its order could
 * be made in the request, and payments makes it later from the booking.held event.
 */

/** The states of a payment order; the payments service records every transition. */
export const paymentStatuses = ['created', 'authorized', 'captured', 'refunded', 'partially_refunded', 'failed', 'cancelled'] as const;
export type PaymentStatus = (typeof paymentStatuses)[number];

/** Which gateway takes the money: the built-in simulator (embedded mode, demos), Stripe or Razorpay. */
export const paymentGateways = ['simulator', 'stripe', 'razorpay'] as const;
export type PaymentGateway = (typeof paymentGateways)[number];

/** ISO 4217 alphabetic code. */
export const currencyCode = z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as EUR');

/** The booking an order is for, as scheduling knows it right after committing the hold. */
export const orderRequestSchema = z.object({
  bookingId: z.uuid(),
  clientId: z.uuid(),
  /** Scheduling's provider profile. */
  providerId: z.uuid(),
  /** The profile's identity user: who sees the payment and may refund it. */
  providerUserId: z.uuid(),
  serviceId: z.uuid(),
  serviceName: z.string().min(1).max(200),
  /** Minor units (cents); never a float. */
  amount: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
  currency: currencyCode,
  startsAt: z.iso.datetime({ offset: true }),
  holdExpiresAt: z.iso.datetime({ offset: true }).nullable(),
  /** The service's cancellation window: refunds after it are partial (see the refund policy). */
  cancellationWindowMinutes: z.number().int().nonnegative(),
});
export type OrderRequest = z.infer<typeof orderRequestSchema>;

/** What a booking's client needs to pay, and anyone who may see the booking needs to know of it. */
export const paymentSummarySchema = z
  .object({
    orderId: z.uuid(),
    bookingId: z.uuid(),
    status: z.enum(paymentStatuses),
    amount: z.number().int().describe('Minor units (e.g. cents).'),
    currency: z.string().describe('ISO 4217.'),
    gateway: z.enum(paymentGateways),
    checkoutUrl: z.string().nullable().describe('Where the client pays (simulator, hosted checkouts); shown to the booking’s client only.'),
    clientSecret: z
      .string()
      .nullable()
      .describe('For the gateway’s own client-side checkout (Stripe payment intent secret, Razorpay order id); shown to the booking’s client only.'),
  })
  .describe('A booking’s payment order.');
export type PaymentSummary = z.infer<typeof paymentSummarySchema>;

/**
 * The payments service as scheduling sees it. Every method may reject (payments down, slow, its
 * gateway down); callers bound the wait and carry on without it.
 */
export interface PaymentsClient {
  /**
   * The order of a held booking, made if needed (idempotent per booking id: asking again returns
   * the same order, so a caller that timed out may ask again).
   */
  ensureOrder(request: OrderRequest): Promise<PaymentSummary>;
  /** The booking's order, or null when it has none (free, or not made yet). */
  orderOfBooking(bookingId: string): Promise<PaymentSummary | null>;
}
