import { LRUCache } from 'lru-cache';
import type { SchedulingContext } from '../context';
import { createAvailabilityRepository } from './availability.repository';
import { createAvailabilityService, type AvailabilityService } from './availability.service';
import { createOfferingRepository } from './offering.repository';
import { createOfferingService, type OfferingService } from './offering.service';
import { createProviderRepository } from './provider.repository';
import { createProviderService, type ProviderService } from './provider.service';

/** The providers part: profiles, services and availability, with their cached reads. */
export interface ProviderParts {
  readonly providers: ProviderService;
  readonly offerings: OfferingService;
  readonly availability: AvailabilityService;
  /** Service id → provider id. A service never changes provider, so this needs no invalidation. */
  readonly serviceOwners: LRUCache<string, string>;
}

const partsByContext = new WeakMap<SchedulingContext, ProviderParts>();

/** One set per service instance, shared by the provider routes and the bookings part. */
export function providerParts(ctx: SchedulingContext): ProviderParts {
  let parts = partsByContext.get(ctx);
  if (parts === undefined) {
    const providers = createProviderService(ctx, createProviderRepository(ctx.tables));
    parts = {
      providers,
      offerings: createOfferingService(ctx, providers, createOfferingRepository(ctx.tables)),
      availability: createAvailabilityService(ctx, providers, createAvailabilityRepository(ctx.tables)),
      serviceOwners: new LRUCache({ max: 100_000 }),
    };
    partsByContext.set(ctx, parts);
  }
  return parts;
}
