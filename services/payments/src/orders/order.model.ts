import type { Identity, PaymentStatus, PaymentSummary } from '@timeslot/ports';
import type { OrderRow } from '../tables';

/**
 * The payment state machine, in one place. Every status change goes through `canTransition`, and
 * every UPDATE also names the status it expects, so two concurrent changes of one order cannot
 * both win. A cancelled order may still become captured: a payment that lands after the booking
 * expired is recorded as what it is, and refunded at once (it never confirms anything).
 */
const transitions: Readonly<Record<PaymentStatus, readonly PaymentStatus[]>> = {
  created: ['authorized', 'captured', 'failed', 'cancelled'],
  authorized: ['captured', 'failed', 'cancelled'],
  failed: ['authorized', 'captured', 'cancelled'],
  cancelled: ['captured'],
  captured: ['partially_refunded', 'refunded'],
  partially_refunded: ['partially_refunded', 'refunded'],
  refunded: [],
};

export function canTransition(from: PaymentStatus, to: PaymentStatus): boolean {
  return transitions[from].includes(to);
}

/** Money was taken: captured, and possibly partly or wholly given back since. */
export function isPaid(status: PaymentStatus): boolean {
  return status === 'captured' || status === 'partially_refunded' || status === 'refunded';
}

/** Not paid yet, and may still be: the checkout and the gateway's events may move it on. */
export function isOpen(status: PaymentStatus): boolean {
  return status === 'created' || status === 'authorized' || status === 'failed';
}

/** The booking still stands (held or confirmed): a payment for it confirms it. */
export function bookingLive(order: Pick<OrderRow, 'bookingStatus'>): boolean {
  return order.bookingStatus === 'pending_payment' || order.bookingStatus === 'confirmed';
}

/** Whether the checkout may take money for this order now: unpaid, its booking held, its gateway order made. */
export function payable(order: Pick<OrderRow, 'status' | 'bookingStatus' | 'gatewayOrderId'>): boolean {
  return isOpen(order.status) && bookingLive(order) && order.gatewayOrderId !== null;
}

/** Its client, the booking's provider, or an admin. */
export function canSee(caller: Identity, order: Pick<OrderRow, 'clientId' | 'providerUserId'>): boolean {
  return caller.role === 'admin' || order.clientId === caller.userId || (order.providerUserId !== null && order.providerUserId === caller.userId);
}

/** Who may refund: an admin or the booking's provider (the client asks them). */
export function canRefund(caller: Identity, order: Pick<OrderRow, 'providerUserId'>): boolean {
  return caller.role === 'admin' || (order.providerUserId !== null && order.providerUserId === caller.userId);
}

/** What the client pays with, for the client (and admins) only. */
function payingDetails(order: OrderRow, forClient: boolean): Pick<PaymentSummary, 'checkoutUrl' | 'clientSecret'> {
  const payable = forClient && isOpen(order.status);
  return { checkoutUrl: payable ? order.checkoutUrl : null, clientSecret: payable ? order.clientSecret : null };
}

export function toSummary(order: OrderRow, forClient: boolean): PaymentSummary {
  return {
    orderId: order.id,
    bookingId: order.bookingId,
    status: order.status,
    amount: order.amount,
    currency: order.currency,
    gateway: order.gateway,
    ...payingDetails(order, forClient),
  };
}

/** `share` percent of `amount`, rounded down, in integers only (no floating point touches money). */
export function percentOf(amount: number, share: number): number {
  const scaled = amount * share;
  if (!Number.isSafeInteger(scaled)) return Number((BigInt(amount) * BigInt(share)) / 100n);
  return (scaled - (scaled % 100)) / 100;
}
