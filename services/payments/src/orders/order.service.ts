import { randomUUID } from 'node:crypto';
import { withTimeout, type OrderRequest, type PaymentSummary } from '@timeslot/ports';
import { inBackground, type PaymentsContext } from '../context';
import { describeError } from '../describe-error';
import { paymentsErrors } from '../errors';
import type { OrderRow } from '../tables';
import { toSummary } from './order.model';
import { createOrderRepository, insertNewOrder, type NewOrder } from './order.repository';

/*
 * Orders are made in two steps: our row (one per booking, by a unique index), then the gateway's
 * order, made outside any transaction by whoever holds the placement claim (see claimPlacement):
 * the booking request asking synchronously, or the sweep, for an order the request could not
 * place. The booking.held event only makes sure our row exists, with a grace period in which the
 * request's own attempt has the field to itself.
 */

/** How long the held event leaves the booking request to place the order before the sweep may. */
const PLACEMENT_GRACE_MS = 5_000;

export function placementLeaseMs(ctx: PaymentsContext): number {
  return ctx.options.gatewayTimeoutMs + 5_000;
}

/** After n failed attempts: 1 s, 2 s, 4 s … up to 5 minutes. */
export function retryDelayMs(attempts: number): number {
  return Math.min(1000 * 2 ** Math.max(0, attempts - 1), 5 * 60_000);
}

/** A held booking as its event tells it (events written before they named the provider's user lack it). */
export type HeldBooking = Omit<OrderRequest, 'providerUserId'> & { readonly providerUserId: string | null };

function newOrder(ctx: PaymentsContext, request: HeldBooking, now: Date, claim: { attempts: number; nextAttemptAt: Date }): NewOrder {
  return {
    id: randomUUID(),
    bookingId: request.bookingId,
    clientId: request.clientId,
    providerId: request.providerId,
    providerUserId: request.providerUserId,
    serviceId: request.serviceId,
    description: request.serviceName,
    amount: request.amount,
    currency: request.currency,
    status: 'created',
    gateway: ctx.gateway.name,
    bookingStatus: 'pending_payment',
    startsAt: new Date(request.startsAt),
    holdExpiresAt: request.holdExpiresAt === null ? null : new Date(request.holdExpiresAt),
    cancellationWindowMinutes: request.cancellationWindowMinutes,
    attempts: claim.attempts,
    nextAttemptAt: claim.nextAttemptAt,
    createdAt: now,
    updatedAt: now,
  };
}

/**
 * The booking's order, made (row and gateway order) if needed: what scheduling asks right after
 * committing a hold. Idempotent per booking. Throws PAYMENT_GATEWAY_UNAVAILABLE when the gateway
 * failed; the order row stays, and the sweep places it later.
 */
export async function ensureOrder(ctx: PaymentsContext, request: OrderRequest): Promise<PaymentSummary> {
  const now = ctx.options.now();
  // Inserted with its placement claim already taken (attempt 1): nobody else knows the row yet.
  const inserted = await insertNewOrder(ctx.database, ctx.options.schema, newOrder(ctx, request, now, { attempts: 1, nextAttemptAt: new Date(now.getTime() + placementLeaseMs(ctx)) }));
  if (inserted !== undefined) return toSummary(await placeClaimed(ctx, inserted), true);
  const repository = createOrderRepository(ctx.tables);
  let order = await repository.findByBooking(ctx.database.db, request.bookingId);
  if (order === undefined) throw new Error(`the order of booking ${request.bookingId} vanished`);
  if (order.gatewayOrderId === null && order.status === 'created') order = (await placeOrder(ctx, order.id)) ?? order;
  return toSummary(order, true);
}

/** booking.held: our row exists (or already did); the request or the sweep places it at the gateway. */
export async function recordHeldOrder(ctx: PaymentsContext, request: HeldBooking): Promise<void> {
  const now = ctx.options.now();
  // Attempt 0: the booking request may still claim it at once; the sweep waits out the grace.
  const inserted = await insertNewOrder(ctx.database, ctx.options.schema, newOrder(ctx, request, now, { attempts: 0, nextAttemptAt: new Date(now.getTime() + PLACEMENT_GRACE_MS) }));
  if (inserted !== undefined || request.holdExpiresAt === null) return;
  await createOrderRepository(ctx.tables).extendHold(ctx.database.db, request.bookingId, new Date(request.holdExpiresAt), now);
}

/**
 * Make the gateway's order for ours, if this caller gets the claim (undefined otherwise: someone
 * else is at it, or it is done).
 */
export async function placeOrder(ctx: PaymentsContext, orderId: string): Promise<OrderRow | undefined> {
  const claimed = await createOrderRepository(ctx.tables).claimPlacement(ctx.database.db, orderId, ctx.options.now(), placementLeaseMs(ctx));
  return claimed === undefined ? undefined : placeClaimed(ctx, claimed);
}

/** The gateway call of a claimed order, with our order id as its idempotency key; the row after it. */
async function placeClaimed(ctx: PaymentsContext, claimed: OrderRow): Promise<OrderRow> {
  const repository = createOrderRepository(ctx.tables);
  const db = ctx.database.db;
  const orderId = claimed.id;
  try {
    const placed = await withTimeout(
      ctx.gateway.createOrder({ id: claimed.id, bookingId: claimed.bookingId, amount: claimed.amount, currency: claimed.currency, description: claimed.description }),
      ctx.options.gatewayTimeoutMs,
      `the ${ctx.gateway.name} gateway did not answer within ${ctx.options.gatewayTimeoutMs} ms`,
    );
    const stored = (await repository.storeGatewayOrder(db, orderId, placed, ctx.options.now())) ?? (await repository.findById(db, orderId));
    if (stored === undefined) throw new Error(`order ${orderId} vanished`);
    // The booking went away while the gateway was making the order: stop it being paid there too.
    if (stored.status === 'cancelled' && stored.gatewayOrderId !== null) {
      const { gatewayOrderId } = stored;
      inBackground(ctx, 'cancelling a gateway order', () => ctx.gateway.cancelOrder({ id: stored.id, gatewayOrderId, amount: stored.amount, currency: stored.currency }));
    }
    return stored;
  } catch (error) {
    const now = ctx.options.now();
    await repository.placementFailed(db, orderId, describeError(error), new Date(now.getTime() + retryDelayMs(claimed.attempts)), now);
    ctx.logger.warn({ orderId, attempts: claimed.attempts, error: describeError(error) }, 'the payment gateway could not make the order; it is tried again');
    throw paymentsErrors.gatewayUnavailable();
  }
}

/** The booking's order with its paying details (the caller decides who sees them), or null. */
export async function orderOfBooking(ctx: PaymentsContext, bookingId: string): Promise<PaymentSummary | null> {
  const order = await createOrderRepository(ctx.tables).findByBooking(ctx.database.db, bookingId);
  return order === undefined ? null : toSummary(order, true);
}
