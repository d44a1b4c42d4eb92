import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryJobQueue } from '@timeslot/adapters/job-queue/memory';
import { createBullMqJobQueue, type BullMqJobQueue } from '@timeslot/adapters/job-queue/bullmq';
import { createHttpServer, installAuth, type App } from '@timeslot/kernel';
import { Seen, eventually } from '@timeslot/ports/contracts/wait';
import type { JobQueue } from '@timeslot/ports';
import { fieldPaths, startPrivateRedis, testServers, uniqueName } from '@timeslot/testing';
import { registerQueueAdminRoutes } from '../../src/admin/queue-admin.routes';
import { bearer, createTestKeys, silentLogger, type TestKeys } from './harness';

const quiet = { warn: () => undefined };
const queues = ['email', 'reminders'] as const;

let keys: TestKeys;
let admin: string;
beforeAll(async () => {
  keys = await createTestKeys();
  admin = await keys.sign('admin');
});

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function buildApp(jobs: JobQueue, options: { timeoutMs?: number } = {}): Promise<App> {
  const app = await createHttpServer({ service: 'notifications', logger: silentLogger });
  installAuth(app, keys.verify);
  registerQueueAdminRoutes(app, { jobs, queues, ...options });
  await app.ready();
  cleanups.push(() => app.close());
  return app;
}

function bullmq(url: string = testServers.redis): BullMqJobQueue {
  const jobs = createBullMqJobQueue({ url, prefix: uniqueName('test-queue-admin'), logger: quiet });
  cleanups.push(async () => {
    for (const queue of jobs.queues()) await queue.obliterate({ force: true }).catch(() => undefined);
    await jobs.close();
  });
  return jobs;
}

function memory(): JobQueue {
  const jobs = createMemoryJobQueue();
  cleanups.push(() => jobs.close());
  return jobs;
}

/** A worker on `email` that fails every job whose data says so, on its only attempt. */
async function failOn(jobs: JobQueue): Promise<Seen<{ id: string; attempt: number }>> {
  const runs = new Seen<{ id: string; attempt: number }>();
  await jobs.process<{ fail: boolean }>('email', async (job) => {
    runs.add({ id: job.id, attempt: job.attempt });
    if (job.data.fail) throw new Error(`mailbox full (${job.id})`);
  });
  return runs;
}

for (const [adapter, make] of [
  ['memory', memory],
  ['bullmq', () => bullmq()],
] as const) {
  describe(`queue admin API: ${adapter}`, () => {
    it('lists the queues with their jobs by state', async () => {
      const jobs = make();
      const app = await buildApp(jobs);
      await jobs.enqueue('email', 'send', { to: 'ada@example.com' });
      await jobs.enqueue('reminders', 'remind', { to: 'ada@example.com' }, { delayMs: 60_000 });

      const res = await app.inject({ method: 'GET', url: '/api/v1/admin/queues', headers: bearer(admin) });

      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({
        items: [
          { name: 'email', counts: { waiting: 1, active: 0, delayed: 0, failed: 0, completed: 0 } },
          { name: 'reminders', counts: { waiting: 0, active: 0, delayed: 1, failed: 0, completed: 0 } },
        ],
      });
    });

    it('lists recent failures newest first, without their data', async () => {
      const jobs = make();
      const app = await buildApp(jobs);
      await failOn(jobs);
      await jobs.enqueue('email', 'send', { to: 'ada@example.com', fail: true }, { jobId: 'mail-1', attempts: 1, requestId: 'req-1' });
      await eventually(() => jobs.counts('email'), (c) => c.failed === 1);
      await jobs.enqueue('email', 'send', { to: 'bob@example.com', fail: true }, { jobId: 'mail-2', attempts: 1 });
      await eventually(() => jobs.counts('email'), (c) => c.failed === 2);

      const res = await app.inject({ method: 'GET', url: '/api/v1/admin/queues/email/failed', headers: bearer(admin) });

      expect(res.statusCode).toBe(200);
      const { items } = res.json<{ items: Record<string, unknown>[] }>();
      expect(items.map((job) => job.id)).toEqual(['mail-2', 'mail-1']);
      expect(items[1]).toEqual({ id: 'mail-1', name: 'send', attempt: 1, error: 'mailbox full (mail-1)', failedAt: expect.any(String), requestId: 'req-1' });
      expect(items[0]?.requestId).toBeNull();
      expect(res.body).not.toContain('example.com');

      const one = await app.inject({ method: 'GET', url: '/api/v1/admin/queues/email/failed?limit=1', headers: bearer(admin) });
      expect(one.json<{ items: { id: string }[] }>().items.map((job) => job.id)).toEqual(['mail-2']);
    });

    it('retries a failed job: 204, and it runs again from attempt 1, as often as it fails', async () => {
      const jobs = make();
      const app = await buildApp(jobs);
      const runs = await failOn(jobs);
      await jobs.enqueue('email', 'send', { fail: true }, { jobId: 'mail-3', attempts: 1 });
      await eventually(() => jobs.counts('email'), (c) => c.failed === 1);

      const url = '/api/v1/admin/queues/email/jobs/mail-3/retry';
      const res = await app.inject({ method: 'POST', url, headers: bearer(admin) });

      expect(res.statusCode).toBe(204);
      expect(res.body).toBe('');
      expect(await runs.atLeast(2)).toEqual([
        { id: 'mail-3', attempt: 1 },
        { id: 'mail-3', attempt: 1 },
      ]);
      await eventually(() => jobs.counts('email'), (c) => c.active === 0 && c.failed === 1);
      // It failed again (its data still says so): back in the failed set, retryable once more.
      expect(await jobs.failed('email')).toHaveLength(1);
      expect((await app.inject({ method: 'POST', url, headers: bearer(admin) })).statusCode).toBe(204);
      await runs.atLeast(3);
    });

    it('404 JOB_NOT_FOUND for a job that is unknown or not failed, 404 QUEUE_NOT_FOUND for a queue it does not serve', async () => {
      const jobs = make();
      const app = await buildApp(jobs);
      await jobs.enqueue('email', 'send', {}, { jobId: 'waiting-1' });

      const codeOf = async (method: 'GET' | 'POST', url: string) => {
        const res = await app.inject({ method, url, headers: bearer(admin) });
        expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
        return [res.statusCode, res.json<{ code: string }>().code];
      };
      expect(await codeOf('POST', '/api/v1/admin/queues/email/jobs/never-enqueued/retry')).toEqual([404, 'JOB_NOT_FOUND']);
      expect(await codeOf('POST', '/api/v1/admin/queues/email/jobs/waiting-1/retry')).toEqual([404, 'JOB_NOT_FOUND']);
      expect(await codeOf('POST', '/api/v1/admin/queues/email/jobs/12/retry')).toEqual([404, 'JOB_NOT_FOUND']);
      expect(await codeOf('POST', '/api/v1/admin/queues/email/jobs/a:b/retry')).toEqual([404, 'JOB_NOT_FOUND']);
      expect(await codeOf('POST', '/api/v1/admin/queues/sms/jobs/waiting-1/retry')).toEqual([404, 'QUEUE_NOT_FOUND']);
      expect(await codeOf('GET', '/api/v1/admin/queues/sms/failed')).toEqual([404, 'QUEUE_NOT_FOUND']);
      expect((await jobs.counts('email')).waiting).toBe(1);
    });
  });
}

describe('queue admin API: access and input', () => {
  const routes = [
    ['GET', '/api/v1/admin/queues'],
    ['GET', '/api/v1/admin/queues/email/failed?limit=1'],
    ['POST', '/api/v1/admin/queues/email/jobs/mail-1/retry'],
  ] as const;

  it('401 without a token or with an expired one, 403 for clients and providers, before any validation', async () => {
    const app = await buildApp(memory());
    const client = await keys.sign('client');
    const provider = await keys.sign('provider');
    const expired = await keys.sign('admin', { expiresInSeconds: -10 });
    for (const [method, url] of [...routes, ['GET', '/api/v1/admin/queues/email/failed?limit=oops'] as const]) {
      const answers = [];
      for (const headers of [{}, bearer(expired), bearer(client), bearer(provider)]) {
        const res = await app.inject({ method, url, headers });
        answers.push(`${res.statusCode} ${res.json<{ code: string }>().code}`);
      }
      expect(answers, `${method} ${url}`).toEqual(['401 UNAUTHENTICATED', '401 TOKEN_EXPIRED', '403 FORBIDDEN', '403 FORBIDDEN']);
    }
  });

  it('400 VALIDATION_FAILED for a limit outside 1–100 or an unknown query parameter', async () => {
    const app = await buildApp(memory());
    for (const [query, path] of [
      ['limit=0', 'querystring.limit'],
      ['limit=101', 'querystring.limit'],
      ['limit=2.5', 'querystring.limit'],
      ['limit=ten', 'querystring.limit'],
      ['limit=1&data=true', 'querystring'],
    ] as const) {
      const res = await app.inject({ method: 'GET', url: `/api/v1/admin/queues/email/failed?${query}`, headers: bearer(admin) });
      expect(res.statusCode, query).toBe(400);
      expect(res.json<{ code: string }>().code).toBe('VALIDATION_FAILED');
      expect(fieldPaths(res)[0], query).toMatch(new RegExp(`^${path.replace('.', '\\.')}`));
    }
    // Fastify's router refuses a path segment over 100 characters before the schema sees it.
    const long = await app.inject({ method: 'POST', url: `/api/v1/admin/queues/email/jobs/${'x'.repeat(101)}/retry`, headers: bearer(admin) });
    expect([long.statusCode, long.json<{ code: string }>().code]).toEqual([400, 'BAD_REQUEST']);
  });

  it('503 SERVICE_UNAVAILABLE, not a hang or a 500, while Redis is hung or down', async () => {
    const redis = await startPrivateRedis();
    cleanups.push(() => redis.close());
    const jobs = bullmq(redis.url);
    cleanups.push(async () => redis.resume());
    const app = await buildApp(jobs, { timeoutMs: 200 });
    await jobs.enqueue('email', 'send', {});

    const answers = async () => {
      const results = [];
      for (const [method, url] of routes) {
        const res = await app.inject({ method, url, headers: bearer(admin) });
        results.push(`${res.statusCode} ${res.json<{ code: string }>().code}`);
      }
      return results;
    };
    redis.pause();
    expect(await answers()).toEqual(Array(3).fill('503 SERVICE_UNAVAILABLE'));
    redis.resume();
    await redis.stop();
    expect(await answers()).toEqual(Array(3).fill('503 SERVICE_UNAVAILABLE'));
  });
});
