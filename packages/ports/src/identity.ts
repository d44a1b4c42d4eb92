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
 * Milliseconds the caller will still wait for this request, set by the gateway on every upstream
 * attempt (its own remaining timeout less a margin, or a client's shorter value). A service gives
 * up on work whose deadline has passed instead of committing it after the gateway answered 504.
 */
export const requestTimeoutHeader = 'x-request-timeout-ms';
