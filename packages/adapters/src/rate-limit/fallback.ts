import type { RateLimitDecision, RateLimitStore } from '@timeslot/ports';
import { createOutageReporter, type AdapterLogger } from '../redis/resilience';
import { createMemoryRateLimitStore } from './memory';

export interface FallbackRateLimitStoreOptions {
  /** The shared store (Redis): one budget for every replica. */
  readonly shared: RateLimitStore;
  /** Where the failures of the shared store are reported (rate-limited). */
  readonly logger: AdapterLogger;
  /** The store used while the shared one fails (default: a new in-memory store). */
  readonly local?: RateLimitStore;
}

/**
 * A RateLimitStore for budgets that must neither stop the service nor vanish when Redis does:
 * identity's brute-force limits. Each call goes to the shared store; when that fails (its circuit
 * is open, or a call times out) the same call goes to this process's own memory, so the limits
 * still hold per replica (at most replicas × limit in all) instead of failing closed (nobody
 * could sign in) or open (unlimited guesses). A window counted locally is not carried over when
 * Redis returns; that is the price of answering at all during the outage.
 *
 * `release` goes to the shared store first and to the local one if that fails: a unit counted
 * locally and given back to Redis returns at most one unit too many to a budget, never one too few.
 */
export function createFallbackRateLimitStore(options: FallbackRateLimitStoreOptions): RateLimitStore {
  const { shared } = options;
  const local = options.local ?? createMemoryRateLimitStore();
  const reporter = createOutageReporter(options.logger, { dependency: 'redis', client: 'attempt-limits', fallback: 'process memory' });

  async function either<T>(call: (store: RateLimitStore) => Promise<T>): Promise<T> {
    try {
      const result = await call(shared);
      reporter.recovered();
      return result;
    } catch (error) {
      reporter.failed(error);
      return call(local);
    }
  }

  return {
    hit: (key, limit, windowMs): Promise<RateLimitDecision> => either((store) => store.hit(key, limit, windowMs)),
    peek: (key, limit, windowMs): Promise<RateLimitDecision> => either((store) => store.peek(key, limit, windowMs)),
    release: (key, windowMs, window) => either((store) => store.release(key, windowMs, window)),
    async reset(key) {
      await Promise.allSettled([local.reset(key)]);
      await shared.reset(key);
    },
    ping: () => shared.ping(),
    async close() {
      await local.close();
    },
  };
}
