import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';

/*
 * The calendar's one secret (CALENDAR_TOKEN_KEY, 32 random bytes) and what is derived from it:
 * - a key that encrypts OAuth tokens and PKCE verifiers at rest (AES-256-GCM), and
 * - a key that turns a booking id into its built-in meeting link (HMAC-SHA256).
 * Separate derived keys (HKDF), so neither use can be turned against the other.
 */

const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const VERSION = 'v1';

export interface CalendarSecrets {
  /** Ciphertext of `plain`, bound to `context` (e.g. the user id and field): it decrypts only there. */
  encrypt(plain: string, context: string): string;
  /** Throws when the ciphertext was altered, or belongs to another context or key. */
  decrypt(sealed: string, context: string): string;
  /** 24 bytes (192 bits) of HMAC-SHA256 of the booking id, base64url: unguessable without the key. */
  meetingToken(bookingId: string): string;
}

/** Parse CALENDAR_TOKEN_KEY: base64 (or base64url) of exactly 32 bytes. Throws a message naming what is wrong. */
export function parseTokenKey(text: string): Buffer {
  const trimmed = text.trim();
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(trimmed)) throw new Error('CALENDAR_TOKEN_KEY: must be base64 of 32 random bytes (openssl rand -base64 32)');
  const key = Buffer.from(trimmed.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  if (key.length !== KEY_BYTES) throw new Error(`CALENDAR_TOKEN_KEY: must decode to 32 bytes, got ${key.length} (openssl rand -base64 32)`);
  return key;
}

export function generateTokenKey(): string {
  return randomBytes(KEY_BYTES).toString('base64');
}

function derive(master: Buffer, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), `timeslot calendar ${purpose}`, KEY_BYTES));
}

export function createCalendarSecrets(master: Buffer): CalendarSecrets {
  if (master.length !== KEY_BYTES) throw new Error('the calendar key must be 32 bytes');
  const sealing = derive(master, 'tokens');
  const links = derive(master, 'meeting links');
  return {
    encrypt(plain, context) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', sealing, iv);
      cipher.setAAD(Buffer.from(context, 'utf8'));
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return [VERSION, iv.toString('base64url'), body.toString('base64url'), cipher.getAuthTag().toString('base64url')].join('.');
    },
    decrypt(sealed, context) {
      const [version, iv, body, tag] = sealed.split('.');
      if (version !== VERSION || iv === undefined || body === undefined || tag === undefined) throw new Error('not a sealed calendar secret');
      const decipher = createDecipheriv('aes-256-gcm', sealing, Buffer.from(iv, 'base64url'), { authTagLength: TAG_BYTES });
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
    },
    meetingToken(bookingId) {
      return createHmac('sha256', links).update(bookingId.toLowerCase()).digest().subarray(0, 24).toString('base64url');
    },
  };
}

function isErrno(error: unknown, code: string): boolean {
  return error instanceof Error && (error as NodeJS.ErrnoException).code === code;
}

/**
 * Embedded mode: the key kept in `filePath`, created on first start (mode 0600), the way identity
 * keeps its signing keys. A damaged file is an error, never a reason to make a new key: every
 * stored token would become unreadable.
 */
export async function loadOrCreateTokenKey(filePath: string): Promise<Buffer> {
  try {
    return parseTokenKey(await readFile(filePath, 'utf8'));
  } catch (error) {
    if (!isErrno(error, 'ENOENT')) throw new Error(`${filePath}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  await mkdir(path.dirname(filePath), { recursive: true, mode: 0o700 });
  const text = generateTokenKey();
  // Written whole under a temporary name, then linked into place: of two processes starting at
  // once one key wins, and nobody reads a half-written file.
  const temporary = `${filePath}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  await writeFile(temporary, `${text}\n`, { mode: 0o600, flag: 'wx' });
  try {
    await link(temporary, filePath);
  } catch (error) {
    if (!isErrno(error, 'EEXIST')) throw error;
    return parseTokenKey(await readFile(filePath, 'utf8'));
  } finally {
    await unlink(temporary);
  }
  return parseTokenKey(text);
}
