import { assertBeforeDeadline, commonErrors, type AppError } from '@timeslot/kernel';
import { events, makeEvent, type Identity } from '@timeslot/ports';
import type { SchedulingContext } from '../context';
import type { BookingRow } from '../tables';
import { createProviderRepository } from '../providers/provider.repository';
import { bookingErrors } from './booking.errors';
import { eventSource, partiesOf, snapshot, toBooking } from './booking.model';
import { inTransaction, newBooking, placeBooking, placeOneToOne } from './booking.place';
import { scheduleHoldExpiry } from './booking.queues';
import { createBookingRepository, violationOf, type BookingWithService } from './booking.repository';
import type { Booking, CreateBookingInput, ListBookingsQuery } from './booking.schemas';
import { assertValidSlot, loadTarget } from './booking.slots';
import { createIdempotencyStore, requestHash } from './idempotency';
import { arrangeMeeting, dropMeetingLater, type MeetingOutcome } from './booking.meeting';

export interface CreateBookingMeta {
  readonly idempotencyKey?: string | undefined;
  readonly requestId?: string | undefined;
  /** When the caller stops waiting (epoch ms): past it, nothing is committed (DEADLINE_EXCEEDED). */
  readonly deadline?: number | undefined;
}

export interface CreateBookingResult {
  readonly statusCode: number;
  readonly body: Booking;
  /** True when an Idempotency-Key matched an earlier request and its response is replayed. */
  readonly replayed: boolean;
}

const createRoute = 'POST /api/v1/bookings';

/** Its client, the provider whose profile it is booked with, or an admin. */
export function canSee(caller: Identity, found: BookingWithService): boolean {
  return caller.role === 'admin' || found.booking.clientId === caller.userId || found.providerUserId === caller.userId;
}

/** The provider side: the profile's owner or an admin. */
export function isProviderSide(caller: Identity, found: BookingWithService): boolean {
  return caller.role === 'admin' || found.providerUserId === caller.userId;
}

function isAppError(error: unknown, code: string): error is AppError {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === code;
}

/**
 * Book `input.start` of a service for the caller. Free services are confirmed at once; paid ones
 * are held (pending_payment) until the payment confirms them or the hold expires.
 */
export async function createBooking(
  ctx: SchedulingContext,
  caller: Identity,
  input: CreateBookingInput,
  meta: CreateBookingMeta = {},
): Promise<CreateBookingResult> {
  const idempotency = createIdempotencyStore(ctx.tables, ctx.options.idempotencyTtlHours);
  const key = meta.idempotencyKey;
  const hash = key === undefined ? '' : requestHash(createRoute, input);
  const replay = async (): Promise<CreateBookingResult | undefined> => {
    if (key === undefined) return undefined;
    const stored = await idempotency.replay(ctx.database.db, caller.userId, key, hash, ctx.options.now());
    return stored === undefined ? undefined : { statusCode: stored.statusCode, body: stored.body as Booking, replayed: true };
  };

  const earlier = await replay();
  if (earlier !== undefined) return earlier;

  const target = await loadTarget(ctx, input.serviceId);
  const start = new Date(input.start);
  // For a clear error only: the constraint below is what keeps the time from being sold twice.
  await assertValidSlot(ctx, target, start);

  const paid = target.service.priceAmount > 0;
  const eventMeta = { source: eventSource, requestId: meta.requestId };
  const announce = (row: BookingRow) =>
    paid ? makeEvent(events.bookingHeld, snapshot(row, target.service, partiesOf(target)), eventMeta) : makeEvent(events.bookingConfirmed, snapshot(row, target.service, partiesOf(target)), eventMeta);
  const placement = (now: Date) => ({
    target,
    clientId: caller.userId,
    start,
    notes: input.notes ?? null,
    status: paid ? ('pending_payment' as const) : ('confirmed' as const),
    holdExpiresAt: paid ? new Date(now.getTime() + ctx.options.holdMinutes * 60_000) : null,
    now,
  });
  let result: { row: BookingRow; body: Booking };
  // The meeting asked for before the commit, to drop again when the booking is not made.
  let meeting: MeetingOutcome | undefined;
  let bookingId: string | undefined;
  try {
    if (target.service.capacity === 1) {
      // The common case in one statement: booking, event and stored response (see placeOneToOne).
      let row = newBooking(placement(ctx.options.now()));
      bookingId = row.id;
      // Free bookings confirm now, so their meeting is made now (its id is chosen before the
      // insert), and the row, this response and booking.confirmed all carry the link.
      if (!paid) {
        meeting = await arrangeMeeting(ctx, partiesOf(target), row, meta.deadline);
        row = { ...row, meetingStatus: meeting.status, meetingUrl: meeting.url };
      }
      const body = toBooking(row, target.service);
      // Last moment to give up: this one statement is the commit.
      assertBeforeDeadline(meta.deadline);
      if (!(await placeOneToOne(ctx, row, announce(row), key === undefined ? undefined : { key, hash, body }))) throw bookingErrors.slotTaken();
      result = { row, body };
    } else {
      result = await inTransaction(ctx, async (tx) => {
        const now = ctx.options.now();
        const row = await placeBooking(ctx, tx, placement(now));
        await ctx.outbox.append(tx, [announce(row)]);
        const body = toBooking(row, target.service);
        // Same transaction: the key exists exactly when the booking does. A concurrent request with
        // this key fails on the primary key here and replays this response below.
        if (key !== undefined) await idempotency.store(tx, caller.userId, key, hash, { statusCode: 201, body }, now);
        // The commit follows this callback: a caller gone by now gets nothing saved behind its back.
        assertBeforeDeadline(meta.deadline);
        return { row, body };
      });
    }
  } catch (error) {
    // Lost the time (or the caller): the meeting made for it belongs to no booking.
    if (bookingId !== undefined && meeting !== undefined && meeting.status !== 'none') dropMeetingLater(ctx, bookingId);
    // The same key sent twice at once: one of them won, and this one answers with its response.
    if (key !== undefined && (violationOf(error) === 'idempotency-key' || isAppError(error, 'SLOT_TAKEN'))) {
      const winner = await replay();
      if (winner !== undefined) return winner;
    }
    throw error;
  }

  ctx.outbox.notify();
  await ctx.slotCache.changed(result.row.providerId);
  if (result.row.holdExpiresAt !== null) await scheduleHoldExpiry(ctx, result.row.id, result.row.holdExpiresAt, meta.requestId);
  return { statusCode: 201, body: result.body, replayed: false };
}

/** Visible to its client, its provider and admins; anyone else gets 404, as if it did not exist. */
export async function getBooking(ctx: SchedulingContext, caller: Identity, bookingId: string): Promise<Booking> {
  const found = await createBookingRepository(ctx.tables).findById(ctx.database.db, bookingId);
  if (found === undefined || !canSee(caller, found)) throw bookingErrors.notFound();
  return toBooking(found.booking, found.service);
}

interface Cursor {
  readonly startsAt: Date;
  readonly id: string;
}

function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.startsAt.getTime(), cursor.id])).toString('base64url');
}

function decodeCursor(text: string): Cursor {
  try {
    const value: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 2 && Number.isSafeInteger(value[0]) && typeof value[1] === 'string') {
      const id = value[1];
      if (/^[0-9a-f-]{36}$/i.test(id)) return { startsAt: new Date(value[0] as number), id };
    }
  } catch {
    // Fall through to the validation error.
  }
  throw commonErrors.validation([{ path: 'query.cursor', message: 'is not a cursor this API returned' }]);
}

/**
 * The caller's bookings, as client (booked by me) or as provider (booked with my profile), oldest
 * start first, in keyset pages on (starts_at, id).
 */
export async function listBookings(
  ctx: SchedulingContext,
  caller: Identity,
  query: ListBookingsQuery,
): Promise<{ items: Booking[]; nextCursor: string | null }> {
  const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
  const role = query.role ?? (caller.role === 'provider' ? 'provider' : 'client');
  const db = ctx.database.db;
  let scope: { clientId: string } | { providerId: string };
  if (role === 'client') scope = { clientId: caller.userId };
  else {
    const profile = await createProviderRepository(ctx.tables).findByUserId(db, caller.userId);
    if (profile === undefined) return { items: [], nextCursor: null };
    scope = { providerId: profile.id };
  }
  const rows = await createBookingRepository(ctx.tables).list(db, {
    ...scope,
    ...(query.status === undefined ? {} : { status: query.status }),
    ...(query.from === undefined ? {} : { from: new Date(query.from) }),
    ...(query.to === undefined ? {} : { to: new Date(query.to) }),
    ...(after === undefined ? {} : { after }),
    // One extra row tells whether another page exists without a count.
    limit: query.limit + 1,
  });
  const page = rows.slice(0, query.limit);
  const last = page[page.length - 1];
  const nextCursor = rows.length > query.limit && last !== undefined ? encodeCursor({ startsAt: last.booking.startsAt, id: last.booking.id }) : null;
  return { items: page.map((found) => toBooking(found.booking, found.service)), nextCursor };
}
