export const roles = ['client', 'provider', 'admin'] as const;
export type Role = (typeof roles)[number];

/** Who is calling, as proven by a verified access token. */
export interface Identity {
  readonly userId: string;
  readonly role: Role;
  /** The token's jti, for logs. */
  readonly tokenId: string;
}

/**
 * Headers the gateway sets after verifying the access token, for logs and upstream convenience.
 * The gateway strips them from every client request. Services never authorise from them: they
 * verify the bearer token themselves (see docs/architecture.md, "Identity at the service edge").
 */
export const identityHeaders = {
  userId: 'x-user-id',
  role: 'x-user-role',
  tokenId: 'x-token-id',
} as const;

export const requestIdHeader = 'x-request-id';

/**
 * The account-status list: what identity tells every process about accounts whose access tokens
 * must be refused before they expire. Identity writes an entry into the shared Cache (Redis in
 * distributed mode) when an administrator disables or re-enables an account; every process's
 * token verifier reads it (see createAccountStatusCheck in the kernel). Entries live at least one
 * access-token lifetime, after which every token they could concern has expired anyway.
 */
export const accountStatusCacheKey = (userId: string): string => `auth:account-status:${userId}`;

export type AccountStatus =
  /** Every token of the account is refused. */
  | { readonly state: 'disabled' }
  /**
   * Re-enabled, or signed out everywhere: tokens issued before `notBefore` (seconds since the
   * epoch, a token's `iat` unit) stay refused, so enabling an account does not bring back the
   * sessions disabling ended, and sign-out-everywhere ends every session of the account.
   */
  | { readonly state: 'enabled'; readonly notBefore: number };

export function isAccountStatus(value: unknown): value is AccountStatus {
  if (typeof value !== 'object' || value === null) return false;
  const entry = value as Record<string, unknown>;
  return entry.state === 'disabled' || (entry.state === 'enabled' && typeof entry.notBefore === 'number');
}

/**
 * Milliseconds the caller will still wait for this request, set by the gateway on every upstream
 * attempt (its own remaining timeout less a margin, or a client's shorter value). A service gives
 * up on work whose deadline has passed instead of committing it after the gateway answered 504.
 */
export const requestTimeoutHeader = 'x-request-timeout-ms';
