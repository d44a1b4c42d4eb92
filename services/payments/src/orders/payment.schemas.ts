import { z } from 'zod';
import { paymentGateways, paymentStatuses } from '@timeslot/ports';
import { bookingStatuses, refundReasons, refundStatuses } from '../tables';

export const idParams = z.object({ id: z.uuid({ message: 'must be a UUID' }) }).strict();

const instant = z.iso.datetime({ offset: true });

export const transitionSchema = z.object({
  from: z.enum(paymentStatuses).nullable(),
  to: z.enum(paymentStatuses),
  reason: z.string(),
  gatewayRef: z.string().nullable().describe('The gateway’s reference for this step (payment, refund).'),
  amount: z.number().int().nullable(),
  at: instant,
});

export const refundSchema = z.object({
  id: z.uuid(),
  amount: z.number().int().describe('Minor units.'),
  currency: z.string(),
  reason: z.enum(refundReasons),
  status: z.enum(refundStatuses).describe('pending: decided, on its way to the gateway (retried until it succeeds); succeeded: the gateway accepted it.'),
  gatewayRefundId: z.string().nullable(),
  createdAt: instant,
  updatedAt: instant,
});

const paymentFields = {
  id: z.uuid(),
  bookingId: z.uuid(),
  clientId: z.uuid(),
  providerUserId: z.uuid().nullable().describe('The booking’s provider (their identity user).'),
  description: z.string(),
  status: z.enum(paymentStatuses),
  amount: z.number().int().describe('Minor units (e.g. cents); never a float.'),
  currency: z.string().describe('ISO 4217.'),
  refundedAmount: z.number().int().describe('Minor units the gateway has refunded.'),
  gateway: z.enum(paymentGateways),
  gatewayOrderId: z.string().nullable(),
  gatewayPaymentId: z.string().nullable(),
  checkoutUrl: z.string().nullable().describe('While unpaid, to the booking’s client only: where to pay.'),
  clientSecret: z.string().nullable().describe('While unpaid, to the booking’s client only: for the gateway’s client-side checkout.'),
  bookingStatus: z.enum(bookingStatuses).describe('The booking, as payments last heard of it.'),
  startsAt: instant,
  holdExpiresAt: instant.nullable(),
  createdAt: instant,
  updatedAt: instant,
};

export const paymentListItemSchema = z.object(paymentFields).describe('A payment order, as its client, its provider or an admin sees it.');

export const paymentSchema = z
  .object({
    ...paymentFields,
    refundableAmount: z.number().int().describe('Minor units that may still be refunded.'),
    transitions: z.array(transitionSchema).describe('Every status change, oldest first.'),
    refunds: z.array(refundSchema),
  })
  .describe('A payment order with its history and refunds.');

export type Payment = z.infer<typeof paymentSchema>;
export type PaymentListItem = z.infer<typeof paymentListItemSchema>;

export const payoutSchema = z.object({
  currency: z.string(),
  captured: z.number().int().describe('Minor units captured for the provider’s bookings.'),
  refunded: z.number().int(),
  due: z.number().int().describe('captured − refunded.'),
});

export const paymentPageSchema = z.object({
  items: z.array(paymentListItemSchema),
  nextCursor: z.string().nullable().describe('Pass as cursor for the next page; null on the last page.'),
  payouts: z.array(payoutSchema).nullable().describe('As a provider: what is due to you, per currency. Null otherwise.'),
});

/** A cursor holds the last row's creation (ms) and id; anything else is refused here, not in SQL. */
function isCursor(text: string): boolean {
  try {
    const value: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    return Array.isArray(value) && value.length === 2 && Number.isSafeInteger(value[0]) && (value[0] as number) >= 0 && (value[0] as number) < 8.64e15 && z.uuid().safeParse(value[1]).success;
  } catch {
    return false;
  }
}

export function encodeCursor(createdAt: Date, id: string): string {
  return Buffer.from(JSON.stringify([createdAt.getTime(), id])).toString('base64url');
}

export function decodeCursor(text: string): { createdAt: Date; id: string } {
  const [ms, id] = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as [number, string];
  return { createdAt: new Date(ms), id };
}

export const listPaymentsQuery = z
  .object({
    role: z.enum(['client', 'provider']).optional().describe('Payments I made (client) or for my bookings (provider); default by my role; admins see all without it.'),
    status: z.enum(paymentStatuses).optional(),
    cursor: z.string().max(500).refine(isCursor, 'is not a cursor this API returned').optional().describe('nextCursor of the previous page.'),
    limit: z.coerce.number().int('must be an integer').min(1).max(100).default(20),
  })
  .strict();

export type ListPaymentsQuery = z.infer<typeof listPaymentsQuery>;

export const verifyBody = z
  .object({
    gatewayPaymentId: z.string().min(1).max(200).describe('The payment id the checkout returned (razorpay_payment_id; a Stripe payment intent id).'),
    signature: z.string().min(1).max(500).optional().describe('The checkout’s signature (razorpay_signature; the simulator’s); not used by Stripe.'),
  })
  .strict()
  .describe('What the gateway’s checkout handed the browser after paying.');

export const refundBody = z
  .object({
    amount: z.number().int('must be an integer (minor units)').positive().max(Number.MAX_SAFE_INTEGER).optional().describe('Minor units; default: all that is refundable.'),
  })
  .strict()
  .describe('Refund all or part of a captured payment.');

export const idempotencyHeaders = z.looseObject({
  'idempotency-key': z
    .string()
    .min(1, 'must not be empty')
    .max(200, 'must be at most 200 characters')
    .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces')
    .optional()
    .describe('Retry safely: the same key with the same body replays the first refund instead of making another.'),
});
