/**
 * Email delivery on the distributed stack (PostgreSQL, BullMQ on Redis, a local SMTP server):
 *
 * 1. enqueue rate of our JobQueue.enqueue on BullMQ next to BullMQ's raw Queue.add with the same
 *    job options, 50 at a time, in the same run (targets: ≥ 2,000 jobs/s and ≥ 80% of raw);
 * 2. delay from an `emails` row committed and its job enqueued to the SMTP server's acceptance,
 *    at 80% of the default limit (300/min), p50 and p99;
 * 3. sent per minute under a backlog, against the limit (300/min, counted in 10-second windows so
 *    the run stays short);
 * 4. delay from a booking confirmed (the API's 201) to its confirmation email accepted by SMTP,
 *    through the whole distributed path (bench/booking-email.ts).
 *
 *   npm run bench:email            # BENCH_DURATION (default 10) seconds per enqueue loop
 *
 * Results also go to bench/results/email-<timestamp>.json.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { createBullMqJobQueue, createMemoryCache, createMemoryEventBus, createPostgresDatabase } from '@timeslot/adapters';
import { createLogger } from '@timeslot/kernel';
import { createNotificationsService } from '@timeslot/notifications';
import { enqueueEmail, startEmailWorkers } from '@timeslot/notifications/email/email.worker';
import { bookingSnapshot, rows, startSmtp } from '../services/notifications/test/email/harness';
import { deleteRedisKeys, repoRoot, testServers, uniqueName } from '@timeslot/testing';
import { bookingToEmail, type BookingEmailDelay } from './booking-email';
import { duration, measureLoop, percentile, results } from './lib';

const quiet = { warn: () => undefined, info: () => undefined };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const summary: Record<string, unknown> = {};

async function enqueueRates(prefix: string): Promise<void> {
  const jobs = createBullMqJobQueue({ url: testServers.redis, prefix: `${prefix}ours`, logger: quiet });
  const connection = new Redis(testServers.redis, { maxRetriesPerRequest: null });
  const raw = new Queue('bench-raw', { connection, prefix: `${prefix}raw` });
  const options = { attempts: 8, backoff: { type: 'exponential', delay: 2000 }, removeOnComplete: { count: 1000 }, removeOnFail: false };
  try {
    // Warm both (scripts loaded, connections up) before measuring.
    for (let i = 0; i < 200; i++) {
      await raw.add('welcome', { payload: { emailId: `warm-${i}` } }, { ...options, jobId: `warm-${i}` });
      await jobs.enqueue('bench-ours', 'welcome', { emailId: `warm-${i}` }, { jobId: `warm-${i}`, attempts: 8, backoffMs: 2000 });
    }
    const rawResult = await measureLoop('BullMQ Queue.add (raw)', 'jobs', 50, async () => {
      const id = `email-${randomUUID()}`;
      await raw.add('welcome', { payload: { emailId: id } }, { ...options, jobId: id });
    });
    const ours = await measureLoop('JobQueue.enqueue (BullMQ adapter)', 'jobs', 50, async () => {
      const id = `email-${randomUUID()}`;
      await jobs.enqueue('bench-ours', 'welcome', { emailId: id }, { jobId: id, attempts: 8, backoffMs: 2000 });
    });
    summary.enqueue = { ours: ours.requestsPerSecond, raw: rawResult.requestsPerSecond, ratio: ours.requestsPerSecond / rawResult.requestsPerSecond };
  } finally {
    await raw.close();
    await jobs.close();
    await connection.quit();
  }
}

async function delivery(prefix: string): Promise<void> {
  const smtp = await startSmtp();
  const database = await createPostgresDatabase({ url: testServers.postgres, poolSize: 8 });
  const schema = uniqueName('bench_email');
  const jobs = createBullMqJobQueue({ url: testServers.redis, prefix: `${prefix}delivery`, logger: quiet });
  const service = await createNotificationsService({
    database,
    cache: createMemoryCache(),
    bus: createMemoryEventBus(),
    jobs,
    logger: createLogger({ level: 'silent' }),
    options: { schema, smtpUrl: smtp.url, emailRatePerMinute: 300 },
  });
  await service.migrate();
  const data = rows(database, schema);
  try {
    // Below the limit: 4 per second (80% of 300/min) for 30 s, one booking confirmation each.
    let workers = await startEmailWorkers(service.context, undefined, { sweepIntervalMs: 0 });
    const enqueuedAt = new Map<string, number>();
    const steady = 120;
    for (let index = 0; index < steady; index++) {
      const due = Date.now() + 250;
      const userId = randomUUID();
      await data.recipient({ userId, email: `steady-${index}@example.com`, name: `Client ${index}`, timeZone: 'Europe/Berlin', locale: 'de' });
      const booking = bookingSnapshot({ clientId: userId });
      await data.booking(booking);
      const id = await data.email({ userId, kind: 'booking_confirmed', data: { audience: 'client', booking } });
      enqueuedAt.set(`<${id}@timeslot.invalid>`, Date.now());
      await enqueueEmail(jobs, { id, kind: 'booking_confirmed', sendAfter: new Date() }, new Date());
      await sleep(Math.max(0, due - Date.now()));
    }
    await smtp.waitFor(steady, 60_000);
    const delays = smtp.received.map((message) => message.receivedAt - (enqueuedAt.get(message.mail.messageId ?? '') ?? Number.NaN)).sort((a, b) => a - b);
    summary.delay = { emails: steady, ratePerMinute: 240, limitPerMinute: 300, p50: percentile(delays, 0.5), p99: percentile(delays, 0.99), max: delays[delays.length - 1] };
    results.push({ scenario: 'emails row → SMTP accepted, 4/s (limit 300/min)', requestsPerSecond: 4, p50: percentile(delays, 0.5), p95: percentile(delays, 0.95), p99: percentile(delays, 0.99), max: delays.at(-1) ?? 0, errors: 0, non2xx: 0, unavailable: 0 });
    process.stderr.write(`delay row → SMTP at 240/min: p50 ${percentile(delays, 0.5)} ms, p99 ${percentile(delays, 0.99)} ms\n`);
    for (const worker of workers) await worker.close();

    // Under a backlog: 300 per minute counted as 50 per 10 s; 200 waiting at once.
    const backlog = 200;
    const limit = { max: 50, durationMs: 10_000 };
    const before = smtp.received.length;
    const now = new Date();
    for (let index = 0; index < backlog; index++) {
      const userId = randomUUID();
      await data.recipient({ userId, email: `backlog-${index}@example.com`, name: `User ${index}`, timeZone: 'UTC', locale: 'en' });
      const id = await data.email({ userId, kind: 'welcome', data: { audience: 'user' } });
      await enqueueEmail(jobs, { id, kind: 'welcome', sendAfter: now }, now);
    }
    workers = await startEmailWorkers(service.context, undefined, { rateLimit: limit, sweepIntervalMs: 0 });
    await smtp.waitFor(before + backlog, 120_000);
    const times = smtp.received.slice(before).map((message) => message.receivedAt).sort((a, b) => a - b);
    // From the first receipt of the second window to the first of the last: whole windows only.
    const windows = Math.floor(backlog / limit.max) - 1;
    const perMinute = (((windows - 1) * limit.max) / (times[windows * limit.max]! - times[limit.max]!)) * 60_000;
    summary.backlog = { emails: backlog, limitPerMinute: 300, window: limit, sentPerMinute: Math.round(perMinute), ofLimit: perMinute / 300 };
    process.stderr.write(`backlog of ${backlog}: ${perMinute.toFixed(1)} sent/min against a limit of 300/min\n`);
    for (const worker of workers) await worker.close();
  } finally {
    await jobs.close();
    await database.query(`drop schema if exists "${schema}" cascade`);
    await database.close();
    await smtp.close();
  }
}

async function main(): Promise<void> {
  const prefix = `${uniqueName('bench_email')}:`;
  const redis = new Redis(testServers.redis);
  try {
    await enqueueRates(prefix);
    await delivery(prefix);
    summary.bookingToEmail = await bookingToEmail();
  } finally {
    await deleteRedisKeys(redis, prefix);
    await redis.quit();
  }
  console.table(results);
  const enqueue = summary.enqueue as { ours: number; raw: number; ratio: number };
  const delay = summary.delay as { p50: number; p99: number };
  const backlog = summary.backlog as { sentPerMinute: number; ofLimit: number };
  console.log(
    [
      `enqueue: ${enqueue.ours} jobs/s, raw BullMQ ${enqueue.raw} jobs/s: ${(enqueue.ratio * 100).toFixed(1)}%   (target >= 2,000 jobs/s and >= 80%)`,
      `row → SMTP at 240/min: p50 ${delay.p50} ms, p99 ${delay.p99} ms`,
      `backlog: ${backlog.sentPerMinute} sent/min against 300/min (${(backlog.ofLimit * 100).toFixed(1)}%)`,
      `booking confirmed (201) → confirmation accepted by SMTP, distributed, ${(summary.bookingToEmail as BookingEmailDelay).bookings} bookings at 4/s: p50 ${(summary.bookingToEmail as BookingEmailDelay).p50} ms, p99 ${(summary.bookingToEmail as BookingEmailDelay).p99} ms`,
    ].join('\n'),
  );
  await mkdir(path.join(repoRoot, 'bench/results'), { recursive: true });
  await writeFile(path.join(repoRoot, 'bench/results', `email-${new Date().toISOString().replaceAll(':', '-')}.json`), JSON.stringify({ duration, results, summary }, null, 2));
}

await main();
