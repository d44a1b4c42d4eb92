import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RateLimitDecision, RateLimitStore } from '../rate-limit';

export interface RateLimitContractHandles {
  readonly store: RateLimitStore;
  /** A second handle on the same store, like another gateway replica. */
  readonly replica: RateLimitStore;
  cleanup(): Promise<void>;
}

// Windows are aligned on the clock, so a test that must stay inside one window uses a long one:
// the chance of crossing a boundary during a few milliseconds of test is then negligible.
const HOUR = 3_600_000;

/** The RateLimitStore contract: every adapter must pass it unchanged, against a real store. */
export function rateLimitContract(name: string, make: () => Promise<RateLimitContractHandles>): void {
  describe(`RateLimitStore contract: ${name}`, () => {
    let handles: RateLimitContractHandles;
    let store: RateLimitStore;
    let replica: RateLimitStore;

    beforeEach(async () => {
      handles = await make();
      ({ store, replica } = handles);
    });
    afterEach(async () => {
      await handles.cleanup();
    });

    it('allows up to the limit, counting remaining down, then refuses', async () => {
      const decisions = [];
      for (let i = 0; i < 4; i += 1) decisions.push(await store.hit('login:ada', 3, HOUR));
      expect(decisions.map((d) => [d.allowed, d.remaining, d.limit])).toEqual([
        [true, 2, 3],
        [true, 1, 3],
        [true, 0, 3],
        [false, 0, 3],
      ]);
      for (const decision of decisions) {
        expect(decision.resetMs).toBeGreaterThan(0);
        expect(decision.resetMs).toBeLessThanOrEqual(HOUR);
      }
    });

    it('keeps refusing once over the limit', async () => {
      await store.hit('k', 1, HOUR);
      for (let i = 0; i < 3; i += 1) {
        const decision = await store.hit('k', 1, HOUR);
        expect(decision).toMatchObject({ allowed: false, remaining: 0 });
      }
    });

    it('refuses everything with a limit of 0', async () => {
      expect(await store.hit('closed', 0, HOUR)).toMatchObject({ allowed: false, remaining: 0, limit: 0 });
    });

    it('counts each key separately', async () => {
      await store.hit('ip:1', 1, HOUR);
      expect((await store.hit('ip:1', 1, HOUR)).allowed).toBe(false);
      expect(await store.hit('ip:2', 1, HOUR)).toMatchObject({ allowed: true, remaining: 0 });
    });

    it('shares one budget between replicas', async () => {
      expect((await store.hit('shared', 3, HOUR)).remaining).toBe(2);
      expect((await replica.hit('shared', 3, HOUR)).remaining).toBe(1);
      expect((await store.hit('shared', 3, HOUR)).remaining).toBe(0);
      expect((await replica.hit('shared', 3, HOUR)).allowed).toBe(false);
    });

    it('says when the window resets, and allows again in the next window', async () => {
      const windowMs = 100;
      // Two hits a moment apart may still fall on both sides of a 100 ms window's end (then the
      // second is allowed, rightly): try again on a fresh key until both land in one window.
      let key = '';
      let refused: RateLimitDecision | undefined;
      for (let attempt = 0; attempt < 5 && refused?.allowed !== false; attempt++) {
        key = `burst-${attempt}`;
        expect((await store.hit(key, 1, windowMs)).allowed).toBe(true);
        refused = await store.hit(key, 1, windowMs);
      }
      const refusedAt = Date.now();
      if (refused === undefined) throw new Error('no attempt made');
      expect(refused.allowed).toBe(false);
      expect(refused.resetMs).toBeGreaterThan(0);
      expect(refused.resetMs).toBeLessThanOrEqual(windowMs);
      // The window's end cannot be awaited, so poll (peek does not count) with a bound.
      while (!(await replica.peek(key, 1, windowMs)).allowed && Date.now() - refusedAt < 2_000) {
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      // The new window opened no later than announced (with slack for a busy machine)...
      expect(Date.now() - refusedAt).toBeLessThanOrEqual(refused.resetMs + 250);
      // ...and allows a full budget again.
      const again = await store.hit(key, 1, windowMs);
      expect(again.allowed).toBe(true);
      expect(again.resetMs).toBeLessThanOrEqual(windowMs);
    });

    it('peek says whether one more hit would be allowed without counting one', async () => {
      for (let i = 0; i < 5; i += 1) {
        expect(await store.peek('p', 2, HOUR)).toMatchObject({ allowed: true, remaining: 2, limit: 2 });
      }
      await store.hit('p', 2, HOUR);
      expect(await replica.peek('p', 2, HOUR)).toMatchObject({ allowed: true, remaining: 1 });
      expect(await store.hit('p', 2, HOUR)).toMatchObject({ allowed: true, remaining: 0 });
      const peeked = await replica.peek('p', 2, HOUR);
      expect(peeked).toMatchObject({ allowed: false, remaining: 0 });
      expect(peeked.resetMs).toBeGreaterThan(0);
      expect(peeked.resetMs).toBeLessThanOrEqual(HOUR);
    });

    it('reset forgets the key on every replica', async () => {
      await store.hit('r', 2, HOUR);
      await store.hit('r', 2, HOUR);
      expect((await replica.hit('r', 2, HOUR)).allowed).toBe(false);
      await replica.reset('r');
      expect(await store.peek('r', 2, HOUR)).toMatchObject({ allowed: true, remaining: 2 });
      expect(await store.hit('r', 2, HOUR)).toMatchObject({ allowed: true, remaining: 1 });
      await store.reset('never-hit');
    });

    it('allows exactly the limit under 200 concurrent hits spread over two replicas', async () => {
      const decisions = await Promise.all(
        Array.from({ length: 200 }, (_, i) => (i % 2 === 0 ? store : replica).hit('stampede', 50, HOUR)),
      );
      expect(decisions.filter((d) => d.allowed)).toHaveLength(50);
      // Each allowed hit saw a distinct count, so the remaining values are 49..0 exactly once.
      const remaining = decisions.filter((d) => d.allowed).map((d) => d.remaining).sort((a, b) => a - b);
      expect(remaining).toEqual(Array.from({ length: 50 }, (_, i) => i));
      expect(await store.peek('stampede', 50, HOUR)).toMatchObject({ allowed: false, remaining: 0 });
    });

    it('release gives back one hit of the window, seen by every replica', async () => {
      const first = await store.hit('give', 2, HOUR);
      const second = await replica.hit('give', 2, HOUR);
      expect(second.window).toBe(first.window);
      expect((await store.hit('give', 2, HOUR)).allowed).toBe(false);
      // Two hits gave back: the refused one above still counts, so one is left.
      await replica.release('give', HOUR, second.window);
      await store.release('give', HOUR, first.window);
      expect(await replica.peek('give', 2, HOUR)).toMatchObject({ allowed: true, remaining: 1, window: first.window });
      expect(await store.hit('give', 2, HOUR)).toMatchObject({ allowed: true, remaining: 0 });
    });

    it('release never goes below zero, and does nothing for a window that has ended or a key never hit', async () => {
      const hit = await store.hit('floor', 3, HOUR);
      await store.release('floor', HOUR, hit.window);
      await replica.release('floor', HOUR, hit.window);
      expect(await store.peek('floor', 3, HOUR)).toMatchObject({ remaining: 3 });
      await store.hit('floor', 3, HOUR);
      // A give-back for the previous window must not add to this one's budget.
      await replica.release('floor', HOUR, hit.window - 1);
      expect(await store.peek('floor', 3, HOUR)).toMatchObject({ remaining: 2 });
      await store.release('never-hit', HOUR, hit.window);
      expect(await store.peek('never-hit', 3, HOUR)).toMatchObject({ remaining: 3 });
    });

    it('counts 50 concurrent releases over two replicas exactly, without losing one', async () => {
      const hits = await Promise.all(Array.from({ length: 80 }, (_, i) => (i % 2 === 0 ? store : replica).hit('ebb', 80, HOUR)));
      expect(hits.every((d) => d.allowed)).toBe(true);
      await Promise.all(hits.slice(0, 50).map((d, i) => (i % 2 === 0 ? replica : store).release('ebb', HOUR, d.window)));
      expect(await store.peek('ebb', 80, HOUR)).toMatchObject({ remaining: 50 });
    });

    it('rejects a limit or window that makes no sense', async () => {
      await expect(store.hit('k', -1, HOUR)).rejects.toThrow();
      await expect(store.hit('k', 1.5, HOUR)).rejects.toThrow();
      await expect(store.hit('k', 1, 0)).rejects.toThrow();
      await expect(store.peek('k', 1, Number.NaN)).rejects.toThrow();
      await expect(store.release('k', 0, 1)).rejects.toThrow();
      await expect(store.release('k', HOUR, 1.5)).rejects.toThrow();
    });

    it('answers ping', async () => {
      await expect(store.ping()).resolves.toBeUndefined();
      await expect(replica.ping()).resolves.toBeUndefined();
    });
  });
}
