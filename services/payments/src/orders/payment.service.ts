import { createHash } from 'node:crypto';
import type { z } from 'zod';
import { AppError, commonErrors } from '@timeslot/kernel';
import { withTimeout, type Db, type Identity } from '@timeslot/ports';
import type { PaymentsContext } from '../context';
import { describeError } from '../describe-error';
import type { GatewayEvent } from '../gateways/gateway';
import { paymentsErrors } from '../errors';
import { createRefundRepository } from '../refunds/refund.repository';
import { decideRefund, refundableAmount, sendRefund } from '../refunds/refund.service';
import type { OrderRow, RefundRow } from '../tables';
import { applyGatewayEvent, storeEvent } from '../webhooks/gateway-event.service';
import { canRefund, canSee, isOpen, isPaid } from './order.model';
import { createOrderRepository } from './order.repository';
import { decodeCursor, encodeCursor, type ListPaymentsQuery, type Payment, type PaymentListItem, type paymentPageSchema } from './payment.schemas';

/** The order as `caller` sees it: paying details only for its client (or an admin), only while unpaid. */
function listItem(order: OrderRow, caller: Identity): PaymentListItem {
  const paying = isOpen(order.status) && (order.clientId === caller.userId || caller.role === 'admin');
  return {
    id: order.id,
    bookingId: order.bookingId,
    clientId: order.clientId,
    providerUserId: order.providerUserId,
    description: order.description,
    status: order.status,
    amount: order.amount,
    currency: order.currency,
    refundedAmount: order.refundedAmount,
    gateway: order.gateway,
    gatewayOrderId: order.gatewayOrderId,
    gatewayPaymentId: order.gatewayPaymentId,
    checkoutUrl: paying ? order.checkoutUrl : null,
    clientSecret: paying ? order.clientSecret : null,
    bookingStatus: order.bookingStatus,
    startsAt: order.startsAt.toISOString(),
    holdExpiresAt: order.holdExpiresAt?.toISOString() ?? null,
    createdAt: order.createdAt.toISOString(),
    updatedAt: order.updatedAt.toISOString(),
  };
}

function refundView(refund: RefundRow) {
  return {
    id: refund.id,
    amount: refund.amount,
    currency: refund.currency,
    reason: refund.reason,
    status: refund.status,
    gatewayRefundId: refund.gatewayRefundId,
    createdAt: refund.createdAt.toISOString(),
    updatedAt: refund.updatedAt.toISOString(),
  };
}

async function detail(ctx: PaymentsContext, db: Db, order: OrderRow, caller: Identity): Promise<Payment> {
  const [transitions, refunds, refundable] = [
    await createOrderRepository(ctx.tables).transitionsOf(db, order.id),
    await createRefundRepository(ctx.tables).ofOrder(db, order.id),
    await refundableAmount(db, ctx, order),
  ];
  return {
    ...listItem(order, caller),
    refundableAmount: refundable,
    transitions: transitions.map((t) => ({ from: t.fromStatus, to: t.toStatus, reason: t.reason, gatewayRef: t.gatewayRef, amount: t.amount, at: t.at.toISOString() })),
    refunds: refunds.map(refundView),
  };
}

/** Visible to its client, the booking's provider and admins; anyone else gets 404, as if it did not exist. */
async function visibleOrder(ctx: PaymentsContext, caller: Identity, id: string): Promise<OrderRow> {
  const order = await createOrderRepository(ctx.tables).findById(ctx.database.db, id);
  if (order === undefined || !canSee(caller, order)) throw paymentsErrors.notFound();
  return order;
}

export async function getPayment(ctx: PaymentsContext, caller: Identity, id: string): Promise<Payment> {
  return detail(ctx, ctx.database.db, await visibleOrder(ctx, caller, id), caller);
}

/** Mine: as a client my receipts; as a provider the payments for my bookings and what is due to me; an admin everything. */
export async function listPayments(ctx: PaymentsContext, caller: Identity, query: ListPaymentsQuery): Promise<z.infer<typeof paymentPageSchema>> {
  const repository = createOrderRepository(ctx.tables);
  const db = ctx.database.db;
  const role = query.role ?? (caller.role === 'admin' ? undefined : caller.role === 'provider' ? 'provider' : 'client');
  const scope = role === 'client' ? { clientId: caller.userId } : role === 'provider' ? { providerUserId: caller.userId } : {};
  const rows = await repository.list(db, {
    ...scope,
    ...(query.status === undefined ? {} : { status: query.status }),
    ...(query.cursor === undefined ? {} : { after: decodeCursor(query.cursor) }),
    // One extra row tells whether another page exists without a count.
    limit: query.limit + 1,
  });
  const page = rows.slice(0, query.limit);
  const last = page[page.length - 1];
  const payouts = role === 'provider' ? (await repository.payouts(db, caller.userId)).map((p) => ({ ...p, due: p.captured - p.refunded })) : null;
  return {
    items: page.map((order) => listItem(order, caller)),
    nextCursor: rows.length > query.limit && last !== undefined ? encodeCursor(last.createdAt, last.id) : null,
    payouts,
  };
}

/**
 * The checkout callback: the client's browser relays what the gateway's checkout gave it. Verified
 * by the gateway adapter, then stored and applied like a webhook (the same payment arriving by
 * both ways is applied once), before the answer, so the client sees the outcome.
 */
export async function verifyPayment(ctx: PaymentsContext, caller: Identity, id: string, callback: { gatewayPaymentId: string; signature?: string | undefined }): Promise<Payment> {
  const order = await visibleOrder(ctx, caller, id);
  if (order.clientId !== caller.userId && caller.role !== 'admin') throw commonErrors.forbidden('Only the client who pays confirms a checkout.');
  if (order.gatewayOrderId === null) throw paymentsErrors.notPayable(order.status);
  const placed = { id: order.id, gatewayOrderId: order.gatewayOrderId, amount: order.amount, currency: order.currency };
  let event: GatewayEvent;
  try {
    event = await withTimeout(ctx.gateway.verifyCallback(placed, callback), ctx.options.gatewayTimeoutMs, `the ${ctx.gateway.name} gateway did not answer`);
  } catch (error) {
    if (error instanceof AppError) throw error;
    ctx.logger.warn({ orderId: order.id, error: describeError(error) }, 'the payment gateway could not confirm a checkout');
    throw paymentsErrors.gatewayUnavailable();
  }
  const received = await storeEvent(ctx, event, 'callback');
  await applyGatewayEvent(ctx, received.id);
  return getPayment(ctx, caller, id);
}

function refundRequestHash(amount: number | undefined): string {
  return createHash('sha256').update(JSON.stringify({ route: 'POST /api/v1/payments/:id/refund', amount: amount ?? null })).digest('hex');
}

/**
 * An admin or the booking's provider refunds all or part of a captured payment. With an
 * Idempotency-Key, the same request again replays the first refund (per caller and payment; a
 * different amount under the same key is IDEMPOTENCY_KEY_REUSED). The refund is decided with the
 * order locked (two requests cannot spend the same money) and sent before the answer; should the
 * gateway fail, it stays pending and the sweep sends it.
 */
export async function requestRefund(
  ctx: PaymentsContext,
  caller: Identity,
  id: string,
  input: { amount?: number | undefined },
  idempotencyKey: string | undefined,
): Promise<{ payment: Payment; replayed: boolean }> {
  const orders = createOrderRepository(ctx.tables);
  const refunds = createRefundRepository(ctx.tables);
  const hash = refundRequestHash(input.amount);
  const decided = await ctx.database.db.transaction(async (tx) => {
    const order = await orders.findById(tx, id, { forUpdate: true });
    if (order === undefined || !canSee(caller, order)) throw paymentsErrors.notFound();
    if (!canRefund(caller, order)) throw commonErrors.forbidden('Only an admin or the booking’s provider may refund.');
    if (idempotencyKey !== undefined) {
      const earlier = await refunds.findByKey(tx, order.id, caller.userId, idempotencyKey);
      if (earlier !== undefined) {
        if (earlier.requestHash !== hash) throw paymentsErrors.idempotencyKeyReused();
        return { refund: earlier, replayed: true };
      }
    }
    if (!isPaid(order.status)) throw paymentsErrors.notRefundable(order.status);
    const refundable = await refundableAmount(tx, ctx, order);
    const amount = input.amount ?? refundable;
    if (refundable === 0 || amount > refundable) throw paymentsErrors.refundExceeds(refundable, order.currency);
    const refund = await decideRefund(ctx, tx, order, { amount, reason: 'manual', requestedBy: caller.userId, idempotencyKey: idempotencyKey ?? null, requestHash: hash }, ctx.options.now());
    return { refund, replayed: false };
  });
  if (!decided.replayed) await sendRefund(ctx, decided.refund.id);
  return { payment: await getPayment(ctx, caller, id), replayed: decided.replayed };
}
