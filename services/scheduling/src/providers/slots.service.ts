import type { z } from 'zod';
import type { SchedulingContext } from '../context';
import { externalBusy } from '../bookings/booking.meeting';
import { computeSlots } from '../slots/compute';
import type { AvailabilityService } from './availability.service';
import type { slotsQuery } from './availability.schemas';
import type { Offering } from './offering.schemas';
import type { OfferingService } from './offering.service';
import { providerErrors } from './provider.errors';
import { canManage, canSee, type Viewer } from './provider.model';
import type { Provider } from './provider.schemas';
import type { ProviderService } from './provider.service';
import { entityTag, type CachedPage, type PageSource } from './slots.cache';
import type { SlotsRepository } from './slots.repository';

export const maxSlotRangeDays = 31;
const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;
/**
 * The longest a page is served without recomputing. Time alone changes slots: the first one
 * passes its notice (each page expires exactly then, see `expiresAt`), and a new one enters the
 * booking window at the far end, which a page may show up to this late. Booking such a slot
 * directly works at once: bookings never read this cache.
 */
const MAX_PAGE_AGE_MS = 60_000;
/** A page computed while the calendar service did not answer is kept this long at most. */
const UNKNOWN_BUSY_PAGE_AGE_MS = 5_000;

export type SlotsQuery = z.infer<typeof slotsQuery>;

/** What a cached page keeps for the permission check each reader makes on it. */
export interface SlotsPageMeta {
  readonly provider: Provider;
  /** Undefined when the provider has no such service (such a page is never cached). */
  readonly service: Offering | undefined;
}

export type SlotsPage = CachedPage<SlotsPageMeta>;

export interface SlotsServiceDeps {
  readonly providers: ProviderService;
  readonly offerings: OfferingService;
  readonly availability: AvailabilityService;
  readonly repository: SlotsRepository;
}

/**
 * The errors `visible` and `offerings.get` give, checked against a page's provider and service,
 * so a page computed for one viewer is served to another only when that viewer may see it.
 */
function authorize(viewer: Viewer, meta: SlotsPageMeta): void {
  if (!canSee(viewer, meta.provider)) throw providerErrors.providerNotFound();
  // Inactive services are not found for clients, so nobody is offered a slot they cannot book.
  if (meta.service === undefined || (!meta.service.active && !canManage(viewer, meta.provider))) throw providerErrors.serviceNotFound();
}

/**
 * Free slots of one service. Pages are cached per process under the provider's slot version
 * (see slots.cache.ts), so a repeated read costs one GET of the version; a miss reads the cached
 * profile, service and availability and the live bookings, and computes the page.
 */
export function createSlotsService(ctx: SchedulingContext, deps: SlotsServiceDeps) {
  async function compute(providerId: string, query: SlotsQuery, from: number, to: number, now: number, version: string | undefined): Promise<SlotsPage> {
    const provider = await deps.providers.load(providerId);
    const service = (await deps.offerings.all(providerId)).find((item) => item.id === query.serviceId);
    const expiresAt = now + MAX_PAGE_AGE_MS;
    if (service === undefined) return { meta: { provider, service }, body: '', etag: '', expiresAt: now };
    const timeZone = query.timeZone ?? provider.timeZone;
    // Only starts in [now + notice, now + booking window] are ever offered (computeSlots' rule, the
    // window's end included): asking outside it reads no bookings, and a range near the ends of
    // the calendar never reaches the database.
    const earliest = Math.max(from, now + service.minNoticeMinutes * MINUTE_MS);
    const latest = Math.min(to, now + service.bookingWindowDays * DAY_MS + 1);
    if (earliest >= latest) {
      const body = JSON.stringify({ timeZone, slots: [], busyTimes: 'current' });
      return { meta: { provider, service }, body, etag: entityTag(body), expiresAt };
    }
    // Every booking a candidate's occupied span [start - bufferBefore, start + duration +
    // bufferAfter) could touch, for any start in [from, to): bookings just outside the range
    // still occupy time inside it.
    const windowStart = earliest - service.bufferBeforeMinutes * MINUTE_MS;
    const windowEnd = latest + (service.durationMinutes + service.bufferAfterMinutes) * MINUTE_MS;
    const [availability, busy, external] = await Promise.all([
      deps.availability.stored(providerId),
      deps.repository.busy(ctx.database.db, providerId, windowStart, windowEnd),
      // Read with the page, never per cached read: calendar.busy_changed replaces the version.
      externalBusy(ctx, provider, windowStart, windowEnd, version),
    ]);
    const seatsTaken = new Map<number, number>();
    for (const booking of busy) {
      if (booking.serviceId === service.id) seatsTaken.set(booking.startsAt, (seatsTaken.get(booking.startsAt) ?? 0) + 1);
    }
    const slots = computeSlots({
      providerTimeZone: provider.timeZone,
      weekly: availability.weekly,
      overrides: availability.overrides,
      blocked: availability.blocked.map((period) => ({ start: Date.parse(period.start), end: Date.parse(period.end) })),
      busy: [...busy, ...external.periods],
      seatsTaken,
      service,
      range: { from: earliest, to: latest, now: new Date(now), outputTimeZone: timeZone },
    });
    const first = slots[0];
    // The first slot leaves the list once now + notice passes its start (computeSlots' rule).
    const firstLeavesAt = first === undefined ? Infinity : Date.parse(first.start) - service.minNoticeMinutes * MINUTE_MS + 1;
    const body = JSON.stringify({ timeZone, slots, busyTimes: external.status });
    // Computed without the busy times the calendar did not give: ask again soon, not in a minute.
    const retryAt = external.status === 'unknown' ? now + UNKNOWN_BUSY_PAGE_AGE_MS : Infinity;
    return { meta: { provider, service }, body, etag: entityTag(body), expiresAt: Math.min(expiresAt, firstLeavesAt, retryAt) };
  }

  return {
    async list(viewer: Viewer, providerId: string, query: SlotsQuery): Promise<{ page: SlotsPage; source: PageSource }> {
      const from = Date.parse(query.from);
      const to = Date.parse(query.to);
      if (to - from > maxSlotRangeDays * DAY_MS) throw providerErrors.rangeTooLong(maxSlotRangeDays);
      // Read before the database (in compute): the order the cache's correctness rests on.
      const version = await ctx.slotCache.version(providerId);
      const now = ctx.options.now().getTime();
      const key = version === undefined ? undefined : `${providerId}|${version}|${query.serviceId}|${from}|${to}|${query.timeZone ?? ''}`;
      const found = await ctx.slotCache.page(key, now, () => compute(providerId, query, from, to, now, version));
      authorize(viewer, found.page.meta);
      return found;
    },
  };
}

export type SlotsService = ReturnType<typeof createSlotsService>;
