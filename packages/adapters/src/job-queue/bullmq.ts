import { ErrorCode, Queue, Worker } from 'bullmq';
import type { Job as BullJob, JobState } from 'bullmq';
import { Redis } from 'ioredis';
import { withTimeout, type EnqueueOptions, type FailedJob, type Job, type JobQueue, type JobWorker, type QueueCounts, type WorkerOptions } from '@timeslot/ports';
import { createOutageReporter, createRedisGuard, errorMessage, failFastRedisOptions, reportRedisOutages, type AdapterLogger } from '../redis/resilience';
import { COMPLETED_KEPT, assertFailedLimit, assertJobId, notifySettled, resolveRetry } from './memory';

export type JobQueueLogger = AdapterLogger;

export interface BullMqJobQueueOptions {
  readonly url: string;
  /** BullMQ's key prefix in Redis (default `timeslot`). */
  readonly prefix?: string;
  /** Where failures go; Redis outages are rate-limited. Default: JSON lines on stderr. */
  readonly logger?: JobQueueLogger;
  /** How long an enqueue may take before it fails (default 1000 ms). */
  readonly enqueueTimeoutMs?: number;
}

/** The JobQueue plus the BullMQ queues behind it, for dashboards such as bull-board. */
export interface BullMqJobQueue extends JobQueue {
  /** Every BullMQ Queue this process has used so far (by enqueue or process). */
  queues(): Queue[];
  queue(name: string): Queue;
}

const line = (level: string, obj: object, msg: string): void => {
  process.stderr.write(`${JSON.stringify({ level, time: new Date().toISOString(), ...obj, msg })}\n`);
};
// Still one JSON object per line, like the processes' pino output, for callers that pass none.
const stderrLogger: JobQueueLogger = { warn: (obj, msg) => line('warn', obj, msg), info: (obj, msg) => line('info', obj, msg) };

/** Errors a dead Redis causes; reported as an outage rather than one line each. */
const connectionError = (error: Error): boolean =>
  /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|ENOTFOUND|EHOSTUNREACH|Connection is closed|Stream isn't writeable|Command timed out|max retries|MaxRetriesPerRequest/i.test(
    `${error.name} ${error.message}`,
  );

/**
 * What a BullMQ job's data holds: the caller's payload and the request id beside it, so the
 * dashboard shows both and the worker can log with the request's id.
 */
interface StoredData {
  readonly payload: unknown;
  readonly requestId?: string;
}

function unwrap(data: unknown): { data: unknown; requestId?: string } {
  const stored = data as StoredData;
  return stored.requestId === undefined ? { data: stored.payload } : { data: stored.payload, requestId: stored.requestId };
}

const message = errorMessage;

/** The states `remove` takes a job from (see the port); BullMQ itself would also remove completed ones. */
const removable: ReadonlySet<JobState | 'unknown'> = new Set(['waiting', 'prioritized', 'delayed', 'failed']);

/** BullMQ's answer when a job is gone or no longer in the state a script expected. */
const notThere = (error: unknown): boolean => {
  const code = (error as { code?: unknown }).code;
  return code === ErrorCode.JobNotExist || code === ErrorCode.JobNotInState;
};

/** Ids `enqueue` refuses can name no job of ours; with ":" they could name another of BullMQ's keys. */
const foreignId = (jobId: string): boolean => jobId === '' || jobId.includes(':');

const withDeadline = <T>(work: Promise<T>, ms: number, what: string): Promise<T> => withTimeout(work, ms, `${what} did not finish within ${ms} ms`);

/**
 * The distributed JobQueue on BullMQ. Its limiter counts starts in Redis per queue, so a rate
 * limit holds across every worker in every process; completed jobs are kept (the last 1000) so
 * their ids keep deduplicating, and failed jobs are kept for inspection.
 */
export function createBullMqJobQueue(options: BullMqJobQueueOptions): BullMqJobQueue {
  const prefix = options.prefix ?? 'timeslot';
  const logger = options.logger ?? stderrLogger;
  const enqueueTimeoutMs = options.enqueueTimeoutMs ?? 1000;
  // Producers fail fast when Redis is away (an enqueue inside a request must not hang: callers
  // log it and a sweep re-arms the job later), while workers wait for it: BullMQ requires
  // maxRetriesPerRequest null on worker connections. No command timeout on the producer either:
  // BullMQ's scripts there are short, and the guard's deadline bounds a whole enqueue.
  const producerConnection = new Redis(options.url, { ...failFastRedisOptions(), commandTimeout: undefined, enableAutoPipelining: false });
  const workerConnection = new Redis(options.url, { maxRetriesPerRequest: null });
  const producerOutage = createOutageReporter(logger, { dependency: 'redis', client: 'job-queue' });
  const workerOutage = createOutageReporter(logger, { dependency: 'redis', client: 'job-worker' });
  reportRedisOutages(producerConnection, producerOutage);
  reportRedisOutages(workerConnection, workerOutage);
  // A worker polling a dead Redis reports an error per try: the same outage, not news each time.
  const report = (fields: object, msg: string) => (error: Error) => {
    if (connectionError(error)) workerOutage.failed(error);
    else logger.warn({ ...fields, err: error.message }, msg);
  };
  const guard = createRedisGuard(producerConnection, { firstConnectWaitMs: enqueueTimeoutMs });
  const queues = new Map<string, Queue>();
  const workers = new Set<Worker>();
  let closing: Promise<void> | undefined;

  function queueOf(name: string): Queue {
    if (closing) throw new Error('The job queue is closed.');
    let queue = queues.get(name);
    if (!queue) {
      queue = new Queue(name, { connection: producerConnection, prefix });
      queue.on('error', report({ queue: name }, 'BullMQ queue error'));
      queues.set(name, queue);
    }
    return queue;
  }

  return {
    queues: () => [...queues.values()],
    queue: queueOf,

    async enqueue<T>(queue: string, name: string, data: T, enqueueOptions: EnqueueOptions = {}) {
      assertJobId(enqueueOptions.jobId);
      // BullMQ ignores an add whose jobId it still holds, in any state: that is the dedup.
      const retry = resolveRetry(enqueueOptions);
      const envelope: StoredData = { payload: data, ...(enqueueOptions.requestId === undefined ? {} : { requestId: enqueueOptions.requestId }) };
      const target = queueOf(queue);
      // Through the breaker: while Redis is down an enqueue fails at once instead of each one
      // waiting out its deadline. One that timed out may still land later; its job id dedupes it.
      await guard.run(() =>
        withDeadline(
          target.add(name, envelope, {
            jobId: enqueueOptions.jobId,
            delay: enqueueOptions.delayMs,
            attempts: retry.attempts,
            backoff: { type: 'exponential', delay: retry.backoffMs },
            removeOnComplete: { count: COMPLETED_KEPT },
            removeOnFail: false,
          }),
          enqueueTimeoutMs,
          `Enqueuing on ${queue}`,
        ),
      );
    },

    async process<T>(queue: string, handler: (job: Job<T>) => Promise<void>, workerOptions: WorkerOptions = {}): Promise<JobWorker> {
      queueOf(queue);
      const { rateLimit, onSettled } = workerOptions;
      const worker = new Worker(
        queue,
        async (job: BullJob) => {
          const attempt = job.attemptsMade + 1;
          const startedAt = performance.now();
          const settled = (outcome: 'completed' | 'retry' | 'failed') =>
            notifySettled(onSettled, { queue, name: job.name, attempt, durationMs: performance.now() - startedAt, outcome });
          try {
            const stored = unwrap(job.data) as { data: T; requestId?: string };
            await handler({ id: job.id ?? '', queue, name: job.name, attempt, ...stored });
          } catch (error) {
            // BullMQ retries while attempts remain (attemptsMade counts this one once it throws).
            settled(attempt < (job.opts.attempts ?? 1) ? 'retry' : 'failed');
            throw error;
          }
          settled('completed');
        },
        {
          connection: workerConnection,
          prefix,
          concurrency: Math.max(1, workerOptions.concurrency ?? 1),
          limiter: rateLimit ? { max: rateLimit.max, duration: rateLimit.durationMs } : undefined,
        },
      );
      worker.on('error', report({ queue }, 'BullMQ worker error'));
      worker.on('failed', (job: BullJob | undefined, error: Error) =>
        logger.warn({ queue, jobId: job?.id, name: job?.name, attempt: job?.attemptsMade, err: error.message }, 'Job failed'),
      );
      workers.add(worker);
      try {
        await worker.waitUntilReady();
      } catch (error) {
        workers.delete(worker);
        await worker.close(true);
        throw error;
      }
      return {
        close: async () => {
          workers.delete(worker);
          // Waits for the jobs it is running; BullMQ hands everything else to other workers.
          await worker.close();
        },
      };
    },

    async failed(queue, failedOptions): Promise<FailedJob[]> {
      const limit = assertFailedLimit(failedOptions);
      // The failed set is scored by finish time: ascending for all, descending for the newest few.
      const jobs = limit === undefined ? await queueOf(queue).getJobs(['failed'], 0, -1, true) : await queueOf(queue).getJobs(['failed'], 0, limit - 1, false);
      return jobs.map((job) => ({
        id: job.id ?? '',
        queue,
        name: job.name,
        ...unwrap(job.data),
        attempt: job.attemptsMade,
        error: job.failedReason,
        failedAt: new Date(job.finishedOn ?? job.processedOn ?? job.timestamp).toISOString(),
      }));
    },

    async remove(queue, jobId) {
      if (foreignId(jobId)) return false;
      const target = queueOf(queue);
      const job = await target.getJob(jobId);
      if (job === undefined || !removable.has(await job.getState())) return false;
      // 0 when a worker took the job (and holds its lock) since the state was read.
      return (await target.remove(jobId)) === 1;
    },

    async retry(queue, jobId) {
      if (foreignId(jobId)) return false;
      const job = await queueOf(queue).getJob(jobId);
      if (job === undefined) return false;
      try {
        // Atomic in Redis: only a job still in the failed set moves back to waiting.
        await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
        return true;
      } catch (error) {
        if (notThere(error)) return false;
        throw error;
      }
    },

    async counts(queue): Promise<QueueCounts> {
      const counts = await queueOf(queue).getJobCounts('waiting', 'delayed', 'active', 'completed', 'failed');
      return {
        waiting: counts.waiting ?? 0,
        delayed: counts.delayed ?? 0,
        active: counts.active ?? 0,
        completed: counts.completed ?? 0,
        failed: counts.failed ?? 0,
      };
    },

    async ping() {
      if (closing) throw new Error('The job queue is closed.');
      await producerConnection.ping();
    },

    close() {
      closing ??= (async () => {
        guard.close();
        await Promise.allSettled([...workers].map((worker) => worker.close()));
        workers.clear();
        await Promise.allSettled([...queues.values()].map((queue) => queue.close()));
        for (const connection of [producerConnection, workerConnection]) {
          try {
            await connection.quit();
          } catch (error) {
            logger.warn({ err: message(error) }, 'Redis quit failed; disconnecting');
            connection.disconnect();
          }
        }
      })();
      return closing;
    },
  };
}
