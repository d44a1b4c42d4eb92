import { randomUUID } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryCache, createMemoryEventBus, createMemoryJobQueue, createPgliteDatabase } from '@timeslot/adapters';
import { createHttpServer, createLogger, type App } from '@timeslot/kernel';
import type { Database, JobQueue, JobWorker } from '@timeslot/ports';
import { eventually } from '@timeslot/ports/contracts/wait';
import type { NotificationsContext } from '../../src/context';
import { registerDevMailRoutes } from '../../src/email/dev-mail.routes';
import { emlFileName } from '../../src/email/mailer';
import { enqueueEmail, startEmailWorkers, sweepPendingEmails } from '../../src/email/email.worker';
import { createNotificationsService } from '../../src/index';
import { bookingSnapshot, rows } from './harness';

/** Embedded mode as `npm start` runs it without SMTP_URL: PGlite, the in-process queue, .eml files. */
let mailDir: string;
let database: Database;
let jobs: JobQueue;
let context: NotificationsContext;
let workers: JobWorker[];
let app: App;
let data: ReturnType<typeof rows>;
const logLines: Record<string, unknown>[] = [];

beforeAll(async () => {
  mailDir = path.join(await mkdtemp(path.join(tmpdir(), 'timeslot-mail-')), 'mail');
  database = await createPgliteDatabase();
  jobs = createMemoryJobQueue();
  const destination = new PassThrough();
  destination.on('data', (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n').filter(Boolean)) logLines.push(JSON.parse(line) as Record<string, unknown>);
  });
  const logger = createLogger({ level: 'info', destination });
  const service = await createNotificationsService({
    database,
    cache: createMemoryCache(),
    bus: createMemoryEventBus(),
    jobs,
    logger,
    options: { schema: 'notifications', mailDir, publicUrl: 'http://127.0.0.1:8080' },
  });
  await service.migrate();
  context = service.context;
  data = rows(database, 'notifications');
  workers = await startEmailWorkers(context, undefined, { sweepIntervalMs: 0 });
  app = await createHttpServer({ service: 'notifications', logger: createLogger({ level: 'silent' }) });
  registerDevMailRoutes(app, { mailDir });
  await app.ready();
});

afterAll(async () => {
  for (const worker of workers) await worker.close();
  await jobs.close();
  await app.close();
  await database.close();
  await rm(path.dirname(mailDir), { recursive: true, force: true });
});

async function deliver(name: string): Promise<{ id: string; email: string }> {
  const userId = randomUUID();
  const email = `${userId.slice(0, 8)}@example.com`;
  await data.recipient({ userId, email, name, timeZone: 'Europe/Berlin', locale: 'de-DE' });
  const booking = bookingSnapshot({ clientId: userId, serviceName: 'Beratung <b>' });
  await data.booking(booking);
  const id = await data.email({ userId, kind: 'booking_confirmed', data: { audience: 'client', booking } });
  await enqueueEmail(jobs, { id, kind: 'booking_confirmed', sendAfter: new Date() }, new Date());
  await eventually(
    () => data.status(id),
    (row) => row.status !== 'pending',
  );
  return { id, email };
}

describe('embedded mode without SMTP: .eml files and /dev/mail', () => {
  it('answers an empty page before any message exists', async () => {
    const res = await app.inject({ method: 'GET', url: '/dev/mail' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('No messages yet');
  });

  it('writes each message as an .eml file (no temp file left) and logs one line naming recipient, subject and file', async () => {
    const first = await deliver('Karl <Marx>');
    const second = await deliver('Rosa Luxemburg');
    expect(await data.status(first.id)).toMatchObject({ status: 'sent', message_id: `<${first.id}@timeslot.invalid>` });

    const files = (await readdir(mailDir)).sort();
    expect(files).toHaveLength(2);
    for (const file of files) expect(file).toMatch(emlFileName);
    const parsed = await simpleParser(await readFile(path.join(mailDir, files[0]!)));
    expect(parsed.to).toMatchObject({ value: [{ address: first.email, name: 'Karl <Marx>' }] });
    expect(parsed.subject).toBe('Bestätigt: Beratung <b> mit Dr. Ada Lovelace');
    expect(parsed.messageId).toBe(`<${first.id}@timeslot.invalid>`);
    expect(parsed.attachments.some((part) => part.contentType === 'text/calendar')).toBe(true);

    const written = logLines.filter((line) => line.msg === 'email written');
    expect(written.map((line) => line.to)).toEqual([first.email, second.email]);
    expect(written[0]).toMatchObject({ subject: 'Bestätigt: Beratung <b> mit Dr. Ada Lovelace', file: path.join(mailDir, files[0]!) });
    // No body in the log: neither the text nor the greeting.
    expect(JSON.stringify(written)).not.toContain('Hallo');
  });

  it('lists the messages newest first, escaped, and shows one under a sandboxing CSP', async () => {
    const files = (await readdir(mailDir)).sort().reverse();
    const list = await app.inject({ method: 'GET', url: '/dev/mail' });
    expect(list.statusCode).toBe(200);
    expect(list.headers['content-type']).toContain('text/html');
    expect(list.body).toContain('Bestätigt: Beratung &lt;b&gt; mit Dr. Ada Lovelace');
    expect(list.body).not.toContain('Beratung <b>');
    expect(list.body.indexOf(files[0]!)).toBeLessThan(list.body.indexOf(files[1]!));

    const shown = await app.inject({ method: 'GET', url: `/dev/mail/${files[0]}` });
    expect(shown.statusCode, shown.body).toBe(200);
    expect(shown.headers['content-type']).toContain('text/html');
    expect(shown.headers['content-security-policy']).toMatch(/default-src 'none'.*sandbox/);
    expect(shown.body).toContain('Hallo Rosa Luxemburg,');

    const raw = await app.inject({ method: 'GET', url: `/dev/mail/${files[0]}/raw` });
    expect(raw.statusCode).toBe(200);
    expect(raw.headers['content-type']).toContain('text/plain');
    expect(raw.body).toMatch(/^Message-ID:\s+<email-/im);
  });

  it('serves nothing outside the folder: other names are refused, unknown ones not found', async () => {
    for (const url of ['/dev/mail/..%2F..%2Fetc%2Fpasswd', '/dev/mail/.hidden.eml', '/dev/mail/20300101T000000000Z-0123456789abcdef.eml%00.txt', '/dev/mail/..%2Fmail%2F20300101T000000000Z-0123456789abcdef.eml/raw']) {
      const res = await app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(400);
      expect(res.json()).toMatchObject({ code: expect.stringMatching(/VALIDATION_FAILED|INVALID_CHARACTER/) });
    }
    const missing = await app.inject({ method: 'GET', url: '/dev/mail/20300101T000000000Z-0123456789abcdef.eml' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('sends a pending row whose job was lost (the in-process queue forgets its jobs on a restart) once the sweep runs', async () => {
    const userId = randomUUID();
    await data.recipient({ userId, email: 'swept@example.com', name: 'Swept', timeZone: 'UTC', locale: 'en' });
    const id = await data.email({ userId, kind: 'welcome', data: { audience: 'user' } });
    expect(await sweepPendingEmails(context)).toBe(1);
    expect(await eventually(() => data.status(id), (row) => row.status !== 'pending')).toMatchObject({ status: 'sent' });
    expect(await sweepPendingEmails(context)).toBe(0);
  });

  it('keeps the pages out of the OpenAPI document', async () => {
    const document = (await app.inject({ method: 'GET', url: '/openapi.json' })).json<{ paths: Record<string, unknown> }>();
    expect(Object.keys(document.paths).filter((route) => route.startsWith('/dev'))).toEqual([]);
  });
});
