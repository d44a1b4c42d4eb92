import { randomBytes } from 'node:crypto';
import * as argon2 from 'argon2';

/** OWASP's Argon2id recommendation (19 MiB, 2 passes, 1 lane): about 30 ms per hash here. */
export const passwordHashOptions = {
  type: argon2.argon2id,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
} as const;

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, passwordHashOptions);
}

/** False for a wrong password and for a malformed hash alike: callers only learn "no". */
export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}

/** Whether a stored hash was made with weaker parameters than today's and should be replaced. */
export function needsRehash(hash: string): boolean {
  try {
    return argon2.needsRehash(hash, passwordHashOptions);
  } catch {
    return false;
  }
}

/**
 * A hash of a random password nobody knows, made with today's parameters. Login verifies against
 * it when the email is unknown, so that answer takes as long as a wrong password for a real user.
 */
export function createDummyHash(): Promise<string> {
  return hashPassword(randomBytes(32).toString('base64url'));
}
