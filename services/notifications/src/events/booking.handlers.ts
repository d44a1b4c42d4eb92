import { events, parseEvent, type Db, type EventEnvelope } from '@timeslot/ports';
import type { NotificationsContext } from '../context';
import { planReminders, skipReminders } from '../delivery/reminders';
import type { BookingSnapshot, EmailData } from '../email/email.data';
import { deliver, type Effects } from '../inbox/delivery';
import type { NotificationKind } from '../kinds';

/** One event's work, inside its handleOnce transaction; what to do after commit goes in `effects`. */
export type EventHandler = (tx: Db, ctx: NotificationsContext, event: EventEnvelope, effects: Effects) => Promise<void>;

type Extra = Omit<EmailData, 'kind' | 'audience' | 'eventId' | 'booking' | 'counterpartName'>;

interface Sides {
  readonly client: boolean;
  readonly provider: boolean;
}

const both: Sides = { client: true, provider: true };
const clientOnly: Sides = { client: true, provider: false };

/**
 * Delivers `kind` to the booking's client and, when the event names them, its provider (one entry
 * each; a provider who booked their own service hears of it once). Each side reads the other's
 * name: the provider's from the event, the client's from the recipients projection.
 */
async function deliverToParties(
  tx: Db,
  ctx: NotificationsContext,
  event: EventEnvelope,
  booking: BookingSnapshot,
  kind: NotificationKind,
  effects: Effects,
  options: { extra?: Extra; sides?: Sides } = {},
): Promise<void> {
  const sides = options.sides ?? both;
  const base = { kind, eventId: event.id, booking, ...options.extra };
  const cause = { eventId: event.id, occurredAt: event.occurredAt };
  if (sides.client) {
    const counterpart = booking.providerName === undefined ? {} : { counterpartName: booking.providerName };
    await deliver(tx, ctx, { ...cause, userId: booking.clientId, data: { ...base, audience: 'client', ...counterpart } }, effects);
  }
  const providerUserId = booking.providerUserId;
  if (sides.provider && providerUserId !== undefined && providerUserId !== booking.clientId) {
    const clientName = (await ctx.store.recipients.find(tx, booking.clientId))?.name;
    const counterpart = clientName === undefined ? {} : { counterpartName: clientName };
    await deliver(tx, ctx, { ...cause, userId: providerUserId, data: { ...base, audience: 'provider', ...counterpart } }, effects);
  }
}

/** Updates the projection; true when this event is the booking's latest (see BookingProjection). */
function project(tx: Db, ctx: NotificationsContext, event: EventEnvelope, booking: BookingSnapshot): Promise<boolean> {
  return ctx.store.bookings.apply(tx, booking, new Date(event.occurredAt));
}

const cause = (event: EventEnvelope) => ({ eventId: event.id, occurredAt: new Date(event.occurredAt) });

/**
 * The booking events. Inbox entries are history and are stored whatever the order events arrive
 * in; reminders follow the projection: planned or moved only by the booking's latest event, and
 * skipped by any event that ends the booking (ended is final, whichever event says so first).
 */
export const bookingHandlers: Readonly<Record<string, EventHandler>> = {
  async 'booking.held'(tx, ctx, raw, effects) {
    const event = parseEvent(events.bookingHeld, raw);
    await project(tx, ctx, event, event.data);
    await deliverToParties(tx, ctx, event, event.data, 'booking_held', effects, { sides: clientOnly });
  },

  async 'booking.confirmed'(tx, ctx, raw, effects) {
    const event = parseEvent(events.bookingConfirmed, raw);
    const latest = await project(tx, ctx, event, event.data);
    await deliverToParties(tx, ctx, event, event.data, 'booking_confirmed', effects);
    if (latest) await planReminders(tx, ctx, event.data, cause(event), effects);
  },

  async 'booking.cancelled'(tx, ctx, raw, effects) {
    const event = parseEvent(events.bookingCancelled, raw);
    const { cancelledBy, reason, ...booking } = event.data;
    await project(tx, ctx, event, booking);
    await skipReminders(tx, ctx, booking.bookingId, 'booking cancelled', effects);
    const by = cancelledBy === booking.clientId ? 'client' : cancelledBy === booking.providerUserId ? 'provider' : 'admin';
    await deliverToParties(tx, ctx, event, booking, 'booking_cancelled', effects, { extra: { cancellation: { reason, by } } });
  },

  async 'booking.rescheduled'(tx, ctx, raw, effects) {
    const event = parseEvent(events.bookingRescheduled, raw);
    const { previousStartsAt, previousEndsAt, ...booking } = event.data;
    const latest = await project(tx, ctx, event, booking);
    await deliverToParties(tx, ctx, event, booking, 'booking_rescheduled', effects, {
      extra: { previous: { startsAt: previousStartsAt, endsAt: previousEndsAt } },
    });
    if (!latest) return;
    await skipReminders(tx, ctx, booking.bookingId, 'booking rescheduled', effects);
    await planReminders(tx, ctx, booking, cause(event), effects);
  },

  async 'booking.expired'(tx, ctx, raw, effects) {
    const event = parseEvent(events.bookingExpired, raw);
    await project(tx, ctx, event, event.data);
    await skipReminders(tx, ctx, event.data.bookingId, 'booking expired', effects);
    await deliverToParties(tx, ctx, event, event.data, 'booking_expired', effects, { sides: clientOnly });
  },

  async 'booking.completed'(tx, ctx, raw, effects) {
    const event = parseEvent(events.bookingCompleted, raw);
    await project(tx, ctx, event, event.data);
    await skipReminders(tx, ctx, event.data.bookingId, 'booking completed', effects);
  },

  async 'booking.no_show'(tx, ctx, raw, effects) {
    const event = parseEvent(events.bookingNoShow, raw);
    await project(tx, ctx, event, event.data);
    await skipReminders(tx, ctx, event.data.bookingId, 'booking marked no-show', effects);
  },

  /**
   * The calendar service made a meeting link the booking's confirmation could not wait for. The
   * booking comes from the projection (its booking.confirmed may still be in flight on another
   * handler: throwing lets the bus try again); a booking no longer confirmed is told nothing.
   */
  async 'meeting.ready'(tx, ctx, raw, effects) {
    const event = parseEvent(events.meetingReady, raw);
    const { bookingId, meetingUrl } = event.data;
    const found = await ctx.store.bookings.find(tx, bookingId);
    if (found === undefined) throw new Error(`booking ${bookingId} of the meeting is not known here yet`);
    await ctx.store.bookings.setMeetingUrl(tx, bookingId, meetingUrl);
    await ctx.store.emails.setReminderMeetingUrl(tx, bookingId, meetingUrl);
    if (found.status !== 'confirmed') return;
    await deliverToParties(tx, ctx, event, { ...found.snapshot, meetingUrl, meetingStatus: 'ready' }, 'meeting_ready', effects);
  },

  /**
   * The offer's booking is the hold that booking.held (same transaction upstream) described. That
   * event may still be in flight on another handler: throwing lets the bus try again shortly.
   */
  async 'waitlist.offered'(tx, ctx, raw, effects) {
    const event = parseEvent(events.waitlistOffered, raw);
    const found = await ctx.store.bookings.find(tx, event.data.bookingId);
    if (found === undefined) throw new Error(`booking ${event.data.bookingId} of the waitlist offer is not known here yet`);
    await deliverToParties(tx, ctx, event, { ...found.snapshot, clientId: event.data.clientId }, 'waitlist_offer', effects, {
      extra: {
        offer: {
          offerExpiresAt: event.data.offerExpiresAt,
          startsAt: event.data.startsAt,
          ...(found.snapshot.serviceName === undefined ? {} : { serviceName: found.snapshot.serviceName }),
        },
      },
      sides: clientOnly,
    });
  },

  /**
   * The client's receipt, when payments captured their money (the booking's confirmation follows
   * from scheduling as booking.confirmed). The booking's details come from the projection, which
   * booking.held wrote long before anyone could pay; until then the bus tries again.
   */
  async 'payment.captured'(tx, ctx, raw, effects) {
    const event = parseEvent(events.paymentCaptured, raw);
    const found = await ctx.store.bookings.find(tx, event.data.bookingId);
    if (found === undefined) throw new Error(`booking ${event.data.bookingId} of the payment is not known here yet`);
    const { amount, currency, orderId } = event.data;
    await deliverToParties(tx, ctx, event, { ...found.snapshot, clientId: event.data.clientId }, 'payment_receipt', effects, {
      extra: { payment: { amount, currency, paymentId: orderId, paidAt: event.occurredAt } },
      sides: clientOnly,
    });
  },
};
