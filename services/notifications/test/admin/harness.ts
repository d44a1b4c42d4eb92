import { randomUUID } from 'node:crypto';
import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT } from 'jose';
import { createLogger, createTokenVerifier, type TokenVerifier } from '@timeslot/kernel';
import type { Role } from '@timeslot/ports';

export const silentLogger = createLogger({ level: 'silent' });

const issuer = 'https://identity.test';
const audience = 'timeslot-test';

export interface TestKeys {
  readonly verify: TokenVerifier;
  /** An access token signed as identity signs them; `expiresInSeconds` may be negative (expired). */
  sign(role: Role, options?: { expiresInSeconds?: number }): Promise<string>;
}

/** A local Ed25519 key, as identity publishes it in its JWKS, and the real verifier over it. */
export async function createTestKeys(): Promise<TestKeys> {
  const { privateKey, publicKey } = await generateKeyPair('EdDSA');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'test-key', alg: 'EdDSA', use: 'sig' };
  return {
    verify: createTokenVerifier({ issuer, audience, keys: createLocalJWKSet({ keys: [jwk] }), clockToleranceSeconds: 0 }),
    async sign(role, options = {}) {
      const now = Math.floor(Date.now() / 1000);
      const expiresIn = options.expiresInSeconds ?? 300;
      return new SignJWT({ role })
        .setProtectedHeader({ alg: 'EdDSA', kid: 'test-key' })
        .setIssuer(issuer)
        .setAudience(audience)
        .setSubject(randomUUID())
        .setJti(randomUUID())
        .setIssuedAt(expiresIn > 0 ? now : now + expiresIn - 60)
        .setExpirationTime(now + expiresIn)
        .sign(privateKey);
    },
  };
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
