import type { OrderRow } from '../tables';
import { percentOf } from '../orders/order.model';

/**
 * How much of a paid booking's price goes back when it is cancelled (the service's policy):
 * - the provider cancelled, or the booking was never confirmed (a hold paid for while it was
 *   being dropped): everything;
 * - cancelled before the service's cancellation window (its start less the window): everything;
 * - after it (only the provider side may cancel then; an admin acting for the client counts as
 *   the client): `lateSharePercent` of the price, rounded down to a minor unit.
 * Less whatever was refunded already; never below zero.
 */
export type RefundRule = 'provider_cancelled' | 'never_confirmed' | 'before_window' | 'late_share';

export interface CancellationFacts {
  readonly cancelledBy: string;
  readonly cancelledAt: Date;
  readonly startsAt: Date;
  readonly cancellationWindowMinutes: number;
}

export function cancellationRefund(
  order: Pick<OrderRow, 'amount' | 'refundedAmount' | 'providerUserId' | 'bookingStatus'>,
  facts: CancellationFacts,
  alreadyPending: number,
  lateSharePercent: number,
): { amount: number; rule: RefundRule } {
  const rule: RefundRule =
    order.providerUserId !== null && facts.cancelledBy === order.providerUserId
      ? 'provider_cancelled'
      : order.bookingStatus !== 'confirmed'
        ? 'never_confirmed'
        : facts.cancelledAt.getTime() <= facts.startsAt.getTime() - facts.cancellationWindowMinutes * 60_000
          ? 'before_window'
          : 'late_share';
  const owed = rule === 'late_share' ? percentOf(order.amount, lateSharePercent) : order.amount;
  const amount = Math.max(0, owed - order.refundedAmount - alreadyPending);
  return { amount, rule };
}
