import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { EventEnvelope } from './event-bus';

/**
 * Every domain event, in one place: its type, version and the zod schema of its data.
 * Publishers build envelopes with `makeEvent`; consumers parse with `parseEvent`, so a malformed
 * or unknown event is rejected at the edge, not deep in a handler.
 */
export interface EventDefinition<T extends string, S extends z.ZodType> {
  readonly type: T;
  readonly version: number;
  readonly schema: S;
}

function defineEvent<T extends string, S extends z.ZodType>(type: T, version: number, schema: S): EventDefinition<T, S> {
  return { type, version, schema };
}

const role = z.enum(['client', 'provider', 'admin']);

/** What every booking event carries: enough for notifications, payments and calendar to act alone. */
const bookingSnapshot = z.object({
  bookingId: z.uuid(),
  providerId: z.uuid(),
  serviceId: z.uuid(),
  clientId: z.uuid(),
  status: z.enum(['pending_payment', 'confirmed', 'expired', 'cancelled', 'completed', 'no_show']),
  startsAt: z.iso.datetime({ offset: true }),
  endsAt: z.iso.datetime({ offset: true }),
  seat: z.number().int().positive(),
  priceAmount: z.number().int().nonnegative(),
  currency: z.string().length(3),
  holdExpiresAt: z.iso.datetime({ offset: true }).nullable(),
  // Who and what the booking is with, so a consumer (notifications, calendar) can act without
  // calling scheduling back. Optional only because events written before they existed lack them.
  /** The provider profile's identity user: the provider-side recipient. */
  providerUserId: z.uuid().optional(),
  providerName: z.string().optional(),
  /** IANA zone of the provider's availability. */
  providerTimeZone: z.string().optional(),
  serviceName: z.string().optional(),
  locationKind: z.enum(['video', 'in_person', 'phone']).optional(),
  locationAddress: z.string().nullable().optional(),
  /** The meeting link, once the calendar service made one (video services). */
  meetingUrl: z.string().nullable().optional(),
  /**
   * none: the booking gets no meeting (not video, seated, or no calendar service); pending: it is
   * owed one that the calendar service could not make in the request (meeting.ready follows);
   * ready: `meetingUrl` is it.
   */
  meetingStatus: z.enum(['none', 'pending', 'ready']).optional(),
  /** The service's cancellation window (minutes before the start), for the refund policy of payments. */
  cancellationWindowMinutes: z.number().int().nonnegative().optional(),
});

/** What every payment event carries: the order, its booking and who is party to it. */
const paymentSnapshot = z.object({
  orderId: z.uuid(),
  bookingId: z.uuid(),
  clientId: z.uuid(),
  providerUserId: z.uuid().nullable(),
  /** Minor units. */
  amount: z.number().int().positive(),
  currency: z.string().length(3),
  gateway: z.enum(['simulator', 'stripe', 'razorpay']),
});

export const events = {
  userRegistered: defineEvent(
    'user.registered',
    1,
    z.object({ userId: z.uuid(), email: z.email(), name: z.string(), role, timeZone: z.string(), locale: z.string() }),
  ),
  userUpdated: defineEvent(
    'user.updated',
    1,
    z.object({ userId: z.uuid(), name: z.string(), timeZone: z.string(), locale: z.string() }),
  ),
  /** An administrator disabled the account: its sessions are revoked and its tokens refused. */
  userDisabled: defineEvent(
    'user.disabled',
    1,
    z.object({ userId: z.uuid(), disabledBy: z.uuid(), reason: z.string().nullable(), disabledAt: z.iso.datetime({ offset: true }) }),
  ),
  userEnabled: defineEvent('user.enabled', 1, z.object({ userId: z.uuid(), enabledBy: z.uuid() })),
  bookingHeld: defineEvent('booking.held', 1, bookingSnapshot),
  bookingConfirmed: defineEvent('booking.confirmed', 1, bookingSnapshot),
  bookingCancelled: defineEvent(
    'booking.cancelled',
    1,
    bookingSnapshot.extend({
      cancelledBy: z.uuid(),
      reason: z.string().nullable(),
      /** When it was cancelled, by scheduling's clock (the refund policy compares it with the window). */
      cancelledAt: z.iso.datetime({ offset: true }).optional(),
    }),
  ),
  bookingRescheduled: defineEvent(
    'booking.rescheduled',
    1,
    bookingSnapshot.extend({
      previousStartsAt: z.iso.datetime({ offset: true }),
      previousEndsAt: z.iso.datetime({ offset: true }),
    }),
  ),
  bookingExpired: defineEvent('booking.expired', 1, bookingSnapshot),
  bookingCompleted: defineEvent('booking.completed', 1, bookingSnapshot),
  bookingNoShow: defineEvent('booking.no_show', 1, bookingSnapshot),
  /**
   * The calendar service completed a meeting that a confirmed booking was waiting for (its link
   * could not be made in the booking request): scheduling stores the link, notifications tell the
   * participants.
   */
  meetingReady: defineEvent(
    'meeting.ready',
    1,
    z.object({ bookingId: z.uuid(), meetingUrl: z.url(), clientId: z.uuid(), providerUserId: z.uuid() }),
  ),
  /**
   * A provider's external busy times (a connected Google Calendar) changed, or their freshness did
   * (a sync failed or recovered): scheduling recomputes that provider's slots.
   */
  calendarBusyChanged: defineEvent('calendar.busy_changed', 1, z.object({ providerUserId: z.uuid() })),
  /**
   * The order of a held booking is paid (the gateway captured the money): scheduling confirms the
   * booking (idempotently), notifications send the receipt. Never published for a payment that
   * landed after its booking expired or was cancelled: that one is refunded instead.
   */
  paymentCaptured: defineEvent('payment.captured', 1, paymentSnapshot.extend({ gatewayPaymentId: z.string() })),
  /** The last attempt to pay failed; the client may try again while the hold lasts. */
  paymentFailed: defineEvent('payment.failed', 1, paymentSnapshot.extend({ reason: z.string().nullable() })),
  /** Money went back to the client (a refund the gateway accepted). */
  paymentRefunded: defineEvent(
    'payment.refunded',
    1,
    paymentSnapshot.extend({
      refundId: z.uuid(),
      /** This refund, in minor units. */
      refundAmount: z.number().int().positive(),
      /** Every refund of the order so far, this one included. */
      refundedTotal: z.number().int().positive(),
      reason: z.enum(['cancellation', 'late_payment', 'manual']),
    }),
  ),
  waitlistOffered: defineEvent(
    'waitlist.offered',
    1,
    z.object({
      entryId: z.uuid(),
      clientId: z.uuid(),
      bookingId: z.uuid(),
      serviceId: z.uuid(),
      startsAt: z.iso.datetime({ offset: true }),
      offerExpiresAt: z.iso.datetime({ offset: true }),
    }),
  ),
  /**
   * An in-app notification was stored for `userId`: every notifications replica pushes it to that
   * user's live streams (it carries the entry, so no replica reads it back).
   */
  notificationCreated: defineEvent(
    'notification.created',
    1,
    z.object({
      notificationId: z.uuid(),
      /** Its place in the user's inbox (ascending): what a stream resumes after. */
      seq: z.number().int().positive(),
      userId: z.uuid(),
      kind: z.string(),
      title: z.string(),
      body: z.string(),
      data: z.record(z.string(), z.unknown()),
      createdAt: z.iso.datetime({ offset: true }),
    }),
  ),
} as const;

type Defs = typeof events;
export type EventType = Defs[keyof Defs]['type'];
export type EventData<D extends EventDefinition<string, z.ZodType>> = z.infer<D['schema']>;

export function makeEvent<D extends EventDefinition<string, z.ZodType>>(
  def: D,
  data: z.infer<D['schema']>,
  meta: { source: string; requestId?: string | undefined },
): EventEnvelope<z.infer<D['schema']>> {
  return {
    id: randomUUID(),
    type: def.type,
    version: def.version,
    occurredAt: new Date().toISOString(),
    source: meta.source,
    ...(meta.requestId === undefined ? {} : { requestId: meta.requestId }),
    data: def.schema.parse(data) as z.infer<D['schema']>,
  };
}

/** Validate an incoming envelope's data against its definition (throws a ZodError when it does not fit). */
export function parseEvent<D extends EventDefinition<string, z.ZodType>>(def: D, event: EventEnvelope): EventEnvelope<z.infer<D['schema']>> {
  if (event.type !== def.type || event.version !== def.version) {
    throw new Error(`expected ${def.type} v${def.version}, got ${event.type} v${event.version}`);
  }
  return { ...event, data: def.schema.parse(event.data) as z.infer<D['schema']> };
}
