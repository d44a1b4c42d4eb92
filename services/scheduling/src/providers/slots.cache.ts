import { createHash, randomUUID } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { Cache } from '@timeslot/ports';

/**
 * Computed slot pages, filed under a per-provider version token.
 *
 * The token lives in the shared Cache (Redis in distributed mode) and every write that can change
 * a provider's slots (a booking taken, released or moved; availability, a service or the profile
 * edited) replaces it after its commit, before it answers. A page is filed under the token its
 * reader saw *before* reading the database, so a page under the current token was computed from
 * data at least as new as the last write's commit: a read after a write, through any replica,
 * never gets the old slots. Pages under an old token are never looked up again and age out.
 *
 * Because a token is never reused, a page under it never changes: each process keeps its pages
 * locally (an LRU bounded in bytes), and a cached read costs one small GET of the token.
 *
 * When the token is missing (first read, or evicted), the reader sets a fresh one. Two readers may
 * race to do so, or race a writer; whichever set comes last wins, and every page filed under it
 * was still computed after it was set, so after any commit that preceded it.
 *
 * While the shared Cache is unavailable (Redis down) there is no token to trust: a writer's new
 * token may not have reached it. `version` then returns undefined and pages are computed from the
 * database for each reader and kept nowhere. Pages kept before an outage are dropped once the
 * cache reports one (`health().outages` changed), since a write during it may have failed to
 * replace the token (the Cache deletes such a token when Redis answers again).
 */
export interface SlotCache<Page> {
  /** The provider's current token (set here when there is none); undefined while the cache is unavailable. */
  version(providerId: string): Promise<string | undefined>;
  /** Call after committing any change to the provider's slots, before answering the request. */
  changed(providerId: string): Promise<void>;
  /**
   * The page under `key`, computed by `load` when missing or stale (`now` ≥ its `expiresAt`).
   * Concurrent misses of one key in this process share one load. `load` may throw, or return a
   * page already stale (`expiresAt` ≤ `now`), to answer without keeping anything. `source` says
   * how it was found: kept, loaded by this call, shared with a load already running, or computed
   * for this reader alone because there was no version (`key` undefined).
   */
  page(key: string | undefined, now: number, load: () => Promise<CachedPage<Page>>): Promise<{ page: CachedPage<Page>; source: PageSource }>;
}

export type PageSource = 'hit' | 'miss' | 'shared' | 'uncached';

export interface CachedPage<Page> {
  /** What the reader needs besides the body (e.g. what a permission check reads). */
  readonly meta: Page;
  /** The JSON response. */
  readonly body: string;
  /** A strong entity tag of `body`, quoted. */
  readonly etag: string;
  /** When the page goes stale on the service's clock (slots pass their notice as time moves on). */
  readonly expiresAt: number;
}

export interface SlotCacheOptions {
  readonly cache: Cache;
  /** How long a version token lives without writes (default 24 hours). */
  readonly versionTtlMs?: number;
  /** Bytes of pages kept per process (default 64 MiB). */
  readonly maxBytes?: number;
}

const versionKey = (providerId: string) => `scheduling:slots-version:${providerId}`;

export function entityTag(body: string): string {
  return `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
}

export function createSlotCache<Page extends object>(options: SlotCacheOptions): SlotCache<Page> {
  const { cache } = options;
  const versionTtlMs = options.versionTtlMs ?? 24 * 3_600_000;
  const pages = new LRUCache<string, CachedPage<Page>>({
    maxSize: options.maxBytes ?? 64 * 1024 * 1024,
    // UTF-16 length plus the entry's own objects: a fair bound without measuring each string.
    sizeCalculation: (page) => page.body.length + 1024,
  });
  const loading = new Map<string, Promise<CachedPage<Page>>>();
  const creating = new Map<string, Promise<string>>();
  let outagesSeen = cache.health().outages;

  /** Drops what was kept before an outage; false while the cache cannot be trusted at all. */
  function usable(): boolean {
    const health = cache.health();
    if (health.outages !== outagesSeen) {
      outagesSeen = health.outages;
      pages.clear();
      loading.clear();
    }
    return health.available;
  }

  return {
    async version(providerId) {
      if (!usable()) return undefined;
      const current = await cache.get<string>(versionKey(providerId));
      if (current !== undefined) return current;
      // A miss may be the cache failing just now: a token it did not keep must not file pages.
      if (!usable()) return undefined;
      // One new token per provider at a time in this process: a burst of first reads would
      // otherwise each set its own, file the same page under each, and compute it once per reader.
      let pending = creating.get(providerId);
      if (pending === undefined) {
        pending = (async () => {
          const fresh = randomUUID();
          await cache.set(versionKey(providerId), fresh, versionTtlMs);
          return fresh;
        })().finally(() => creating.delete(providerId));
        creating.set(providerId, pending);
      }
      return pending;
    },

    async changed(providerId) {
      await cache.set(versionKey(providerId), randomUUID(), versionTtlMs);
    },

    async page(key, now, load) {
      if (key === undefined) return { page: await load(), source: 'uncached' };
      const outages = outagesSeen;
      const hit = pages.get(key);
      if (hit !== undefined && now < hit.expiresAt) return { page: hit, source: 'hit' };
      const running = loading.get(key);
      if (running !== undefined) return { page: await running, source: 'shared' };
      const pending = load().then(
        (page) => {
          if (loading.get(key) === pending) loading.delete(key);
          // A load that spans an outage may have read data a lost invalidation would have covered.
          if (page.expiresAt > now && outages === outagesSeen && usable()) pages.set(key, page);
          return page;
        },
        (error: unknown) => {
          if (loading.get(key) === pending) loading.delete(key);
          throw error;
        },
      );
      loading.set(key, pending);
      return { page: await pending, source: 'miss' };
    },
  };
}
