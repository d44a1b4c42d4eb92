import { randomBytes } from 'node:crypto';
import { hash, verify, type Algorithm } from '@node-rs/argon2';

// The package declares its Algorithm enum `const`, which isolated modules cannot read: Argon2id is 2.
const argon2id = 2 as Algorithm.Argon2id;

/**
 * OWASP's Argon2id recommendation (19 MiB, 2 passes, 1 lane): about 20 ms per hash here.
 * @node-rs/argon2 (Rust, N-API) hashes about 1.5 times faster than the node-gyp `argon2` package
 * with the same parameters; both read and write the standard PHC string
 * (`$argon2id$v=19$m=19456,t=2,p=1$salt$hash`), so hashes stored by either verify with either.
 */
export const passwordHashOptions = {
  algorithm: argon2id,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
} as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, passwordHashOptions);
}

/** False for a wrong password and for a malformed hash alike: callers only learn "no". */
export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  try {
    return await verify(stored, password);
  } catch {
    return false;
  }
}

const phc = /^\$(argon2(?:id|i|d))\$v=(\d+)\$m=(\d+),t=(\d+),p=(\d+)\$/;

/**
 * Whether a stored hash was made with other parameters than today's (another variant, version,
 * memory, passes or lanes) and should be replaced. A string that is not an Argon2 PHC hash is left
 * alone (false): it cannot verify, so there is never a password to rehash it with.
 */
export function needsRehash(stored: string): boolean {
  const match = phc.exec(stored);
  if (match === null) return false;
  const [, variant, version, memory, passes, lanes] = match;
  return (
    variant !== 'argon2id' ||
    Number(version) !== 19 ||
    Number(memory) !== passwordHashOptions.memoryCost ||
    Number(passes) !== passwordHashOptions.timeCost ||
    Number(lanes) !== passwordHashOptions.parallelism
  );
}

/**
 * A hash of a random password nobody knows, made with today's parameters. Login verifies against
 * it when the email is unknown, so that answer takes as long as a wrong password for a real user.
 */
export function createDummyHash(): Promise<string> {
  return hashPassword(randomBytes(32).toString('base64url'));
}
