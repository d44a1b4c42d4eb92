import { events, makeEvent, type Meeting, type MeetingRequest } from '@timeslot/ports';
import type { CalendarProvider, CreatedMeeting, MeetingDetails } from '../adapters/calendar-provider';
import { googleEventId } from '../adapters/google';
import { activeConnection, builtinProvider, googleProvider, meetingConnection, providerFor } from '../connections/google-account';
import { eventSource, type CalendarContext } from '../context';
import { calendarErrors } from '../errors';
import type { MeetingKind, MeetingRow } from '../tables';
import { createMeetingRepository } from './meeting.repository';

/*
 * Meetings of bookings. The booking request asks for one before it commits (ensureMeeting), so the
 * booking, its response and its booking.confirmed event carry the link. When that fails or is too
 * slow, the booking confirms without it ("pending") and the booking.confirmed event tells this
 * service to finish the work (meeting.events.ts): made then, and announced with meeting.ready.
 *
 * Every step can run twice (the request path and the event consumer racing, a bus redelivery, two
 * replicas' sweeps) and must then have the effect of once: adapters are idempotent per booking and
 * generation, and the row's state changes under a row lock, so meeting.ready is announced once.
 */

const MINUTE_MS = 60_000;
/**
 * The times a booking request gives are older than any booking event's: a reschedule is compared
 * with the time of the event that set the times, never with this service's clock, which may
 * differ from scheduling's.
 */
const fromRequest = new Date(0);

/** When a pending meeting that just failed is tried again by the sweep: 30 s, doubling, at most 30 minutes. */
export function nextAttemptAt(now: Date, attempts: number): Date {
  return new Date(now.getTime() + Math.min(30_000 * 2 ** Math.max(0, attempts), 30 * MINUTE_MS));
}

export function detailsOf(row: MeetingRow): MeetingDetails {
  return {
    bookingId: row.bookingId,
    generation: row.generation,
    serviceName: row.serviceName,
    providerName: row.providerName,
    timeZone: row.timeZone,
    startsAt: row.startsAt,
    endsAt: row.endsAt,
  };
}

function view(row: MeetingRow): Meeting {
  if (row.url === null) throw new Error(`meeting ${row.bookingId} has no link`);
  return { bookingId: row.bookingId, url: row.url, provider: row.kind ?? 'builtin' };
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * The meeting of a booking about to be confirmed. Built-in links are computed, not stored: for a
 * provider known to have no Google connection, no I/O at all. A Google meeting is recorded first (state
 * unattached), so one whose booking is never committed is found and removed by the sweep.
 */
export async function ensureMeeting(ctx: CalendarContext, request: MeetingRequest): Promise<Meeting> {
  const connection = await meetingConnection(ctx, request.providerUserId);
  if (connection === undefined) {
    const created = await builtinProvider(ctx).createMeeting({ ...request, generation: 0, startsAt: new Date(request.startsAt), endsAt: new Date(request.endsAt) });
    return { bookingId: request.bookingId, url: created.url, provider: 'builtin' };
  }
  const repository = createMeetingRepository(ctx.tables);
  const db = ctx.database.db;
  const now = ctx.options.now();
  const fields = {
    providerUserId: request.providerUserId,
    clientId: request.clientId,
    serviceName: request.serviceName,
    providerName: request.providerName,
    timeZone: request.timeZone,
    startsAt: new Date(request.startsAt),
    endsAt: new Date(request.endsAt),
  };
  let row = await repository.find(db, request.bookingId);
  if (row?.state === 'cancelled') throw calendarErrors.meetingCancelled();
  if (row !== undefined && row.url !== null && row.state !== 'dropped') return view(row);
  if (row?.state === 'pending') return view(await completePending(ctx, request.bookingId, { rethrow: true }));
  if (row?.state === 'dropped') {
    // Asked again after the sweep removed it: a new event (a deleted one's id cannot be reused).
    row = await repository.update(
      db,
      request.bookingId,
      { ...fields, state: 'unattached', url: null, googleEventId: null, generation: row.generation + 1, timesAsOf: fromRequest, createdAt: now, updatedAt: now },
      { state: ['dropped'] },
    );
  }
  row ??= await repository.insert(db, { ...fields, bookingId: request.bookingId, state: 'unattached', timesAsOf: fromRequest }, now);
  const provider = googleProvider(ctx, connection);
  const created = await provider.createMeeting(detailsOf(row));
  const saved = await attach(ctx, row, created, provider);
  if (saved?.url == null) throw calendarErrors.meetingCancelled();
  return view(saved);
}

/**
 * Save a link on its row. A pending meeting becomes ready and is announced (meeting.ready) in the
 * same transaction. A meeting whose booking was cancelled or dropped meanwhile (or that a newer
 * generation replaced) is an orphan: its event is removed again. Returns the row after.
 */
async function attach(ctx: CalendarContext, made: MeetingRow, created: CreatedMeeting, provider: CalendarProvider): Promise<MeetingRow | undefined> {
  const repository = createMeetingRepository(ctx.tables);
  const kind: MeetingKind = provider.kind;
  const outcome = await ctx.database.db.transaction(async (tx) => {
    const row = await repository.find(tx, made.bookingId, { forUpdate: true });
    if (row === undefined || row.generation !== made.generation || row.state === 'cancelled' || row.state === 'dropped') {
      return { row, orphan: true, announced: false };
    }
    if (row.url !== null) return { row, orphan: false, announced: false };
    const now = ctx.options.now();
    const link = { url: created.url, kind, googleEventId: created.eventId, lastError: null, nextAttemptAt: null, updatedAt: now };
    if (row.state === 'unattached') return { row: await repository.update(tx, row.bookingId, link), orphan: false, announced: false };
    const ready = await repository.update(tx, row.bookingId, { ...link, state: 'ready' });
    await ctx.outbox.append(tx, [
      makeEvent(
        events.meetingReady,
        { bookingId: row.bookingId, meetingUrl: created.url, clientId: row.clientId, providerUserId: row.providerUserId },
        { source: eventSource },
      ),
    ]);
    return { row: ready, orphan: false, announced: true };
  });
  if (outcome.announced) ctx.outbox.notify();
  if (outcome.orphan && created.eventId !== null) {
    await provider.removeMeeting(created.eventId).catch((error: unknown) => {
      ctx.logger.warn({ err: error, bookingId: made.bookingId }, 'could not remove the calendar event of a meeting nobody needs');
    });
  }
  return outcome.row;
}

/**
 * Make the link of a meeting its confirmed booking is waiting for. On failure the attempt is
 * recorded with the time of the next one (the sweep's), and the error rethrown when asked (the
 * event consumer, so the bus retries too).
 */
export async function completePending(ctx: CalendarContext, bookingId: string, options: { rethrow?: boolean } = {}): Promise<MeetingRow> {
  const repository = createMeetingRepository(ctx.tables);
  const row = await repository.find(ctx.database.db, bookingId);
  if (row === undefined) throw new Error(`no meeting for booking ${bookingId}`);
  if (row.state !== 'pending') return row;
  let provider: CalendarProvider | undefined;
  try {
    provider = await providerFor(ctx, row.providerUserId);
    const created = await provider.createMeeting(detailsOf(row));
    const saved = await attach(ctx, row, created, provider);
    if (saved === undefined) throw new Error(`meeting ${bookingId} vanished`);
    return saved;
  } catch (error) {
    const now = ctx.options.now();
    await repository.recordFailure(ctx.database.db, bookingId, errorText(error), nextAttemptAt(now, row.attempts), now);
    ctx.logger.warn({ err: error, bookingId, attempts: row.attempts + 1 }, 'could not make a meeting link yet; will retry');
    if (options.rethrow === true) throw error;
    return row;
  }
}

/**
 * Forget the meeting of a booking that was never committed (it lost its slot). Only a meeting no
 * confirmation has claimed is dropped; its Google event is removed. Built-in links have nothing
 * stored or external to remove.
 */
export async function dropMeeting(ctx: CalendarContext, bookingId: string): Promise<void> {
  const repository = createMeetingRepository(ctx.tables);
  const now = ctx.options.now();
  const row = await repository.update(ctx.database.db, bookingId, { state: 'dropped', updatedAt: now }, { state: ['unattached'] });
  if (row === undefined) return;
  await removeDropped(ctx, row);
}

/** Remove the Google event of a dropped meeting; on failure the row goes back to unattached, for the sweep. */
export async function removeDropped(ctx: CalendarContext, row: MeetingRow): Promise<void> {
  if (row.kind === 'builtin') return;
  const connection = await activeConnection(ctx, row.providerUserId);
  if (connection === undefined) return;
  // The event id is derived, not read: an attempt that made the event and crashed before saving
  // its id left it in Google all the same.
  const eventId = row.googleEventId ?? googleEventId(row.bookingId, row.generation);
  try {
    await googleProvider(ctx, connection).removeMeeting(eventId);
  } catch (error) {
    await createMeetingRepository(ctx.tables).update(ctx.database.db, row.bookingId, { state: 'unattached', updatedAt: ctx.options.now() }, { state: ['dropped'], generation: row.generation });
    ctx.logger.warn({ err: error, bookingId: row.bookingId }, 'could not remove the calendar event of a dropped meeting; the sweep will retry');
  }
}
