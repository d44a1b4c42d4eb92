import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import type { Role } from '@timeslot/ports';
import { signingAlgorithm, type SigningKeys } from './signing-keys';

export interface AccessTokenOptions {
  readonly keys: SigningKeys;
  readonly issuer: string;
  readonly audience: string;
  readonly ttlSeconds: number;
}

export interface AccessToken {
  readonly token: string;
  /** Seconds until it expires, as OAuth's `expires_in`. */
  readonly expiresIn: number;
}

export type AccessTokenIssuer = (subject: { readonly id: string; readonly role: Role }) => Promise<AccessToken>;

/** Short-lived JWTs signed with the current key; the kid header tells verifiers which key. */
export function createAccessTokenIssuer(options: AccessTokenOptions): AccessTokenIssuer {
  return async (subject) => {
    const now = Math.floor(Date.now() / 1000);
    const key = options.keys.current;
    const token = await new SignJWT({ role: subject.role })
      .setProtectedHeader({ alg: signingAlgorithm, kid: key.kid, typ: 'JWT' })
      .setIssuer(options.issuer)
      .setAudience(options.audience)
      .setSubject(subject.id)
      .setJti(randomUUID())
      .setIssuedAt(now)
      .setNotBefore(now)
      .setExpirationTime(now + options.ttlSeconds)
      .sign(key.privateKey);
    return { token, expiresIn: options.ttlSeconds };
  };
}

/** An opaque refresh token: 256 random bits. Only its hash is stored. */
export function newRefreshToken(): string {
  return randomBytes(32).toString('base64url');
}

/** No salt needed: the token is random, so a lookup by hash is as good as by token. */
export function hashRefreshToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}
