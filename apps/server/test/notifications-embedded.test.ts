import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { simpleParser } from 'mailparser';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '@timeslot/kernel';
import { eventually } from '@timeslot/ports/contracts/wait';
import { freePort, repoRoot } from '@timeslot/testing';
import { buildTimeslot, type Timeslot } from '../src/app';
import { configSchema, serviceNames } from '../src/config';

/*
 * Notifications end to end in the embedded app (every service in one process, PGlite, the
 * in-process bus and queue), over real sockets: a client registers, books a free video
 * consultation, and their inbox, live stream and email tell them so, on their own wall clock,
 * with the meeting link.
 */

const logger = createLogger({ level: 'silent' });
const password = 'correct horse battery';
const webIndex = '<!doctype html><title>Timeslot</title><script type="module" src="/assets/app-1a2b3c.js"></script>\n';
let dataDir: string;
let timeslot: Timeslot;
let base: string;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'timeslot-notifications-'));
  // A stand-in for the web app's build, served by the same process (see the last test).
  await mkdir(path.join(dataDir, 'web', 'assets'), { recursive: true });
  await writeFile(path.join(dataDir, 'web', 'index.html'), webIndex);
  await writeFile(path.join(dataDir, 'web', 'assets', 'app-1a2b3c.js'), 'export {};\n');
  const config = configSchema.parse({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', PORT: String(await freePort()), WEB_ROOT: path.join(dataDir, 'web') });
  timeslot = await buildTimeslot({ config, mode: 'embedded', services: [...serviceNames], logger });
  await timeslot.migrate();
  base = await timeslot.listen();
}, 60_000);

afterAll(async () => {
  await timeslot?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

async function call<T = Record<string, any>>(method: string, url: string, options: { token?: string; body?: unknown } = {}): Promise<{ status: number; body: T }> {
  const headers: Record<string, string> = {};
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  const response = await fetch(`${base}${url}`, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
  return { status: response.status, body: (await response.json()) as T };
}

async function register(role: 'client' | 'provider', name: string, extra: Record<string, string> = {}): Promise<string> {
  const answer = await call<{ accessToken: string }>('POST', '/api/v1/auth/register', {
    body: { email: `${name.toLowerCase()}@example.com`, password, name, role, ...extra },
  });
  expect(answer.status).toBe(201);
  return answer.body.accessToken;
}

/** Reads a live stream until a frame carrying `kind` arrives. */
async function nextNotification(response: Response, kind: string): Promise<Record<string, any>> {
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) throw new Error(`the stream ended before a ${kind} notification: ${buffer}`);
    buffer += value;
    for (const frame of buffer.split('\n\n').slice(0, -1)) {
      const data = /^data: (.*)$/m.exec(frame)?.[1];
      if (/^event: notification$/m.test(frame) && data !== undefined && (JSON.parse(data) as { kind: string }).kind === kind) {
        await reader.cancel();
        return JSON.parse(data) as Record<string, any>;
      }
    }
  }
}

describe('notifications in the embedded app', () => {
  it('tells a client who booked a free video consultation, in their language and zone, in the inbox and live', async () => {
    const provider = await register('provider', 'Ada');
    const client = await register('client', 'Bob', { locale: 'de-DE', timeZone: 'Europe/Berlin' });
    const profile = await call<{ id: string }>('POST', '/api/v1/providers', { token: provider, body: { displayName: 'Dr Ada Lovelace', timeZone: 'UTC', published: true } });
    expect(profile.status).toBe(201);
    const service = await call<{ id: string }>('POST', `/api/v1/providers/${profile.body.id}/services`, {
      token: provider,
      body: { name: 'Sprechstunde', durationMinutes: 30, location: { kind: 'video' } },
    });
    expect(service.status).toBe(201);
    const weekly = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '09:00', end: '17:00' }));
    expect((await call('PUT', `/api/v1/providers/${profile.body.id}/availability`, { token: provider, body: { weekly, overrides: [], blocked: [] } })).status).toBe(200);
    const from = new Date(Date.now() + 2 * 86_400_000);
    const slots = await call<{ slots: { start: string }[] }>(
      'GET',
      `/api/v1/providers/${profile.body.id}/slots?serviceId=${service.body.id}&from=${from.toISOString()}&to=${new Date(from.getTime() + 2 * 86_400_000).toISOString()}`,
    );
    const start = slots.body.slots[0]?.start;
    expect(start).toBeDefined();

    // A browser's EventSource: the token in the query, through the gateway app.
    const stream = await fetch(`${base}/api/v1/notifications/stream?access_token=${client}`, { headers: { accept: 'text/event-stream' } });
    expect(stream.status).toBe(200);
    const booked = await call<{ id: string }>('POST', '/api/v1/bookings', { token: client, body: { serviceId: service.body.id, start } });
    expect(booked.status).toBe(201);

    const live = await nextNotification(stream, 'booking_confirmed');
    const wallClock = new Intl.DateTimeFormat('de-DE', { timeZone: 'Europe/Berlin', hour: '2-digit', minute: '2-digit' }).format(new Date(start!));
    expect(live).toMatchObject({ kind: 'booking_confirmed', title: 'Gebucht: Sprechstunde bei Dr Ada Lovelace', data: { bookingId: booked.body.id, startsAt: start } });
    expect(live.body).toContain(`um ${wallClock} ME`);
    // The embedded calendar made the meeting link in the booking request: the entry has it.
    expect(live.data.meetingUrl).toMatch(/^https:\/\/meet\.jit\.si\/timeslot-/);
    expect(live.body).toContain(`Online: ${live.data.meetingUrl}`);

    const inbox = await call<{ items: { id: string; kind: string; body: string }[] }>('GET', '/api/v1/notifications', { token: client });
    expect(inbox.body.items.map((entry) => entry.kind)).toEqual(['booking_confirmed', 'welcome']);
    expect(inbox.body.items[0]).toMatchObject({ id: live.id, body: live.body });
    const forProvider = await call<{ items: { kind: string; title: string }[] }>('GET', '/api/v1/notifications', { token: provider });
    expect(forProvider.body.items[0]).toMatchObject({ kind: 'booking_confirmed', title: 'New booking: Sprechstunde with Bob' });

    // The email rows went through the in-process queue to the worker, which writes .eml files
    // without SMTP_URL: the client's confirmation is there, in German, on Berlin's clock.
    const mailDir = path.join(dataDir, 'mail');
    const confirmation = await eventually(
      async () => {
        const files = await readdir(mailDir).catch(() => [] as string[]);
        const mails = await Promise.all(files.filter((file) => file.endsWith('.eml')).map(async (file) => simpleParser(await readFile(path.join(mailDir, file)))));
        return mails.find((mail) => mail.subject?.startsWith('Bestätigt: Sprechstunde') === true);
      },
      (mail) => mail !== undefined,
      15_000,
    );
    expect(confirmation?.to).toMatchObject({ text: expect.stringContaining('bob@example.com') });
    expect(confirmation?.text).toContain(wallClock);

    // And a newcomer sees it at /dev/mail, served by the same server (embedded, no SMTP).
    const listing = await fetch(`${base}/dev/mail`);
    expect(listing.status).toBe(200);
    expect(listing.headers.get('content-type')).toContain('text/html');
    expect(await listing.text()).toContain('Bestätigt: Sprechstunde');
  });
});

describe('the web app in the embedded app', () => {
  it('is served at / beside the API by the same process, from WEB_ROOT (default: apps/web/dist of this checkout)', async () => {
    expect(configSchema.parse({}).WEB_ROOT).toBe(path.join(repoRoot, 'apps', 'web', 'dist'));
    const page = await fetch(`${base}/providers/abc`, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(page.headers.get('cache-control')).toBe('no-cache');
    expect(await page.text()).toBe(webIndex);
    const asset = await fetch(`${base}/assets/app-1a2b3c.js`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    await asset.body?.cancel();
    const unknown = await fetch(`${base}/api/v1/nope`, { headers: { accept: 'text/html' } });
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('content-type')).toContain('application/problem+json');
    expect(((await unknown.json()) as { code: string }).code).toBe('ROUTE_NOT_FOUND');
  });
});
