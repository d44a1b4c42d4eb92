import { randomUUID } from 'node:crypto';
import type { Identity } from '@timeslot/ports';
import { cacheKeys, type SchedulingContext } from '../context';
import type { AvailabilityRepository, AvailabilityRows, OverrideRow } from './availability.repository';
import type { Availability, AvailabilityInput } from './availability.schemas';
import { toAvailability, type StoredAvailability } from './provider.model';
import type { ProviderService } from './provider.service';

function toRows(input: AvailabilityInput): AvailabilityRows {
  return {
    rules: input.weekly.map((rule) => ({ weekday: rule.weekday, start: rule.start, end: rule.end })),
    overrides: input.overrides.flatMap((item): OverrideRow[] =>
      item.intervals.length === 0
        ? [{ date: item.date, start: null, end: null }]
        : item.intervals.map((entry) => ({ date: item.date, start: entry.start, end: entry.end })),
    ),
    blocked: input.blocked.map((item) => ({
      id: item.id ?? randomUUID(),
      startMs: Date.parse(item.start),
      endMs: Date.parse(item.end),
      reason: item.reason,
    })),
  };
}

/** Weekly rules, date overrides and blocked periods of a provider. */
export function createAvailabilityService(ctx: SchedulingContext, providers: ProviderService, repository: AvailabilityRepository) {
  const { database, cache } = ctx;

  /** Cached: every slot read needs it, and providers change it rarely. */
  async function stored(providerId: string): Promise<StoredAvailability> {
    return cache.getOrLoad(cacheKeys.availability(providerId), ctx.options.cacheTtlMs, async () =>
      toAvailability(await repository.load(database.db, providerId)),
    );
  }

  return {
    stored,

    /**
     * Only the provider and admins read it whole: blocked periods carry private reasons, and
     * clients see the result as slots.
     */
    async get(identity: Identity, providerId: string): Promise<Availability> {
      const provider = await providers.manageable(identity, providerId);
      return { timeZone: provider.timeZone, ...(await stored(providerId)) };
    },

    async replace(identity: Identity, providerId: string, input: AvailabilityInput): Promise<Availability> {
      const provider = await providers.manageable(identity, providerId);
      // One transaction: a slot read sees the old availability or the new one, never a mix.
      await database.db.transaction(async (tx) => {
        const rows = toRows(input);
        // An id is kept only if it was this provider's: anything else would be taking another's row.
        const own = new Set(await repository.blockedIds(tx, providerId));
        const blocked = rows.blocked.map((row) => (own.has(row.id) ? row : { ...row, id: randomUUID() }));
        await repository.replace(tx, providerId, { ...rows, blocked });
      });
      await cache.delete(cacheKeys.availability(providerId));
      await ctx.slotCache.changed(providerId);
      // Read back rather than echo the input, so the answer is exactly what GET will return.
      return { timeZone: provider.timeZone, ...(await stored(providerId)) };
    },
  };
}

export type AvailabilityService = ReturnType<typeof createAvailabilityService>;
