import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { withTimeout, type JobQueue, type JobSettled, type WorkerOptions } from '@timeslot/ports';

/** The states `job_queue_jobs` reports, as `counts()` names them. */
const states = ['waiting', 'active', 'delayed', 'failed', 'completed'] as const;

export interface JobQueueMetricsOptions {
  /** How long one scrape waits for a queue's counts (default 1000 ms). */
  readonly timeoutMs?: number;
}

interface Sources {
  /** Queue name → the JobQueue its counts are read from. */
  readonly queues: Map<string, JobQueue>;
  timeoutMs: number;
}

const sourcesByRegistry = new WeakMap<Registry, Sources>();

/**
 * Registers `job_queue_jobs{queue,state}` on `registry`: the jobs of each named queue by state,
 * read with `counts()` at each scrape, all queues at once, each bounded by `timeoutMs`, so a dead
 * or hung Redis slows /metrics by that much at most and never fails it. A queue whose counts could
 * not be read keeps its last values and adds one to `job_queue_counts_failures_total{queue}`:
 * alert on that rising, as the gauge alone would look frozen rather than broken.
 *
 * Safe to call again on the same registry (tests and embedded mode build several apps on one):
 * the queues accumulate, a name registered again is read from the newest JobQueue, and the
 * latest `timeoutMs` applies. Job durations are another metric, fed by the workers: see
 * `instrumentedWorkerOptions`.
 */
export function registerJobQueueMetrics(registry: Registry, jobs: JobQueue, queueNames: readonly string[], options: JobQueueMetricsOptions = {}): void {
  let sources = sourcesByRegistry.get(registry);
  if (sources === undefined) {
    const created: Sources = { queues: new Map(), timeoutMs: 1000 };
    sources = created;
    sourcesByRegistry.set(registry, created);
    const failures = getOrCreate(
      registry,
      'job_queue_counts_failures_total',
      Counter,
      () =>
        new Counter({
          name: 'job_queue_counts_failures_total',
          help: 'Scrapes that could not read a queue’s job counts in time (its job_queue_jobs values are then the last ones read)',
          labelNames: ['queue'],
          registers: [registry],
        }),
    );
    getOrCreate(
      registry,
      'job_queue_jobs',
      Gauge,
      () =>
        new Gauge({
          name: 'job_queue_jobs',
          help: 'Jobs in each queue by state (waiting, active, delayed, failed, completed), read at scrape time',
          labelNames: ['queue', 'state'],
          registers: [registry],
          async collect() {
            await Promise.all(
              [...created.queues].map(async ([queue, source]) => {
                try {
                  const counts = await withTimeout(source.counts(queue), created.timeoutMs, `job counts of ${queue} took over ${created.timeoutMs} ms`);
                  for (const state of states) this.set({ queue, state }, counts[state]);
                } catch {
                  failures.inc({ queue });
                }
              }),
            );
          },
        }),
    );
  }
  if (options.timeoutMs !== undefined) sources.timeoutMs = options.timeoutMs;
  for (const name of queueNames) sources.queues.set(name, jobs);
}

/**
 * `job_duration_seconds{queue,outcome}` of `registry`, created on first use: the time each attempt
 * spent in its handler, by how it ended (`completed`, `retry`, `failed`; see `JobSettled`).
 */
export function jobDurationHistogram(registry: Registry): Histogram<'queue' | 'outcome'> {
  return getOrCreate(
    registry,
    'job_duration_seconds',
    Histogram,
    () =>
      new Histogram({
        name: 'job_duration_seconds',
        help: 'Time a job attempt spent in its handler, by queue and outcome (completed, retry, failed)',
        labelNames: ['queue', 'outcome'],
        buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
        registers: [registry],
      }),
  );
}

/**
 * `options` with an `onSettled` that records every attempt in `job_duration_seconds` (then calls
 * the caller's own `onSettled`, if any). Pass the result to `jobs.process(queue, handler, …)`:
 * durations exist only for workers started this way.
 */
export function instrumentedWorkerOptions(registry: Registry, options: WorkerOptions = {}): WorkerOptions {
  const histogram = jobDurationHistogram(registry);
  const own = options.onSettled;
  return {
    ...options,
    onSettled: (settled: JobSettled) => {
      histogram.observe({ queue: settled.queue, outcome: settled.outcome }, settled.durationMs / 1000);
      own?.(settled);
    },
  };
}

/** The metric `name` of `registry` when it has the expected type, else a new one from `create`. */
function getOrCreate<M>(registry: Registry, name: string, type: abstract new (...args: never[]) => M, create: () => M): M {
  const existing = registry.getSingleMetric(name);
  if (existing instanceof type) return existing;
  return create();
}
