import { randomUUID } from 'node:crypto';
import type { EnqueueOptions, FailedJob, FailedJobsOptions, Job, JobQueue, JobSettled, JobWorker, QueueCounts, WorkerOptions } from '@timeslot/ports';

/** BullMQ keeps this many completed jobs (removeOnComplete); their ids keep deduplicating. */
export const COMPLETED_KEPT = 1000;

const defaultEnqueueOptions = { attempts: 5, backoffMs: 1000 } as const;

/** A job's retry settings with the defaults both adapters share filled in. */
export function resolveRetry(options: EnqueueOptions): { attempts: number; backoffMs: number } {
  return {
    attempts: Math.max(1, options.attempts ?? defaultEnqueueOptions.attempts),
    backoffMs: options.backoffMs ?? defaultEnqueueOptions.backoffMs,
  };
}

/**
 * BullMQ refuses these ids; refusing them here too keeps code written against the embedded queue
 * from failing only once it runs distributed.
 */
export function assertJobId(jobId: string | undefined): void {
  if (jobId === undefined) return;
  if (jobId === '' || `${parseInt(jobId, 10)}` === jobId) throw new TypeError(`Job id "${jobId}" must not be empty or an integer.`);
  if (jobId.includes(':')) throw new TypeError(`Job id "${jobId}" must not contain ":".`);
}

/** `failed`'s limit must be a whole number of jobs; both adapters refuse anything else alike. */
export function assertFailedLimit(options: FailedJobsOptions | undefined): number | undefined {
  const limit = options?.limit;
  if (limit === undefined) return undefined;
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`A failed-jobs limit must be an integer ≥ 1, not ${limit}.`);
  return limit;
}

/** Hands `settled` to a worker's onSettled; a throwing metrics hook must not change a job's fate. */
export function notifySettled(onSettled: WorkerOptions['onSettled'], settled: JobSettled): void {
  if (onSettled === undefined) return;
  try {
    onSettled(settled);
  } catch {
    // Documented on WorkerOptions.onSettled: ignored.
  }
}

function traced(requestId: string | undefined): { requestId?: string } {
  return requestId === undefined ? {} : { requestId };
}

interface StoredJob {
  readonly id: string;
  readonly queue: string;
  readonly name: string;
  /** Serialized like BullMQ does, so each attempt gets a fresh copy and non-JSON values behave alike. */
  readonly body: string | undefined;
  readonly attempts: number;
  readonly backoffMs: number;
  readonly requestId: string | undefined;
  attemptsMade: number;
}

interface MemoryWorker {
  readonly handler: (job: Job) => Promise<void>;
  readonly concurrency: number;
  readonly rateLimit: WorkerOptions['rateLimit'];
  readonly onSettled: WorkerOptions['onSettled'];
  readonly active: Set<Promise<void>>;
  closed: boolean;
}

interface QueueState {
  readonly name: string;
  readonly waiting: StoredJob[];
  readonly delayed: Map<string, { readonly job: StoredJob; readonly timer: NodeJS.Timeout }>;
  readonly active: Set<string>;
  /** Ids of completed jobs, oldest first. */
  readonly completed: string[];
  /** Oldest failure first; the stored job is kept so `retry` can run it again. */
  readonly failed: { readonly job: StoredJob; readonly record: FailedJob }[];
  /** Every id the queue still knows, in any state: what deduplication checks. */
  readonly known: Set<string>;
  readonly workers: MemoryWorker[];
  /** Start times within the longest rate-limit window, shared by every worker of the queue. */
  readonly starts: number[];
  nextWorker: number;
  pumpScheduled: boolean;
  rateTimer: NodeJS.Timeout | undefined;
}

/**
 * The in-process JobQueue for embedded mode, with BullMQ's semantics: FIFO per queue, delays,
 * retries with exponential backoff, dedup by job id, failed jobs kept, a rate limit shared by all
 * workers of a queue. Jobs live in memory only; timers do not keep the process alive.
 */
export function createMemoryJobQueue(): JobQueue {
  const queues = new Map<string, QueueState>();
  let closing: Promise<void> | undefined;

  function stateOf(name: string): QueueState {
    let state = queues.get(name);
    if (!state) {
      state = {
        name,
        waiting: [],
        delayed: new Map(),
        active: new Set(),
        completed: [],
        failed: [],
        known: new Set(),
        workers: [],
        starts: [],
        nextWorker: 0,
        pumpScheduled: false,
        rateTimer: undefined,
      };
      queues.set(name, state);
    }
    return state;
  }

  function delay(state: QueueState, job: StoredJob, delayMs: number): void {
    const timer = setTimeout(() => {
      state.delayed.delete(job.id);
      state.waiting.push(job);
      schedulePump(state);
    }, delayMs);
    timer.unref();
    state.delayed.set(job.id, { job, timer });
  }

  // Handlers never run on the enqueuer's stack.
  function schedulePump(state: QueueState): void {
    if (state.pumpScheduled || closing) return;
    state.pumpScheduled = true;
    setImmediate(() => {
      state.pumpScheduled = false;
      pump(state);
    });
  }

  function pump(state: QueueState): void {
    while (state.waiting.length > 0 && !closing) {
      const worker = nextWithCapacity(state);
      if (!worker) return;
      const waitMs = rateLimitWait(state, worker);
      if (waitMs > 0) {
        if (!state.rateTimer) {
          state.rateTimer = setTimeout(() => {
            state.rateTimer = undefined;
            pump(state);
          }, waitMs);
          state.rateTimer.unref();
        }
        return;
      }
      const job = state.waiting.shift();
      if (job) run(state, worker, job);
    }
  }

  function nextWithCapacity(state: QueueState): MemoryWorker | undefined {
    const count = state.workers.length;
    for (let offset = 0; offset < count; offset++) {
      const index = (state.nextWorker + offset) % count;
      const worker = state.workers[index];
      if (worker && !worker.closed && worker.active.size < worker.concurrency) {
        state.nextWorker = (index + 1) % count;
        return worker;
      }
    }
    return undefined;
  }

  /**
   * A sliding window over the queue's start times: stricter than BullMQ's fixed window (which can
   * let up to 2×max start across a window boundary), so it never allows what BullMQ would not.
   */
  function rateLimitWait(state: QueueState, worker: MemoryWorker): number {
    const now = Date.now();
    const longest = Math.max(0, ...state.workers.map((w) => w.rateLimit?.durationMs ?? 0));
    while (state.starts.length > 0 && (state.starts[0] ?? 0) <= now - longest) state.starts.shift();
    const limit = worker.rateLimit;
    if (!limit) return 0;
    const inWindow = state.starts.filter((t) => t > now - limit.durationMs);
    if (inWindow.length < limit.max) return 0;
    const oldest = inWindow[inWindow.length - limit.max] ?? now;
    return Math.max(1, oldest + limit.durationMs - now);
  }

  function run(state: QueueState, worker: MemoryWorker, job: StoredJob): void {
    state.active.add(job.id);
    state.starts.push(Date.now());
    const attempt = job.attemptsMade + 1;
    const task = (async () => {
      const startedAt = performance.now();
      const settled = (outcome: JobSettled['outcome']) =>
        notifySettled(worker.onSettled, { queue: job.queue, name: job.name, attempt, durationMs: performance.now() - startedAt, outcome });
      try {
        const data: unknown = job.body === undefined ? undefined : JSON.parse(job.body);
        await worker.handler({ id: job.id, queue: job.queue, name: job.name, data, attempt, ...traced(job.requestId) });
        settled('completed');
        state.active.delete(job.id);
        completed(state, job);
      } catch (error) {
        job.attemptsMade++;
        const retrying = job.attemptsMade < job.attempts && !closing;
        settled(retrying ? 'retry' : 'failed');
        state.active.delete(job.id);
        if (retrying) delay(state, job, job.backoffMs * 2 ** (job.attemptsMade - 1));
        else failed(state, job, error);
      }
    })();
    worker.active.add(task);
    void task.finally(() => {
      worker.active.delete(task);
      schedulePump(state);
    });
  }

  function completed(state: QueueState, job: StoredJob): void {
    state.completed.push(job.id);
    while (state.completed.length > COMPLETED_KEPT) {
      const forgotten = state.completed.shift();
      if (forgotten !== undefined) state.known.delete(forgotten);
    }
  }

  function failed(state: QueueState, job: StoredJob, error: unknown): void {
    const record: FailedJob = {
      id: job.id,
      queue: job.queue,
      name: job.name,
      data: job.body === undefined ? undefined : JSON.parse(job.body),
      attempt: job.attemptsMade,
      ...traced(job.requestId),
      error: error instanceof Error ? error.message : String(error),
      failedAt: new Date().toISOString(),
    };
    state.failed.push({ job, record });
  }

  /** Takes a job out of the waiting list, the delayed timers or the failed set; false elsewhere. */
  function take(state: QueueState, jobId: string): boolean {
    const waiting = state.waiting.findIndex((job) => job.id === jobId);
    if (waiting >= 0) state.waiting.splice(waiting, 1);
    else if (state.delayed.has(jobId)) {
      clearTimeout(state.delayed.get(jobId)?.timer);
      state.delayed.delete(jobId);
    } else {
      const failedAt = state.failed.findIndex((entry) => entry.job.id === jobId);
      if (failedAt < 0) return false;
      state.failed.splice(failedAt, 1);
    }
    state.known.delete(jobId);
    return true;
  }

  async function closeWorker(state: QueueState, worker: MemoryWorker): Promise<void> {
    if (worker.closed) return;
    worker.closed = true;
    const index = state.workers.indexOf(worker);
    if (index >= 0) state.workers.splice(index, 1);
    state.nextWorker = 0;
    await Promise.allSettled([...worker.active]);
  }

  function assertOpen(): void {
    if (closing) throw new Error('The job queue is closed.');
  }

  return {
    async enqueue<T>(queue: string, name: string, data: T, options: EnqueueOptions = {}) {
      assertOpen();
      assertJobId(options.jobId);
      const state = stateOf(queue);
      const id = options.jobId ?? randomUUID();
      if (state.known.has(id)) return;
      state.known.add(id);
      const job: StoredJob = {
        id,
        queue,
        name,
        body: data === undefined ? undefined : JSON.stringify(data),
        ...resolveRetry(options),
        requestId: options.requestId,
        attemptsMade: 0,
      };
      if (options.delayMs !== undefined && options.delayMs > 0) delay(state, job, options.delayMs);
      else {
        state.waiting.push(job);
        schedulePump(state);
      }
    },

    async process<T>(queue: string, handler: (job: Job<T>) => Promise<void>, options: WorkerOptions = {}): Promise<JobWorker> {
      assertOpen();
      const state = stateOf(queue);
      const worker: MemoryWorker = {
        handler: handler as (job: Job) => Promise<void>,
        concurrency: Math.max(1, options.concurrency ?? 1),
        rateLimit: options.rateLimit,
        onSettled: options.onSettled,
        active: new Set(),
        closed: false,
      };
      state.workers.push(worker);
      schedulePump(state);
      return { close: () => closeWorker(state, worker) };
    },

    async failed(queue, options) {
      const limit = assertFailedLimit(options);
      const records = (queues.get(queue)?.failed ?? []).map((entry) => entry.record);
      return limit === undefined ? records : records.slice(-limit).reverse();
    },

    async remove(queue, jobId) {
      assertOpen();
      const state = queues.get(queue);
      return state === undefined ? false : take(state, jobId);
    },

    async retry(queue, jobId) {
      assertOpen();
      const state = queues.get(queue);
      const index = state?.failed.findIndex((entry) => entry.job.id === jobId) ?? -1;
      const entry = index >= 0 ? state?.failed.splice(index, 1)[0] : undefined;
      if (state === undefined || entry === undefined) return false;
      entry.job.attemptsMade = 0;
      state.waiting.push(entry.job);
      schedulePump(state);
      return true;
    },

    async counts(queue): Promise<QueueCounts> {
      const state = queues.get(queue);
      return {
        waiting: state?.waiting.length ?? 0,
        delayed: state?.delayed.size ?? 0,
        active: state?.active.size ?? 0,
        completed: state?.completed.length ?? 0,
        failed: state?.failed.length ?? 0,
      };
    },

    async ping() {
      assertOpen();
    },

    close() {
      closing ??= (async () => {
        const all = [...queues.values()];
        for (const state of all) {
          for (const { timer } of state.delayed.values()) clearTimeout(timer);
          clearTimeout(state.rateTimer);
        }
        await Promise.all(all.flatMap((state) => [...state.workers].map((worker) => closeWorker(state, worker))));
      })();
      return closing;
    },
  };
}
