import { randomUUID } from 'node:crypto';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobWorker } from '@timeslot/ports';
import { eventually } from '@timeslot/ports/contracts/wait';
import { redisTestPrefixes } from '@timeslot/testing';
import { enqueueEmail, startEmailWorkers } from '../../src/email/email.worker';
import { bullmq, setup, startSmtp, type Setup, type TestSmtp } from './harness';

const redis = redisTestPrefixes('email_rate');
let smtp: TestSmtp;
let env: Setup;
const workers: JobWorker[] = [];
const closers: (() => Promise<void>)[] = [];

beforeAll(async () => {
  smtp = await startSmtp();
});

afterAll(async () => {
  for (const worker of workers) await worker.close();
  for (const close of closers) await close();
  await env.close();
  await smtp.close();
  await redis.close();
});

/**
 * A behaviour check with generous bounds, not a benchmark: the limit is BullMQ's, counted in
 * Redis, and must hold across two worker processes' queues (two BullMQ connections, one prefix).
 */
describe('the email rate limit across two worker replicas', () => {
  it('sends a backlog no faster than the limit and at no less than 95% of it', async () => {
    const prefix = redis.next();
    const first = bullmq(prefix);
    const second = bullmq(prefix);
    closers.push(() => first.close(), () => second.close());
    env = await setup(first, { smtpUrl: smtp.url });
    const limit = { max: 20, durationMs: 1000 };
    const total = 100;

    const ids: string[] = [];
    for (let index = 0; index < total; index++) {
      const user = await env.rows.recipient({ userId: randomUUID(), email: `rate-${index}@example.com`, name: `User ${index}`, timeZone: 'UTC', locale: 'en' });
      ids.push(await env.rows.email({ userId: user.userId, kind: 'welcome', data: { audience: 'user' } }));
    }
    const now = new Date();
    for (const id of ids) await enqueueEmail(first, { id, kind: 'welcome', sendAfter: now }, now);

    const registries = [new Registry(), new Registry()];
    workers.push(...(await startEmailWorkers(env.context, registries[0], { rateLimit: limit, concurrency: 4, sweepIntervalMs: 0 })));
    workers.push(...(await startEmailWorkers({ ...env.context, jobs: second }, registries[1], { rateLimit: limit, concurrency: 4, sweepIntervalMs: 0 })));

    const received = await smtp.waitFor(total, 30_000);
    expect(new Set(received.map((message) => message.mail.messageId)).size).toBe(total);
    const times = received.map((message) => message.receivedAt).sort((a, b) => a - b);
    // The limiter lets `max` jobs start per window, back to back (a window opens with its first
    // start): 100 at 20 per second is five bursts. The first burst is slow (new SMTP connections),
    // so the rate is read from the first receipt of the second burst (the 21st) to the first of the
    // fifth (the 81st): three windows' worth of emails if the limit is met exactly.
    const from = times[limit.max]!;
    const to = times[total - limit.max]!;
    const perWindow = ((total - 2 * limit.max) / (to - from)) * limit.durationMs;
    process.stdout.write(
      `rate limit ${limit.max}/${limit.durationMs} ms, two replicas: ${total} emails, ${times[total - 1]! - times[0]!} ms from first to last receipt; ` +
        `${perWindow.toFixed(2)} per window (receipts ${limit.max + 1} to ${total - limit.max + 1})\n`,
    );
    expect(perWindow).toBeLessThanOrEqual(limit.max * 1.05);
    expect(perWindow).toBeGreaterThanOrEqual(limit.max * 0.95);

    // Both replicas took part: otherwise this proves nothing about a limit shared between them.
    for (const registry of registries) {
      const sent = (await registry.getSingleMetric('emails_sent_total')!.get()).values.reduce((sum, value) => sum + value.value, 0);
      expect(sent).toBeGreaterThan(0);
    }
    const statuses = await eventually(() => env.rows.statuses(), (counts) => counts.sent === total);
    expect(statuses).toEqual({ sent: total });
  });
});
