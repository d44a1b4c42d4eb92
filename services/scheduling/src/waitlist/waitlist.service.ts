import { randomUUID } from 'node:crypto';
import { events, makeEvent, type EventEnvelope, type Identity } from '@timeslot/ports';
import type { SchedulingContext } from '../context';
import type { BookingRow, WaitlistRow } from '../tables';
import { bookingErrors } from '../bookings/booking.errors';
import { eventSource, partiesOf, snapshot } from '../bookings/booking.model';
import { inTransaction, placeBooking } from '../bookings/booking.place';
import { scheduleHoldExpiry, type WaitlistJob } from '../bookings/booking.queues';
import { assertValidSlot, freeSlots, loadTarget, providerDate, providerDay, validSlots, type BookingTarget } from '../bookings/booking.slots';
import { cancelBooking } from '../bookings/booking.transitions';
import { createWaitlistRepository, type WaitTarget } from './waitlist.repository';
import type { JoinWaitlistInput, WaitlistEntry } from './waitlist.schemas';

export function toEntry(row: WaitlistRow): WaitlistEntry {
  return {
    id: row.id,
    serviceId: row.serviceId,
    providerId: row.providerId,
    start: row.startsAt?.toISOString() ?? null,
    date: row.date,
    status: row.status,
    offeredBookingId: row.offeredBookingId,
    offerExpiresAt: row.offerExpiresAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
  };
}

/** 409 SLOT_NOT_FULL unless the slot (or every slot of the day) is taken; SLOT_UNAVAILABLE if there is none to wait for. */
async function assertFull(ctx: SchedulingContext, target: BookingTarget, input: JoinWaitlistInput): Promise<WaitTarget> {
  if (input.start !== undefined) {
    const start = new Date(input.start);
    await assertValidSlot(ctx, target, start);
    const ms = start.getTime();
    const free = await freeSlots(ctx, ctx.database.db, target, ms, ms + 1);
    if (free.length > 0) throw bookingErrors.slotNotFull();
    return { startsAt: start };
  }
  const date = input.date ?? '';
  const { fromMs, toMs } = providerDay(target, date);
  if ((await validSlots(ctx, target, fromMs, toMs)).length === 0) throw bookingErrors.slotUnavailable();
  if ((await freeSlots(ctx, ctx.database.db, target, fromMs, toMs)).length > 0) throw bookingErrors.slotNotFull();
  return { date };
}

/** Join the line for a full slot or day; the database numbers arrivals (`position`). */
export async function joinWaitlist(ctx: SchedulingContext, caller: Identity, input: JoinWaitlistInput): Promise<WaitlistEntry> {
  const target = await loadTarget(ctx, input.serviceId);
  const wanted = await assertFull(ctx, target, input);
  const repository = createWaitlistRepository(ctx.tables);
  const row = await inTransaction(ctx, async (tx) => {
    // Under the service's lock, so two joins of one client cannot both pass the check below, and
    // positions follow commit order.
    await repository.lockService(tx, target.service.id);
    if ((await repository.findLive(tx, caller.userId, target.service.id, wanted)) !== undefined) throw bookingErrors.alreadyOnWaitlist();
    return repository.insert(tx, {
      id: randomUUID(),
      clientId: caller.userId,
      providerId: target.provider.id,
      serviceId: target.service.id,
      startsAt: wanted.startsAt ?? null,
      date: wanted.date ?? null,
      createdAt: ctx.options.now(),
    });
  });
  return toEntry(row);
}

export async function listWaitlist(ctx: SchedulingContext, caller: Identity): Promise<WaitlistEntry[]> {
  const rows = await createWaitlistRepository(ctx.tables).listByClient(ctx.database.db, caller.userId, 200);
  return rows.map(toEntry);
}

/** Leave the line; an open offer is declined too (its hold is cancelled and passes to the next). */
export async function leaveWaitlist(ctx: SchedulingContext, caller: Identity, entryId: string, requestId?: string): Promise<void> {
  const repository = createWaitlistRepository(ctx.tables);
  const left = await inTransaction(ctx, async (tx) => {
    const entry = await repository.findById(tx, entryId, { forUpdate: true });
    if (entry === undefined || entry.clientId !== caller.userId) throw bookingErrors.waitlistEntryNotFound();
    return (await repository.cancel(tx, entryId)) === undefined ? undefined : entry;
  });
  if (left?.status === 'offered' && left.offeredBookingId !== null) {
    try {
      await cancelBooking(ctx, caller, left.offeredBookingId, 'Left the waitlist', requestId);
    } catch (error) {
      // Already confirmed or expired in between: nothing is held for this entry any more.
      if ((error as { code?: unknown }).code !== 'INVALID_TRANSITION') throw error;
    }
  }
}

/** Offer one slot to the line: as many offers as it has seats free, first come first served. */
async function offerSlot(ctx: SchedulingContext, target: BookingTarget, start: Date, requestId?: string): Promise<void> {
  const repository = createWaitlistRepository(ctx.tables);
  const date = providerDate(target, start.getTime());
  const offers = await inTransaction(ctx, async (tx) => {
    // One service's line is served by one worker at a time, whichever replica runs it; the first
    // waiting entry by position is taken, never skipped (see lockService).
    await repository.lockService(tx, target.service.id);
    const made: { row: BookingRow; entry: WaitlistRow }[] = [];
    const appended: EventEnvelope[] = [];
    for (let seat = 0; seat < target.service.capacity; seat++) {
      const entry = await repository.firstWaiting(tx, target.service.id, start, date);
      if (entry === undefined) break;
      const now = ctx.options.now();
      const offerExpiresAt = new Date(now.getTime() + ctx.options.waitlistOfferMinutes * 60_000);
      let row: BookingRow;
      try {
        // A hold even for free services: an offer has to be claimed.
        row = await placeBooking(ctx, tx, {
          target,
          clientId: entry.clientId,
          start,
          notes: null,
          status: 'pending_payment',
          holdExpiresAt: offerExpiresAt,
          now,
        });
      } catch (error) {
        // Someone booked the time first: the line keeps its order for the next freed slot.
        if ((error as { code?: unknown }).code === 'SLOT_TAKEN') break;
        throw error;
      }
      await repository.markOffered(tx, entry.id, row.id, offerExpiresAt);
      const offered = {
        entryId: entry.id,
        clientId: entry.clientId,
        bookingId: row.id,
        serviceId: row.serviceId,
        startsAt: row.startsAt.toISOString(),
        offerExpiresAt: offerExpiresAt.toISOString(),
      };
      appended.push(
        makeEvent(events.bookingHeld, snapshot(row, target.service, partiesOf(target)), { source: eventSource, requestId }),
        makeEvent(events.waitlistOffered, offered, { source: eventSource, requestId }),
      );
      made.push({ row, entry });
    }
    await ctx.outbox.append(tx, appended);
    return made;
  });
  if (offers.length === 0) return;
  ctx.outbox.notify();
  for (const providerId of new Set(offers.map(({ row }) => row.providerId))) await ctx.slotCache.changed(providerId);
  for (const { row } of offers) if (row.holdExpiresAt !== null) await scheduleHoldExpiry(ctx, row.id, row.holdExpiresAt, requestId);
}

/**
 * The waitlist worker's handler: a slot may have room (`start`), or a whole day is to be
 * re-checked (`date`, after a restart). All state is in the database, so a job that runs twice
 * or after a restart finds the line as it is and changes nothing that is already done.
 */
export async function processWaitlistJob(ctx: SchedulingContext, job: WaitlistJob, requestId?: string): Promise<void> {
  let target: BookingTarget;
  try {
    target = await loadTarget(ctx, job.serviceId);
  } catch (error) {
    // A service gone or switched off offers nothing; the entries stay for when it comes back.
    const code = (error as { code?: unknown }).code;
    if (code === 'SERVICE_NOT_FOUND' || code === 'SERVICE_INACTIVE') return;
    throw error;
  }
  let starts: number[];
  if (job.start !== undefined) starts = [job.start];
  else if (job.date !== undefined) {
    const { fromMs, toMs } = providerDay(target, job.date);
    starts = (await freeSlots(ctx, ctx.database.db, target, fromMs, toMs)).map((slot) => Date.parse(slot.start));
  } else return;
  for (const ms of starts) {
    const start = new Date(ms);
    try {
      // A freed time that is no longer a bookable slot (past, too close, blocked since) is not offered.
      await assertValidSlot(ctx, target, start);
    } catch (error) {
      if ((error as { code?: unknown }).code === 'SLOT_UNAVAILABLE') continue;
      throw error;
    }
    await offerSlot(ctx, target, start, requestId);
  }
}
