import { createHash, randomUUID } from 'node:crypto';
import { outboxValues, quoteIdentifier } from '@timeslot/adapters';
import type { Db, EventEnvelope } from '@timeslot/ports';
import type { SchedulingContext } from '../context';
import type { BookingRow, MeetingStatus } from '../tables';
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
  /** The booking's id, when it was chosen before (to ask the calendar for its meeting first). */
  readonly id?: string;
  readonly meeting?: { readonly status: MeetingStatus; readonly url: string | null };
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

/** The row a placement inserts, seat 1 (seated services try the others in turn). */
export function newBooking(placement: Placement): BookingRow {
  const { target, start, now } = placement;
  const { service } = target;
  const id = placement.id ?? randomUUID();
  return {
    id,
    providerId: service.providerId,
    serviceId: service.id,
    clientId: placement.clientId,
    status: placement.status,
    ...span(target, start),
    sessionKey: sessionKeyFor(id, service.id, service.capacity, start),
    capacity: service.capacity,
    seat: 1,
    notes: placement.notes,
    holdExpiresAt: placement.holdExpiresAt,
    cancelReason: null,
    cancelledBy: null,
    meetingStatus: placement.meeting?.status ?? 'none',
    meetingUrl: placement.meeting?.url ?? null,
    createdAt: now,
    updatedAt: now,
  };
}

/**
 * A one-to-one booking, its event and (with an Idempotency-Key) the stored response, in one
 * statement: one round trip, and no transaction held open across the network. Returns false when
 * the time is taken (`bookings_no_overlap`, through ON CONFLICT DO NOTHING, as `placeBooking`); a
 * reused idempotency key fails the whole statement on its primary key, so nothing is written.
 */
export async function placeOneToOne(
  ctx: SchedulingContext,
  row: BookingRow,
  event: EventEnvelope,
  idempotency?: { readonly key: string; readonly hash: string; readonly body: unknown },
): Promise<boolean> {
  const [eventId, type, version, payload] = outboxValues(event);
  const statement = insertOneToOne(ctx.options.schema);
  const rows = await ctx.database.query<{ inserted: number }>(
    statement.text,
    [
      row.id,
      row.providerId,
      row.serviceId,
      row.clientId,
      row.status,
      row.startsAt.toISOString(),
      row.endsAt.toISOString(),
      row.occupied,
      row.sessionKey,
      row.notes,
      row.holdExpiresAt?.toISOString() ?? null,
      row.createdAt.toISOString(),
      eventId,
      type,
      version,
      payload,
      idempotency?.key ?? null,
      idempotency?.hash ?? null,
      idempotency === undefined ? null : JSON.stringify(idempotency.body),
      row.meetingStatus,
      row.meetingUrl,
    ],
    { name: statement.name },
  );
  return rows[0]?.inserted === 1;
}

/** The statement per schema, text and prepared-statement name, built once. */
const insertBySchema = new Map<string, { text: string; name: string }>();

function insertOneToOne(schema: string): { text: string; name: string } {
  let statement = insertBySchema.get(schema);
  if (statement === undefined) {
    const s = quoteIdentifier(schema);
    // Data-modifying CTEs all run, whether or not the final SELECT reads them; the outbox and key
    // rows select from `b`, so they exist exactly when the booking does.
    const text = `with b as (
        insert into ${s}.bookings (id, provider_id, service_id, client_id, status, starts_at, ends_at, occupied, session_key, capacity, seat, notes, hold_expires_at, created_at, updated_at, meeting_status, meeting_url)
        values ($1, $2, $3, $4, $5, $6, $7, $8::tstzrange, $9, 1, 1, $10, $11, $12, $12, $20, $21)
        on conflict do nothing
        returning id),
      o as (insert into ${s}.outbox (id, type, version, payload) select $13, $14, $15, $16::jsonb from b),
      k as (
        insert into ${s}.idempotency_keys (client_id, key, request_hash, status_code, response, created_at)
        select $4, $17, $18, 201, $19::jsonb, $12 from b where $17::text is not null)
      select count(*)::int as inserted from b`;
    // One name per schema (PostgreSQL keeps 63 bytes of it), the same text every time.
    statement = { text, name: `booking_insert_${createHash('sha1').update(schema).digest('hex').slice(0, 16)}` };
    insertBySchema.set(schema, statement);
  }
  return statement;
}

/**
 * Insert a held or confirmed booking, or throw SLOT_TAKEN. A refused insert raises no error (see
 * the repository's `insert`), so the surrounding transaction stays usable for callers that go on.
 */
export async function placeBooking(ctx: SchedulingContext, tx: Db, placement: Placement): Promise<BookingRow> {
  const repository = createBookingRepository(ctx.tables);
  const { service } = placement.target;
  const row = newBooking(placement);
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
