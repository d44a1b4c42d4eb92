import { randomUUID } from 'node:crypto';
import { handleOnce } from '@timeslot/adapters';
import { events, parseEvent, type EventBus, type EventData, type EventEnvelope, type Subscription } from '@timeslot/ports';
import { inBackground, type PaymentsContext } from '../context';
import { isOpen, isPaid } from '../orders/order.model';
import { createOrderRepository } from '../orders/order.repository';
import { recordHeldOrder } from '../orders/order.service';
import { cancellationRefund } from '../refunds/refund.policy';
import { createRefundRepository } from '../refunds/refund.repository';
import { decideRefund, sendRefundSoon } from '../refunds/refund.service';
import type { OrderRow, RefundRow } from '../tables';

/*
 * The payments service's consumer of booking events (consumer name 'payments'): it learns of
 * bookings only this way (it never reads scheduling's tables).
 * - held: the order exists (the booking request usually made it; otherwise the sweep places it);
 * - confirmed, rescheduled, completed, no-show: what payments knows of the booking follows;
 * - expired: an unpaid order is cancelled; a paid one (the payment lost the race with the hold's
 *   end) is refunded in full;
 * - cancelled: an unpaid order is cancelled; a paid one is refunded per the service's policy
 *   (see refund.policy.ts).
 * Database effects run once per event (handleOnce, the payments inbox); gateway calls (cancel an
 * order, send a refund) run after the commit, and the sweep retries them.
 */

export const consumerName = 'payments';

type Snapshot = EventData<typeof events.bookingHeld>;

function orderRequest(data: Snapshot) {
  return {
    bookingId: data.bookingId,
    clientId: data.clientId,
    providerId: data.providerId,
    providerUserId: data.providerUserId ?? null,
    serviceId: data.serviceId,
    serviceName: data.serviceName ?? 'Booking',
    amount: data.priceAmount,
    currency: data.currency,
    startsAt: data.startsAt,
    holdExpiresAt: data.holdExpiresAt,
    cancellationWindowMinutes: data.cancellationWindowMinutes ?? 0,
  };
}

/** After-commit work an event decided on. */
interface FollowUp {
  cancelAtGateway?: OrderRow;
  refund?: RefundRow;
}

async function onBookingGone(ctx: PaymentsContext, event: EventEnvelope<Snapshot & { cancelledBy?: string; cancelledAt?: string | undefined }>, how: 'expired' | 'cancelled'): Promise<void> {
  const { data } = event;
  const orders = createOrderRepository(ctx.tables);
  const follow: FollowUp = {};
  await handleOnce(ctx.database, ctx.options.schema, consumerName, event.id, async (tx) => {
    const now = ctx.options.now();
    const order = await orders.findByBooking(tx, data.bookingId, { forUpdate: true });
    if (order === undefined) {
      // Gone before its order was made (the request and the held event both failed or are late):
      // a cancelled order stands in its place, so a late held event makes no payable order.
      if (data.priceAmount > 0) {
        const request = orderRequest(data);
        await orders.insertIfAbsent(tx, {
          id: randomUUID(),
          ...request,
          providerUserId: request.providerUserId,
          description: request.serviceName,
          status: 'cancelled',
          gateway: ctx.gateway.name,
          bookingStatus: how,
          startsAt: new Date(data.startsAt),
          holdExpiresAt: data.holdExpiresAt === null ? null : new Date(data.holdExpiresAt),
          nextAttemptAt: null,
          createdAt: now,
          updatedAt: now,
        });
      }
      return;
    }
    if (isOpen(order.status)) {
      const cancelled = await orders.change(tx, order, 'cancelled', { bookingStatus: how }, { reason: `booking ${how}` }, now);
      if (cancelled.gatewayOrderId !== null) follow.cancelAtGateway = cancelled;
      return;
    }
    if (isPaid(order.status)) {
      const pending = await createRefundRepository(ctx.tables).pendingAmount(tx, order.id);
      const decision =
        how === 'expired' || data.cancelledBy === undefined
          ? { amount: Math.max(0, order.amount - order.refundedAmount - pending), reason: 'late_payment' as const }
          : {
              ...cancellationRefund(
                order,
                { cancelledBy: data.cancelledBy, cancelledAt: new Date(data.cancelledAt ?? event.occurredAt), startsAt: new Date(data.startsAt), cancellationWindowMinutes: data.cancellationWindowMinutes ?? order.cancellationWindowMinutes },
                pending,
                ctx.options.lateRefundSharePercent,
              ),
              reason: 'cancellation' as const,
            };
      if (decision.amount > 0) follow.refund = await decideRefund(ctx, tx, order, { amount: decision.amount, reason: decision.reason }, now);
    }
    await orders.update(tx, order.id, { bookingStatus: how }, now);
  });
  const cancel = follow.cancelAtGateway;
  if (cancel?.gatewayOrderId != null) {
    const placed = { id: cancel.id, gatewayOrderId: cancel.gatewayOrderId, amount: cancel.amount, currency: cancel.currency };
    inBackground(ctx, 'cancelling a gateway order', () => ctx.gateway.cancelOrder(placed));
  }
  if (follow.refund !== undefined) sendRefundSoon(ctx, follow.refund.id);
}

async function onBookingChanged(ctx: PaymentsContext, event: EventEnvelope<Snapshot>): Promise<void> {
  const { data } = event;
  const orders = createOrderRepository(ctx.tables);
  await handleOnce(ctx.database, ctx.options.schema, consumerName, event.id, async (tx) => {
    const order = await orders.findByBooking(tx, data.bookingId, { forUpdate: true });
    // Expired and cancelled are final for payments too: a late confirmation event changes nothing.
    if (order === undefined || order.bookingStatus === 'expired' || order.bookingStatus === 'cancelled') return;
    await orders.update(tx, order.id, { bookingStatus: data.status, startsAt: new Date(data.startsAt) }, ctx.options.now());
  });
}

export async function subscribeToBookings(ctx: PaymentsContext, bus: EventBus): Promise<Subscription> {
  const types = [
    events.bookingHeld.type,
    events.bookingConfirmed.type,
    events.bookingRescheduled.type,
    events.bookingCompleted.type,
    events.bookingNoShow.type,
    events.bookingExpired.type,
    events.bookingCancelled.type,
  ];
  return bus.subscribe(
    consumerName,
    types,
    async (envelope) => {
      switch (envelope.type) {
        case events.bookingHeld.type: {
          const { data } = parseEvent(events.bookingHeld, envelope);
          if (data.priceAmount > 0 && data.status === 'pending_payment') await recordHeldOrder(ctx, orderRequest(data));
          return;
        }
        case events.bookingExpired.type:
          return onBookingGone(ctx, parseEvent(events.bookingExpired, envelope), 'expired');
        case events.bookingCancelled.type:
          return onBookingGone(ctx, parseEvent(events.bookingCancelled, envelope), 'cancelled');
        case events.bookingConfirmed.type:
          return onBookingChanged(ctx, parseEvent(events.bookingConfirmed, envelope));
        case events.bookingRescheduled.type:
          return onBookingChanged(ctx, parseEvent(events.bookingRescheduled, envelope));
        case events.bookingCompleted.type:
          return onBookingChanged(ctx, parseEvent(events.bookingCompleted, envelope));
        case events.bookingNoShow.type:
          return onBookingChanged(ctx, parseEvent(events.bookingNoShow, envelope));
        default:
          return;
      }
    },
    { maxAttempts: 8, retryDelayMs: 500 },
  );
}
