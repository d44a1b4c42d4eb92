import { randomUUID } from 'node:crypto';
import type { Db } from '@timeslot/ports';
import type { SchedulingContext } from '../context';
import type { BookingRow } from '../tables';
import { bookingErrors } from './booking.errors';
import { occupiedRange, sessionKeyFor } from './booking.model';
import { createBookingRepository, isRetryable, violationOf } from './booking.repository';
import type { BookingTarget } from './booking.slots';

/*
 * The write paths that take a provider's time: new bookings and waitlist offers (insert) and
 * reschedules (update). Before they run, the caller checked the start is a real slot, which gives
 * a clear SLOT_UNAVAILABLE; whether the time is still free is decided here by PostgreSQL alone:
 * the exclusion constraint `bookings_no_overlap` and the unique index `bookings_live_seat`. Any
 * check in application code could be raced by another replica; these cannot.
 */

export interface Placement {
  readonly target: BookingTarget;
  readonly clientId: string;
  readonly start: Date;
  readonly notes: string | null;
  readonly status: 'confirmed' | 'pending_payment';
  readonly holdExpiresAt: Date | null;
  readonly now: Date;
}

function span(target: BookingTarget, start: Date) {
  const { service } = target;
  const end = new Date(start.getTime() + service.durationMinutes * 60_000);
  return {
    startsAt: start,
    endsAt: end,
    occupied: occupiedRange(start, end, service.bufferBeforeMinutes, service.bufferAfterMinutes),
  };
}

/**
 * Insert a held or confirmed booking, or throw SLOT_TAKEN. A refused insert raises no error (see
 * the repository's `insert`), so the surrounding transaction stays usable for callers that go on.
 */
export async function placeBooking(ctx: SchedulingContext, tx: Db, placement: Placement): Promise<BookingRow> {
  const repository = createBookingRepository(ctx.tables);
  const { target, start, now } = placement;
  const { service } = target;
  const id = randomUUID();
  const row = {
    id,
    providerId: service.providerId,
    serviceId: service.id,
    clientId: placement.clientId,
    status: placement.status,
    ...span(target, start),
    sessionKey: sessionKeyFor(id, service.id, service.capacity, start),
    capacity: service.capacity,
    notes: placement.notes,
    holdExpiresAt: placement.holdExpiresAt,
    createdAt: now,
    updatedAt: now,
  };
  if (service.capacity === 1) {
    const inserted = await repository.insert(tx, { ...row, seat: 1 });
    if (inserted === undefined) throw bookingErrors.slotTaken();
    return inserted;
  }
  // Seats in order, the lowest free first. The count is a hint that saves attempts; the unique
  // index is what refuses a sold seat, and a refusal moves on to the next seat, unless the time
  // clashes with another session, when no seat of this one can be had.
  const taken = await repository.takenSeats(tx, row.sessionKey);
  for (let seat = 1; seat <= service.capacity; seat++) {
    if (taken.has(seat)) continue;
    const inserted = await repository.insert(tx, { ...row, seat });
    if (inserted !== undefined) return inserted;
    if (await repository.clashes(tx, row.providerId, row.occupied, row.sessionKey)) break;
  }
  throw bookingErrors.slotTaken();
}

/**
 * Move a live booking to `start` in place: the row's range (and session and seat for seated
 * services) change in one UPDATE, so the new time is taken and the old released together, or,
 * when the constraint refuses the new time, nothing changes.
 */
export async function moveBooking(ctx: SchedulingContext, tx: Db, booking: BookingRow, target: BookingTarget, start: Date, now: Date): Promise<BookingRow> {
  const repository = createBookingRepository(ctx.tables);
  const { service } = target;
  const sessionKey = sessionKeyFor(booking.id, service.id, booking.capacity, start);
  const changes = { ...span(target, start), sessionKey, updatedAt: now };
  if (booking.capacity === 1) {
    try {
      const moved = await repository.move(tx, booking.id, { ...changes, seat: 1 });
      if (moved === undefined) throw bookingErrors.notFound();
      return moved;
    } catch (error) {
      if (violationOf(error) === 'overlap') throw bookingErrors.slotTaken(error);
      throw error;
    }
  }
  // An UPDATE has no ON CONFLICT: each seat is tried inside a savepoint (a nested transaction),
  // so that a refused attempt (23505 on the seat index) leaves the outer transaction usable.
  const taken = await repository.takenSeats(tx, sessionKey);
  for (let seat = 1; seat <= booking.capacity; seat++) {
    if (taken.has(seat)) continue;
    try {
      const moved = await tx.transaction((savepoint) => repository.move(savepoint, booking.id, { ...changes, seat }));
      if (moved === undefined) throw bookingErrors.notFound();
      return moved;
    } catch (error) {
      const violation = violationOf(error);
      if (violation === 'seat') continue;
      if (violation === 'overlap') throw bookingErrors.slotTaken(error);
      throw error;
    }
  }
  throw bookingErrors.slotTaken();
}

/**
 * A transaction that runs again (up to 3 times) when PostgreSQL aborted it for a deadlock or a
 * serialization failure: concurrent UPDATEs checked by one exclusion constraint may wait on each
 * other, and the server then picks one to abort. The retry re-runs the whole callback, so it must
 * not have effects outside the transaction.
 */
export async function inTransaction<T>(ctx: SchedulingContext, work: (tx: Db) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await ctx.database.db.transaction((tx) => work(tx));
    } catch (error) {
      if (attempt >= 3 || !isRetryable(error)) throw error;
    }
  }
}
