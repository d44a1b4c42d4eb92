import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { AppError } from '@timeslot/kernel';
import { events, makeEvent, type Db, type EventEnvelope } from '@timeslot/ports';
import { eventSource, inBackground, type PaymentsContext } from '../context';
import { paymentsErrors } from '../errors';
import type { GatewayEvent } from '../gateways/gateway';
import { bookingLive, isPaid } from '../orders/order.model';
import { createOrderRepository } from '../orders/order.repository';
import { decideRefund, sendRefundSoon } from '../refunds/refund.service';
import type { GatewayEventRow, OrderRow, RefundRow } from '../tables';
import { createGatewayEventRepository } from './gateway-event.repository';

/*
 * Gateway events, from webhooks and checkout callbacks. Receiving one is quick and changes no
 * order: verify the signature over the raw bytes, check it names an order we know with its amount
 * and currency, store it under the gateway's event id (a second delivery of the id stores
 * nothing), answer. Applying it runs after that commit, in its own transaction on the locked
 * order; the sweep applies events whose run was lost. So a gateway never waits on our work, never
 * retries because of it, and an event is applied once however many replicas receive it.
 */

export interface Received {
  /** The stored event's row id (the earlier row's for a duplicate). */
  readonly id: string;
  readonly duplicate: boolean;
}

/** Refusals are logged (without the body) and change nothing. */
function logRefusal(ctx: PaymentsContext, gateway: string, error: unknown): void {
  if (error instanceof AppError && error.status < 500) ctx.logger.warn({ gateway, code: error.code }, 'gateway webhook refused');
}

/** POST /payments/webhooks/:gateway: verify, check, store; applied after the response. */
export async function receiveWebhook(
  ctx: PaymentsContext,
  gateway: string,
  rawBody: Buffer,
  headers: IncomingHttpHeaders,
): Promise<{ received: true; duplicate: boolean; ignored: boolean }> {
  try {
    if (gateway !== ctx.gateway.name) throw paymentsErrors.gatewayUnknown(gateway);
    const outcome = ctx.gateway.parseWebhook(rawBody, headers, ctx.options.now());
    if ('ignored' in outcome) return { received: true, duplicate: false, ignored: true };
    const received = await storeEvent(ctx, outcome.event, 'webhook');
    if (!received.duplicate) inBackground(ctx, 'applying a gateway event', () => applyGatewayEvent(ctx, received.id));
    return { received: true, duplicate: received.duplicate, ignored: false };
  } catch (error) {
    logRefusal(ctx, gateway, error);
    throw error;
  }
}

/** Checks a verified event against its order and stores it once. */
export async function storeEvent(ctx: PaymentsContext, event: GatewayEvent, source: 'webhook' | 'callback'): Promise<Received> {
  const db = ctx.database.db;
  const order = await createOrderRepository(ctx.tables).findByGatewayOrder(db, ctx.gateway.name, event.gatewayOrderId);
  if (order === undefined) throw paymentsErrors.orderUnknown();
  if ((event.amount !== null && event.amount !== order.amount) || (event.currency !== null && event.currency.toUpperCase() !== order.currency)) {
    throw paymentsErrors.amountMismatch();
  }
  // Text PostgreSQL cannot store (U+0000) or ids no gateway sends: refused, not a 500.
  for (const text of [event.eventId, event.gatewayOrderId, event.gatewayPaymentId ?? 'none']) {
    if (!/^[\x21-\x7e]{1,200}$/.test(text)) throw paymentsErrors.malformed('an id is empty, too long or not printable ASCII');
  }
  const repository = createGatewayEventRepository(ctx.tables);
  const id = randomUUID();
  const inserted = await repository.insertIfNew(db, {
    id,
    gateway: ctx.gateway.name,
    eventId: event.eventId,
    orderId: order.id,
    kind: event.kind,
    gatewayPaymentId: event.gatewayPaymentId,
    amount: event.amount,
    currency: event.currency,
    source,
    detail: event.detail?.replaceAll('\u0000', '') ?? null,
    receivedAt: ctx.options.now(),
  });
  if (inserted) return { id, duplicate: false };
  const earlier = await repository.findByEventId(db, ctx.gateway.name, event.eventId);
  if (earlier === undefined) throw new Error('a gateway event vanished');
  return { id: earlier.id, duplicate: true };
}

/** What applying an event did to its order. */
interface Applied {
  readonly outcome: string;
  readonly events: EventEnvelope[];
  readonly refund?: RefundRow;
}

function snapshot(order: OrderRow) {
  return {
    orderId: order.id,
    bookingId: order.bookingId,
    clientId: order.clientId,
    providerUserId: order.providerUserId,
    amount: order.amount,
    currency: order.currency,
    gateway: order.gateway,
  };
}

async function applyToOrder(ctx: PaymentsContext, tx: Db, order: OrderRow, event: GatewayEventRow, now: Date): Promise<Applied> {
  const orders = createOrderRepository(ctx.tables);
  const ref = event.gatewayPaymentId;
  switch (event.kind) {
    case 'captured': {
      if (isPaid(order.status)) {
        if (ref === order.gatewayPaymentId) return { outcome: 'duplicate', events: [] };
        // Gateways take one payment per order (Stripe intents, Razorpay orders); should a second
        // one ever land, it is surfaced rather than guessed at.
        ctx.logger.error({ orderId: order.id }, 'a second payment was captured for a paid order: refund it from the gateway dashboard');
        return { outcome: 'second_payment', events: [] };
      }
      if (ref === null) return { outcome: 'no_payment_id', events: [] };
      // Money that arrives for a booking that is gone (expired, cancelled) confirms nothing: it is
      // recorded as captured, and all of it goes back.
      const late = order.status === 'cancelled' || !bookingLive(order);
      const captured = await orders.change(tx, order, 'captured', { gatewayPaymentId: ref }, { reason: late ? 'paid after the booking was gone' : 'payment captured', gatewayRef: ref, amount: order.amount }, now);
      if (late) {
        const refund = await decideRefund(ctx, tx, captured, { amount: captured.amount, reason: 'late_payment' }, now);
        return { outcome: 'late_payment_refunded', events: [], refund };
      }
      return { outcome: 'captured', events: [makeEvent(events.paymentCaptured, { ...snapshot(captured), gatewayPaymentId: ref }, { source: eventSource })] };
    }
    case 'authorized': {
      if (order.status !== 'created' && order.status !== 'failed') return { outcome: 'ignored', events: [] };
      await orders.change(tx, order, 'authorized', {}, { reason: 'payment authorized', gatewayRef: ref }, now);
      return { outcome: 'authorized', events: [] };
    }
    case 'failed': {
      if (order.status !== 'created' && order.status !== 'authorized') return { outcome: 'ignored', events: [] };
      const failed = await orders.change(tx, order, 'failed', {}, { reason: event.detail ?? 'payment failed', gatewayRef: ref }, now);
      return { outcome: 'failed', events: [makeEvent(events.paymentFailed, { ...snapshot(failed), reason: event.detail }, { source: eventSource })] };
    }
  }
}

/**
 * Apply a stored event to its order, once: the event row is locked and marked processed in the
 * transaction that changes the order, so concurrent runs (the receiving replica, the sweep, a
 * callback) serialise and all but the first find it done. Resolves with the outcome, or
 * undefined when it had been applied already.
 */
export async function applyGatewayEvent(ctx: PaymentsContext, eventRowId: string): Promise<string | undefined> {
  const repository = createGatewayEventRepository(ctx.tables);
  const orders = createOrderRepository(ctx.tables);
  const applied = await ctx.database.db.transaction(async (tx) => {
    const event = await repository.lockUnprocessed(tx, eventRowId);
    if (event === undefined) return undefined;
    const order = await orders.findById(tx, event.orderId, { forUpdate: true });
    if (order === undefined) throw new Error(`gateway event ${eventRowId} names no order`);
    const now = ctx.options.now();
    const result = await applyToOrder(ctx, tx, order, event, now);
    await ctx.outbox.append(tx, result.events);
    await repository.markProcessed(tx, event.id, result.outcome, now);
    return result;
  });
  if (applied === undefined) return undefined;
  if (applied.events.length > 0) ctx.outbox.notify();
  if (applied.refund !== undefined) sendRefundSoon(ctx, applied.refund.id);
  return applied.outcome;
}

