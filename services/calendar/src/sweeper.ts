import { startPeriodic } from '@timeslot/kernel';
import { refreshBusy } from './busy/busy.service';
import { createConnectionRepository } from './connections/connection.repository';
import type { CalendarContext } from './context';
import { createMeetingRepository } from './meetings/meeting.repository';
import { completePending, removeDropped } from './meetings/meeting.service';

/*
 * The calendar's background pass, run by every replica: each claims its rows in the database
 * (FOR UPDATE SKIP LOCKED, then a lease), so replicas share the work instead of repeating it.
 * - pending meetings due for another attempt (the backstop behind the bus's retries);
 * - meetings made in a booking request whose booking never confirmed (orphans): their Google
 *   events are removed, so a lost race does not litter the provider's calendar;
 * - connections whose busy times are due for a refresh;
 * - OAuth states past their 10 minutes.
 */

const BATCH = 20;

export interface SweepResult {
  readonly completed: number;
  readonly orphans: number;
  readonly synced: number;
  readonly states: number;
}

export async function sweep(ctx: CalendarContext): Promise<SweepResult> {
  const db = ctx.database.db;
  const now = ctx.options.now();
  const meetings = createMeetingRepository(ctx.tables);
  const connections = createConnectionRepository(ctx.tables);

  // A lease longer than one attempt can take: a replica that dies holding it leaves the row due again.
  const pending = await meetings.claimPending(db, now, 5 * 60_000, BATCH);
  let completed = 0;
  for (const bookingId of pending) {
    const row = await completePending(ctx, bookingId);
    if (row.state === 'ready') completed += 1;
  }

  const orphans = await meetings.claimOrphans(db, new Date(now.getTime() - ctx.options.orphanAfterMs), now, BATCH);
  for (const row of orphans) await removeDropped(ctx, row);

  const due = await connections.claimDueSyncs(db, now, ctx.options.busyRefreshMs, BATCH);
  for (const userId of due) await refreshBusy(ctx, userId);

  const states = await connections.pruneStates(db, now);
  return { completed, orphans: orphans.length, synced: due.length, states };
}

/** Runs `sweep` every `sweepIntervalMs` until the returned stop is called (which waits for a pass in progress). */
export function startSweeper(ctx: CalendarContext): () => Promise<void> {
  return startPeriodic(() => sweep(ctx), { intervalMs: ctx.options.sweepIntervalMs, logger: ctx.logger, what: 'calendar sweep' });
}
