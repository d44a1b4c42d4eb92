import type { Registry } from 'prom-client';
import { instrumentedWorkerOptions } from '@timeslot/adapters';
import type { JobWorker, WorkerOptions } from '@timeslot/ports';
import type { SchedulingContext } from '../context';
import { createWaitlistRepository } from '../waitlist/waitlist.repository';
import { processWaitlistJob } from '../waitlist/waitlist.service';
import { enqueueAfterCommit, holdQueue, scheduleHoldExpiry, takeRearmNeeded, waitlistQueue, type HoldJob, type WaitlistJob } from './booking.queues';
import { createBookingRepository } from './booking.repository';
import { expireHold } from './booking.transitions';
import { createIdempotencyStore } from './idempotency';

export interface BookingWorkerOptions {
  /** How often the sweep backs up the hold jobs (default one minute; 0 = only at start). */
  readonly sweepIntervalMs?: number;
  /**
   * How often to look whether an enqueue failed (the job queue was down) and, if so, re-arm the
   * jobs of pending holds and re-check the waitlists (default 2 s; a look is a flag test).
   */
  readonly rearmCheckMs?: number;
  /** Where job durations are recorded (`job_duration_seconds`), when given. */
  readonly registry?: Registry;
}

const SWEEP_BATCH = 500;

/**
 * The safety net under the per-hold jobs, for what a crash or an in-memory queue's restart lost:
 * expires holds past their deadline, re-arms the jobs of the others (`rearm`; deduplicated by job
 * id), and clears idempotency keys past their TTL.
 */
export async function sweepHolds(ctx: SchedulingContext, options: { rearm?: boolean } = {}): Promise<{ expired: number }> {
  const repository = createBookingRepository(ctx.tables);
  const db = ctx.database.db;
  const now = ctx.options.now();
  let expired = 0;
  for (const id of await repository.overdueHolds(db, now, SWEEP_BATCH)) {
    if ((await expireHold(ctx, id)) === 'expired') expired++;
  }
  // At start only: a queue that lost its delayed jobs lost them then, not while it was running.
  if (options.rearm) {
    for (const hold of await repository.pendingHolds(db, SWEEP_BATCH)) {
      if (hold.holdExpiresAt !== null) await scheduleHoldExpiry(ctx, hold.id, hold.holdExpiresAt);
    }
  }
  await createIdempotencyStore(ctx.tables, ctx.options.idempotencyTtlHours).purgeExpired(db, now);
  return { expired };
}

/** After a restart: every target someone waits for is looked at again, in case its freeing job was lost. */
async function recheckWaitlists(ctx: SchedulingContext): Promise<void> {
  const targets = await createWaitlistRepository(ctx.tables).waitingTargets(ctx.database.db, ctx.options.now(), SWEEP_BATCH);
  const boot = Date.now();
  for (const target of targets) {
    const data: WaitlistJob =
      target.startsAt !== null ? { serviceId: target.serviceId, start: target.startsAt.getTime() } : { serviceId: target.serviceId, date: target.date ?? '' };
    const key = data.start !== undefined ? String(data.start) : (data.date ?? '');
    const jobId = `recheck-${target.serviceId}-${key}-${boot}`;
    // A failure asks for another re-arm pass; the rest would fail the same way.
    if (!(await enqueueAfterCommit(ctx, waitlistQueue, () => ctx.jobs.enqueue<WaitlistJob>(waitlistQueue, 'recheck', data, { jobId }), { serviceId: target.serviceId }))) return;
  }
}

/**
 * Starts this replica's booking workers: hold expiry, and the waitlist with concurrency 1 (order
 * across replicas is kept by a per-service database lock, not by the queue). Safe to run on any
 * number of replicas at once.
 */
export async function startBookingWorkers(ctx: SchedulingContext, options: BookingWorkerOptions = {}): Promise<JobWorker[]> {
  const instrumented = (workerOptions: WorkerOptions): WorkerOptions =>
    options.registry === undefined ? workerOptions : instrumentedWorkerOptions(options.registry, workerOptions);
  const holds = await ctx.jobs.process<HoldJob>(
    holdQueue,
    async (job) => {
      await expireHold(ctx, job.data.bookingId, job.requestId);
    },
    instrumented({ concurrency: 4 }),
  );
  const waitlist = await ctx.jobs.process<WaitlistJob>(
    waitlistQueue,
    async (job) => {
      await processWaitlistJob(ctx, job.data, job.requestId);
    },
    instrumented({ concurrency: 1 }),
  );

  let closed = false;
  let running: Promise<void> = Promise.resolve();
  const sweep = (atStart: boolean): void => {
    running = running.then(async () => {
      if (closed) return;
      try {
        await sweepHolds(ctx, { rearm: atStart });
        if (atStart) await recheckWaitlists(ctx);
      } catch (error) {
        ctx.logger.error({ err: error }, 'booking sweep failed; it runs again later');
      }
    });
  };
  // In the background: a replica should not wait for a sweep before serving.
  sweep(true);
  const intervalMs = options.sweepIntervalMs ?? 60_000;
  const timer = intervalMs > 0 ? setInterval(() => sweep(false), intervalMs) : undefined;
  timer?.unref();
  // Jobs that failed to enqueue while the queue was down: re-armed from the database, retried
  // until an attempt enqueues everything (an enqueue failing again sets the flag again).
  const rearmTimer = setInterval(() => {
    if (takeRearmNeeded(ctx)) sweep(true);
  }, options.rearmCheckMs ?? 2_000);
  rearmTimer.unref();
  const sweeper: JobWorker = {
    async close() {
      closed = true;
      clearInterval(timer);
      clearInterval(rearmTimer);
      await running;
    },
  };
  return [holds, waitlist, sweeper];
}
