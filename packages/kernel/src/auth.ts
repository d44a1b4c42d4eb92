import type { FastifyInstance, FastifyRequest } from 'fastify';
import { errors as joseErrors, jwtVerify, type JWTVerifyGetKey } from 'jose';
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
}

export type TokenVerifier = (token: string) => Promise<Identity>;

const claimsSchema = z.object({
  sub: z.uuid(),
  role: z.enum(roles),
  jti: z.string().min(1),
});

/** Verify an access token: signature with a pinned algorithm, iss, aud, exp, nbf and our claims. */
export function createTokenVerifier(options: TokenVerifierOptions): TokenVerifier {
  const algorithms = [...(options.algorithms ?? ['EdDSA'])];
  return async (token) => {
    try {
      const { payload } = await jwtVerify(token, options.keys, {
        issuer: options.issuer,
        audience: options.audience,
        algorithms,
        clockTolerance: options.clockToleranceSeconds ?? 5,
        requiredClaims: ['exp', 'iat', 'sub', 'jti'],
      });
      const claims = claimsSchema.safeParse(payload);
      if (!claims.success) throw commonErrors.invalidToken('The access token lacks required claims.');
      return { userId: claims.data.sub, role: claims.data.role, tokenId: claims.data.jti };
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
