import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobWorker } from '@timeslot/ports';
import { eventually } from '@timeslot/ports/contracts/wait';
import { redisTestPrefixes, repoRoot, testServers } from '@timeslot/testing';
import { enqueueEmail, startEmailWorkers } from '../../src/email/email.worker';
import { bullmq, setup, startSmtp, type Setup, type TestSmtp } from './harness';

const fixture = fileURLToPath(new URL('./fixtures/email-worker-child.ts', import.meta.url));
const redis = redisTestPrefixes('email_crash');
let smtp: TestSmtp;
let env: Setup;
const workers: JobWorker[] = [];

beforeAll(async () => {
  smtp = await startSmtp();
});

afterAll(async () => {
  for (const worker of workers) await worker.close();
  await env.jobs.close();
  await env.close();
  await smtp.close();
  await redis.close();
});

describe('an email worker killed with emails in flight', () => {
  it('loses none: another worker sends every email once the dead one is noticed', { timeout: 150_000 }, async () => {
    const prefix = redis.next();
    env = await setup(bullmq(prefix), { smtpUrl: smtp.url });
    const total = 40;
    const ids: string[] = [];
    for (let index = 0; index < total; index++) {
      const user = await env.rows.recipient({ userId: randomUUID(), email: `crash-${index}@example.com`, name: `User ${index}`, timeZone: 'UTC', locale: 'en' });
      ids.push(await env.rows.email({ userId: user.userId, kind: 'welcome', data: { audience: 'user' } }));
    }
    const now = new Date();
    for (const id of ids) await enqueueEmail(env.jobs, { id, kind: 'welcome', sendAfter: now }, now);
    // Each message takes the server a while: the child always has four in the middle of sending.
    smtp.latencyMs = 300;

    const child = spawn(process.execPath, ['--import', 'tsx', fixture, testServers.postgres, env.schema, testServers.redis, prefix, smtp.url], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = once(child, 'exit');
    await new Promise<void>((resolve, reject) => {
      createInterface({ input: child.stdout }).on('line', (line) => {
        if (line === 'ready') resolve();
      });
      void exited.then(() => reject(new Error(`the worker child exited early: ${stderr}`)));
    });
    // Killed while the server holds the tenth message, whole, and has not answered yet: the worst
    // moment, when the server may keep a message whose sender will never hear it was accepted.
    const tenth = new Promise<void>((resolve) => {
      smtp.onData = (count) => {
        if (count === 10) resolve();
      };
    });
    await tenth;
    child.kill('SIGKILL');
    await exited;
    const sentBeforeKill = (await env.rows.statuses()).sent ?? 0;
    const inFlight = await env.database.query<{ id: string }>(`select id from "${env.schema}".emails where status = 'pending' and claimed_until is not null`);
    expect(sentBeforeKill).toBeLessThan(total);
    expect(inFlight.length).toBeGreaterThan(0);

    // The replacement: BullMQ hands it the dead worker's jobs once their locks lapse (its stalled
    // check, every 30 s), and the short leases the child took have run out by then.
    smtp.latencyMs = 0;
    workers.push(...(await startEmailWorkers(env.context, undefined, { concurrency: 4, sweepIntervalMs: 0 })));
    const statuses = await eventually(() => env.rows.statuses(), (counts) => counts.sent === total, 120_000);
    expect(statuses).toEqual({ sent: total });

    const messageIds = smtp.received.map((message) => message.mail.messageId);
    const distinct = new Set(messageIds);
    expect([...distinct].sort()).toEqual(ids.map((id) => `<${id}@timeslot.invalid>`).sort());
    const duplicates = messageIds.length - distinct.size;
    process.stdout.write(
      `kill -9 with ${inFlight.length} emails in flight (${sentBeforeKill} of ${total} sent before): all ${total} sent after the restart; ${duplicates} duplicate(s) received\n`,
    );
    // Only a message the server accepted just before the kill, before its row was marked, may repeat.
    expect(duplicates).toBeLessThanOrEqual(inFlight.length);
  });
});
