/** A job as a worker sees it. */
export interface Job<T = unknown> {
  readonly id: string;
  readonly queue: string;
  readonly name: string;
  readonly data: T;
  /** 1 on the first try. */
  readonly attempt: number;
  /** The request that enqueued it, for log correlation. */
  readonly requestId?: string;
}

export interface EnqueueOptions {
  /**
   * Dedup: a second enqueue with the id of a job still known to the queue is ignored. Ids must not
   * be integer-like nor contain ":" (BullMQ reserves both); every adapter refuses them.
   */
  readonly jobId?: string;
  /** Run no earlier than this many ms from now. */
  readonly delayMs?: number;
  /** Total tries, including the first (default 5). */
  readonly attempts?: number;
  /** First retry delay; doubles each retry (default 1000). */
  readonly backoffMs?: number;
  /** The request that caused this job; handed to the worker with the job. */
  readonly requestId?: string;
}

/** How one attempt of a job ended, as a worker's `onSettled` hears it. */
export interface JobSettled {
  readonly queue: string;
  readonly name: string;
  /** The attempt that ended, 1 on the first try. */
  readonly attempt: number;
  /** Time spent in the handler, in ms (not the time the job waited before it). */
  readonly durationMs: number;
  /**
   * `completed`: the handler resolved. `retry`: it threw and the job will run again after its
   * backoff. `failed`: it threw on the job's last attempt; the job is now in the failed set.
   */
  readonly outcome: 'completed' | 'retry' | 'failed';
}

export interface WorkerOptions {
  /** Jobs run at once per worker (default 1: in arrival order). */
  readonly concurrency?: number;
  /** At most `max` jobs start per `durationMs`, across all workers of this queue. */
  readonly rateLimit?: { readonly max: number; readonly durationMs: number };
  /**
   * Called once after every attempt this worker ran, before the queue records its outcome: for
   * metrics (job duration, failure rates; see `instrumentedWorkerOptions` in @timeslot/adapters).
   * It runs on the worker's path, so it must be quick and synchronous; whatever it throws is
   * ignored and never changes the job's outcome.
   */
  readonly onSettled?: (settled: JobSettled) => void;
}

export interface FailedJobsOptions {
  /** Return only the `limit` most recently failed jobs, newest first (an integer ≥ 1). */
  readonly limit?: number;
}

export interface FailedJob<T = unknown> extends Job<T> {
  readonly error: string;
  readonly failedAt: string;
}

export interface QueueCounts {
  readonly waiting: number;
  readonly delayed: number;
  readonly active: number;
  readonly completed: number;
  readonly failed: number;
}

export interface JobWorker {
  close(): Promise<void>;
}

/**
 * The JobQueue port. Embedded: in-process. Distributed: BullMQ on Redis.
 *
 * Semantics every adapter keeps (the contract suite checks them on both):
 * - at least once; a handler that throws is retried with exponential backoff, and after its last
 *   attempt the job is kept in the failed set (see `failed`), never silently dropped;
 * - with concurrency 1 and one worker, jobs run in the order they were enqueued;
 * - a rate limit holds across every worker of the queue, in every process.
 */
export interface JobQueue {
  enqueue<T>(queue: string, name: string, data: T, options?: EnqueueOptions): Promise<void>;
  process<T>(queue: string, handler: (job: Job<T>) => Promise<void>, options?: WorkerOptions): Promise<JobWorker>;
  /**
   * The jobs in the failed set: every one, oldest failure first, without options; with a `limit`,
   * the `limit` most recent failures, newest first (what an admin screen wants).
   */
  failed(queue: string, options?: FailedJobsOptions): Promise<FailedJob[]>;
  /**
   * Take back a job that is waiting, delayed (also between retries) or failed: it never runs
   * (again), and its id is free at once, so the same id may be enqueued anew (how a reminder moves
   * to a new time). False when the queue does not hold the id, when the job is running now (an
   * active job cannot be taken back; its handler decides), or when it has completed (its id keeps
   * deduplicating). A job that starts while `remove` runs is either removed first or reported
   * `false`. (BullMQ: a job that starts and also completes in the moment between `remove`'s state
   * check and the removal itself is reported `true`, and its completed record removed.)
   */
  remove(queue: string, jobId: string): Promise<boolean>;
  /**
   * Move a job from the failed set back to waiting with a fresh attempt budget (its `attempts`
   * counted from 1 again); its data and options are kept. False when the queue holds no failed
   * job with this id (unknown, or in any other state).
   */
  retry(queue: string, jobId: string): Promise<boolean>;
  counts(queue: string): Promise<QueueCounts>;
  ping(): Promise<void>;
  close(): Promise<void>;
}
