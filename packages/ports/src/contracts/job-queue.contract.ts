import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Job, JobQueue, JobSettled } from '../job-queue';
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

    it('removes a waiting job so it never runs, and frees its id', async () => {
      await jobs.enqueue('removal', 'send', { v: 'removed' }, { jobId: 'reminder-1' });
      expect(await replica.remove('removal', 'reminder-1')).toBe(true);
      expect((await jobs.counts('removal')).waiting).toBe(0);
      await jobs.enqueue('removal', 'send', { v: 'marker' }, { jobId: 'marker-1' });

      const seen = new Seen<string>();
      await jobs.process<{ v: string }>('removal', async (job) => seen.add(job.data.v), { concurrency: 1 });
      // FIFO: had the removed job stayed, it would have run before the marker.
      expect(await seen.atLeast(1)).toEqual(['marker']);

      await jobs.enqueue('removal', 'send', { v: 'again' }, { jobId: 'reminder-1' });
      expect(await seen.atLeast(2)).toEqual(['marker', 'again']);
    });

    it('removes a delayed job, so a reminder can move to a new time under the same id', async () => {
      const seen = new Seen<string>();
      await jobs.process<{ at: string }>('moved', async (job) => seen.add(job.data.at));
      await jobs.enqueue('moved', 'remind', { at: 'old time' }, { jobId: 'booking-7-reminder', delayMs: 60_000 });
      expect((await jobs.counts('moved')).delayed).toBe(1);

      expect(await replica.remove('moved', 'booking-7-reminder')).toBe(true);
      expect(await jobs.counts('moved')).toMatchObject({ delayed: 0, waiting: 0 });
      await jobs.enqueue('moved', 'remind', { at: 'new time' }, { jobId: 'booking-7-reminder', delayMs: 30 });

      expect(await seen.atLeast(1)).toEqual(['new time']);
    });

    it('removes a failed job from the failed set', async () => {
      const attempts = new Seen<number>();
      await jobs.process('removal-failed', async (job) => {
        attempts.add(job.attempt);
        throw new Error('no');
      });
      await jobs.enqueue('removal-failed', 'x', {}, { jobId: 'gone-1', attempts: 1 });
      await eventually(() => jobs.counts('removal-failed'), (c) => c.failed === 1);

      expect(await replica.remove('removal-failed', 'gone-1')).toBe(true);

      expect(await jobs.failed('removal-failed')).toEqual([]);
      expect((await jobs.counts('removal-failed')).failed).toBe(0);
      expect(await jobs.retry('removal-failed', 'gone-1')).toBe(false);
      expect(attempts.items).toEqual([1]);
    });

    it('does not remove an unknown, a running or a completed job', async () => {
      const started = deferred();
      const release = deferred();
      const done = new Seen<string>();
      await jobs.process<{ v: string }>('kept', async (job) => {
        if (job.data.v === 'slow') {
          started.resolve();
          await release.promise;
        }
        done.add(job.data.v);
      });
      expect(await jobs.remove('kept', 'never-enqueued')).toBe(false);
      expect(await jobs.remove('no-such-queue', 'never-enqueued')).toBe(false);

      await jobs.enqueue('kept', 'step', { v: 'slow' }, { jobId: 'running-1' });
      await started.promise;
      expect(await replica.remove('kept', 'running-1')).toBe(false);
      release.resolve();
      expect(await done.atLeast(1)).toEqual(['slow']);

      await eventually(() => jobs.counts('kept'), (c) => c.completed === 1);
      expect(await jobs.remove('kept', 'running-1')).toBe(false);
      // Still known, so a second enqueue is ignored: the marker runs alone.
      await jobs.enqueue('kept', 'step', { v: 'duplicate' }, { jobId: 'running-1' });
      await jobs.enqueue('kept', 'step', { v: 'marker' }, { jobId: 'marker-2' });
      expect(await done.atLeast(2)).toEqual(['slow', 'marker']);
    });

    it('retries a failed job with a fresh attempt budget, once', async () => {
      let healthy = false;
      const attempts = new Seen<number>();
      await jobs.process('retried', async (job) => {
        attempts.add(job.attempt);
        if (!healthy) throw new Error('provider down');
      });
      await jobs.enqueue('retried', 'send', { n: 1 }, { jobId: 'send-1', attempts: 2, backoffMs: 10 });
      await eventually(() => jobs.failed('retried'), (list) => list.length === 1);
      expect(attempts.items).toEqual([1, 2]);

      healthy = true;
      expect(await replica.retry('retried', 'send-1')).toBe(true);

      expect(await attempts.atLeast(3)).toEqual([1, 2, 1]);
      const after = await eventually(() => jobs.counts('retried'), (c) => c.completed === 1);
      expect(after).toMatchObject({ failed: 0, completed: 1, waiting: 0 });
      expect(await jobs.failed('retried')).toEqual([]);
      expect(await jobs.retry('retried', 'send-1')).toBe(false);
    });

    it('retries only failed jobs', async () => {
      expect(await jobs.retry('retry-none', 'never-enqueued')).toBe(false);
      await jobs.enqueue('retry-none', 'x', {}, { jobId: 'waiting-1' });
      expect(await jobs.retry('retry-none', 'waiting-1')).toBe(false);
      expect(await jobs.counts('retry-none')).toMatchObject({ waiting: 1, failed: 0 });
    });

    it('lists all failed jobs oldest first, or the newest few newest first', async () => {
      const attempts = new Seen<string>();
      await jobs.process('failures', async (job) => {
        attempts.add(job.id);
        throw new Error(`failed ${job.id}`);
      }, { concurrency: 1 });
      // Ids in failure order also sort alike, so two failures in one millisecond keep that order.
      for (const id of ['fail-1', 'fail-2', 'fail-3']) await jobs.enqueue('failures', 'x', {}, { jobId: id, attempts: 1 });
      await eventually(() => jobs.counts('failures'), (c) => c.failed === 3);

      expect((await replica.failed('failures')).map((job) => job.id)).toEqual(['fail-1', 'fail-2', 'fail-3']);
      const newest = await replica.failed('failures', { limit: 2 });
      expect(newest.map((job) => job.id)).toEqual(['fail-3', 'fail-2']);
      expect(newest[0]).toMatchObject({ queue: 'failures', name: 'x', attempt: 1, error: 'failed fail-3' });
      expect((await jobs.failed('failures', { limit: 10 })).map((job) => job.id)).toEqual(['fail-3', 'fail-2', 'fail-1']);
      await expect(jobs.failed('failures', { limit: 0 })).rejects.toThrow(RangeError);
      await expect(jobs.failed('failures', { limit: 1.5 })).rejects.toThrow(RangeError);
    });

    it("tells a worker's onSettled how long each attempt ran and how it ended", async () => {
      const settled = new Seen<JobSettled>();
      await jobs.process<{ ok: boolean }>(
        'settled',
        async (job) => {
          await sleep(25);
          if (!job.data.ok) throw new Error('no');
        },
        { concurrency: 1, onSettled: (info) => settled.add(info) },
      );
      await jobs.enqueue('settled', 'good', { ok: true });
      await jobs.enqueue('settled', 'bad', { ok: false }, { attempts: 2, backoffMs: 10 });

      const all = await settled.atLeast(3);
      expect(all.map(({ name, attempt, outcome }) => ({ name, attempt, outcome }))).toEqual([
        { name: 'good', attempt: 1, outcome: 'completed' },
        { name: 'bad', attempt: 1, outcome: 'retry' },
        { name: 'bad', attempt: 2, outcome: 'failed' },
      ]);
      for (const info of all) {
        expect(info.queue).toBe('settled');
        expect(info.durationMs).toBeGreaterThanOrEqual(20);
      }
    });

    it('a throwing onSettled changes no outcome', async () => {
      const seen = new Seen<number>();
      await jobs.process(
        'settled-throws',
        async (job) => {
          seen.add(job.attempt);
          if (job.name === 'bad') throw new Error('no');
        },
        {
          onSettled: () => {
            throw new Error('metrics broke');
          },
        },
      );
      await jobs.enqueue('settled-throws', 'good', {});
      await jobs.enqueue('settled-throws', 'bad', {}, { attempts: 2, backoffMs: 10 });

      const after = await eventually(() => jobs.counts('settled-throws'), (c) => c.completed + c.failed === 2);
      expect(after).toMatchObject({ completed: 1, failed: 1 });
      expect([...seen.items].sort()).toEqual([1, 1, 2]);
      expect((await jobs.failed('settled-throws'))[0]).toMatchObject({ name: 'bad', attempt: 2, error: 'no' });
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
