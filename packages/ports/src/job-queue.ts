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

export interface WorkerOptions {
  /** Jobs run at once per worker (default 1: in arrival order). */
  readonly concurrency?: number;
  /** At most `max` jobs start per `durationMs`, across all workers of this queue. */
  readonly rateLimit?: { readonly max: number; readonly durationMs: number };
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
  failed(queue: string): Promise<FailedJob[]>;
  counts(queue: string): Promise<QueueCounts>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Thrown by a handler when trying again cannot help (say, a mail server refusing an address for
 * good): the job goes to the failed set at once, without its remaining attempts. Its name is the
 * one BullMQ recognises for this (UnrecoverableError), and the in-process adapter checks the same.
 */
export class PermanentJobError extends Error {
  override readonly name = 'UnrecoverableError';
}

/** Whether a handler's error asks for no further attempts (see PermanentJobError). */
export function isPermanentJobError(error: unknown): boolean {
  return error instanceof Error && error.name === 'UnrecoverableError';
}
