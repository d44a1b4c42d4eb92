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
 * After commit: a crash between the commit and this call loses only the job, not the hold; the
 * workers' sweep (see booking.jobs.ts) expires holds whose job never came. So a failure to enqueue
 * is logged, not returned to a client whose booking did succeed.
 */
export async function scheduleHoldExpiry(ctx: SchedulingContext, bookingId: string, holdExpiresAt: Date, requestId?: string): Promise<void> {
  const delayMs = Math.max(0, holdExpiresAt.getTime() - ctx.options.now().getTime());
  try {
    await ctx.jobs.enqueue<HoldJob>(holdQueue, 'expire', { bookingId }, {
      jobId: holdJobId(bookingId, holdExpiresAt),
      delayMs,
      ...(requestId === undefined ? {} : { requestId }),
    });
  } catch (error) {
    ctx.logger.error({ err: error, bookingId }, 'could not schedule a hold expiry; the sweep will release it');
  }
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
  try {
    await ctx.jobs.enqueue<WaitlistJob>(waitlistQueue, 'slot-freed', { serviceId: freed.serviceId, start: freed.start.getTime() }, {
      jobId: `free-${freed.serviceId}-${freed.start.getTime()}-${freed.freedBy}-${freed.at.getTime()}`,
      ...(requestId === undefined ? {} : { requestId }),
    });
  } catch (error) {
    ctx.logger.error({ err: error, serviceId: freed.serviceId }, 'could not announce a freed slot to the waitlist');
  }
}
