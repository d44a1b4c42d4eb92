import { randomUUID } from 'node:crypto';
import ICAL from 'ical.js';
import type { Attachment } from 'mailparser';
import { Registry } from 'prom-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { JobWorker } from '@timeslot/ports';
import { eventually } from '@timeslot/ports/contracts/wait';
import { redisTestPrefixes } from '@timeslot/testing';
import { emailQueue } from '../../src/context';
import { enqueueEmail, startEmailWorkers } from '../../src/email/email.worker';
import type { NotificationKind } from '../../src/kinds';
import { bookingSnapshot, bullmq, setup, startSmtp, type EmailRow, type Received, type Recipient, type Setup, type TestSmtp } from './harness';

const redis = redisTestPrefixes('email_smtp');
let smtp: TestSmtp;
let env: Setup;
let workers: JobWorker[];
const registry = new Registry();

beforeAll(async () => {
  smtp = await startSmtp();
  env = await setup(bullmq(redis.next()), { smtpUrl: smtp.url, publicUrl: 'https://book.example.com', emailFrom: 'Timeslot <no-reply@mail.example.com>' });
  workers = await startEmailWorkers(env.context, registry, { sweepIntervalMs: 0 });
});

afterEach(() => {
  smtp.judge = () => undefined;
});

afterAll(async () => {
  for (const worker of workers) await worker.close();
  await env.jobs.close();
  await env.close();
  await smtp.close();
  await redis.close();
});

function person(overrides: Partial<Recipient> = {}): Recipient {
  const userId = randomUUID();
  return { userId, email: `${userId.slice(0, 8)}@example.com`, name: 'Grace Hopper', timeZone: 'America/New_York', locale: 'en-US', ...overrides };
}

/** Writes the row and enqueues its job, as the event consumer does after its commit. */
async function send(row: EmailRow): Promise<string> {
  const id = await env.rows.email(row);
  await enqueueEmail(env.jobs, { id, kind: row.kind, sendAfter: row.sendAfter ?? new Date() }, new Date());
  return id;
}

const finalStatus = (id: string) =>
  eventually(
    () => env.rows.status(id),
    (row) => row.status !== 'pending',
    20_000,
  );

const to = (address: string): Received[] => smtp.received.filter((message) => message.to.includes(address));

function calendarParts(message: Received): Attachment[] {
  return message.mail.attachments.filter((part) => /text\/calendar|application\/ics/.test(part.contentType));
}

/** A confirmed booking whose two sides are known recipients. */
async function confirmedBooking(client: Recipient, providerOverrides: Partial<Recipient> = {}) {
  const provider = await env.rows.recipient(person({ role: 'provider', name: 'Dr. Ada Lovelace', timeZone: 'Europe/London', locale: 'en-GB', ...providerOverrides }));
  await env.rows.recipient(client);
  const booking = bookingSnapshot({ clientId: client.userId, providerUserId: provider.userId, providerName: provider.name });
  await env.rows.booking(booking);
  return { booking, provider };
}

describe('email delivery over SMTP (BullMQ workers, a real SMTP server)', () => {
  it('delivers the confirmation to the client in their zone and language, with the meeting link and an invitation that parses', async () => {
    const client = person();
    const { booking, provider } = await confirmedBooking(client);
    const occurredAt = new Date('2030-01-01T10:00:00Z');
    const id = await send({ userId: client.userId, kind: 'booking_confirmed', occurredAt, data: { audience: 'client', booking, counterpartName: provider.name } });

    const [message] = await eventually(async () => to(client.email), (found) => found.length > 0, 20_000);
    expect(message).toBeDefined();
    const { mail } = message!;
    expect(message!.to).toEqual([client.email]);
    expect(mail.subject).toBe('Confirmed: Consultation with Dr. Ada Lovelace');
    expect(mail.messageId).toBe(`<${id}@mail.example.com>`);
    // 09:00 UTC is 04:00 in New York in January.
    expect(String(mail.text).replace(/[\u202f\u00a0]/g, ' ')).toContain('Mon, Jan 7, 2030, 4:00 AM – 4:30 AM (America/New_York)');
    expect(mail.text).toContain('Hi Grace Hopper,');
    expect(mail.text).toContain('https://meet.example.com/abc-def');
    expect(mail.text).toContain('€45.00');
    expect(mail.html).toContain('<a href="https://meet.example.com/abc-def">');
    expect(mail.html).toContain(`https://book.example.com/bookings/${booking.bookingId}`);

    const parts = calendarParts(message!);
    expect(parts.map((part) => part.contentType).sort()).toEqual(['application/ics', 'text/calendar']);
    const calendarPart = parts.find((part) => part.contentType === 'text/calendar')!;
    expect(calendarPart.headers.get('content-type')).toMatchObject({ params: { method: 'REQUEST' } });
    const calendar = new ICAL.Component(ICAL.parse(calendarPart.content.toString('utf8')));
    expect(calendar.getFirstPropertyValue('method')).toBe('REQUEST');
    const event = new ICAL.Event(calendar.getFirstSubcomponent('vevent')!);
    expect(event.uid).toBe(`booking-${booking.bookingId}@book.example.com`);
    expect(event.startDate.toJSDate().toISOString()).toBe('2030-01-07T09:00:00.000Z');
    expect(event.endDate.toJSDate().toISOString()).toBe('2030-01-07T09:30:00.000Z');
    expect(event.location).toBe('https://meet.example.com/abc-def');
    expect(event.organizer).toBe(`mailto:${provider.email}`);
    const attendee = event.attendees[0]!;
    expect(attendee.getFirstValue()).toBe(`mailto:${client.email}`);
    expect(attendee.getParameter('rsvp')).toBe('TRUE');
    expect(attendee.getParameter('cn')).toBe('Grace Hopper');

    const row = await finalStatus(id);
    expect(row).toMatchObject({ status: 'sent', attempts: 1, message_id: `<${id}@mail.example.com>` });
    expect(row.sent_at).not.toBeNull();
    expect(await registry.getSingleMetricAsString('emails_sent_total')).toMatch(/emails_sent_total\{kind="booking_confirmed"\} [1-9]/);
  });

  it('writes to a German-speaking recipient in German, in their zone and number style', async () => {
    const client = person({ name: 'Lise Meitner', timeZone: 'Europe/Vienna', locale: 'de-AT' });
    const { booking, provider } = await confirmedBooking(client);
    await send({ userId: client.userId, kind: 'booking_confirmed', data: { audience: 'client', booking, counterpartName: provider.name } });

    await eventually(async () => to(client.email), (found) => found.length > 0, 20_000);
    const { mail } = to(client.email)[0]!;
    expect(mail.subject).toBe('Bestätigt: Consultation mit Dr. Ada Lovelace');
    expect(mail.text).toContain('Hallo Lise Meitner,');
    expect(mail.text).toContain('Mo., 7. Jän. 2030, 10:00 – 10:30 (Europe/Vienna)');
    // Intl puts a no-break space between the sign and the figure.
    expect(mail.text).toMatch(/€\s45,00/u);
    expect(mail.html).toContain('Ihre Buchung von Consultation ist bestätigt.');
  });

  it('escapes a hostile name in the HTML and keeps it as typed in the text', async () => {
    const hostile = '<script>alert(1)</script> & "Eve" <img src=x onerror=alert(2)>';
    const client = person({ name: hostile });
    const { booking } = await confirmedBooking(client, { name: '</td><b onclick="x">Mallory' });
    await send({ userId: client.userId, kind: 'booking_confirmed', data: { audience: 'client', booking, counterpartName: '</td><b onclick="x">Mallory' } });

    await eventually(async () => to(client.email), (found) => found.length > 0, 20_000);
    const { mail } = to(client.email)[0]!;
    const html = String(mail.html);
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<b onclick');
    expect(html).toContain('Hi &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;Eve&quot; &lt;img src=x onerror=alert(2)&gt;,');
    expect(html).toContain('&lt;/td&gt;&lt;b onclick=&quot;x&quot;&gt;Mallory');
    expect(mail.text).toContain(`Hi ${hostile},`);
  });

  it('skips a reminder whose booking was cancelled or moved, and sends one that still fits', async () => {
    const client = person();
    const { booking } = await confirmedBooking(client);
    const cancelled = bookingSnapshot({ clientId: client.userId });
    await env.rows.booking(cancelled, 'cancelled');
    const moved = bookingSnapshot({ clientId: client.userId });
    await env.rows.booking(moved, 'confirmed', '2030-01-08T09:00:00.000Z');
    const reminder = (snapshot: typeof booking) =>
      send({
        id: `reminder-${snapshot.bookingId}-60-${Date.parse(snapshot.startsAt)}`,
        userId: client.userId,
        kind: 'booking_reminder',
        data: { audience: 'client', booking: snapshot, reminder: { offsetMinutes: 60 } },
      });

    const staleIds = [await reminder(cancelled), await reminder(moved)];
    const validId = await reminder(booking);

    expect(await finalStatus(staleIds[0]!)).toMatchObject({ status: 'skipped', last_error: 'booking_cancelled' });
    expect(await finalStatus(staleIds[1]!)).toMatchObject({ status: 'skipped', last_error: 'booking_moved' });
    expect(await finalStatus(validId)).toMatchObject({ status: 'sent' });
    const arrived = await eventually(async () => to(client.email), (found) => found.length > 0, 20_000);
    expect(arrived.map((message) => message.mail.subject)).toEqual(['Reminder: Consultation with Dr. Ada Lovelace in 1 hour']);
  });

  it('skips an email whose recipient is unknown or disabled', async () => {
    const disabled = await env.rows.recipient(person({ disabled: true }));
    const unknownId = await send({ userId: randomUUID(), kind: 'welcome', data: { audience: 'user' } });
    const disabledId = await send({ userId: disabled.userId, kind: 'welcome', data: { audience: 'user' } });
    expect(await finalStatus(unknownId)).toMatchObject({ status: 'skipped', last_error: 'recipient_unknown' });
    expect(await finalStatus(disabledId)).toMatchObject({ status: 'skipped', last_error: 'recipient_disabled' });
    expect(to(disabled.email)).toEqual([]);
  });

  it('fails a row it cannot render at once (a booking email without its booking), without retrying', async () => {
    const client = await env.rows.recipient(person());
    const id = await send({ userId: client.userId, kind: 'booking_confirmed', bookingId: null, data: { audience: 'client' } });
    const row = await finalStatus(id);
    expect(row).toMatchObject({ status: 'failed', attempts: 1, last_error: 'render: booking_confirmed without its booking' });
    const failed = await eventually(
      () => env.jobs.failed(emailQueue),
      (jobs) => jobs.some((job) => job.id === id),
    );
    expect(failed.find((job) => job.id === id)).toMatchObject({ attempt: 1 });
  });

  it('retries after a transient refusal (421) and then sends once', async () => {
    const client = person();
    const { booking } = await confirmedBooking(client);
    let refused = 0;
    smtp.judge = (recipients) => (recipients.includes(client.email) && refused++ === 0 ? { code: 421, message: 'Try again later' } : undefined);
    const id = await send({ userId: client.userId, kind: 'booking_confirmed', data: { audience: 'client', booking } });

    expect(await finalStatus(id)).toMatchObject({ status: 'sent', attempts: 2 });
    expect(smtp.attempts.filter((attempt) => attempt === client.email)).toHaveLength(2);
    // The server parses what it accepted in the background: wait for it rather than race it.
    expect(await eventually(async () => to(client.email), (found) => found.length > 0)).toHaveLength(1);
  });

  it('marks an email the server refuses for good (550) failed at once, and keeps its job in the failed set', async () => {
    const client = person();
    const { booking } = await confirmedBooking(client);
    smtp.judge = (recipients) => (recipients.includes(client.email) ? { code: 550, message: 'No such mailbox' } : undefined);
    const id = await send({ userId: client.userId, kind: 'booking_confirmed', data: { audience: 'client', booking } });

    const row = await finalStatus(id);
    expect(row).toMatchObject({ status: 'failed', attempts: 1 });
    expect(row.last_error).toMatch(/550/);
    const failed = await eventually(
      () => env.jobs.failed(emailQueue),
      (jobs) => jobs.some((job) => job.id === id),
    );
    expect(failed.find((job) => job.id === id)).toMatchObject({ attempt: 1, data: { emailId: id } });
    expect(smtp.attempts.filter((attempt) => attempt === client.email)).toHaveLength(1);
    expect(await registry.getSingleMetricAsString('emails_failed_total')).toContain('emails_failed_total{kind="booking_confirmed",reason="permanent"} 1');
  });

  it("sends one booking's emails in the order their events happened, even when their jobs come in reverse", async () => {
    const client = person();
    const { booking } = await confirmedBooking(client);
    const base = Date.parse('2030-01-01T10:00:00Z');
    const kinds: NotificationKind[] = ['booking_confirmed', 'booking_rescheduled', 'booking_cancelled'];
    const ids: string[] = [];
    for (const [index, kind] of kinds.entries()) {
      ids.push(
        await env.rows.email({
          userId: client.userId,
          kind,
          occurredAt: new Date(base + index * 1000),
          data: {
            audience: 'client',
            booking,
            ...(kind === 'booking_rescheduled' ? { previous: { startsAt: '2030-01-06T09:00:00.000Z', endsAt: '2030-01-06T09:30:00.000Z' } } : {}),
            ...(kind === 'booking_cancelled' ? { cancellation: { reason: null, by: 'client' as const } } : {}),
          },
        }),
      );
    }
    // Newest first: without the ordering rule the cancellation would be the first to go.
    for (const index of [2, 1, 0]) await enqueueEmail(env.jobs, { id: ids[index]!, kind: kinds[index]!, sendAfter: new Date() }, new Date());

    const arrived = await eventually(async () => to(client.email), (found) => found.length >= 3, 20_000);
    expect(arrived.map((message) => message.mail.subject)).toEqual([
      'Confirmed: Consultation with Dr. Ada Lovelace',
      'Moved: Consultation with Dr. Ada Lovelace',
      'Cancelled: Consultation with Dr. Ada Lovelace',
    ]);
    const cancel = calendarParts(arrived[2]!).find((part) => part.contentType === 'text/calendar')!;
    const calendar = new ICAL.Component(ICAL.parse(cancel.content.toString('utf8')));
    expect(calendar.getFirstPropertyValue('method')).toBe('CANCEL');
    const sequences = arrived.slice(0, 2).map((message) => {
      const part = calendarParts(message).find((each) => each.contentType === 'text/calendar')!;
      return Number(new ICAL.Component(ICAL.parse(part.content.toString('utf8'))).getFirstSubcomponent('vevent')!.getFirstPropertyValue('sequence'));
    });
    expect(sequences[1]).toBeGreaterThan(sequences[0]!);
  });
});

describe('closing an email worker', () => {
  it('lets the message in hand finish: it is accepted and its row marked sent before close resolves', async () => {
    const own = await setup(bullmq(redis.next()), { smtpUrl: smtp.url });
    try {
      const [worker] = await startEmailWorkers(own.context, undefined, { sweepIntervalMs: 0 });
      const user = await own.rows.recipient(person());
      const id = await own.rows.email({ userId: user.userId, kind: 'welcome', data: { audience: 'user' } });
      smtp.latencyMs = 500;
      const attemptsBefore = smtp.attempts.length;
      await enqueueEmail(own.jobs, { id, kind: 'welcome', sendAfter: new Date() }, new Date());
      // Close while the server is still thinking about the message.
      await eventually(
        () => own.database.query(`select 1 from "${own.schema}".emails where id = $1 and claimed_until is not null`, [id]),
        (found) => found.length === 1,
      );
      await worker!.close();
      expect(await own.rows.status(id)).toMatchObject({ status: 'sent' });
      expect(smtp.attempts.length).toBe(attemptsBefore + 1);
      expect(await eventually(async () => to(user.email), (found) => found.length > 0)).toHaveLength(1);
    } finally {
      smtp.latencyMs = 0;
      await own.jobs.close();
      await own.close();
    }
  });
});
