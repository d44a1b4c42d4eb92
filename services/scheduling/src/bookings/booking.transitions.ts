import { commonErrors } from '@timeslot/kernel';
import { events, makeEvent, type Db, type EventEnvelope, type Identity } from '@timeslot/ports';
import type { SchedulingContext } from '../context';
import type { BookingRow, BookingStatus, MeetingStatus } from '../tables';
import { createWaitlistRepository } from '../waitlist/waitlist.repository';
import { bookingErrors } from './booking.errors';
import { eventSource, snapshot, toBooking } from './booking.model';
import { inTransaction, moveBooking } from './booking.place';
import { arrangeMeeting, dropMeetingLater, meetingColumns, type MeetingOutcome } from './booking.meeting';
import { announceFreedSlot, scheduleHoldExpiry } from './booking.queues';
import { createBookingRepository, type BookingWithService } from './booking.repository';
import type { Booking } from './booking.schemas';
import { canSee, isProviderSide } from './booking.service';
import { assertValidSlot, loadTarget } from './booking.slots';
import { assertTransition, isLive } from './booking.state';

/** What one change of one booking did, for the steps that follow its commit. */
interface Outcome {
  readonly row: BookingRow;
  readonly events: EventEnvelope[];
  /** The slot this change released (cancel, expiry, reschedule away), for the waitlist. */
  readonly freed?: { readonly serviceId: string; readonly start: Date };
  /** A hold deadline to arm a job for. */
  readonly holdUntil?: Date;
}

type Work = (tx: Db, found: BookingWithService, now: Date) => Promise<Outcome | undefined>;

/**
 * Runs one change of one booking in a transaction, on the row locked FOR UPDATE, with its events;
 * after commit, nudges the outbox and enqueues the follow-up jobs. `work` returning undefined
 * means nothing changed (an idempotent no-op, e.g. a hold job for a booking already confirmed).
 */
async function mutate(ctx: SchedulingContext, bookingId: string, requestId: string | undefined, work: Work): Promise<Booking> {
  const repository = createBookingRepository(ctx.tables);
  const { found, outcome } = await inTransaction(ctx, async (tx) => {
    const locked = await repository.findById(tx, bookingId, { forUpdate: true });
    if (locked === undefined) throw bookingErrors.notFound();
    const result = await work(tx, locked, ctx.options.now());
    if (result !== undefined) await ctx.outbox.append(tx, result.events);
    return { found: locked, outcome: result };
  });
  if (outcome === undefined) return toBooking(found.booking, found.service);
  ctx.outbox.notify();
  await ctx.slotCache.changed(outcome.row.providerId);
  if (outcome.holdUntil !== undefined) await scheduleHoldExpiry(ctx, outcome.row.id, outcome.holdUntil, requestId);
  if (outcome.freed !== undefined) {
    await announceFreedSlot(ctx, { ...outcome.freed, freedBy: outcome.row.id, at: outcome.row.updatedAt }, requestId);
  }
  return toBooking(outcome.row, found.service);
}

async function transition(
  tx: Db,
  ctx: SchedulingContext,
  found: BookingWithService,
  to: BookingStatus,
  changes: { cancelReason?: string | null; cancelledBy?: string | null; holdExpiresAt?: Date | null; meetingStatus?: MeetingStatus; meetingUrl?: string | null },
  now: Date,
): Promise<BookingRow> {
  const from = found.booking.status;
  assertTransition(from, to);
  // The table requires a hold deadline exactly while pending_payment.
  const holdExpiresAt = to === 'pending_payment' ? (changes.holdExpiresAt ?? found.booking.holdExpiresAt) : null;
  const row = await createBookingRepository(ctx.tables).transition(tx, found.booking.id, from, {
    ...changes,
    status: to,
    holdExpiresAt,
    updatedAt: now,
  });
  // Unreachable while the row is locked FOR UPDATE; kept so a lost race can never pass silently.
  if (row === undefined) throw bookingErrors.invalidTransition(from, to);
  return row;
}

function meta(requestId: string | undefined) {
  return { source: eventSource, requestId };
}

/**
 * Cancel: the client up to the service's cancellation window before the start (a hold not yet
 * paid for may always be dropped), the provider side at any time.
 */
export async function cancelBooking(
  ctx: SchedulingContext,
  caller: Identity,
  bookingId: string,
  reason: string | undefined,
  requestId?: string,
): Promise<Booking> {
  return mutate(ctx, bookingId, requestId, async (tx, found, now) => {
    if (!canSee(caller, found)) throw bookingErrors.notFound();
    assertTransition(found.booking.status, 'cancelled');
    if (!isProviderSide(caller, found) && found.booking.status === 'confirmed') assertBeforeWindow(found, now);
    const row = await transition(tx, ctx, found, 'cancelled', { cancelReason: reason ?? null, cancelledBy: caller.userId }, now);
    await createWaitlistRepository(ctx.tables).settleOffer(tx, row.id, 'cancelled');
    const data = { ...snapshot(row, found.service, found.parties), cancelledBy: caller.userId, reason: reason ?? null, cancelledAt: now.toISOString() };
    return {
      row,
      events: [makeEvent(events.bookingCancelled, data, meta(requestId))],
      freed: { serviceId: row.serviceId, start: row.startsAt },
    };
  });
}

function assertBeforeWindow(found: BookingWithService, now: Date): void {
  const minutes = found.service.cancellationWindowMinutes;
  if (now.getTime() > found.booking.startsAt.getTime() - minutes * 60_000) throw bookingErrors.cancellationWindowPassed(minutes);
}

/** Completed or no-show: the provider side, once the booking has started. */
export async function finishBooking(
  ctx: SchedulingContext,
  caller: Identity,
  bookingId: string,
  to: 'completed' | 'no_show',
  requestId?: string,
): Promise<Booking> {
  return mutate(ctx, bookingId, requestId, async (tx, found, now) => {
    if (!canSee(caller, found)) throw bookingErrors.notFound();
    // Its client may see it, but only the provider side says how it went.
    if (!isProviderSide(caller, found)) throw commonErrors.forbidden();
    assertTransition(found.booking.status, to);
    if (now < found.booking.startsAt) throw bookingErrors.notStarted();
    const row = await transition(tx, ctx, found, to, {}, now);
    const definition = to === 'completed' ? events.bookingCompleted : events.bookingNoShow;
    return { row, events: [makeEvent(definition, snapshot(row, found.service, found.parties), meta(requestId))] };
  });
}

/**
 * Confirm a held booking once it is paid for (the payments work calls this; admins may too).
 * Idempotent: confirming a confirmed booking changes nothing.
 */
export async function confirmBooking(ctx: SchedulingContext, bookingId: string, requestId?: string): Promise<Booking> {
  const meeting = await meetingForConfirmation(ctx, bookingId, { onlyFree: false });
  return withMeeting(ctx, bookingId, meeting, () =>
    mutate(ctx, bookingId, requestId, async (tx, found, now) => {
      if (found.booking.status === 'confirmed') return undefined;
      const row = await transition(tx, ctx, found, 'confirmed', meetingColumns(meeting), now);
      await createWaitlistRepository(ctx.tables).settleOffer(tx, row.id, 'booked');
      return { row, events: [makeEvent(events.bookingConfirmed, snapshot(row, found.service, found.parties), meta(requestId))] };
    }),
  );
}

/**
 * The meeting of a held booking that is about to be confirmed, asked for before the transaction
 * (no network call inside it). Undefined when there is nothing to ask (not held, not owed one).
 */
async function meetingForConfirmation(
  ctx: SchedulingContext,
  bookingId: string,
  options: { onlyFree: boolean; clientId?: string },
): Promise<MeetingOutcome | undefined> {
  if (ctx.calendar === undefined) return undefined;
  const found = await createBookingRepository(ctx.tables).findById(ctx.database.db, bookingId);
  if (found === undefined || found.booking.status !== 'pending_payment') return undefined;
  if (options.onlyFree && found.service.priceAmount > 0) return undefined;
  // Only its own client's claim is worth a meeting: anyone else is refused inside the transaction.
  if (options.clientId !== undefined && found.booking.clientId !== options.clientId) return undefined;
  return arrangeMeeting(ctx, found.parties, found.booking);
}

/** Runs the confirmation; a meeting made for it is dropped again when it fails. */
async function withMeeting(ctx: SchedulingContext, bookingId: string, meeting: MeetingOutcome | undefined, confirm: () => Promise<Booking>): Promise<Booking> {
  try {
    return await confirm();
  } catch (error) {
    if (meeting !== undefined && meeting.status !== 'none') dropMeetingLater(ctx, bookingId);
    throw error;
  }
}

/**
 * The client claims a waitlist offer: a free service is confirmed; a paid one stays held, for at
 * least a regular hold's time from now, until the payment confirms it.
 */
export async function confirmOffer(ctx: SchedulingContext, caller: Identity, bookingId: string, requestId?: string): Promise<Booking> {
  const meeting = await meetingForConfirmation(ctx, bookingId, { onlyFree: true, clientId: caller.userId });
  return withMeeting(ctx, bookingId, meeting, () => claimOffer(ctx, caller, bookingId, meeting, requestId));
}

async function claimOffer(ctx: SchedulingContext, caller: Identity, bookingId: string, meeting: MeetingOutcome | undefined, requestId?: string): Promise<Booking> {
  return mutate(ctx, bookingId, requestId, async (tx, found, now) => {
    if (found.booking.clientId !== caller.userId) throw bookingErrors.notFound();
    const waitlist = createWaitlistRepository(ctx.tables);
    if (found.booking.status !== 'pending_payment') assertTransition(found.booking.status, 'confirmed');
    if ((await waitlist.findOffer(tx, bookingId)) === undefined) throw bookingErrors.notAnOffer();
    await waitlist.settleOffer(tx, bookingId, 'booked');
    if (found.service.priceAmount === 0) {
      const row = await transition(tx, ctx, found, 'confirmed', meetingColumns(meeting), now);
      return { row, events: [makeEvent(events.bookingConfirmed, snapshot(row, found.service, found.parties), meta(requestId))] };
    }
    const current = found.booking.holdExpiresAt?.getTime() ?? 0;
    const holdExpiresAt = new Date(Math.max(current, now.getTime() + ctx.options.holdMinutes * 60_000));
    const row = await createBookingRepository(ctx.tables).transition(tx, bookingId, 'pending_payment', { holdExpiresAt, updatedAt: now });
    if (row === undefined) throw bookingErrors.invalidTransition(found.booking.status, 'confirmed');
    return { row, events: [makeEvent(events.bookingHeld, snapshot(row, found.service, found.parties), meta(requestId))], holdUntil: holdExpiresAt };
  });
}

/**
 * The hold job's handler, also callable directly (tests, the sweep): expires the booking if it is
 * still pending and its deadline has passed; otherwise does nothing, so duplicate, early and stale
 * jobs are harmless.
 */
export async function expireHold(ctx: SchedulingContext, bookingId: string, requestId?: string): Promise<'expired' | 'not-due' | 'not-pending'> {
  let verdict: 'expired' | 'not-due' | 'not-pending' = 'not-pending';
  let rearm: Date | undefined;
  try {
    await mutate(ctx, bookingId, requestId, async (tx, found, now) => {
      const { booking } = found;
      if (booking.status !== 'pending_payment' || booking.holdExpiresAt === null) return undefined;
      if (booking.holdExpiresAt > now) {
        verdict = 'not-due';
        rearm = booking.holdExpiresAt;
        return undefined;
      }
      verdict = 'expired';
      const row = await transition(tx, ctx, found, 'expired', {}, now);
      await createWaitlistRepository(ctx.tables).settleOffer(tx, row.id, 'cancelled');
      return {
        row,
        events: [makeEvent(events.bookingExpired, snapshot(row, found.service, found.parties), meta(requestId))],
        freed: { serviceId: row.serviceId, start: row.startsAt },
      };
    });
  } catch (error) {
    // A booking that no longer exists has nothing left to expire.
    if ((error as { code?: unknown }).code === 'BOOKING_NOT_FOUND') return 'not-pending';
    throw error;
  }
  // Fired early (the clock of the queue and ours differ, or the hold was extended): try again then.
  if (rearm !== undefined) await scheduleHoldExpiry(ctx, bookingId, rearm, requestId);
  return verdict;
}

/**
 * Move a live booking to another slot of its service, atomically: the new time is taken and the
 * old released by one UPDATE, or nothing changes (SLOT_TAKEN). Clients are bound by the
 * cancellation window, as moving away late is cancelling late.
 */
export async function rescheduleBooking(
  ctx: SchedulingContext,
  caller: Identity,
  bookingId: string,
  startText: string,
  requestId?: string,
): Promise<Booking> {
  const repository = createBookingRepository(ctx.tables);
  // Read (unlocked) first: slot computation reads availability through its own connection, which
  // must not happen inside the transaction below (PGlite has only one).
  const first = await repository.findById(ctx.database.db, bookingId);
  if (first === undefined || !canSee(caller, first)) throw bookingErrors.notFound();
  const target = await loadTarget(ctx, first.booking.serviceId);
  const start = new Date(startText);
  await assertValidSlot(ctx, target, start);

  return mutate(ctx, bookingId, requestId, async (tx, found, now) => {
    const { booking } = found;
    if (!isLive(booking.status)) throw bookingErrors.invalidTransition(booking.status, 'rescheduled');
    if (!isProviderSide(caller, found)) assertBeforeWindow(found, now);
    if (booking.startsAt.getTime() === start.getTime()) return undefined;
    const row = await moveBooking(ctx, tx, booking, target, start, now);
    const data = {
      ...snapshot(row, found.service, found.parties),
      previousStartsAt: booking.startsAt.toISOString(),
      previousEndsAt: booking.endsAt.toISOString(),
    };
    return {
      row,
      events: [makeEvent(events.bookingRescheduled, data, meta(requestId))],
      freed: { serviceId: booking.serviceId, start: booking.startsAt },
    };
  });
}
