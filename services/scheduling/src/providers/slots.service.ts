import type { z } from 'zod';
import type { SchedulingContext } from '../context';
import { computeSlots, type Slot } from '../slots/compute';
import type { AvailabilityService } from './availability.service';
import type { slotsQuery } from './availability.schemas';
import type { OfferingService } from './offering.service';
import { providerErrors } from './provider.errors';
import type { Viewer } from './provider.model';
import type { ProviderService } from './provider.service';
import type { SlotsRepository } from './slots.repository';

export const maxSlotRangeDays = 31;
const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

export type SlotsQuery = z.infer<typeof slotsQuery>;

export interface SlotsServiceDeps {
  readonly providers: ProviderService;
  readonly offerings: OfferingService;
  readonly availability: AvailabilityService;
  readonly repository: SlotsRepository;
}

/** Free slots of one service: cached profile, service and availability, live bookings read fresh. */
export function createSlotsService(ctx: SchedulingContext, deps: SlotsServiceDeps) {
  return {
    async list(viewer: Viewer, providerId: string, query: SlotsQuery): Promise<{ timeZone: string; slots: Slot[] }> {
      const from = Date.parse(query.from);
      const to = Date.parse(query.to);
      if (to - from > maxSlotRangeDays * DAY_MS) throw providerErrors.rangeTooLong(maxSlotRangeDays);

      const provider = await deps.providers.visible(viewer, providerId);
      // Inactive services are not found for clients, so nobody is offered a slot they cannot book.
      const service = await deps.offerings.get(viewer, providerId, query.serviceId);
      // Every booking a candidate's occupied span [start - bufferBefore, start + duration +
      // bufferAfter) could touch, for any start in [from, to): bookings just outside the range
      // still occupy time inside it.
      const windowStart = from - service.bufferBeforeMinutes * MINUTE_MS;
      const windowEnd = to + (service.durationMinutes + service.bufferAfterMinutes) * MINUTE_MS;
      const [availability, busy] = await Promise.all([
        deps.availability.stored(providerId),
        deps.repository.busy(ctx.database.db, providerId, windowStart, windowEnd),
      ]);

      const seatsTaken = new Map<number, number>();
      for (const booking of busy) {
        if (booking.serviceId === service.id) seatsTaken.set(booking.startsAt, (seatsTaken.get(booking.startsAt) ?? 0) + 1);
      }
      const timeZone = query.timeZone ?? provider.timeZone;
      const slots = computeSlots({
        providerTimeZone: provider.timeZone,
        weekly: availability.weekly,
        overrides: availability.overrides,
        blocked: availability.blocked.map((period) => ({ start: Date.parse(period.start), end: Date.parse(period.end) })),
        busy,
        seatsTaken,
        service,
        range: { from, to, now: ctx.options.now(), outputTimeZone: timeZone },
      });
      return { timeZone, slots };
    },
  };
}

export type SlotsService = ReturnType<typeof createSlotsService>;
