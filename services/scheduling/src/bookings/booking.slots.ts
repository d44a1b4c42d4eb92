import { DateTime } from 'luxon';
import type { Db } from '@timeslot/ports';
import type { SchedulingContext } from '../context';
import { providerErrors } from '../providers/provider.errors';
import { providerParts } from '../providers/provider.parts';
import { createSlotsRepository } from '../providers/slots.repository';
import { computeSlots, type Slot, type SlotInput } from '../slots/compute';
import type { Offering } from '../providers/offering.schemas';
import type { Provider } from '../providers/provider.schemas';
import { bookingErrors } from './booking.errors';
import { externalBusy } from './booking.meeting';
import { createBookingRepository } from './booking.repository';

/** A service that takes bookings, with its provider: the cached views the providers part keeps. */
export interface BookingTarget {
  readonly service: Offering;
  readonly provider: Provider;
}

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/**
 * The service to book: 404 when it does not exist or its provider is not published (clients
 * cannot see it), 409 SERVICE_INACTIVE when the provider switched it off. Read from the same cached
 * profile and service list that slot reads use (invalidated after every change), so a booking
 * costs no query for them.
 */
export async function loadTarget(ctx: SchedulingContext, serviceId: string): Promise<BookingTarget> {
  const { providers, offerings, serviceOwners } = providerParts(ctx);
  let providerId = serviceOwners.get(serviceId);
  if (providerId === undefined) {
    providerId = await createBookingRepository(ctx.tables).providerOfService(ctx.database.db, serviceId);
    if (providerId === undefined) throw providerErrors.serviceNotFound();
    serviceOwners.set(serviceId, providerId);
  }
  const [provider, services] = await Promise.all([providers.load(providerId), offerings.all(providerId)]);
  const service = services.find((item) => item.id === serviceId);
  if (service === undefined || !provider.published) throw providerErrors.serviceNotFound();
  if (!service.active) throw bookingErrors.serviceInactive();
  return { service, provider };
}

async function slotInput(ctx: SchedulingContext, target: BookingTarget, fromMs: number, toMs: number): Promise<SlotInput> {
  const stored = await providerParts(ctx).availability.stored(target.provider.id);
  const { service } = target;
  return {
    providerTimeZone: target.provider.timeZone,
    weekly: stored.weekly,
    overrides: stored.overrides,
    blocked: stored.blocked.map((period) => ({ start: Date.parse(period.start), end: Date.parse(period.end) })),
    service: {
      id: service.id,
      durationMinutes: service.durationMinutes,
      slotIntervalMinutes: service.slotIntervalMinutes,
      bufferBeforeMinutes: service.bufferBeforeMinutes,
      bufferAfterMinutes: service.bufferAfterMinutes,
      minNoticeMinutes: service.minNoticeMinutes,
      bookingWindowDays: service.bookingWindowDays,
      capacity: service.capacity,
    },
    range: { from: fromMs, to: toMs, now: ctx.options.now() },
  };
}

/** With every live booking of the provider that could touch [fromMs, toMs). */
async function withBookings(ctx: SchedulingContext, db: Db, target: BookingTarget, input: SlotInput): Promise<SlotInput> {
  const { service } = target;
  const fromMs = Number(input.range.from) - (service.bufferBeforeMinutes + service.durationMinutes) * MINUTE_MS;
  const toMs = Number(input.range.to) + (service.durationMinutes + service.bufferAfterMinutes) * MINUTE_MS;
  const busy = await createSlotsRepository(ctx.tables).busy(db, target.provider.id, fromMs, toMs);
  const seatsTaken = new Map<number, number>();
  for (const row of busy) {
    if (row.serviceId === service.id && service.capacity > 1) seatsTaken.set(row.startsAt, (seatsTaken.get(row.startsAt) ?? 0) + 1);
  }
  return { ...input, busy, seatsTaken };
}

/**
 * 409 SLOT_UNAVAILABLE unless `start` is one of the service's slots (availability, blocked time,
 * notice, booking window), bookings left out: whether the time is free is the database's call,
 * and a taken time answers SLOT_TAKEN.
 */
export async function assertValidSlot(ctx: SchedulingContext, target: BookingTarget, start: Date): Promise<void> {
  const ms = start.getTime();
  const slots = computeSlots(await slotInput(ctx, target, ms, ms + 1));
  if (!slots.some((slot) => Date.parse(slot.start) === ms)) throw bookingErrors.slotUnavailable();
  await assertNotExternallyBusy(ctx, target, ms);
}

/**
 * SLOT_UNAVAILABLE when the provider's external calendar (Google) is busy during the occupied
 * span, buffers included, as far as the calendar service knows (stale times count: they are the
 * best knowledge there is). When the calendar does not answer, the booking goes ahead: the slot
 * list it came from excluded what was known then.
 */
async function assertNotExternallyBusy(ctx: SchedulingContext, target: BookingTarget, ms: number): Promise<void> {
  if (ctx.calendar === undefined) return;
  const { service } = target;
  const from = ms - service.bufferBeforeMinutes * MINUTE_MS;
  const to = ms + (service.durationMinutes + service.bufferAfterMinutes) * MINUTE_MS;
  const version = await ctx.slotCache.version(target.provider.id);
  const busy = await externalBusy(ctx, target.provider, from, to, version);
  if (busy.periods.some((period) => period.start < to && period.end > from)) throw bookingErrors.slotUnavailable();
}

/** The bookable slots with room left, bookings included (what a client would see listed). */
export async function freeSlots(ctx: SchedulingContext, db: Db, target: BookingTarget, fromMs: number, toMs: number): Promise<Slot[]> {
  return computeSlots(await withBookings(ctx, db, target, await slotInput(ctx, target, fromMs, toMs)));
}

/** Every slot of [fromMs, toMs) by the rules alone, bookings left out. */
export async function validSlots(ctx: SchedulingContext, target: BookingTarget, fromMs: number, toMs: number): Promise<Slot[]> {
  return computeSlots(await slotInput(ctx, target, fromMs, toMs));
}

/** [start, end) of a calendar date in the provider's zone (23 or 25 hours on DST days). */
export function providerDay(target: BookingTarget, date: string): { fromMs: number; toMs: number } {
  const day = DateTime.fromISO(date, { zone: target.provider.timeZone }).startOf('day');
  return { fromMs: day.toMillis(), toMs: day.plus({ days: 1 }).toMillis() };
}

/** The provider-zone calendar date of an instant, "YYYY-MM-DD". */
export function providerDate(target: BookingTarget, ms: number): string {
  return DateTime.fromMillis(ms, { zone: target.provider.timeZone }).toISODate() ?? new Date(ms).toISOString().slice(0, 10);
}

export { DAY_MS, MINUTE_MS };
