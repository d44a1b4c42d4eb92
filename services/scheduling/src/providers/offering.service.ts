import { randomUUID } from 'node:crypto';
import type { Identity } from '@timeslot/ports';
import { cacheKeys, type SchedulingContext } from '../context';
import type { ServiceRow } from '../tables';
import type { OfferingRepository, ServiceRowChanges } from './offering.repository';
import type { NewOfferingInput, Offering, OfferingChanges } from './offering.schemas';
import { providerErrors } from './provider.errors';
import { canManage, toOffering, type Viewer } from './provider.model';
import type { ProviderService } from './provider.service';

function rowChanges(changes: OfferingChanges): ServiceRowChanges {
  const { location, ...rest } = changes;
  if (location === undefined) return rest;
  return { ...rest, locationKind: location.kind, locationAddress: location.address ?? null };
}

/** A provider's services (event types). */
export function createOfferingService(ctx: SchedulingContext, providers: ProviderService, offerings: OfferingRepository) {
  const { database, cache } = ctx;

  /** Cached: every slot read and every booking needs the service. Inactive ones included. */
  async function all(providerId: string): Promise<Offering[]> {
    return cache.getOrLoad(cacheKeys.services(providerId), ctx.options.cacheTtlMs, async () =>
      (await offerings.listByProvider(database.db, providerId)).map(toOffering),
    );
  }

  /** The services the viewer may see: all for the owner and admins, active ones for everyone else. */
  async function list(viewer: Viewer, providerId: string): Promise<Offering[]> {
    const provider = await providers.visible(viewer, providerId);
    const items = await all(providerId);
    return canManage(viewer, provider) ? items : items.filter((item) => item.active);
  }

  /** One service of a provider, as the viewer may see it; another provider's service is not found. */
  async function get(viewer: Viewer, providerId: string, serviceId: string): Promise<Offering> {
    const found = (await list(viewer, providerId)).find((item) => item.id === serviceId);
    if (found === undefined) throw providerErrors.serviceNotFound();
    return found;
  }

  return {
    all,
    list,
    get,

    async create(identity: Identity, providerId: string, input: NewOfferingInput): Promise<Offering> {
      await providers.manageable(identity, providerId);
      const { location, slotIntervalMinutes, ...rest } = input;
      const row: Omit<ServiceRow, 'createdAt' | 'updatedAt'> = {
        ...rest,
        id: randomUUID(),
        providerId,
        // Back-to-back sessions are what most providers mean when they give no interval.
        slotIntervalMinutes: slotIntervalMinutes ?? input.durationMinutes,
        locationKind: location.kind,
        locationAddress: location.address ?? null,
      };
      const inserted = await database.db.transaction((tx) => offerings.insert(tx, row));
      await cache.delete(cacheKeys.services(providerId));
      await ctx.slotCache.changed(providerId);
      return toOffering(inserted);
    },

    async update(identity: Identity, providerId: string, serviceId: string, changes: OfferingChanges): Promise<Offering> {
      await providers.manageable(identity, providerId);
      const row = await database.db.transaction((tx) => offerings.update(tx, providerId, serviceId, rowChanges(changes)));
      if (row === undefined) throw providerErrors.serviceNotFound();
      // After the commit: invalidating earlier would let a concurrent read cache the old list again.
      await cache.delete(cacheKeys.services(providerId));
      await ctx.slotCache.changed(providerId);
      return toOffering(row);
    },
  };
}

export type OfferingService = ReturnType<typeof createOfferingService>;
