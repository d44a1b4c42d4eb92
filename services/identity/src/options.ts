import type { HashQueueOptions } from './hash-queue';
import type { SigningKeys } from './signing-keys';

export interface Limit {
  /** Hits allowed per window. */
  readonly max: number;
  readonly windowMs: number;
}

export interface IdentityOptions {
  /** JWT `iss`; verifiers check it. */
  readonly issuer: string;
  /** JWT `aud`; verifiers check it. */
  readonly audience: string;
  readonly signingKeys: SigningKeys;
  /** Access token lifetime (default 900 = 15 minutes). */
  readonly accessTokenTtlSeconds?: number;
  /** Refresh token lifetime, renewed at each rotation (default 2 592 000 = 30 days). */
  readonly refreshTokenTtlSeconds?: number;
  readonly loginLimits?: {
    /** Failed logins per email address, known or not (default 10 per 15 minutes). */
    readonly perAccount?: Limit;
    /** Failed logins per client IP (default 50 per 15 minutes). */
    readonly perIp?: Limit;
  };
  /** Registrations per client IP (default 20 per hour). */
  readonly registrationLimit?: Limit;
  /** How long a profile stays cached (default 5 minutes). */
  readonly profileCacheTtlMs?: number;
  /** Postgres schema of the service's tables (default "identity"; tests use unique ones). */
  readonly schema?: string;
  /** Password hashes at once and the longest queue wait before 503 (see createHashQueue). */
  readonly passwordHashing?: HashQueueOptions;
}

export type ResolvedIdentityOptions = Required<Omit<IdentityOptions, 'loginLimits'>> & {
  readonly loginLimits: { readonly perAccount: Limit; readonly perIp: Limit };
};

const fifteenMinutes = 15 * 60_000;

export function resolveOptions(options: IdentityOptions): ResolvedIdentityOptions {
  const resolved: ResolvedIdentityOptions = {
    issuer: options.issuer,
    audience: options.audience,
    signingKeys: options.signingKeys,
    accessTokenTtlSeconds: options.accessTokenTtlSeconds ?? 900,
    refreshTokenTtlSeconds: options.refreshTokenTtlSeconds ?? 30 * 24 * 3600,
    loginLimits: {
      perAccount: options.loginLimits?.perAccount ?? { max: 10, windowMs: fifteenMinutes },
      perIp: options.loginLimits?.perIp ?? { max: 50, windowMs: fifteenMinutes },
    },
    registrationLimit: options.registrationLimit ?? { max: 20, windowMs: 3_600_000 },
    profileCacheTtlMs: options.profileCacheTtlMs ?? 5 * 60_000,
    schema: options.schema ?? 'identity',
    passwordHashing: options.passwordHashing ?? {},
  };
  const positive: Array<[string, number]> = [
    ['accessTokenTtlSeconds', resolved.accessTokenTtlSeconds],
    ['refreshTokenTtlSeconds', resolved.refreshTokenTtlSeconds],
    ['loginLimits.perAccount.max', resolved.loginLimits.perAccount.max],
    ['loginLimits.perAccount.windowMs', resolved.loginLimits.perAccount.windowMs],
    ['loginLimits.perIp.max', resolved.loginLimits.perIp.max],
    ['loginLimits.perIp.windowMs', resolved.loginLimits.perIp.windowMs],
    ['registrationLimit.max', resolved.registrationLimit.max],
    ['registrationLimit.windowMs', resolved.registrationLimit.windowMs],
    ['profileCacheTtlMs', resolved.profileCacheTtlMs],
  ];
  const bad = positive.filter(([, value]) => !Number.isInteger(value) || value <= 0).map(([name]) => name);
  if (bad.length > 0) throw new Error(`identity options: must be positive integers: ${bad.join(', ')}`);
  if (!/^[a-z_][a-z0-9_]*$/.test(resolved.schema)) throw new Error('identity options: schema must be a lower-case SQL identifier');
  return resolved;
}
