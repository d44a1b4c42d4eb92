import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Cache } from '../cache';

export interface CacheContractHandles {
  readonly cache: Cache;
  /** A second handle on the same store, like another replica. */
  readonly replica: Cache;
  cleanup(): Promise<void>;
}

interface Deferred<T> {
  readonly promise: Promise<T>;
  resolve(value: T): void;
  reject(error: unknown): void;
}

function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** A loader whose result the test hands over when it chooses, and which says when it was called. */
function controlledLoader<T>(): { load: () => Promise<T>; started: Promise<void>; finish: Deferred<T>; calls: () => number } {
  const started = deferred<void>();
  const finish = deferred<T>();
  let calls = 0;
  return {
    load: () => {
      calls += 1;
      started.resolve();
      return finish.promise;
    },
    started: started.promise,
    finish,
    calls: () => calls,
  };
}

const MINUTE = 60_000;

/** The Cache contract: every adapter must pass it unchanged, against a real store. */
export function cacheContract(name: string, make: () => Promise<CacheContractHandles>): void {
  describe(`Cache contract: ${name}`, () => {
    let handles: CacheContractHandles;
    let cache: Cache;
    let replica: Cache;

    beforeEach(async () => {
      handles = await make();
      ({ cache, replica } = handles);
    });
    afterEach(async () => {
      await handles.cleanup();
    });

    it('returns undefined for a key never set', async () => {
      expect(await cache.get('never-set')).toBeUndefined();
    });

    it('stores JSON values and serves them to every replica', async () => {
      const booking = { id: 'b1', seats: 2, tags: ['a', 'b'], paid: false, note: null };
      await cache.set('booking', booking, MINUTE);
      await cache.set('count', 0, MINUTE);
      await cache.set('name', 'Ada', MINUTE);
      expect(await cache.get('booking')).toEqual(booking);
      expect(await replica.get('booking')).toEqual(booking);
      expect(await replica.get('count')).toBe(0);
      expect(await replica.get('name')).toBe('Ada');
    });

    it('overwrites a value on set', async () => {
      await cache.set('k', 'first', MINUTE);
      await replica.set('k', 'second', MINUTE);
      expect(await cache.get('k')).toBe('second');
    });

    it('forgets a value once its TTL has passed, not before', async () => {
      const ttlMs = 60;
      const setAt = Date.now();
      await cache.set('short', 'x', ttlMs);
      await cache.set('long', 'y', MINUTE);
      expect(await cache.get('short')).toBe('x');
      // Expiry cannot be awaited, so poll with a bound.
      while ((await cache.get('short')) !== undefined && Date.now() - setAt < 2_000) {
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      expect(await cache.get('short')).toBeUndefined();
      expect(await replica.get('short')).toBeUndefined();
      expect(Date.now() - setAt).toBeGreaterThanOrEqual(ttlMs - 5);
      expect(await cache.get('long')).toBe('y');
    });

    it('rejects a TTL that is not a positive number', async () => {
      await expect(cache.set('k', 1, 0)).rejects.toThrow();
      await expect(cache.set('k', 1, -5)).rejects.toThrow();
      await expect(cache.getOrLoad('k', Number.NaN, async () => 1)).rejects.toThrow();
    });

    it('deletes several keys at once, leaving the others', async () => {
      await cache.set('a', 1, MINUTE);
      await cache.set('b', 2, MINUTE);
      await cache.set('c', 3, MINUTE);
      await cache.delete('a', 'b', 'not-there');
      expect(await cache.get('a')).toBeUndefined();
      expect(await cache.get('b')).toBeUndefined();
      expect(await cache.get('c')).toBe(3);
      await cache.delete();
      expect(await cache.get('c')).toBe(3);
    });

    it('misses on the replica as soon as a delete through the other handle has resolved', async () => {
      await replica.set('user:1', { name: 'old' }, MINUTE);
      expect(await replica.get('user:1')).toEqual({ name: 'old' });
      await cache.delete('user:1');
      expect(await replica.get('user:1')).toBeUndefined();
      expect(await cache.get('user:1')).toBeUndefined();
    });

    it('getOrLoad loads once, caches the value for every replica, and returns it', async () => {
      let calls = 0;
      const load = async () => {
        calls += 1;
        return { id: 7, name: 'Grace' };
      };
      expect(await cache.getOrLoad('user:7', MINUTE, load)).toEqual({ id: 7, name: 'Grace' });
      expect(await cache.getOrLoad('user:7', MINUTE, load)).toEqual({ id: 7, name: 'Grace' });
      expect(await replica.getOrLoad('user:7', MINUTE, load)).toEqual({ id: 7, name: 'Grace' });
      expect(calls).toBe(1);
      expect(await replica.get('user:7')).toEqual({ id: 7, name: 'Grace' });
    });

    it('getOrLoad does not load when the key is already set', async () => {
      await replica.set('k', 'present', MINUTE);
      let calls = 0;
      const value = await cache.getOrLoad('k', MINUTE, async () => {
        calls += 1;
        return 'loaded';
      });
      expect(value).toBe('present');
      expect(calls).toBe(0);
    });

    it('getOrLoad applies the TTL to what it stores', async () => {
      let calls = 0;
      const load = async () => (calls += 1);
      const setAt = Date.now();
      expect(await cache.getOrLoad('ttl', 50, load)).toBe(1);
      while ((await cache.get('ttl')) !== undefined && Date.now() - setAt < 2_000) {
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      expect(await cache.getOrLoad('ttl', 50, load)).toBe(2);
    });

    it('concurrent getOrLoad calls for one key in one process share one load', async () => {
      const loader = controlledLoader<{ n: number }>();
      const first = cache.getOrLoad('shared', MINUTE, loader.load);
      await loader.started;
      const others = [1, 2, 3].map(() => cache.getOrLoad('shared', MINUTE, loader.load));
      loader.finish.resolve({ n: 1 });
      const results = await Promise.all([first, ...others]);
      expect(results).toEqual([{ n: 1 }, { n: 1 }, { n: 1 }, { n: 1 }]);
      expect(loader.calls()).toBe(1);
      // Callers sharing a load still get their own copies.
      results[0].n = 99;
      expect(results[1]).toEqual({ n: 1 });
    });

    it('getOrLoad does not store a value loaded before a delete (from another replica) landed', async () => {
      const slow = controlledLoader<string>();
      const stale = cache.getOrLoad('profile', MINUTE, slow.load);
      // The slow reader has read the source; now a writer updates it and invalidates the key.
      await slow.started;
      await replica.delete('profile');
      slow.finish.resolve('stale');
      // The caller still gets what it loaded: it asked before the delete.
      expect(await stale).toBe('stale');
      expect(await cache.get('profile')).toBeUndefined();
      expect(await replica.get('profile')).toBeUndefined();
      expect(await cache.getOrLoad('profile', MINUTE, async () => 'fresh')).toBe('fresh');
      expect(await replica.get('profile')).toBe('fresh');
    });

    it('a getOrLoad that starts after a delete does not join a load that started before it', async () => {
      const slow = controlledLoader<string>();
      const stale = cache.getOrLoad('k', MINUTE, slow.load);
      await slow.started;
      await cache.delete('k');
      const fresh = cache.getOrLoad('k', MINUTE, async () => 'fresh');
      slow.finish.resolve('stale');
      expect(await fresh).toBe('fresh');
      expect(await stale).toBe('stale');
      expect(await replica.get('k')).toBe('fresh');
    });

    it('getOrLoad does not overwrite a value set while it was loading', async () => {
      const slow = controlledLoader<string>();
      const loading = cache.getOrLoad('k', MINUTE, slow.load);
      await slow.started;
      await replica.set('k', 'newer', MINUTE);
      slow.finish.resolve('older');
      await loading;
      expect(await cache.get('k')).toBe('newer');
    });

    it('getOrLoad passes a load failure on and stores nothing', async () => {
      await expect(
        cache.getOrLoad('failing', MINUTE, async () => {
          throw new Error('database down');
        }),
      ).rejects.toThrow('database down');
      expect(await replica.get('failing')).toBeUndefined();
      expect(await cache.getOrLoad('failing', MINUTE, async () => 'recovered')).toBe('recovered');
    });

    it('hands out copies: mutating a value given to or read from the cache does not change it', async () => {
      const original = { seats: [1, 2], owner: { name: 'Ada' } };
      await cache.set('obj', original, MINUTE);
      original.seats.push(3);
      original.owner.name = 'Mallory';
      const read = await cache.get<typeof original>('obj');
      expect(read).toEqual({ seats: [1, 2], owner: { name: 'Ada' } });
      read!.seats.push(4);
      expect(await cache.get('obj')).toEqual({ seats: [1, 2], owner: { name: 'Ada' } });

      const loaded = { list: ['x'] };
      const returned = await cache.getOrLoad('loaded', MINUTE, async () => loaded);
      loaded.list.push('mutated by loader owner');
      returned.list.push('mutated by caller');
      expect(await cache.get('loaded')).toEqual({ list: ['x'] });
    });

    it('answers ping', async () => {
      await expect(cache.ping()).resolves.toBeUndefined();
      await expect(replica.ping()).resolves.toBeUndefined();
    });
  });
}
