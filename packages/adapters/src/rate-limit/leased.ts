import type { RateLimitDecision, RateLimitStore } from '@timeslot/ports';
import type { RedisRateLimitStore } from './redis';
import { sweepEnded, validWindow } from './window';

export interface LeasedRateLimitStoreOptions {
  /** The shared budget. Taken over: `close()` closes it. */
  readonly shared: RedisRateLimitStore;
  /** Share of a limit one lease takes from Redis (default 0.05: 5 of 100). */
  readonly leaseShare?: number;
  /** Most hits one lease takes (default 100). */
  readonly maxLease?: number;
  /** How often leases of windows that have ended are dropped (default 60 s). */
  readonly sweepIntervalMs?: number;
}

export const defaultLease = { share: 0.05, max: 100 } as const;

interface Lease {
  readonly length: number;
  readonly window: number;
  /** When the window ends, on this process's clock. */
  endsAt: number;
  /** Hits taken from Redis and not handed out yet. */
  tokens: number;
  /** The window's count in Redis after this replica's last lease. */
  count: number;
}

/**
 * What is left of the shared budget as far as this replica knows: Redis's count at its last lease,
 * less what it has handed out since.
 */
function remaining(lease: Lease, limit: number): number {
  return Math.max(0, limit - lease.count + lease.tokens);
}

/** Hits one lease takes for `limit`: a share of it, at least one. */
export function leaseSize(limit: number, share: number = defaultLease.share, max: number = defaultLease.max): number {
  return Math.max(1, Math.min(max, Math.floor(limit * share)));
}

/**
 * The gateway's distributed RateLimitStore: the Redis budget, taken in leases instead of one round
 * trip per hit. When a key has no tokens left for its window, one atomic script takes
 * `leaseSize(limit)` hits of the window from Redis at once (fewer if fewer are left; concurrent
 * requests for the key share that one call); the next hits are handed out from this process's
 * memory, synchronously (`hitLocally`), until they run out or the window ends. A key whose window is
 * spent in Redis is refused from memory until the window ends, so a client over its limit costs no
 * round trips either.
 *
 * The tolerance, across R replicas sharing one Redis:
 * - never more than `limit` hits allowed per window, whatever R: every hit is counted in Redis
 *   before a replica hands it out;
 * - hits one replica leased and had not handed out when another found the budget spent are lost to
 *   the others: a client spreading its requests over R replicas can be refused up to
 *   (R − 1) × leaseSize(limit) hits early in a window (with the defaults, 5% of the limit per
 *   other replica: 100/s over 3 replicas allows 90 to 100 per second). With one replica, or
 *   a lease of 1 (limits under 40), the budget is exact.
 * A window ends for a replica when Redis said it would (its resetMs, on the local clock from the
 * answer), so skewed clocks do not matter. `reset` drops this replica's lease and the Redis count;
 * other replicas that found the window spent keep refusing until it ends.
 *
 * When Redis fails, `hit` rejects (the gateway then lets the request through, see its rate
 * limiter) while tokens already leased are still handed out.
 */
export function createLeasedRateLimitStore(options: LeasedRateLimitStoreOptions): RateLimitStore {
  const { shared } = options;
  const share = options.leaseShare ?? defaultLease.share;
  const max = options.maxLease ?? defaultLease.max;
  if (!(share > 0 && share <= 1) || !Number.isInteger(max) || max < 1) throw new RangeError('A lease needs 0 < leaseShare <= 1 and a whole maxLease >= 1.');
  const leases = new Map<string, Lease>();
  const refills = new Map<string, Promise<void>>();
  const sweeper = sweepEnded(leases, options.sweepIntervalMs);

  function usable(key: string, length: number, now: number): Lease | undefined {
    const lease = leases.get(key);
    return lease !== undefined && lease.length === length && now < lease.endsAt ? lease : undefined;
  }

  function hitLocally(key: string, limit: number, windowMs: number): RateLimitDecision | undefined {
    const length = validWindow(limit, windowMs);
    const now = Date.now();
    const lease = usable(key, length, now);
    if (lease === undefined) return undefined;
    const resetMs = lease.endsAt - now;
    if (lease.tokens > 0) {
      lease.tokens -= 1;
      return { allowed: true, limit, remaining: remaining(lease, limit), resetMs, window: lease.window };
    }
    if (lease.count >= limit) return { allowed: false, limit, remaining: 0, resetMs, window: lease.window };
    return undefined;
  }

  async function refill(key: string, limit: number, length: number): Promise<void> {
    const taken = await shared.lease(key, limit, length, leaseSize(limit, share, max));
    const now = Date.now();
    const lease = usable(key, length, now);
    if (lease !== undefined && lease.window === taken.window) {
      lease.tokens += taken.granted;
      lease.count = Math.max(lease.count, taken.count);
    } else {
      leases.set(key, { length, window: taken.window, endsAt: now + taken.resetMs, tokens: taken.granted, count: taken.count });
    }
  }

  return {
    hitLocally,

    async hit(key: string, limit: number, windowMs: number): Promise<RateLimitDecision> {
      const length = validWindow(limit, windowMs);
      for (;;) {
        const decision = hitLocally(key, limit, length);
        if (decision !== undefined) return decision;
        // Each pass either hands out a token, refuses, or takes a new lease (concurrent callers
        // share one): a lease is never granted without at least one hit to spend it on.
        let pending = refills.get(key);
        if (pending === undefined) {
          pending = refill(key, limit, length).finally(() => refills.delete(key));
          refills.set(key, pending);
        }
        await pending;
      }
    },

    async peek(key: string, limit: number, windowMs: number): Promise<RateLimitDecision> {
      const length = validWindow(limit, windowMs);
      const now = Date.now();
      const lease = usable(key, length, now);
      if (lease !== undefined && lease.tokens > 0) {
        return { allowed: true, limit, remaining: remaining(lease, limit), resetMs: lease.endsAt - now, window: lease.window };
      }
      return shared.peek(key, limit, windowMs);
    },

    async release(key: string, windowMs: number, window: number): Promise<void> {
      const length = validWindow(0, windowMs);
      if (!Number.isSafeInteger(window)) throw new RangeError(`Rate-limit window must be a whole number, got ${window}`);
      const lease = usable(key, length, Date.now());
      // The hit is still counted in Redis: it goes back to this replica's tokens.
      if (lease !== undefined && lease.window === window) lease.tokens += 1;
      else await shared.release(key, windowMs, window);
    },

    async reset(key: string): Promise<void> {
      leases.delete(key);
      await shared.reset(key);
    },

    ping: () => shared.ping(),

    async close(): Promise<void> {
      clearInterval(sweeper);
      leases.clear();
      await shared.close();
    },
  };
}
