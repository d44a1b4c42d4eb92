import type { FastifyInstance, FastifyRequest } from 'fastify';
import { errors as joseErrors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { LRUCache } from 'lru-cache';
import { z } from 'zod';
import { accountStatusCacheKey, isAccountStatus, roles, withTimeout, type AccountStatus, type Cache, type Identity, type Role } from '@timeslot/ports';
import { commonErrors } from './errors';
import type { Logger } from './logger';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set from a verified bearer token; null when the request carries none. */
    identity: Identity | null;
  }
  interface FastifyContextConfig {
    /**
     * Also accept the access token as `?access_token=` when no Authorization header is sent: only
     * for routes a browser opens without setting headers (EventSource). The request log records
     * paths without their query, so the token is never logged.
     */
    accessTokenInQuery?: boolean;
  }
}

export interface TokenVerifierOptions {
  readonly issuer: string;
  readonly audience: string;
  /** Where keys come from: identity's local key set, or `createRemoteJWKSet` over its JWKS URL. */
  readonly keys: JWTVerifyGetKey;
  /** Pinned algorithms; nothing else is accepted (never "none"). */
  readonly algorithms?: readonly string[];
  readonly clockToleranceSeconds?: number;
  /** Verified tokens remembered per process (default 10 000; 0 turns the cache off). */
  readonly cacheSize?: number;
  /** The clock, in ms since the epoch (tests move it). */
  readonly now?: () => number;
  /**
   * Asked on every request, after the signature (cached or not): throws when the token's account
   * was disabled since (see createAccountStatusCheck). Without it tokens are purely stateless.
   */
  readonly accountStatus?: AccountStatusCheck;
}

export type TokenVerifier = (token: string) => Promise<Identity>;

const claimsSchema = z.object({
  sub: z.uuid(),
  role: z.enum(roles),
  jti: z.string().min(1),
});

/**
 * Verify an access token: signature with a pinned algorithm, iss, aud, exp, nbf and our claims,
 * then, when `accountStatus` is given, that its account has not been disabled since.
 *
 * A token that verified is remembered until it expires, keyed by its exact text: a client sends
 * the same token with every request for 15 minutes, and a signature check costs far more than the
 * rest of a cached read. Nothing is lost by it: the account-status check runs on every call, hit
 * or not, a changed byte is a different key, and a failure is never cached. One consequence to
 * know: a key removed from the JWKS stops verifying new tokens at once, but tokens this process
 * already verified with it stay accepted until they expire.
 */
export function createTokenVerifier(options: TokenVerifierOptions): TokenVerifier {
  const algorithms = [...(options.algorithms ?? ['EdDSA'])];
  const cacheSize = options.cacheSize ?? 10_000;
  const now = options.now ?? Date.now;
  const verified = cacheSize > 0 ? new LRUCache<string, VerifiedToken>({ max: cacheSize }) : undefined;
  const accountStatus = options.accountStatus;
  return async (token) => {
    const known = verified?.get(token);
    if (known !== undefined && known.expiresAt <= now()) verified?.delete(token);
    const checked = known !== undefined && known.expiresAt > now() ? known : await verifySignature(token);
    if (accountStatus !== undefined) await accountStatus(checked.identity.userId, checked.issuedAt);
    return checked.identity;
  };

  async function verifySignature(token: string): Promise<VerifiedToken> {
    try {
      const { payload } = await jwtVerify(token, options.keys, {
        currentDate: new Date(now()),
        issuer: options.issuer,
        audience: options.audience,
        algorithms,
        clockTolerance: options.clockToleranceSeconds ?? 5,
        requiredClaims: ['exp', 'iat', 'sub', 'jti'],
      });
      const claims = claimsSchema.safeParse(payload);
      if (!claims.success) throw commonErrors.invalidToken('The access token lacks required claims.');
      const identity: Identity = { userId: claims.data.sub, role: claims.data.role, tokenId: claims.data.jti };
      // jwtVerify has required and checked exp and iat; past exp, a hit above falls through to here.
      const entry = { identity, issuedAt: payload.iat ?? 0, expiresAt: (payload.exp ?? 0) * 1000 };
      verified?.set(token, entry);
      return entry;
    } catch (error) {
      if (error instanceof joseErrors.JWTExpired) throw commonErrors.tokenExpired();
      if (error instanceof joseErrors.JOSEError || error instanceof TypeError) throw commonErrors.invalidToken();
      throw error;
    }
  }
}

interface VerifiedToken {
  readonly identity: Identity;
  /** The token's iat, in seconds. */
  readonly issuedAt: number;
  /** The token's exp, in ms. */
  readonly expiresAt: number;
}

/** Throws TOKEN_REVOKED when the account's status refuses a token issued at `issuedAt` (seconds). */
export type AccountStatusCheck = (userId: string, issuedAt: number) => Promise<void>;

export interface AccountStatusCheckOptions {
  /** The shared cache identity writes account statuses into (Redis in distributed mode). */
  readonly cache: Cache;
  readonly logger: Logger;
  /** How long this process trusts what it read about one account (default 2 000 ms). */
  readonly memoMs?: number;
  /** A cache read slower than this counts as a failed one (default 500 ms). */
  readonly timeoutMs?: number;
  /** Accounts remembered per process (default 100 000). */
  readonly memoSize?: number;
  readonly now?: () => number;
}

/**
 * The "has this account been disabled" check every process runs on every authenticated request.
 *
 * One cache read per account per `memoMs` per process, not one per request: the answer, found or
 * not, is remembered that long, and concurrent requests of one account share one read. So a
 * disabled account's tokens are refused everywhere within about `memoMs` of identity writing its
 * status. When the cache cannot be read (Redis down, or slower than `timeoutMs`) the check fails
 * OPEN: the token is accepted and the failure logged (at most every 10 s). Refusing every request
 * of every user during a cache outage would turn it into a full outage; the exposure is bounded by
 * the access-token lifetime, and identity, which reads its database, still refuses the account's
 * login and refresh.
 */
export function createAccountStatusCheck(options: AccountStatusCheckOptions): AccountStatusCheck {
  const memoMs = options.memoMs ?? 2_000;
  const timeoutMs = options.timeoutMs ?? 500;
  const now = options.now ?? Date.now;
  const memo = new LRUCache<string, { status: AccountStatus | undefined; until: number }>({ max: options.memoSize ?? 100_000 });
  const reads = new Map<string, Promise<AccountStatus | undefined>>();
  let lastWarning = -Infinity;

  async function read(userId: string): Promise<AccountStatus | undefined> {
    let status: AccountStatus | undefined;
    try {
      const value = await withTimeout(options.cache.get<unknown>(accountStatusCacheKey(userId)), timeoutMs, `account-status read took over ${timeoutMs} ms`);
      status = isAccountStatus(value) ? value : undefined;
    } catch (error) {
      if (now() - lastWarning >= 10_000) {
        lastWarning = now();
        options.logger.warn({ err: error }, 'account-status cache unreadable: accepting tokens without the disabled-account check');
      }
    }
    memo.set(userId, { status, until: now() + memoMs });
    return status;
  }

  function lookup(userId: string): Promise<AccountStatus | undefined> {
    const known = memo.get(userId);
    if (known !== undefined && known.until > now()) return Promise.resolve(known.status);
    let pending = reads.get(userId);
    if (pending === undefined) {
      pending = read(userId).finally(() => reads.delete(userId));
      reads.set(userId, pending);
    }
    return pending;
  }

  return async (userId, issuedAt) => {
    const status = await lookup(userId);
    if (status === undefined) return;
    if (status.state === 'disabled' || issuedAt < status.notBefore) throw commonErrors.tokenRevoked();
  };
}

/**
 * Decorate every request with `identity`, from the bearer token when there is one. A token that is
 * present but invalid is refused (401) even on public routes: a client should learn its token is
 * bad. Identity headers (x-user-id …) are never read here: only a verified token counts.
 */
export function installAuth(app: FastifyInstance, verify: TokenVerifier): void {
  app.decorateRequest('identity', null);
  app.addHook('onRequest', async (request) => {
    const header = request.headers.authorization;
    if (header === undefined || header === '') {
      const token = request.routeOptions.config.accessTokenInQuery === true ? (request.query as Record<string, unknown> | undefined)?.access_token : undefined;
      if (typeof token === 'string' && token !== '') request.identity = await verify(token);
      return;
    }
    const match = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/.exec(header);
    if (!match?.[1]) throw commonErrors.invalidToken('The Authorization header must be "Bearer <token>".');
    request.identity = await verify(match[1]);
  });
}

/** The caller, or 401. */
export function requireIdentity(request: FastifyRequest): Identity {
  if (request.identity === null) throw commonErrors.unauthenticated();
  return request.identity;
}

/** The caller when they hold one of `allowed` roles; 401 without a token, 403 with another role. */
export function requireRole(request: FastifyRequest, ...allowed: readonly Role[]): Identity {
  const identity = requireIdentity(request);
  if (!allowed.includes(identity.role)) throw commonErrors.forbidden();
  return identity;
}
