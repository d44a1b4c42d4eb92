import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PermanentJobError, type Job, type JobQueue } from '../job-queue';
import { Seen, deferred, sleep, eventually } from './wait';

export interface JobQueueContractHandles {
  readonly jobs: JobQueue;
  /** Another process's handle on the same backend. */
  readonly replica: JobQueue;
  cleanup(): Promise<void>;
}

/** How long to wait when asserting that something did NOT happen. */
const QUIET_MS = 100;

/** The JobQueue contract: every adapter must pass it unchanged, against a real backend. */
export function jobQueueContract(name: string, make: () => Promise<JobQueueContractHandles>): void {
  describe(`JobQueue contract: ${name}`, () => {
    let handles: JobQueueContractHandles;
    let jobs: JobQueue;
    let replica: JobQueue;

    beforeEach(async () => {
      handles = await make();
      ({ jobs, replica } = handles);
    });
    afterEach(async () => {
      await handles.cleanup();
    });

    it('hands an enqueued job to a worker with its data intact', async () => {
      const seen = new Seen<Job>();
      await jobs.process('email', async (job) => seen.add(job));
      const data = { to: 'ada@example.com', template: 'booking-confirmed', vars: { when: '2030-01-01T10:00:00.000Z', seats: [1, 2] } };

      await replica.enqueue('email', 'send', data);

      const [job] = await seen.atLeast(1);
      expect(job).toMatchObject({ queue: 'email', name: 'send', data, attempt: 1 });
      expect(typeof job?.id).toBe('string');
      expect(job?.requestId).toBeUndefined();
    });

    it('hands the enqueuing request id to the worker beside the data', async () => {
      const seen = new Seen<Job>();
      await jobs.process('traced', async (job) => seen.add(job));
      await replica.enqueue('traced', 'send', { n: 1 }, { requestId: 'req-42' });
      const [job] = await seen.atLeast(1);
      expect(job).toMatchObject({ data: { n: 1 }, requestId: 'req-42' });
    });

    it('runs jobs in the order they were enqueued with concurrency 1', async () => {
      for (let i = 0; i < 20; i++) await jobs.enqueue('ordered', 'step', { i });
      const seen = new Seen<number>();

      await jobs.process<{ i: number }>('ordered', async (job) => seen.add(job.data.i), { concurrency: 1 });

      expect(await seen.atLeast(20)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    });

    it('does not run a delayed job before its delay', async () => {
      const seen = new Seen<number>();
      await jobs.process('reminders', async () => seen.add(Date.now()));
      const enqueuedAt = Date.now();

      await jobs.enqueue('reminders', 'remind', {}, { delayMs: 150 });

      expect((await jobs.counts('reminders')).delayed).toBe(1);
      const [startedAt] = await seen.atLeast(1);
      expect(startedAt! - enqueuedAt).toBeGreaterThanOrEqual(145);
      expect(startedAt! - enqueuedAt).toBeLessThan(2_000);
    });

    it('retries a failing job with exponential backoff until it succeeds', async () => {
      const attempts = new Seen<{ attempt: number; at: number; id: string }>();
      await jobs.process('flaky', async (job) => {
        attempts.add({ attempt: job.attempt, at: Date.now(), id: job.id });
        if (job.attempt < 3) throw new Error(`transient ${job.attempt}`);
      });

      await jobs.enqueue('flaky', 'call', { n: 1 }, { attempts: 5, backoffMs: 40 });

      const [first, second, third] = await attempts.atLeast(3);
      expect(attempts.items.map((a) => a.attempt)).toEqual([1, 2, 3]);
      expect(new Set(attempts.items.map((a) => a.id)).size).toBe(1);
      expect(second!.at - first!.at).toBeGreaterThanOrEqual(35);
      expect(third!.at - second!.at).toBeGreaterThanOrEqual(75);
      await sleep(QUIET_MS);
      expect(attempts.items).toHaveLength(3);
      expect(await jobs.failed('flaky')).toEqual([]);
    });

    it('keeps a job whose attempts are exhausted in the failed set', async () => {
      const attempts = new Seen<number>();
      await jobs.process('doomed', async (job) => {
        attempts.add(job.attempt);
        throw new Error(`provider said no (attempt ${job.attempt})`);
      });

      await jobs.enqueue('doomed', 'charge', { amount: 4200 }, { attempts: 2, backoffMs: 10, jobId: 'charge-42' });

      await attempts.atLeast(2);
      const failed = await eventually(() => replica.failed('doomed'), (list) => list.length > 0);
      expect(failed).toHaveLength(1);
      expect(failed[0]).toMatchObject({
        id: 'charge-42',
        queue: 'doomed',
        name: 'charge',
        data: { amount: 4200 },
        attempt: 2,
        error: 'provider said no (attempt 2)',
      });
      expect(Number.isNaN(Date.parse(failed[0]!.failedAt))).toBe(false);
      await sleep(QUIET_MS);
      expect(attempts.items).toEqual([1, 2]);
      expect((await jobs.counts('doomed')).failed).toBe(1);
    });

    it('fails a job at once, without its remaining attempts, when its handler throws a PermanentJobError', async () => {
      const attempts = new Seen<number>();
      await jobs.process('refused', async (job) => {
        attempts.add(job.attempt);
        throw new PermanentJobError('550 mailbox unavailable');
      });

      await jobs.enqueue('refused', 'send', { to: 'nobody' }, { attempts: 5, backoffMs: 10, jobId: 'send-1' });

      const failed = await eventually(() => replica.failed('refused'), (list) => list.length > 0);
      expect(failed).toHaveLength(1);
      expect(failed[0]).toMatchObject({ id: 'send-1', attempt: 1, error: '550 mailbox unavailable' });
      await sleep(QUIET_MS);
      expect(attempts.items).toEqual([1]);
    });

    it('ignores a second enqueue with the id of a job it still knows, even once completed', async () => {
      const seen = new Seen<string>();
      await jobs.process<{ v: string }>('dedup', async (job) => seen.add(job.data.v), { concurrency: 1 });

      await jobs.enqueue('dedup', 'send', { v: 'first' }, { jobId: 'booking-1-confirmation' });
      await replica.enqueue('dedup', 'send', { v: 'second' }, { jobId: 'booking-1-confirmation' });
      await jobs.enqueue('dedup', 'send', { v: 'marker-1' }, { jobId: 'marker-1' });
      // FIFO: had the duplicate been queued, it would run before the marker.
      expect(await seen.atLeast(2)).toEqual(['first', 'marker-1']);

      await jobs.enqueue('dedup', 'send', { v: 'third' }, { jobId: 'booking-1-confirmation' });
      await jobs.enqueue('dedup', 'send', { v: 'marker-2' }, { jobId: 'marker-2' });
      expect(await seen.atLeast(3)).toEqual(['first', 'marker-1', 'marker-2']);
    });

    it('refuses job ids the distributed backend cannot store', async () => {
      await expect(jobs.enqueue('ids', 'x', {}, { jobId: '42' })).rejects.toThrow();
      await expect(jobs.enqueue('ids', 'x', {}, { jobId: 'booking:42' })).rejects.toThrow();
    });

    it('holds a rate limit across workers in different processes', async () => {
      const limit = { max: 5, durationMs: 500 };
      for (let i = 0; i < 12; i++) await jobs.enqueue('sms', 'send', { i });
      const starts = new Seen<number>();
      await jobs.process('sms', async () => starts.add(Date.now()), { concurrency: 5, rateLimit: limit });
      await replica.process('sms', async () => starts.add(Date.now()), { concurrency: 5, rateLimit: limit });

      const times = [...(await starts.atLeast(12))].sort((a, b) => a - b);

      // In any window of durationMs at most `max` jobs start: the (i+max)th start is a window
      // after the ith. The slack covers the gap between the limiter's clock and the handler's.
      for (let i = 0; i + limit.max < times.length; i++) {
        expect(times[i + limit.max]! - times[i]!).toBeGreaterThanOrEqual(limit.durationMs - 50);
      }
    });

    it('counts jobs by state', async () => {
      const release = deferred();
      const started = deferred();
      await jobs.enqueue('mixed', 'slow', {});
      await jobs.enqueue('mixed', 'bad', {}, { attempts: 1 });
      await jobs.enqueue('mixed', 'later', {}, { delayMs: 60_000 });
      expect(await jobs.counts('mixed')).toEqual({ waiting: 2, delayed: 1, active: 0, completed: 0, failed: 0 });

      await jobs.process('mixed', async (job) => {
        if (job.name === 'slow') {
          started.resolve();
          await release.promise;
        } else throw new Error('bad job');
      });
      await started.promise;
      expect(await replica.counts('mixed')).toEqual({ waiting: 1, delayed: 1, active: 1, completed: 0, failed: 0 });

      release.resolve();
      const after = await eventually(() => replica.counts('mixed'), (c) => c.completed + c.failed === 2);
      expect(after).toEqual({ waiting: 0, delayed: 1, active: 0, completed: 1, failed: 1 });
    });

    it('a closed worker finishes its job, then takes no more', async () => {
      const started = deferred();
      const release = deferred();
      const done = new Seen<string>();
      const worker = await jobs.process<{ v: string }>('handoff', async (job) => {
        started.resolve();
        if (job.data.v === 'first') await release.promise;
        done.add(job.data.v);
      });
      await jobs.enqueue('handoff', 'step', { v: 'first' });
      await started.promise;

      let doneWhenClosed: string[] | undefined;
      const closed = worker.close().then(() => {
        doneWhenClosed = [...done.items];
      });
      await sleep(20);
      expect(doneWhenClosed).toBeUndefined();
      release.resolve();
      await closed;
      expect(doneWhenClosed).toEqual(['first']);

      await jobs.enqueue('handoff', 'step', { v: 'second' });
      await sleep(QUIET_MS);
      expect(done.items).toEqual(['first']);
      const next = new Seen<string>();
      await replica.process<{ v: string }>('handoff', async (job) => next.add(job.data.v));
      expect(await next.atLeast(1)).toEqual(['second']);
    });

    it('close resolves, then refuses new jobs', async () => {
      await jobs.process('closing', async () => undefined);
      await expect(jobs.ping()).resolves.toBeUndefined();
      await jobs.close();
      await expect(jobs.enqueue('closing', 'x', {})).rejects.toThrow();
    });
  });
}
