import type { Logger } from '@timeslot/kernel';
import type { RateLimitDecision, RateLimitStore } from '@timeslot/ports';
import { identityErrors } from './errors';
import type { Limit } from './options';

export interface AttemptLimitsOptions {
  readonly login: { readonly perAccount: Limit; readonly perIp: Limit };
  readonly registration: Limit;
}

/** A login attempt that holds one unit of each budget; give it back when it did not fail. */
export interface LoginReservation {
  /** Returns the attempt to both budgets (a successful sign-in is not a failure). Never throws. */
  release(): Promise<void>;
}

/**
 * Brute-force protection for sign-in and sign-up, on the shared RateLimitStore so every replica
 * counts against one budget. Login attempts are counted per email (known or not, so a lockout
 * reveals nothing about which addresses exist) and per client IP.
 *
 * An attempt is counted BEFORE its password is verified, in one atomic hit per budget, and given
 * back only when it succeeds or is refused. So at any moment a budget holds the attempts in
 * flight plus the failures: however many guesses arrive at once, on however many replicas, at
 * most `max` of them per window are ever verified and fail.
 */
export function createAttemptLimits(store: RateLimitStore, options: AttemptLimitsOptions, logger: Logger) {
  const { perAccount, perIp } = options.login;
  const accountKey = (email: string) => `identity:login:account:${email.trim().toLowerCase()}`;
  const ipKey = (ip: string) => `identity:login:ip:${ip}`;

  async function giveBack(held: ReadonlyArray<{ key: string; limit: Limit; decision: RateLimitDecision }>): Promise<void> {
    try {
      await Promise.all(held.map(({ key, limit, decision }) => store.release(key, limit.windowMs, decision.window)));
    } catch (error) {
      // Keeping the unit is the safe side: the budget is only a little smaller until the window ends.
      logger.warn({ err: error }, 'could not give back a login attempt to its budget');
    }
  }

  return {
    /**
     * Counts the attempt against both budgets before any password is hashed; throws
     * TOO_MANY_LOGIN_ATTEMPTS when either is spent (giving back what the other granted, so a
     * refused guess costs no budget it did not use).
     */
    async reserveLogin(email: string, ip: string): Promise<LoginReservation> {
      const budgets = [
        { key: accountKey(email), limit: perAccount },
        { key: ipKey(ip), limit: perIp },
      ];
      const decisions = await Promise.all(budgets.map(({ key, limit }) => store.hit(key, limit.max, limit.windowMs)));
      const held = budgets.map((budget, i) => ({ ...budget, decision: decisions[i] as RateLimitDecision }));
      const refused = held.filter((h) => !h.decision.allowed);
      if (refused.length > 0) {
        await giveBack(held.filter((h) => h.decision.allowed));
        throw identityErrors.tooManyLoginAttempts(Math.max(...refused.map((h) => h.decision.resetMs)));
      }
      return { release: () => giveBack(held) };
    },

    /** Counts one registration attempt from `ip`; throws TOO_MANY_REGISTRATIONS past the budget. */
    async hitRegistration(ip: string): Promise<void> {
      const { max, windowMs } = options.registration;
      const decision = await store.hit(`identity:register:ip:${ip}`, max, windowMs);
      if (!decision.allowed) throw identityErrors.tooManyRegistrations(decision.resetMs);
    },
  };
}

export type AttemptLimits = ReturnType<typeof createAttemptLimits>;
