import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCalendarSecrets, generateTokenKey, loadOrCreateTokenKey, parseTokenKey } from '../src/secrets';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'timeslot-calendar-key-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the calendar key', () => {
  it('is 32 bytes of base64, and a wrong one is refused with a message naming the variable', () => {
    expect(parseTokenKey(generateTokenKey())).toHaveLength(32);
    expect(() => parseTokenKey(randomBytes(16).toString('base64'))).toThrow(/CALENDAR_TOKEN_KEY: must decode to 32 bytes, got 16/);
    expect(() => parseTokenKey('not base64!')).toThrow(/CALENDAR_TOKEN_KEY/);
  });

  it('is made once under DATA_DIR (mode 0600) and read back the same; a damaged file is an error, not a new key', async () => {
    const file = path.join(dir, 'keys', 'calendar-token-key');
    const first = await loadOrCreateTokenKey(file);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await loadOrCreateTokenKey(file)).equals(first)).toBe(true);
    await writeFile(file, 'garbage');
    await expect(loadOrCreateTokenKey(file)).rejects.toThrow(/calendar-token-key/);
    expect(await readFile(file, 'utf8')).toBe('garbage');
  });

  it('seals secrets so that a changed byte, another context or another key cannot open them', () => {
    const secrets = createCalendarSecrets(randomBytes(32));
    const sealed = secrets.encrypt('1//refresh-token', 'google:u1:refresh_token');
    expect(sealed).not.toContain('refresh-token');
    expect(secrets.encrypt('1//refresh-token', 'google:u1:refresh_token')).not.toBe(sealed);
    expect(secrets.decrypt(sealed, 'google:u1:refresh_token')).toBe('1//refresh-token');
    expect(() => secrets.decrypt(sealed, 'google:u2:refresh_token')).toThrow();
    expect(() => createCalendarSecrets(randomBytes(32)).decrypt(sealed, 'google:u1:refresh_token')).toThrow();
    const parts = sealed.split('.');
    const body = Buffer.from(parts[2]!, 'base64url');
    body[0] = body[0]! ^ 1;
    expect(() => secrets.decrypt([parts[0], parts[1], body.toString('base64url'), parts[3]].join('.'), 'google:u1:refresh_token')).toThrow();
  });

  it('turns a booking id into a meeting token that depends on the key', () => {
    const key = randomBytes(32);
    const id = '0f8fad5b-d9cb-469f-a165-70867728950e';
    expect(createCalendarSecrets(key).meetingToken(id)).toBe(createCalendarSecrets(key).meetingToken(id));
    expect(createCalendarSecrets(randomBytes(32)).meetingToken(id)).not.toBe(createCalendarSecrets(key).meetingToken(id));
  });
});
