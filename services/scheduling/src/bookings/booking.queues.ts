import type { Registry } from 'prom-client';
import { createOutageReporter, type OutageReporter } from '@timeslot/adapters';
import { registeredCounter } from '@timeslot/kernel';
import type { SchedulingContext } from '../context';

/** Delayed jobs that release a hold whose time is up. */
export const holdQueue = 'scheduling-holds';
/** Offers freed slots to the waitlist; one job at a time per worker, in arrival order. */
export const waitlistQueue = 'scheduling-waitlist';

export interface HoldJob {
  readonly bookingId: string;
}

/** A slot that may have room again (start, epoch ms), or a whole provider-zone date to re-check. */
export interface WaitlistJob {
  readonly serviceId: string;
  readonly start?: number;
  readonly date?: string;
}

/**
 * One job per hold *deadline*: the id carries the expiry so that extending a hold (a claimed paid
 * offer) arms a new job, while enqueuing the same deadline twice (request and start-up sweep) is
 * deduplicated. The handler re-reads the row, so an early or stale job does nothing.
 */
export function holdJobId(bookingId: string, holdExpiresAt: Date): string {
  return `hold-${bookingId}-${holdExpiresAt.getTime()}`;
}

/**
 * What became of enqueues per context: jobs lost while the queue was down (Redis) are re-armed by
 * the workers' sweep as soon as `rearmNeeded` is seen (see booking.jobs.ts).
 */
interface EnqueueState {
  rearmNeeded: boolean;
  readonly outage: OutageReporter;
  failures: { inc(labels: { queue: string }): void } | undefined;
}

const enqueueStates = new WeakMap<SchedulingContext, EnqueueState>();

function enqueueState(ctx: SchedulingContext): EnqueueState {
  let state = enqueueStates.get(ctx);
  if (state === undefined) {
    state = { rearmNeeded: false, outage: createOutageReporter(ctx.logger, { dependency: 'job-queue', service: 'scheduling' }), failures: undefined };
    enqueueStates.set(ctx, state);
  }
  return state;
}

/** `scheduling_job_enqueue_failures_total{queue}` on the app's registry. */
export function registerBookingJobMetrics(registry: Registry, ctx: SchedulingContext): void {
  enqueueState(ctx).failures = registeredCounter(
    registry,
    'scheduling_job_enqueue_failures_total',
    'Jobs that could not be enqueued (the job queue was down); the sweep re-arms them once it is back',
    ['queue'],
  );
}

/** True (and cleared) when an enqueue failed since the last call: the sweep should re-arm jobs. */
export function takeRearmNeeded(ctx: SchedulingContext): boolean {
  const state = enqueueState(ctx);
  const needed = state.rearmNeeded;
  state.rearmNeeded = false;
  return needed;
}

/**
 * Never throws: the state change this job follows is committed, and the sweep makes up for a job
 * that failed to enqueue. Resolves with whether it was enqueued.
 */
export async function enqueueAfterCommit(ctx: SchedulingContext, queue: string, enqueue: () => Promise<void>, fields: object): Promise<boolean> {
  const state = enqueueState(ctx);
  try {
    await enqueue();
    state.outage.recovered();
    return true;
  } catch (error) {
    state.rearmNeeded = true;
    state.failures?.inc({ queue });
    // One line when the queue goes down, then a count now and then: not one per request.
    state.outage.failed(Object.assign(new Error(`could not enqueue on ${queue}; the sweep re-arms it: ${error instanceof Error ? error.message : String(error)}`), fields));
    return false;
  }
}

/**
 * After commit: a crash between the commit and this call loses only the job, not the hold; the
 * workers' sweep (see booking.jobs.ts) expires holds whose job never came, and re-arms the jobs
 * of pending holds once the queue is back. So a failure to enqueue is logged and counted, not
 * returned to a client whose booking did succeed. Resolves with whether the job was enqueued.
 */
export async function scheduleHoldExpiry(ctx: SchedulingContext, bookingId: string, holdExpiresAt: Date, requestId?: string): Promise<boolean> {
  const delayMs = Math.max(0, holdExpiresAt.getTime() - ctx.options.now().getTime());
  return enqueueAfterCommit(
    ctx,
    holdQueue,
    () =>
      ctx.jobs.enqueue<HoldJob>(holdQueue, 'expire', { bookingId }, {
        jobId: holdJobId(bookingId, holdExpiresAt),
        delayMs,
        ...(requestId === undefined ? {} : { requestId }),
      }),
    { bookingId },
  );
}

/**
 * After commit: a slot of `serviceId` at `start` lost a booking, so the next in line may get it.
 * `freedBy` (the booking that left and when) makes the job id unique per freeing, since a slot can
 * free up many times and the queue remembers finished ids.
 */
export async function announceFreedSlot(
  ctx: SchedulingContext,
  freed: { serviceId: string; start: Date; freedBy: string; at: Date },
  requestId?: string,
): Promise<void> {
  // A lost announcement is made up for by the re-check of every waited-for target (booking.jobs.ts).
  await enqueueAfterCommit(
    ctx,
    waitlistQueue,
    () =>
      ctx.jobs.enqueue<WaitlistJob>(waitlistQueue, 'slot-freed', { serviceId: freed.serviceId, start: freed.start.getTime() }, {
        jobId: `free-${freed.serviceId}-${freed.start.getTime()}-${freed.freedBy}-${freed.at.getTime()}`,
        ...(requestId === undefined ? {} : { requestId }),
      }),
    { serviceId: freed.serviceId },
  );
}
