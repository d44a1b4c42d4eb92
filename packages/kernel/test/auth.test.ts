import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { AppError, createTokenVerifier } from '@timeslot/kernel';

const userId = '4f1c1b9e-3a2b-4c5d-8e9f-0a1b2c3d4e5f';

async function setup() {
  const { privateKey, publicKey } = await generateKeyPair('EdDSA');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'EdDSA' };
  let clock = Date.parse('2030-01-01T00:00:00Z');
  const verify = createTokenVerifier({ issuer: 'timeslot', audience: 'api', keys: createLocalJWKSet({ keys: [jwk] }), now: () => clock });
  const sign = (claims: Record<string, unknown>, expiresInSeconds: number) => {
    const iat = Math.floor(clock / 1000);
    return new SignJWT(claims).setProtectedHeader({ alg: 'EdDSA', kid: 'k1' }).setIssuer('timeslot').setAudience('api').setSubject(userId).setIssuedAt(iat).setExpirationTime(iat + expiresInSeconds).sign(privateKey);
  };
  return { verify, sign, advance: (ms: number) => (clock += ms) };
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'accepted';
  } catch (error) {
    return error instanceof AppError ? error.code : String(error);
  }
}

describe('createTokenVerifier', () => {
  it('accepts a valid token, then (from its cache) until exp, and refuses it after', async () => {
    const { verify, sign, advance } = await setup();
    const token = await sign({ role: 'client', jti: 't1' }, 60);
    expect(await verify(token)).toEqual({ userId, role: 'client', tokenId: 't1' });
    advance(59_000);
    expect(await verify(token)).toEqual({ userId, role: 'client', tokenId: 't1' });
    advance(10_000); // past exp and the 5 s clock tolerance
    expect(await codeOf(verify(token))).toBe('TOKEN_EXPIRED');
  });

  it('never caches a failure, and a changed byte is a different token', async () => {
    const { verify, sign } = await setup();
    const token = await sign({ role: 'client', jti: 't2' }, 60);
    await verify(token);
    // Change one character inside the signature (every bit of it counts there, unlike the last).
    const at = token.lastIndexOf('.') + 10;
    const tampered = `${token.slice(0, at)}${token[at] === 'A' ? 'B' : 'A'}${token.slice(at + 1)}`;
    expect(tampered).not.toBe(token);
    expect(await codeOf(verify(tampered))).toBe('INVALID_TOKEN');
    expect(await codeOf(verify(tampered))).toBe('INVALID_TOKEN');
  });

  it('refuses tokens whose claims are not ours', async () => {
    const { verify, sign } = await setup();
    expect(await codeOf(verify(await sign({ role: 'superuser', jti: 't3' }, 60)))).toBe('INVALID_TOKEN');
    expect(await codeOf(verify(await sign({ role: 'client' }, 60)))).toBe('INVALID_TOKEN');
  });
});
