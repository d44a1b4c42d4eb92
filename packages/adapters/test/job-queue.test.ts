import { describe, expect, it } from 'vitest';
import { jobQueueContract } from '@timeslot/ports/contracts/index';
import { testServers, uniqueName } from '@timeslot/testing';
import { createBullMqJobQueue } from '../src/job-queue/bullmq';
import type { BullMqJobQueue } from '../src/job-queue/bullmq';
import { COMPLETED_KEPT, createMemoryJobQueue } from '../src/job-queue/memory';

const quiet = { warn: () => undefined };

/** Closes the handles, then removes every queue they touched under their prefix. */
async function obliterateAndClose(prefix: string, handles: readonly BullMqJobQueue[]): Promise<void> {
  const names = new Set(handles.flatMap((h) => h.queues().map((q) => q.name)));
  await Promise.all(handles.map((h) => h.close()));
  // A test may have closed its handles already, so a fresh one on the same prefix cleans up.
  const janitor = createBullMqJobQueue({ url: testServers.redis, prefix, logger: quiet });
  try {
    for (const name of names) await janitor.queue(name).obliterate({ force: true });
  } finally {
    await janitor.close();
  }
}

// One process has one in-process queue, so the "replica" is the same queue.
jobQueueContract('memory', async () => {
  const jobs = createMemoryJobQueue();
  return { jobs, replica: jobs, cleanup: () => jobs.close() };
});

jobQueueContract('bullmq', async () => {
  const prefix = uniqueName('test-jobs');
  const jobs = createBullMqJobQueue({ url: testServers.redis, prefix, logger: quiet });
  const replica = createBullMqJobQueue({ url: testServers.redis, prefix, logger: quiet });
  return { jobs, replica, cleanup: () => obliterateAndClose(prefix, [jobs, replica]) };
});

describe('memory job queue', () => {
  it(`forgets completed job ids beyond the last ${COMPLETED_KEPT}, as BullMQ's removeOnComplete does`, async () => {
    const jobs = createMemoryJobQueue();
    try {
      let done = 0;
      let allDone!: () => void;
      const finished = new Promise<void>((resolve) => {
        allDone = resolve;
      });
      const ran: string[] = [];
      await jobs.process('bulk', async (job) => {
        ran.push(job.id);
        done++;
        if (done === COMPLETED_KEPT + 1 || done === COMPLETED_KEPT + 2) allDone();
      });
      for (let i = 0; i <= COMPLETED_KEPT; i++) await jobs.enqueue('bulk', 'n', {}, { jobId: `job-${i}` });
      await finished;
      expect((await jobs.counts('bulk')).completed).toBe(COMPLETED_KEPT);

      // job-0 fell out of the completed list, so its id is free again; job-1 is still known.
      const again = new Promise<void>((resolve) => {
        allDone = resolve;
      });
      await jobs.enqueue('bulk', 'n', {}, { jobId: 'job-1' });
      await jobs.enqueue('bulk', 'n', {}, { jobId: 'job-0' });
      await again;
      expect(ran.slice(COMPLETED_KEPT + 1)).toEqual(['job-0']);
    } finally {
      await jobs.close();
    }
  });
});

describe('BullMQ job queue', () => {
  it('exposes its BullMQ queues by name for dashboards', async () => {
    const prefix = uniqueName('test-jobs');
    const jobs = createBullMqJobQueue({ url: testServers.redis, prefix, logger: quiet });
    try {
      await jobs.enqueue('email', 'send', { to: 'ada@example.com' });
      await jobs.enqueue('sms', 'send', { to: '+10000000000' });

      expect(jobs.queues().map((q) => q.name).sort()).toEqual(['email', 'sms']);
      const queue = jobs.queue('email');
      expect(queue.opts.prefix).toBe(prefix);
      expect(await queue.getWaitingCount()).toBe(1);
    } finally {
      await obliterateAndClose(prefix, [jobs]);
    }
  });
});
