import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, SignJWT } from 'jose';
import { randomUUID } from 'node:crypto';
import { generateSigningKeysJson, loadOrCreateSigningKeys, signingKeysFromJwks, type SigningKeys } from '../src/index';
import { audience, createHarness, issuer, registered, type Harness } from './harness';

let dir: string;
let h: Harness;
let keys: SigningKeys;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'identity-keys-'));
  // Two keys: the first signs, the second is an older one still published for verification.
  const older = await generateSigningKeysJson();
  keys = signingKeysFromJwks(await generateSigningKeysJson(older));
  h = await createHarness({ options: { signingKeys: keys } });
});

afterAll(async () => {
  await h.close();
  await rm(dir, { recursive: true, force: true });
});

describe('GET /.well-known/jwks.json', () => {
  it('publishes every public key, no private part, cacheable for 5 minutes', async () => {
    const response = await h.app.inject({ method: 'GET', url: '/.well-known/jwks.json' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).toBe('public, max-age=300');
    const body = response.json<{ keys: Array<Record<string, string>> }>();
    expect(body.keys).toHaveLength(2);
    expect(body.keys.map((k) => k.kid)).toEqual(keys.keys.map((k) => k.kid));
    for (const key of body.keys) {
      expect(Object.keys(key).sort()).toEqual(['alg', 'crv', 'kid', 'kty', 'use', 'x']);
      expect(key).toMatchObject({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', use: 'sig' });
    }
  });

  it('verifies access tokens, which are signed by the first key with the agreed claims', async () => {
    const session = await registered(h.app, { role: 'provider' });
    const jwks = (await h.app.inject({ method: 'GET', url: '/.well-known/jwks.json' })).json();
    const { payload, protectedHeader } = await jwtVerify(session.accessToken, createLocalJWKSet(jwks), {
      issuer,
      audience,
      algorithms: ['EdDSA'],
    });
    expect(protectedHeader).toMatchObject({ alg: 'EdDSA', kid: keys.current.kid, typ: 'JWT' });
    expect(payload).toMatchObject({ iss: issuer, aud: audience, sub: session.user.id, role: 'provider' });
    expect(payload.jti).toEqual(expect.any(String));
    expect(payload.nbf).toBe(payload.iat);
    expect(payload.exp! - payload.iat!).toBe(900);
    expect(Math.abs(payload.iat! - Date.now() / 1000)).toBeLessThan(5);
  });

  it('still accepts tokens signed by the second (older) key', async () => {
    const session = await registered(h.app);
    const old = keys.keys[1]!;
    const token = await new SignJWT({ role: 'client' })
      .setProtectedHeader({ alg: 'EdDSA', kid: old.kid })
      .setIssuer(issuer)
      .setAudience(audience)
      .setSubject(session.user.id)
      .setJti(randomUUID())
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(old.privateKey);
    const me = await h.app.inject({ method: 'GET', url: '/api/v1/users/me', headers: { authorization: `Bearer ${token}` } });
    expect(me.statusCode).toBe(200);
    expect(decodeProtectedHeader(session.accessToken).kid).toBe(keys.keys[0]!.kid);
  });
});

describe('loadOrCreateSigningKeys (embedded mode)', () => {
  it('creates the key file with mode 0600 and its missing parent folders, then reuses it', async () => {
    const file = path.join(dir, 'nested', 'keys', 'identity.json');
    const first = await loadOrCreateSigningKeys(file);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const stored = JSON.parse(await readFile(file, 'utf8'));
    expect(stored.keys).toHaveLength(1);
    expect(stored.keys[0]).toMatchObject({ kty: 'OKP', crv: 'Ed25519', kid: first.current.kid, d: expect.any(String) });

    const second = await loadOrCreateSigningKeys(file);
    expect(second.current.kid).toBe(first.current.kid);
    expect(second.current.publicJwk).toEqual(first.current.publicJwk);
  });

  it('gives concurrent first starts one key', async () => {
    const file = path.join(dir, 'race', 'identity.json');
    const results = await Promise.all([loadOrCreateSigningKeys(file), loadOrCreateSigningKeys(file), loadOrCreateSigningKeys(file)]);
    expect(new Set(results.map((r) => r.current.kid)).size).toBe(1);
  });

  it('refuses a damaged file instead of replacing the key', async () => {
    const file = path.join(dir, 'damaged.json');
    await writeFile(file, '{"keys": [', { mode: 0o600 });
    await expect(loadOrCreateSigningKeys(file)).rejects.toThrow(/not valid JSON/);
    expect(await readFile(file, 'utf8')).toBe('{"keys": [');
  });
});

describe('signingKeysFromJwks (distributed mode)', () => {
  it('keeps the order: the first key signs, all keys are published', async () => {
    const set = JSON.parse(await generateSigningKeysJson(await generateSigningKeysJson())) as { keys: Array<{ kid: string }> };
    const parsed = signingKeysFromJwks(JSON.stringify(set));
    expect(parsed.keys.map((k) => k.kid)).toEqual(set.keys.map((k) => k.kid));
    expect(parsed.current.kid).toBe(set.keys[0]!.kid);
  });

  it('derives a kid when none is given', async () => {
    const set = JSON.parse(await generateSigningKeysJson());
    const { kid, ...withoutKid } = set.keys[0];
    expect(signingKeysFromJwks(JSON.stringify({ keys: [withoutKid] })).current.kid).toBe(kid);
  });

  it.each([
    ['not JSON', 'nope', /not valid JSON/],
    ['an empty set', '{"keys":[]}', /Ed25519 private JWKs/],
    ['a public key only', '{"keys":[{"kty":"OKP","crv":"Ed25519","x":"abc"}]}', /Ed25519 private JWKs/],
    ['an RSA key', '{"keys":[{"kty":"RSA","n":"x","e":"AQAB","d":"y"}]}', /Ed25519 private JWKs/],
  ])('refuses %s', (_label, json, message) => {
    expect(() => signingKeysFromJwks(json)).toThrow(message);
  });

  it('refuses a key whose public part does not match its private part', async () => {
    const a = JSON.parse(await generateSigningKeysJson()).keys[0];
    const b = JSON.parse(await generateSigningKeysJson()).keys[0];
    expect(() => signingKeysFromJwks(JSON.stringify({ keys: [{ ...a, x: b.x }] }))).toThrow(/not the public key/);
  });

  it('refuses two keys with one kid', async () => {
    const a = JSON.parse(await generateSigningKeysJson()).keys[0];
    const b = JSON.parse(await generateSigningKeysJson()).keys[0];
    expect(() => signingKeysFromJwks(JSON.stringify({ keys: [a, { ...b, kid: a.kid }] }))).toThrow(/share a kid/);
  });

  it('never puts key material in its error messages', async () => {
    const a = JSON.parse(await generateSigningKeysJson()).keys[0];
    try {
      signingKeysFromJwks(JSON.stringify({ keys: [{ ...a, crv: 'X25519' }] }));
      expect.unreachable();
    } catch (error) {
      expect(String(error)).not.toContain(a.d);
    }
  });
});
