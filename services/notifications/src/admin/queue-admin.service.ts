import { commonErrors } from '@timeslot/kernel';
import { withTimeout, type JobQueue } from '@timeslot/ports';
import { queueAdminErrors } from './queue-admin.errors';
import type { FailedJobSummary, QueueSummary } from './queue-admin.schemas';

export interface QueueAdminDeps {
  readonly jobs: JobQueue;
  /** The queues admins may see and act on; any other name is QUEUE_NOT_FOUND. */
  readonly queues: readonly string[];
  /** How long one job-queue call may take before the request gets 503 (default 2000 ms). */
  readonly timeoutMs?: number;
}

export interface QueueAdmin {
  list(): Promise<QueueSummary[]>;
  failed(queue: string, limit: number): Promise<FailedJobSummary[]>;
  /** Throws JOB_NOT_FOUND when the queue holds no failed job with this id. */
  retry(queue: string, jobId: string): Promise<void>;
}

/**
 * What admins may do with this service's job queues. A job queue that cannot answer (Redis away or
 * hung) is a 503 SERVICE_UNAVAILABLE, never a 500 or a request left hanging.
 */
export function createQueueAdmin(deps: QueueAdminDeps): QueueAdmin {
  const known = new Set(deps.queues);
  const timeoutMs = deps.timeoutMs ?? 2000;

  async function call<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await withTimeout(work(), timeoutMs, `the job queue did not answer within ${timeoutMs} ms`);
    } catch (error) {
      throw commonErrors.unavailable('The job queue is unreachable; try again shortly.', error);
    }
  }

  function checked(queue: string): string {
    if (!known.has(queue)) throw queueAdminErrors.queueNotFound();
    return queue;
  }

  return {
    async list() {
      return call(() => Promise.all(deps.queues.map(async (name) => ({ name, counts: await deps.jobs.counts(name) }))));
    },

    async failed(queue, limit) {
      const name = checked(queue);
      const jobs = await call(() => deps.jobs.failed(name, { limit }));
      return jobs.map((job) => ({
        id: job.id,
        name: job.name,
        attempt: job.attempt,
        error: job.error,
        failedAt: job.failedAt,
        requestId: job.requestId ?? null,
      }));
    },

    async retry(queue, jobId) {
      const name = checked(queue);
      if (!(await call(() => deps.jobs.retry(name, jobId)))) throw queueAdminErrors.jobNotFound();
    },
  };
}
