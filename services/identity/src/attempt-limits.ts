import type { RateLimitStore } from '@timeslot/ports';
import { identityErrors } from './errors';
import type { Limit } from './options';

export interface AttemptLimitsOptions {
  readonly login: { readonly perAccount: Limit; readonly perIp: Limit };
  readonly registration: Limit;
}

/**
 * Brute-force protection for sign-in and sign-up, on the shared RateLimitStore so every replica
 * counts against one budget. Failed logins are counted per email (known or not, so a lockout
 * reveals nothing about which addresses exist) and per client IP.
 */
export function createAttemptLimits(store: RateLimitStore, options: AttemptLimitsOptions) {
  const { perAccount, perIp } = options.login;
  const accountKey = (email: string) => `identity:login:account:${email.trim().toLowerCase()}`;
  const ipKey = (ip: string) => `identity:login:ip:${ip}`;

  return {
    /** Throws TOO_MANY_LOGIN_ATTEMPTS before any password is hashed when either budget is spent. */
    async checkLogin(email: string, ip: string): Promise<void> {
      const [account, address] = await Promise.all([
        store.peek(accountKey(email), perAccount.max, perAccount.windowMs),
        store.peek(ipKey(ip), perIp.max, perIp.windowMs),
      ]);
      const refused = [account, address].filter((d) => !d.allowed);
      if (refused.length > 0) throw identityErrors.tooManyLoginAttempts(Math.max(...refused.map((d) => d.resetMs)));
    },

    async recordLoginFailure(email: string, ip: string): Promise<void> {
      await Promise.all([
        store.hit(accountKey(email), perAccount.max, perAccount.windowMs),
        store.hit(ipKey(ip), perIp.max, perIp.windowMs),
      ]);
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
