import { handleOnce } from '@timeslot/adapters';
import { events, makeEvent, parseEvent, type EventBus, type EventData, type EventEnvelope, type Subscription } from '@timeslot/ports';
import { activeConnection, googleProvider } from '../connections/google-account';
import { eventSource, type CalendarContext } from '../context';
import type { MeetingRow } from '../tables';
import { completePending, detailsOf } from './meeting.service';
import { createMeetingRepository, type NewMeeting } from './meeting.repository';

/*
 * The calendar's consumer of booking events (consumer name 'calendar'): it completes meetings the
 * booking request could not make, moves calendar events on reschedule and removes them on cancel.
 * Database effects run once per event (handleOnce, the calendar's inbox); calls to Google run
 * outside any transaction and after it, are idempotent, and run again on a redelivery until they
 * succeed: a handler that throws is retried by the bus with backoff, and pending meetings are
 * also retried by the sweep, so a long Google outage outlasting the bus's retries loses nothing.
 */

export const consumerName = 'calendar';

type Snapshot = EventData<typeof events.bookingConfirmed>;

/** Whether the booking is owed a meeting at all, as scheduling decided it. */
function wantsMeeting(data: Snapshot): boolean {
  return data.meetingStatus === 'pending' || data.meetingStatus === 'ready';
}

function newRow(data: Snapshot, state: MeetingRow['state'], occurredAt: string): NewMeeting | undefined {
  // Events written before bookings named their parties cannot be acted on.
  if (data.providerUserId === undefined) return undefined;
  return {
    bookingId: data.bookingId,
    providerUserId: data.providerUserId,
    clientId: data.clientId,
    state,
    serviceName: data.serviceName ?? 'Meeting',
    providerName: data.providerName ?? 'your provider',
    timeZone: data.providerTimeZone ?? 'UTC',
    startsAt: new Date(data.startsAt),
    endsAt: new Date(data.endsAt),
    timesAsOf: new Date(occurredAt),
  };
}

/**
 * booking.confirmed: the meeting the request made is now attached to a real booking (kept from
 * the orphan sweep); one the request could not make is made now and announced.
 */
export async function onBookingConfirmed(ctx: CalendarContext, event: EventEnvelope<Snapshot>): Promise<void> {
  const { data } = event;
  if (!wantsMeeting(data)) return;
  const repository = createMeetingRepository(ctx.tables);
  let announced = false;
  await handleOnce(ctx.database, ctx.options.schema, consumerName, event.id, async (tx) => {
    const now = ctx.options.now();
    const row = await repository.find(tx, data.bookingId, { forUpdate: true });
    if (row === undefined) {
      const url = data.meetingUrl ?? null;
      // A link in the event that no row records is a built-in one (computed, never stored).
      const fresh = newRow(data, url === null ? 'pending' : 'ready', event.occurredAt);
      if (fresh !== undefined) await repository.insert(tx, { ...fresh, url, kind: url === null ? null : 'builtin', nextAttemptAt: now }, now);
      return;
    }
    switch (row.state) {
      case 'unattached':
        if (row.url === null) {
          await repository.update(tx, row.bookingId, { state: 'pending', nextAttemptAt: now, updatedAt: now });
          return;
        }
        await repository.update(tx, row.bookingId, { state: 'ready', updatedAt: now });
        // The request made the link after it stopped waiting for it: the booking lacks it.
        if ((data.meetingUrl ?? null) !== row.url) {
          await ctx.outbox.append(tx, [
            makeEvent(events.meetingReady, { bookingId: row.bookingId, meetingUrl: row.url, clientId: row.clientId, providerUserId: row.providerUserId }, { source: eventSource }),
          ]);
          announced = true;
        }
        return;
      case 'dropped':
        // The sweep removed it before this event came (a long broker outage): make it again.
        await repository.update(tx, row.bookingId, { state: 'pending', url: null, googleEventId: null, generation: row.generation + 1, nextAttemptAt: now, updatedAt: now });
        return;
      case 'pending':
      case 'ready':
      case 'cancelled':
        return;
    }
  });
  if (announced) ctx.outbox.notify();
  const after = await repository.find(ctx.database.db, data.bookingId);
  if (after?.state === 'pending') await completePending(ctx, data.bookingId, { rethrow: true });
}

/** booking.rescheduled: the meeting keeps its link and its calendar event moves with the booking. */
export async function onBookingRescheduled(ctx: CalendarContext, event: EventEnvelope<Snapshot>): Promise<void> {
  const { data } = event;
  if (!wantsMeeting(data)) return;
  const repository = createMeetingRepository(ctx.tables);
  await handleOnce(ctx.database, ctx.options.schema, consumerName, event.id, async (tx) => {
    const now = ctx.options.now();
    const row = await repository.find(tx, data.bookingId, { forUpdate: true });
    const occurredAt = new Date(event.occurredAt);
    if (row === undefined) {
      // Its confirmation has not been seen (yet): owed a meeting all the same, at the new time.
      const fresh = data.status === 'confirmed' ? newRow(data, 'pending', event.occurredAt) : undefined;
      if (fresh !== undefined) await repository.insert(tx, { ...fresh, nextAttemptAt: now }, now);
      return;
    }
    // A reschedule older than the times the row has must not move the meeting back.
    if (row.timesAsOf >= occurredAt) return;
    await repository.update(tx, row.bookingId, { startsAt: new Date(data.startsAt), endsAt: new Date(data.endsAt), timesAsOf: occurredAt, updatedAt: now });
  });
  const after = await repository.find(ctx.database.db, data.bookingId);
  if (after === undefined) return;
  if (after.state === 'pending') {
    await completePending(ctx, after.bookingId, { rethrow: true });
    return;
  }
  // Sets absolute times: running again (a redelivery) is harmless.
  if (after.state === 'ready' && after.kind === 'google' && after.googleEventId !== null) {
    const connection = await activeConnection(ctx, after.providerUserId);
    if (connection === undefined) return;
    await googleProvider(ctx, connection).moveMeeting(after.googleEventId, detailsOf(after));
  }
}

/** booking.cancelled: the calendar event is removed; the row stays, so no late event makes the meeting again. */
export async function onBookingCancelled(ctx: CalendarContext, event: EventEnvelope<Snapshot>): Promise<void> {
  const { data } = event;
  if (!wantsMeeting(data)) return;
  const repository = createMeetingRepository(ctx.tables);
  await handleOnce(ctx.database, ctx.options.schema, consumerName, event.id, async (tx) => {
    const now = ctx.options.now();
    const row = await repository.find(tx, data.bookingId, { forUpdate: true });
    if (row === undefined) {
      const tombstone = newRow(data, 'cancelled', event.occurredAt);
      if (tombstone !== undefined) await repository.insert(tx, tombstone, now);
      return;
    }
    if (row.state !== 'cancelled') await repository.update(tx, row.bookingId, { state: 'cancelled', nextAttemptAt: null, updatedAt: now });
  });
  const after = await repository.find(ctx.database.db, data.bookingId);
  if (after?.state !== 'cancelled' || after.kind !== 'google' || after.googleEventId === null) return;
  const connection = await activeConnection(ctx, after.providerUserId);
  if (connection === undefined) return;
  await googleProvider(ctx, connection).removeMeeting(after.googleEventId);
}

/** Subscribe the calendar's consumer to the booking events it acts on. */
export async function subscribeToBookings(ctx: CalendarContext, bus: EventBus): Promise<Subscription> {
  return bus.subscribe(
    consumerName,
    [events.bookingConfirmed.type, events.bookingRescheduled.type, events.bookingCancelled.type],
    async (envelope) => {
      switch (envelope.type) {
        case events.bookingConfirmed.type:
          return onBookingConfirmed(ctx, parseEvent(events.bookingConfirmed, envelope));
        case events.bookingRescheduled.type:
          return onBookingRescheduled(ctx, parseEvent(events.bookingRescheduled, envelope));
        case events.bookingCancelled.type:
          return onBookingCancelled(ctx, parseEvent(events.bookingCancelled, envelope));
        default:
          return undefined;
      }
    },
    ctx.options.eventRetry,
  );
}
