import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import ICAL from 'ical.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '@timeslot/kernel';
import { generateSigningKeysJson } from '@timeslot/identity';
import { adminSql, deleteRedisKeys, freePort, startSmtp, testServers, type Received, type TestSmtp } from '@timeslot/testing';
import { buildTimeslot, type Timeslot } from '../src/app';
import { configSchema, type ServiceName } from '../src/config';

/**
 * Issue 9 end to end, distributed: every service its own server (identity, scheduling, calendar,
 * two notifications API replicas, two email workers, a gateway) on PostgreSQL, Redis (BullMQ) and
 * RabbitMQ, a real SMTP server, and only HTTP between the test and the gateway. A booking's
 * meeting link comes back in the response; the confirmation arrives by email (the client's language
 * and zone, the link, an invitation) and in the inbox, and live on a stream held open on the other
 * replica; a cancellation follows the same way.
 */
const logger = createLogger({ level: 'silent' });
const password = 'correct horse battery';
const namespace = `ntf-${randomBytes(4).toString('hex')}`;
const databaseName = `timeslot_${namespace.replace('-', '_')}`;
const adminEmail = `root.${namespace}@example.com`;
const meetingBase = 'https://meet.example.org/ts-';
const processes: Timeslot[] = [];
let smtp: TestSmtp;
let gateway: string;

interface Answer {
  status: number;
  body: any;
}

async function call(method: string, url: string, options: { token?: string; body?: unknown } = {}): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  const res = await fetch(`${gateway}${url}`, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
  const text = await res.text();
  return { status: res.status, body: text === '' ? undefined : JSON.parse(text) };
}

async function ok(method: string, url: string, status: number, options: { token?: string; body?: unknown } = {}): Promise<any> {
  const answer = await call(method, url, options);
  if (answer.status !== status) throw new Error(`${method} ${url}: ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body;
}

async function start(services: ServiceName[], env: Record<string, string>): Promise<string> {
  const config = configSchema.parse({ ...env, PORT: String(await freePort()) });
  const timeslot = await buildTimeslot({ config, mode: 'distributed', services, logger });
  processes.push(timeslot);
  await timeslot.migrate();
  return timeslot.listen();
}

/** Reads Server-Sent Events frames from a response body until `until` accepts one. */
async function readStream(response: Response, until: (data: any) => boolean, timeoutMs = 15_000): Promise<any> {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  const deadline = Date.now() + timeoutMs;
  try {
    while (Date.now() < deadline) {
      const chunk = await Promise.race([
        reader.read(),
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error('no matching event on the stream in time')), deadline - Date.now())),
      ]);
      if (chunk.done) throw new Error('the stream ended');
      buffer += decoder.decode(chunk.value, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const frame = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const data = frame
          .split('\n')
          .filter((line) => line.startsWith('data:'))
          .map((line) => line.slice(5).trim())
          .join('\n');
        if (data !== '') {
          const parsed = JSON.parse(data);
          if (until(parsed)) return parsed;
        }
      }
    }
    throw new Error('no matching event on the stream in time');
  } finally {
    await reader.cancel().catch(() => undefined);
  }
}

async function mailTo(address: string, subject: RegExp, timeoutMs = 20_000): Promise<Received> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = smtp.received.find((m) => m.to.includes(address) && subject.test(m.mail.subject ?? ''));
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`no email to ${address} matching ${subject}; got ${smtp.received.map((m) => `${m.to.join(',')}: ${m.mail.subject}`).join(' | ')}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The invitation's METHOD and its event's DTSTART, parsed by a real iCalendar parser. */
function invitation(mail: Received): { method: string; start: string } {
  const part = mail.mail.attachments.find((a) => a.contentType.startsWith('text/calendar') || a.contentType === 'application/ics');
  if (part === undefined) throw new Error('no calendar attachment');
  const calendar = new ICAL.Component(ICAL.parse(part.content.toString('utf8')) as unknown[]);
  const event = calendar.getFirstSubcomponent('vevent');
  return { method: String(calendar.getFirstPropertyValue('method')), start: String(event?.getFirstPropertyValue('dtstart') ?? '') };
}

beforeAll(async () => {
  smtp = await startSmtp();
  await adminSql(`create database ${databaseName}`);
  const databaseUrl = new URL(testServers.postgres);
  databaseUrl.pathname = `/${databaseName}`;
  const internalToken = randomBytes(24).toString('base64url');
  const common = {
    DATABASE_URL: databaseUrl.toString(),
    REDIS_URL: testServers.redis,
    AMQP_URL: testServers.amqp,
    NAMESPACE: namespace,
    SIGNING_KEYS: await generateSigningKeysJson(),
    INTERNAL_TOKEN: internalToken,
    CALENDAR_TOKEN_KEY: randomBytes(32).toString('base64'),
    MEETING_BASE_URL: meetingBase,
    SMTP_URL: smtp.url,
    EMAIL_FROM: 'Timeslot <no-reply@example.com>',
    LOG_LEVEL: 'silent',
  };
  const identity = await start(['identity'], common);
  const withIdentity = { ...common, IDENTITY_URL: identity };
  const calendar = await start(['calendar'], withIdentity);
  const scheduling = await start(['scheduling'], { ...withIdentity, CALENDAR_URL: calendar });
  const notifications = [await start(['notifications'], withIdentity), await start(['notifications'], withIdentity)];
  await start(['notifications-worker'], withIdentity);
  await start(['notifications-worker'], withIdentity);
  const upstreams = `identity=${identity};scheduling=${scheduling};calendar=${calendar};notifications=${notifications.join(',')}`;
  gateway = await start(['gateway'], { ...withIdentity, UPSTREAMS: upstreams });
  const identityService = processes[0]?.identity;
  await identityService!.createAdmin({ email: adminEmail, password: 'admin password 1', name: 'Root' });
}, 120_000);

afterAll(async () => {
  for (const timeslot of processes.reverse()) await timeslot.stop();
  await smtp?.close();
  await adminSql(`drop database if exists ${databaseName} with (force)`);
  const redis = new Redis(testServers.redis);
  await deleteRedisKeys(redis, `${namespace}:`);
  redis.disconnect();
}, 60_000);

describe('distributed notifications: booking → meeting link → email, inbox and live stream', () => {
  it('confirms, emails and streams a booking, then its cancellation, each side in its own language and zone', async () => {
    const providerEmail = `dr.${namespace}@example.com`;
    const clientEmail = `kim.${namespace}@example.com`;
    const owner = await ok('POST', '/api/v1/auth/register', 201, { body: { email: providerEmail, password, name: 'Dr Ada', role: 'provider', timeZone: 'Europe/London' } });
    const client = await ok('POST', '/api/v1/auth/register', 201, {
      body: { email: clientEmail, password, name: 'Kim', role: 'client', timeZone: 'Europe/Berlin', locale: 'de' },
    });
    const provider = await ok('POST', '/api/v1/providers', 201, { token: owner.accessToken, body: { displayName: 'Dr Ada', timeZone: 'Europe/London', published: true } });
    const service = await ok('POST', `/api/v1/providers/${provider.id}/services`, 201, {
      token: owner.accessToken,
      body: { name: 'Video consultation', durationMinutes: 30, slotIntervalMinutes: 30, location: { kind: 'video' } },
    });
    await ok('PUT', `/api/v1/providers/${provider.id}/availability`, 200, {
      token: owner.accessToken,
      body: { weekly: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '09:00', end: '17:00' })), overrides: [], blocked: [] },
    });
    // The welcome emails prove the consumer and the workers run before anything else is asked of them.
    await mailTo(clientEmail, /willkommen/i);

    // The client listens on the gateway, which sends the stream to one replica; the booking's entry
    // is stored by whichever replica consumed the event, and must reach this stream either way.
    const stream = await fetch(`${gateway}/api/v1/notifications/stream?access_token=${encodeURIComponent(client.accessToken)}`, {
      headers: { accept: 'text/event-stream' },
    });
    expect(stream.status).toBe(200);
    expect(stream.headers.get('content-type')).toContain('text/event-stream');
    const pushed = readStream(stream, (data) => data?.kind === 'booking_confirmed');
    // Awaited below; a failure before then must not surface as an unhandled rejection.
    pushed.catch(() => undefined);

    // A week ahead at 10:00 UTC: inside the booking window, whatever the date the suite runs on.
    const day = new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);
    const start = `${day}T10:00:00Z`;
    const wallClock = (timeZone: string) =>
      new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(start));
    const booking = await ok('POST', '/api/v1/bookings', 201, { token: client.accessToken, body: { serviceId: service.id, start } });
    expect(booking.status).toBe('confirmed');
    expect(booking.meeting).toMatchObject({ status: 'ready' });
    const meetingUrl = String(booking.meeting.url);
    expect(meetingUrl.startsWith(meetingBase)).toBe(true);

    expect(await pushed).toMatchObject({ kind: 'booking_confirmed' });

    // The client's email: German, Berlin wall-clock time, the link, an invitation.
    const confirmation = await mailTo(clientEmail, /best[äa]tig/i);
    expect(confirmation.mail.text).toContain(wallClock('Europe/Berlin'));
    expect(confirmation.mail.text).toContain(meetingUrl);
    expect(invitation(confirmation)).toMatchObject({ method: 'REQUEST', start: expect.stringContaining(`${day}T10:00:00`) });
    // The provider's: English, London wall-clock time.
    const providerCopy = await mailTo(providerEmail, /confirm/i);
    expect(providerCopy.mail.text).toContain(wallClock('Europe/London'));

    const inbox = (await ok('GET', '/api/v1/notifications', 200, { token: client.accessToken })) as { items: { id: string; kind: string }[] };
    expect(inbox.items.map((item) => item.kind)).toContain('booking_confirmed');
    const unread = await ok('GET', '/api/v1/notifications/unread-count', 200, { token: client.accessToken });
    expect(unread.count).toBeGreaterThanOrEqual(1);
    // Another user cannot read the client's entry.
    const entry = inbox.items.find((item) => item.kind === 'booking_confirmed');
    const foreign = await call('POST', `/api/v1/notifications/${entry?.id}/read`, { token: owner.accessToken });
    expect(foreign.status).toBe(404);

    await ok('POST', `/api/v1/bookings/${booking.id}/cancel`, 200, { token: client.accessToken, body: { reason: 'travel' } });
    const cancelled = await mailTo(providerEmail, /cancel/i);
    expect(invitation(cancelled).method).toBe('CANCEL');

    // The admin sees the email queue through the gateway, with what was sent.
    const root = await ok('POST', '/api/v1/auth/login', 200, { body: { email: adminEmail, password: 'admin password 1' } });
    const queues = (await ok('GET', '/api/v1/admin/queues', 200, { token: root.accessToken })) as { items: { name: string; counts: { completed: number } }[] };
    expect(queues.items.map((queue) => queue.name).sort()).toEqual(['notifications-email', 'scheduling-holds', 'scheduling-waitlist']);
    const email = queues.items.find((queue) => queue.name === 'notifications-email');
    expect(email?.counts.completed).toBeGreaterThanOrEqual(4);
    expect((await call('GET', '/api/v1/admin/queues', { token: client.accessToken })).status).toBe(403);

    // The queue board, through the gateway: a link with the token sets a cookie for the board's
    // pages and API; nobody else gets in.
    expect((await fetch(`${gateway}/admin/queues`)).status).toBe(401);
    const entered = await fetch(`${gateway}/admin/queues?token=${encodeURIComponent(root.accessToken as string)}`, { redirect: 'manual' });
    expect(entered.status).toBe(303);
    const cookie = (entered.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    expect(cookie).toMatch(/^timeslot_queue_board=/);
    const page = await fetch(`${gateway}/admin/queues`, { headers: { cookie } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    const board = (await (await fetch(`${gateway}/admin/queues/api/queues`, { headers: { cookie } })).json()) as { queues: { name: string }[] };
    expect(board.queues.map((queue) => queue.name)).toContain('notifications-email');
    const asClient = await fetch(`${gateway}/admin/queues?token=${encodeURIComponent(client.accessToken as string)}`, { redirect: 'manual' });
    expect(asClient.status).toBe(403);
  }, 60_000);
});
