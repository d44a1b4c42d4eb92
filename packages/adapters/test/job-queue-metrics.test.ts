import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { deferred, eventually, Seen } from '@timeslot/ports/contracts/wait';
import type { JobQueue, JobSettled } from '@timeslot/ports';
import { startPrivateRedis, testServers, uniqueName } from '@timeslot/testing';
import { createBullMqJobQueue, type BullMqJobQueue } from '../src/job-queue/bullmq';
import { createMemoryJobQueue } from '../src/job-queue/memory';
import { instrumentedWorkerOptions, registerJobQueueMetrics } from '../src/job-queue/metrics';

const quiet = { warn: () => undefined };

type Scrape = Awaited<ReturnType<Registry['getMetricsAsJSON']>>;

/** The value of one sample of `name` with exactly these labels in a scrape. */
function valueIn(metrics: Scrape, name: string, labels: Record<string, string>): number | undefined {
  // A histogram's samples (`_count`, `_sum`, `_bucket`) are values of one metric, named by metricName.
  const values = metrics.flatMap((metric) => metric.values.filter((value) => ((value as { metricName?: string }).metricName ?? metric.name) === name));
  const wanted = Object.entries(labels);
  const match = values.find(
    (value) =>
      Object.keys(value.labels).length === wanted.length &&
      wanted.every(([key, expected]) => String((value.labels as Record<string, unknown>)[key]) === expected),
  );
  return match?.value;
}

/** One scrape's value of one sample. */
async function sample(registry: Registry, name: string, labels: Record<string, string>): Promise<number | undefined> {
  return valueIn(await registry.getMetricsAsJSON(), name, labels);
}

async function states(registry: Registry, queue: string): Promise<Record<string, number | undefined>> {
  const metrics = await registry.getMetricsAsJSON();
  const result: Record<string, number | undefined> = {};
  for (const state of ['waiting', 'active', 'delayed', 'failed', 'completed']) result[state] = valueIn(metrics, 'job_queue_jobs', { queue, state });
  return result;
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function bullmq(url: string = testServers.redis): BullMqJobQueue {
  const jobs = createBullMqJobQueue({ url, prefix: uniqueName('test-jobmetrics'), logger: quiet });
  cleanups.push(async () => {
    const names = jobs.queues().map((q) => q.name);
    for (const name of names) await jobs.queue(name).obliterate({ force: true }).catch(() => undefined);
    await jobs.close();
  });
  return jobs;
}

function memory(): JobQueue {
  const jobs = createMemoryJobQueue();
  cleanups.push(() => jobs.close());
  return jobs;
}

for (const [adapter, make] of [
  ['memory', memory],
  ['bullmq', () => bullmq()],
] as const) {
  describe(`job queue metrics: ${adapter}`, () => {
    it('reports each queue’s jobs by state at scrape time', async () => {
      const jobs = make();
      const registry = new Registry();
      registerJobQueueMetrics(registry, jobs, ['email', 'webhooks']);

      await jobs.enqueue('email', 'send', {});
      await jobs.enqueue('email', 'send', {}, { attempts: 1 });
      await jobs.enqueue('email', 'remind', {}, { delayMs: 60_000 });
      expect(await states(registry, 'email')).toEqual({ waiting: 2, active: 0, delayed: 1, failed: 0, completed: 0 });
      expect(await states(registry, 'webhooks')).toEqual({ waiting: 0, active: 0, delayed: 0, failed: 0, completed: 0 });

      const release = deferred();
      const started = new Seen<string>();
      await jobs.process('email', async (job) => {
        started.add(job.id);
        if (started.items.length === 1) await release.promise;
        else throw new Error('bounced');
      }, { concurrency: 1 });
      await started.atLeast(1);
      expect(await states(registry, 'email')).toEqual({ waiting: 1, active: 1, delayed: 1, failed: 0, completed: 0 });

      release.resolve();
      await eventually(() => jobs.counts('email'), (c) => c.failed + c.completed === 2);
      expect(await states(registry, 'email')).toEqual({ waiting: 0, active: 0, delayed: 1, failed: 1, completed: 1 });
      await jobs.enqueue('webhooks', 'post', {});
      expect(await states(registry, 'webhooks')).toMatchObject({ waiting: 1 });
    });

    it('records every attempt’s duration by queue and outcome, and still calls the worker’s own onSettled', async () => {
      const jobs = make();
      const registry = new Registry();
      const own = new Seen<JobSettled>();
      await jobs.process<{ ok: boolean }>(
        'email',
        async (job) => {
          if (!job.data.ok) throw new Error('bounced');
        },
        instrumentedWorkerOptions(registry, { concurrency: 1, onSettled: (settled) => own.add(settled) }),
      );
      await jobs.enqueue('email', 'send', { ok: true });
      await jobs.enqueue('email', 'send', { ok: false }, { attempts: 2, backoffMs: 10 });
      await own.atLeast(3);

      const count = (outcome: string) => sample(registry, 'job_duration_seconds_count', { queue: 'email', outcome });
      expect([await count('completed'), await count('retry'), await count('failed')]).toEqual([1, 1, 1]);
      expect(own.items.map((s) => s.outcome)).toEqual(['completed', 'retry', 'failed']);
      const sum = await sample(registry, 'job_duration_seconds_sum', { queue: 'email', outcome: 'completed' });
      expect(sum).toBeGreaterThanOrEqual(0);
    });
  });
}

describe('job queue metrics on one registry', () => {
  it('registering again adds queues instead of failing on a duplicate metric', async () => {
    const first = memory();
    const second = memory();
    const registry = new Registry();
    registerJobQueueMetrics(registry, first, ['email']);
    registerJobQueueMetrics(registry, second, ['sms']);
    registerJobQueueMetrics(registry, first, ['email']);
    await first.enqueue('email', 'send', {});
    await second.enqueue('sms', 'send', {});
    await second.enqueue('sms', 'send', {});

    expect(await sample(registry, 'job_queue_jobs', { queue: 'email', state: 'waiting' })).toBe(1);
    expect(await sample(registry, 'job_queue_jobs', { queue: 'sms', state: 'waiting' })).toBe(2);
    // Two workers' options on one registry share the histogram too.
    expect(() => instrumentedWorkerOptions(registry)).not.toThrow();
    expect(() => instrumentedWorkerOptions(registry)).not.toThrow();
  });

  it('a hung Redis delays a scrape by the timeout only: the last counts stay, and the failure is counted', async () => {
    const redis = await startPrivateRedis();
    cleanups.push(() => redis.close());
    const healthy = memory();
    const jobs = bullmq(redis.url);
    cleanups.push(async () => redis.resume());
    const registry = new Registry();
    registerJobQueueMetrics(registry, jobs, ['email'], { timeoutMs: 200 });
    registerJobQueueMetrics(registry, healthy, ['sms']);
    await jobs.enqueue('email', 'send', {});
    expect(await sample(registry, 'job_queue_jobs', { queue: 'email', state: 'waiting' })).toBe(1);

    redis.pause();
    await healthy.enqueue('sms', 'send', {});
    // Without the timeout this scrape would wait for Redis forever (then the test's own timeout fails it).
    await registry.getMetricsAsJSON();
    const metrics = await registry.getMetricsAsJSON();
    expect(valueIn(metrics, 'job_queue_jobs', { queue: 'email', state: 'waiting' })).toBe(1);
    expect(valueIn(metrics, 'job_queue_counts_failures_total', { queue: 'email' })).toBeGreaterThanOrEqual(1);
    expect(valueIn(metrics, 'job_queue_jobs', { queue: 'sms', state: 'waiting' })).toBe(1);
    expect(valueIn(metrics, 'job_queue_counts_failures_total', { queue: 'sms' })).toBeUndefined();
  });
});
