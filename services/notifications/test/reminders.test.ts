import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryJobQueue } from '@timeslot/adapters';
import { events, type Job, type JobQueue, type JobWorker } from '@timeslot/ports';
import { Seen } from '@timeslot/ports/contracts/wait';
import { emailQueue } from '../src/context';
import type { EmailJob } from '../src/email/email.data';
import { bookingSnapshot, createHarness, defaultNow, eventOf, type Harness, type TestUser } from './harness';

/*
 * Email rows and their jobs: reminders planned at confirmation, moved by a reschedule, skipped by a
 * cancellation; every row handed to the job queue after commit under its own id; an enqueue that
 * fails leaves the row for the sweep. The queue is a real in-process one; "Redis is down" is a
 * closed one, switched in front of it.
 */

let h: Harness;
let live: JobQueue;
let down: JobQueue;
let target: () => JobQueue;
let worker: JobWorker;
const ran = new Seen<Job<EmailJob>>();
const logLines: string[] = [];

beforeAll(async () => {
  live = createMemoryJobQueue();
  down = createMemoryJobQueue();
  await down.close();
  target = () => live;
  const jobs: JobQueue = {
    enqueue: (...args) => target().enqueue(...args),
    process: (...args) => target().process(...args),
    failed: (queue, options) => target().failed(queue, options),
    remove: (queue, jobId) => target().remove(queue, jobId),
    retry: (queue, jobId) => target().retry(queue, jobId),
    counts: (queue) => target().counts(queue),
    ping: () => target().ping(),
    close: () => live.close(),
  };
  h = await createHarness({ jobs, logLines, options: { reminderOffsetsMinutes: [1440, 60] } });
  // Stands in for the email worker: records what it is handed and sends nothing.
  worker = await live.process<EmailJob>(emailQueue, async (job) => ran.add(job));
});

afterAll(async () => {
  await worker.close();
  await h.close();
});

type Row = { id: string; kind: string; status: string; sendAfter: Date; userId: string };

async function rows(bookingId: string, kind?: string): Promise<Row[]> {
  const all = await h.ctx.store.emails.forBooking(h.database.db, bookingId);
  return all.filter((row) => kind === undefined || row.kind === kind);
}

const at = (iso: string) => new Date(iso);

describe('reminders', () => {
  let client: TestUser;
  let provider: TestUser;

  beforeAll(async () => {
    client = await h.user();
    provider = await h.user({ role: 'provider' });
  });

  it('are planned at confirmation, one per offset still ahead, for the client, as delayed jobs', async () => {
    h.clock.set(defaultNow);
    const booking = bookingSnapshot(client, provider, { startsAt: '2030-01-08T10:00:00.000Z' });
    const delayedBefore = (await live.counts(emailQueue)).delayed;

    await h.handle(eventOf(events.bookingConfirmed, booking));

    const start = Date.parse(booking.startsAt);
    expect(await rows(booking.bookingId, 'booking_reminder')).toEqual([
      expect.objectContaining({ id: `reminder-${booking.bookingId}-1440-${start}`, status: 'pending', sendAfter: at('2030-01-07T10:00:00.000Z'), userId: client.userId }),
      expect.objectContaining({ id: `reminder-${booking.bookingId}-60-${start}`, status: 'pending', sendAfter: at('2030-01-08T09:00:00.000Z'), userId: client.userId }),
    ]);
    expect((await live.counts(emailQueue)).delayed - delayedBefore).toBe(2);
    const [reminder] = await rows(booking.bookingId, 'booking_reminder');
    expect(reminder).toMatchObject({ kind: 'booking_reminder' });
    const data = (await h.ctx.store.emails.forBooking(h.database.db, booking.bookingId)).find((row) => row.kind === 'booking_reminder')?.data;
    expect(data).toMatchObject({ kind: 'booking_reminder', audience: 'client', booking: { bookingId: booking.bookingId }, reminder: { offsetMinutes: 1440 } });
  });

  it('are not planned for times already past', async () => {
    h.clock.set('2030-01-08T08:00:00.000Z');
    const booking = bookingSnapshot(client, provider, { startsAt: '2030-01-08T10:00:00.000Z' });

    await h.handle(eventOf(events.bookingConfirmed, booking));

    expect((await rows(booking.bookingId, 'booking_reminder')).map((row) => row.id)).toEqual([`reminder-${booking.bookingId}-60-${Date.parse(booking.startsAt)}`]);
  });

  it('move with a reschedule, and come back if the booking returns to its first time', async () => {
    h.clock.set(defaultNow);
    const booking = bookingSnapshot(client, provider, { startsAt: '2030-01-10T10:00:00.000Z', endsAt: '2030-01-10T10:30:00.000Z' });
    await h.handle(eventOf(events.bookingConfirmed, booking, '2030-01-07T08:00:00.000Z'));
    const first = (await rows(booking.bookingId, 'booking_reminder')).map((row) => row.id);

    const moved = { ...booking, startsAt: '2030-01-11T14:00:00.000Z', endsAt: '2030-01-11T14:30:00.000Z' };
    await h.handle(eventOf(events.bookingRescheduled, { ...moved, previousStartsAt: booking.startsAt, previousEndsAt: booking.endsAt }, '2030-01-07T08:01:00.000Z'));

    const afterMove = await rows(booking.bookingId, 'booking_reminder');
    const delayedAfterMove = (await live.counts(emailQueue)).delayed;
    expect(afterMove.filter((row) => row.status === 'skipped').map((row) => row.id)).toEqual(first);
    expect(afterMove.filter((row) => row.status === 'pending').map((row) => row.sendAfter)).toEqual([at('2030-01-10T14:00:00.000Z'), at('2030-01-11T13:00:00.000Z')]);

    await h.handle(eventOf(events.bookingRescheduled, { ...booking, previousStartsAt: moved.startsAt, previousEndsAt: moved.endsAt }, '2030-01-07T08:02:00.000Z'));
    const back = await rows(booking.bookingId, 'booking_reminder');
    expect(back.filter((row) => row.status === 'pending').map((row) => row.id).sort()).toEqual([...first].sort());
    expect(back.filter((row) => row.status === 'skipped')).toHaveLength(2);
    // The moved reminders' jobs were taken back and the first ones' enqueued anew under their ids.
    expect((await live.counts(emailQueue)).delayed).toBe(delayedAfterMove);
  });

  it('are not moved by a reschedule that arrives after a newer event', async () => {
    h.clock.set(defaultNow);
    const booking = bookingSnapshot(client, provider, { startsAt: '2030-01-10T11:00:00.000Z', endsAt: '2030-01-10T11:30:00.000Z' });
    await h.handle(eventOf(events.bookingCancelled, { ...booking, status: 'cancelled', cancelledBy: client.userId, reason: null }, '2030-01-07T08:05:00.000Z'));
    await h.handle(eventOf(events.bookingConfirmed, booking, '2030-01-07T08:00:00.000Z'));
    await h.handle(
      eventOf(events.bookingRescheduled, { ...booking, startsAt: '2030-01-12T11:00:00.000Z', endsAt: '2030-01-12T11:30:00.000Z', previousStartsAt: booking.startsAt, previousEndsAt: booking.endsAt }, '2030-01-07T08:01:00.000Z'),
    );

    expect(await rows(booking.bookingId, 'booking_reminder')).toEqual([]);
  });

  it('are skipped when the booking is cancelled, expires or is over', async () => {
    h.clock.set(defaultNow);
    for (const ending of ['cancelled', 'completed'] as const) {
      const booking = bookingSnapshot(client, provider, { startsAt: '2030-01-09T10:00:00.000Z' });
      await h.handle(eventOf(events.bookingConfirmed, booking, '2030-01-07T08:00:00.000Z'));
      expect((await rows(booking.bookingId, 'booking_reminder')).map((row) => row.status)).toEqual(['pending', 'pending']);
      const delayed = (await live.counts(emailQueue)).delayed;

      const end =
        ending === 'cancelled'
          ? eventOf(events.bookingCancelled, { ...booking, status: 'cancelled', cancelledBy: provider.userId, reason: null }, '2030-01-07T09:00:00.000Z')
          : eventOf(events.bookingCompleted, { ...booking, status: 'completed' }, '2030-01-07T09:00:00.000Z');
      await h.handle(end);

      expect((await rows(booking.bookingId, 'booking_reminder')).map((row) => row.status), ending).toEqual(['skipped', 'skipped']);
      // Their delayed jobs are taken back, not left to wake up for nothing.
      expect((await live.counts(emailQueue)).delayed, ending).toBe(delayed - 2);
    }
  });

  it('follow the client’s booking_reminder preference', async () => {
    h.clock.set(defaultNow);
    const quiet = await h.user();
    await h.inject({ method: 'PUT', url: '/api/v1/notifications/preferences', token: quiet.token, payload: { channels: { booking_reminder: 'in_app' } } });
    const booking = bookingSnapshot(quiet, provider);

    await h.handle(eventOf(events.bookingConfirmed, booking));

    expect((await rows(booking.bookingId)).map((row) => row.kind)).toEqual(['booking_confirmed', 'booking_confirmed']);
  });
});

describe('email jobs', () => {
  it('are enqueued after commit under the row id, one per row, for the worker', async () => {
    const client = await h.user();
    const booking = bookingSnapshot(client, undefined);
    const event = eventOf(events.bookingConfirmed, booking);

    await h.handle(event);
    await h.handle(event);

    const id = `email-${event.id}-${client.userId}`;
    expect(await waitFor(() => ran.items.some((job) => job.data.emailId === id))).toBe(true);
    const jobs = ran.items.filter((job) => job.data.emailId === id);
    expect(jobs).toHaveLength(1);
    expect(jobs[0]).toMatchObject({ id, queue: emailQueue, name: 'booking_confirmed', data: { emailId: id } });
  });

  it('that cannot be enqueued are logged, not thrown, and the sweep enqueues them once the queue is back', async () => {
    h.clock.set('2030-01-08T08:59:30.000Z');
    const client = await h.user();
    const booking = bookingSnapshot(client, undefined, { startsAt: '2030-01-08T10:00:00.000Z' });
    const event = eventOf(events.bookingConfirmed, booking);
    const logged = logLines.length;
    target = () => down;

    await expect(h.handle(event)).resolves.toBe(true);

    // The confirmation and the reminder due in 30 s (the one a day before is past).
    expect(logLines.slice(logged).filter((line) => line.includes('could not enqueue an email'))).toHaveLength(2);
    expect((await rows(booking.bookingId)).map((row) => row.status)).toEqual(['pending', 'pending']);
    const delayed = (await live.counts(emailQueue)).delayed;

    target = () => live;
    expect(await h.ctx.emails.sweep()).toBeGreaterThanOrEqual(2);

    const confirmation = `email-${event.id}-${client.userId}`;
    expect(await waitFor(() => ran.items.some((job) => job.id === confirmation))).toBe(true);
    expect((await live.counts(emailQueue)).delayed - delayed).toBe(1);

    // Sweeping again hands the same rows over; the queue keeps one job each.
    await h.ctx.emails.sweep();
    expect(ran.items.filter((job) => job.id === confirmation)).toHaveLength(1);
    expect((await live.counts(emailQueue)).delayed - delayed).toBe(1);
  });
});

async function waitFor(check: () => boolean, timeoutMs = 5_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!check() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
  return check();
}
