import { randomUUID } from 'node:crypto';
import { events, makeEvent, withTimeout, type Db } from '@timeslot/ports';
import { eventSource, inBackground, type PaymentsContext } from '../context';
import { describeError } from '../describe-error';
import { isPaid } from '../orders/order.model';
import { createOrderRepository } from '../orders/order.repository';
import { retryDelayMs } from '../orders/order.service';
import type { OrderRow, RefundReason, RefundRow } from '../tables';
import { createRefundRepository } from './refund.repository';

/*
 * Refunds are decided in a transaction (a row, pending, with the order locked, so two decisions
 * cannot both spend the same money) and sent to the gateway after it commits, by whoever claims
 * the row: the request or event that decided it, right away, or the sweep, after a failure. The
 * gateway call's idempotency key is derived from the refund's id, so sending it again after a
 * timeout refunds once. The order moves to partially_refunded / refunded, and payment.refunded is
 * published, only once the gateway has accepted the refund.
 */

/** Attempts before a refund is given up as failed (an admin then sees it and acts). */
const MAX_ATTEMPTS = 12;

/** Minor units that may still be refunded: captured, less refunds accepted or on their way. */
export async function refundableAmount(db: Db, ctx: PaymentsContext, order: OrderRow): Promise<number> {
  if (!isPaid(order.status)) return 0;
  const pending = await createRefundRepository(ctx.tables).pendingAmount(db, order.id);
  return Math.max(0, order.amount - order.refundedAmount - pending);
}

/** A pending refund of a paid order (locked by the caller), to send after commit (see sendRefundSoon). */
export async function decideRefund(
  ctx: PaymentsContext,
  tx: Db,
  order: OrderRow,
  refund: { amount: number; reason: RefundReason; requestedBy?: string | null; idempotencyKey?: string | null; requestHash?: string | null },
  now: Date,
): Promise<RefundRow> {
  if (order.gatewayPaymentId === null) throw new Error(`payment ${order.id} has no captured payment to refund`);
  return createRefundRepository(ctx.tables).insert(tx, {
    id: randomUUID(),
    orderId: order.id,
    gatewayPaymentId: order.gatewayPaymentId,
    amount: refund.amount,
    currency: order.currency,
    reason: refund.reason,
    requestedBy: refund.requestedBy ?? null,
    idempotencyKey: refund.idempotencyKey ?? null,
    requestHash: refund.requestHash ?? null,
    createdAt: now,
  });
}

/** After commit, without waiting: the sweep sends it if this attempt fails. */
export function sendRefundSoon(ctx: PaymentsContext, refundId: string): void {
  inBackground(ctx, 'sending a refund', () => sendRefund(ctx, refundId));
}

/**
 * Send a pending refund to the gateway, if this caller gets its claim. Resolves with what became
 * of it: succeeded, still pending (the gateway failed; retried later), failed (given up after
 * MAX_ATTEMPTS), or skipped (someone else holds the claim, or it is not pending).
 */
export async function sendRefund(ctx: PaymentsContext, refundId: string): Promise<'succeeded' | 'pending' | 'failed' | 'skipped'> {
  const refunds = createRefundRepository(ctx.tables);
  const orders = createOrderRepository(ctx.tables);
  const db = ctx.database.db;
  const claimed = await refunds.claim(db, refundId, ctx.options.now(), ctx.options.gatewayTimeoutMs + 5_000);
  if (claimed === undefined) return 'skipped';
  const order = await orders.findById(db, claimed.orderId);
  if (order === undefined) throw new Error(`refund ${refundId} belongs to no order`);
  let gatewayRefundId: string;
  try {
    const result = await withTimeout(
      ctx.gateway.refund({
        refundId: claimed.id,
        orderId: order.id,
        gatewayOrderId: order.gatewayOrderId,
        gatewayPaymentId: claimed.gatewayPaymentId,
        amount: claimed.amount,
        currency: claimed.currency,
      }),
      ctx.options.gatewayTimeoutMs,
      `the ${ctx.gateway.name} gateway did not answer within ${ctx.options.gatewayTimeoutMs} ms`,
    );
    gatewayRefundId = result.gatewayRefundId;
  } catch (error) {
    const now = ctx.options.now();
    const giveUp = claimed.attempts >= MAX_ATTEMPTS;
    await refunds.attemptFailed(db, refundId, describeError(error), giveUp ? null : new Date(now.getTime() + retryDelayMs(claimed.attempts)), now);
    const fields = { refundId, orderId: order.id, attempts: claimed.attempts, error: describeError(error) };
    if (giveUp) ctx.logger.error(fields, 'the payment gateway kept refusing a refund; given up: refund it by hand');
    else ctx.logger.warn(fields, 'the payment gateway could not refund; it is tried again');
    return giveUp ? 'failed' : 'pending';
  }

  const applied = await db.transaction(async (tx) => {
    const now = ctx.options.now();
    const locked = await orders.findById(tx, order.id, { forUpdate: true });
    const done = await refunds.succeeded(tx, refundId, gatewayRefundId, now);
    if (locked === undefined || done === undefined) return false;
    const refundedTotal = locked.refundedAmount + done.amount;
    const to = refundedTotal >= locked.amount ? 'refunded' : 'partially_refunded';
    await orders.change(tx, locked, to, { refundedAmount: refundedTotal }, { reason: `refund (${done.reason})`, gatewayRef: gatewayRefundId, amount: done.amount }, now);
    await ctx.outbox.append(tx, [
      makeEvent(
        events.paymentRefunded,
        {
          orderId: locked.id,
          bookingId: locked.bookingId,
          clientId: locked.clientId,
          providerUserId: locked.providerUserId,
          amount: locked.amount,
          currency: locked.currency,
          gateway: locked.gateway,
          refundId: done.id,
          refundAmount: done.amount,
          refundedTotal,
          reason: done.reason,
        },
        { source: eventSource },
      ),
    ]);
    return true;
  });
  if (applied) ctx.outbox.notify();
  return 'succeeded';
}
