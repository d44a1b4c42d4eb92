import type { FastifyInstance, FastifyRequest } from 'fastify';
import { errors as joseErrors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { LRUCache } from 'lru-cache';
import { z } from 'zod';
import { roles, type Identity, type Role } from '@timeslot/ports';
import { commonErrors } from './errors';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set from a verified bearer token; null when the request carries none. */
    identity: Identity | null;
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
}

export type TokenVerifier = (token: string) => Promise<Identity>;

const claimsSchema = z.object({
  sub: z.uuid(),
  role: z.enum(roles),
  jti: z.string().min(1),
});

/**
 * Verify an access token: signature with a pinned algorithm, iss, aud, exp, nbf and our claims.
 *
 * A token that verified is remembered until it expires, keyed by its exact text: a client sends
 * the same token with every request for 15 minutes, and a signature check costs far more than the
 * rest of a cached read. Nothing is lost by it: access tokens are stateless (there is no
 * revocation list to consult), a changed byte is a different key, and a failure is never cached.
 * One consequence to know: a key removed from the JWKS stops verifying new tokens at once, but
 * tokens this process already verified with it stay accepted until they expire.
 */
export function createTokenVerifier(options: TokenVerifierOptions): TokenVerifier {
  const algorithms = [...(options.algorithms ?? ['EdDSA'])];
  const cacheSize = options.cacheSize ?? 10_000;
  const now = options.now ?? Date.now;
  const verified = cacheSize > 0 ? new LRUCache<string, { identity: Identity; expiresAt: number }>({ max: cacheSize }) : undefined;
  return async (token) => {
    const known = verified?.get(token);
    if (known !== undefined) {
      if (known.expiresAt > now()) return known.identity;
      verified?.delete(token);
    }
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
      // jwtVerify has required and checked exp; past it, the hit above falls through to here.
      verified?.set(token, { identity, expiresAt: (payload.exp ?? 0) * 1000 });
      return identity;
    } catch (error) {
      if (error instanceof joseErrors.JWTExpired) throw commonErrors.tokenExpired();
      if (error instanceof joseErrors.JOSEError || error instanceof TypeError) throw commonErrors.invalidToken();
      throw error;
    }
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
    if (header === undefined || header === '') return;
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
