import { randomUUID } from 'node:crypto';
import type { Identity } from '@timeslot/ports';
import { cacheKeys, type SchedulingContext } from '../context';
import { providerErrors } from './provider.errors';
import { canManage, canSee, toProvider, type Viewer } from './provider.model';
import type { ProviderRepository } from './provider.repository';
import {
  encodeCursor,
  type NewProviderInput,
  type Provider,
  type ProviderChanges,
  type ProviderPage,
  type SearchQuery,
} from './provider.schemas';

/** Provider profiles: creation, edits, visibility and public search. */
export function createProviderService(ctx: SchedulingContext, providers: ProviderRepository) {
  const { database, cache } = ctx;

  /** Cached: every slot, service and availability read starts here. */
  async function load(id: string): Promise<Provider> {
    return cache.getOrLoad(cacheKeys.provider(id), ctx.options.cacheTtlMs, async () => {
      const row = await providers.findById(database.db, id);
      // Thrown, not returned, so that a missing provider is never cached.
      if (row === undefined) throw providerErrors.providerNotFound();
      return toProvider(row);
    });
  }

  /** The provider when the viewer may see it; an unpublished one is as good as missing to others. */
  async function visible(viewer: Viewer, id: string): Promise<Provider> {
    const provider = await load(id);
    if (!canSee(viewer, provider)) throw providerErrors.providerNotFound();
    return provider;
  }

  /** The provider when the caller owns it or is an admin; others who can see it get 403. */
  async function manageable(identity: Identity, id: string): Promise<Provider> {
    const provider = await visible(identity, id);
    if (!canManage(identity, provider)) throw providerErrors.notProviderOwner();
    return provider;
  }

  return {
    load,
    visible,
    manageable,

    async create(identity: Identity, input: NewProviderInput): Promise<Provider> {
      if (identity.role !== 'provider') throw providerErrors.notAProvider();
      const row = await providers.insert(database.db, { id: randomUUID(), userId: identity.userId, ...input });
      if (row === undefined) throw providerErrors.providerExists();
      return toProvider(row);
    },

    /** The caller's own profile. */
    async mine(identity: Identity): Promise<Provider> {
      const row = await providers.findByUserId(database.db, identity.userId);
      if (row === undefined) throw providerErrors.providerNotFound();
      return toProvider(row);
    },

    async update(identity: Identity, id: string, changes: ProviderChanges): Promise<Provider> {
      await manageable(identity, id);
      const row = await database.db.transaction((tx) => providers.update(tx, id, changes));
      if (row === undefined) throw providerErrors.providerNotFound();
      // After the commit: invalidating earlier would let a concurrent read cache the old row again.
      await cache.delete(cacheKeys.provider(id));
      // The zone and publication decide slots too.
      await ctx.slotCache.changed(id);
      return toProvider(row);
    },

    /** Not cached: the combinations of q, specialty and cursor are endless and each page is one index scan. */
    async search(query: SearchQuery): Promise<ProviderPage> {
      // One row more than asked tells whether another page exists without a count.
      const rows = await providers.search(database.db, { q: query.q, specialty: query.specialty, after: query.cursor, limit: query.limit + 1 });
      const page = rows.slice(0, query.limit);
      const last = page.at(-1);
      return {
        items: page.map(toProvider),
        nextCursor: rows.length > query.limit && last !== undefined ? encodeCursor({ displayName: last.displayName, id: last.id }) : null,
      };
    },
  };
}

export type ProviderService = ReturnType<typeof createProviderService>;
