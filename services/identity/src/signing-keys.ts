import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createLocalJWKSet, type JWK, type JWTVerifyGetKey } from 'jose';
import { z } from 'zod';

/** The only algorithm identity signs with; verifiers pin it too. */
export const signingAlgorithm = 'EdDSA' as const;

/** A public Ed25519 key as the JWKS publishes it. */
export interface PublicJwk extends JWK {
  readonly kty: 'OKP';
  readonly crv: 'Ed25519';
  readonly x: string;
  readonly kid: string;
  readonly alg: typeof signingAlgorithm;
  readonly use: 'sig';
}

export interface SigningKey {
  readonly kid: string;
  readonly privateKey: KeyObject;
  readonly publicJwk: PublicJwk;
}

/**
 * Identity's key set. `current` signs every new token; `keys` (current first) are all published in
 * the JWKS, so tokens signed by a key being rotated out keep verifying until they expire.
 */
export interface SigningKeys {
  readonly current: SigningKey;
  readonly keys: readonly SigningKey[];
}

const base64url = z.string().regex(/^[A-Za-z0-9_-]+$/, 'must be base64url');

const privateJwkSchema = z.object({
  kty: z.literal('OKP'),
  crv: z.literal('Ed25519'),
  x: base64url,
  d: base64url,
  kid: z.string().min(1).max(200).optional(),
  alg: z.literal(signingAlgorithm).optional(),
});

const privateJwkSetSchema = z.object({ keys: z.array(privateJwkSchema).min(1) });

type PrivateJwk = z.infer<typeof privateJwkSchema>;

/** RFC 7638 thumbprint: a kid that is stable for a key and says nothing about it. */
function thumbprint(jwk: { crv: string; kty: string; x: string }): string {
  const canonical = JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x });
  return createHash('sha256').update(canonical).digest('base64url');
}

function toSigningKey(jwk: PrivateJwk, index: number): SigningKey {
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey({ key: { kty: jwk.kty, crv: jwk.crv, x: jwk.x, d: jwk.d }, format: 'jwk' });
  } catch (error) {
    throw new Error(`signing key ${index}: not a valid Ed25519 private key`, { cause: error });
  }
  // A JWK whose x does not belong to its d would sign tokens that no verifier accepts.
  const derived = createPublicKey(privateKey).export({ format: 'jwk' });
  if (derived.x !== jwk.x) throw new Error(`signing key ${index}: "x" is not the public key of "d"`);
  const kid = jwk.kid ?? thumbprint(jwk);
  return { kid, privateKey, publicJwk: { kty: 'OKP', crv: 'Ed25519', x: jwk.x, kid, alg: signingAlgorithm, use: 'sig' } };
}

/**
 * Parse a private JWK set (the SIGNING_KEYS setting of distributed mode). The first key signs;
 * the others only verify. Throws an Error naming what is wrong; the message never contains key
 * material.
 */
export function signingKeysFromJwks(json: string): SigningKeys {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    throw new Error('signing keys: not valid JSON (expected a JWK set: {"keys":[...]})');
  }
  const result = privateJwkSetSchema.safeParse(parsed);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
    throw new Error(`signing keys: expected a set of Ed25519 private JWKs (${problems.join('; ')})`);
  }
  const keys = result.data.keys.map(toSigningKey);
  const kids = new Set(keys.map((k) => k.kid));
  if (kids.size !== keys.length) throw new Error('signing keys: two keys share a kid');
  const [current] = keys;
  if (current === undefined) throw new Error('signing keys: the set is empty');
  return { current, keys };
}

function newPrivateJwk(): PrivateJwk & { kid: string; alg: typeof signingAlgorithm } {
  const { privateKey } = generateKeyPairSync('ed25519');
  const jwk = privateKey.export({ format: 'jwk' });
  if (jwk.x === undefined || jwk.d === undefined) throw new Error('Ed25519 key export lacks x or d');
  const base = { kty: 'OKP' as const, crv: 'Ed25519' as const, x: jwk.x, d: jwk.d };
  return { ...base, kid: thumbprint(base), alg: signingAlgorithm };
}

/**
 * A new private JWK set for SIGNING_KEYS, as JSON. Given the current value, the new key is put
 * first (it signs from the next deploy on) and the old ones are kept after it (they still verify
 * tokens issued before); drop them once those tokens have expired.
 */
export async function generateSigningKeysJson(previous?: string): Promise<string> {
  const kept = previous === undefined ? [] : privateJwkSetSchema.parse(JSON.parse(previous)).keys;
  return JSON.stringify({ keys: [newPrivateJwk(), ...kept] });
}

function keysFromFile(filePath: string, text: string): SigningKeys {
  try {
    return signingKeysFromJwks(text);
  } catch (error) {
    throw new Error(`${filePath}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}

function isErrno(error: unknown, code: string): boolean {
  return error instanceof Error && (error as NodeJS.ErrnoException).code === code;
}

/**
 * Embedded mode: read the key set kept in `filePath`, or create it on first start (one new key,
 * file mode 0600, parent directories created), so tokens survive restarts without any setup.
 */
export async function loadOrCreateSigningKeys(filePath: string): Promise<SigningKeys> {
  let existing: string | undefined;
  try {
    existing = await readFile(filePath, 'utf8');
  } catch (error) {
    if (!isErrno(error, 'ENOENT')) throw error;
  }
  // A damaged file is an error, never a reason to make a new key: that would sign everyone out.
  if (existing !== undefined) return keysFromFile(filePath, existing);
  await mkdir(path.dirname(filePath), { recursive: true, mode: 0o700 });
  const json = JSON.stringify({ keys: [newPrivateJwk()] });
  // Written in full under a temporary name, then linked into place: link() fails if the file
  // exists, so of two processes starting at once one key wins, and nobody reads a half-written file.
  const temporary = `${filePath}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  await writeFile(temporary, `${json}\n`, { mode: 0o600, flag: 'wx' });
  try {
    await link(temporary, filePath);
  } catch (error) {
    if (!isErrno(error, 'EEXIST')) throw error;
    return keysFromFile(filePath, await readFile(filePath, 'utf8'));
  } finally {
    await unlink(temporary);
  }
  return signingKeysFromJwks(json);
}

/** The public JWK set served at /.well-known/jwks.json. */
export function publicJwks(keys: SigningKeys): { keys: PublicJwk[] } {
  return { keys: keys.keys.map((k) => ({ ...k.publicJwk })) };
}

/** A jose key resolver over the public keys, so this process verifies tokens without HTTP. */
export function localKeyResolver(keys: SigningKeys): JWTVerifyGetKey {
  return createLocalJWKSet(publicJwks(keys));
}
