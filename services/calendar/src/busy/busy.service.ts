import { createHash } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { events, makeEvent, type BusyTimes } from '@timeslot/ports';
import { activeConnection, googleProvider } from '../connections/google-account';
import { createConnectionRepository } from '../connections/connection.repository';
import { eventSource, type CalendarContext } from '../context';
import type { ConnectionRow } from '../tables';
import { createBusyRepository } from './busy.repository';

/*
 * A connected provider's Google busy times, kept in the calendar's database: refreshed in the
 * background (every `busyRefreshMs`, by whichever replica claims the connection first), and on
 * demand when a reader finds them older than `busyStaleAfterMs`. Readers never wait on Google:
 * they get the last known periods and whether those are stale. Each change of the periods, or of
 * their freshness, is announced (calendar.busy_changed) so scheduling recomputes that provider's
 * slots instead of asking here on every read.
 */

const DAY_MS = 86_400_000;

/** Whether busy times read now may miss something: never synced, last sync failed, too old, or asked beyond what was read. */
export function isStale(ctx: CalendarContext, connection: ConnectionRow, now: Date, to?: Date): boolean {
  if (connection.brokenAt !== null || connection.syncedAt === null || connection.syncFailedAt !== null) return true;
  if (now.getTime() - connection.syncedAt.getTime() > ctx.options.busyStaleAfterMs) return true;
  return to !== undefined && connection.busyUntil !== null && to > connection.busyUntil;
}

const refreshing = new WeakMap<CalendarContext, Map<string, Promise<unknown>>>();

/** A refresh in the background, at most one per user per process at a time. */
function refreshSoon(ctx: CalendarContext, userId: string): void {
  let running = refreshing.get(ctx);
  if (running === undefined) {
    running = new Map();
    refreshing.set(ctx, running);
  }
  if (running.has(userId)) return;
  const map = running;
  const work = refreshBusy(ctx, userId)
    .catch((error: unknown) => ctx.logger.warn({ err: error, userId }, 'busy-time refresh failed'))
    .finally(() => map.delete(userId));
  map.set(userId, work);
}

/** Background refreshes still running (stop() waits for them). */
export function refreshesInFlight(ctx: CalendarContext): Promise<unknown> {
  return Promise.allSettled([...(refreshing.get(ctx)?.values() ?? [])]);
}

export async function busyTimes(ctx: CalendarContext, userId: string, from: Date, to: Date): Promise<BusyTimes> {
  if (ctx.options.google === undefined) return { periods: [], connected: false, stale: false };
  const connection = await createConnectionRepository(ctx.tables).find(ctx.database.db, userId);
  if (connection === undefined) return { periods: [], connected: false, stale: false };
  const now = ctx.options.now();
  const periods = await createBusyRepository(ctx.tables).overlapping(ctx.database.db, userId, from, to);
  const stale = isStale(ctx, connection, now, to);
  const aged = connection.syncedAt === null || now.getTime() - connection.syncedAt.getTime() > ctx.options.busyStaleAfterMs;
  if (connection.brokenAt === null && aged) refreshSoon(ctx, userId);
  return { periods, connected: true, stale };
}

function digestOf(periods: unknown): string {
  return createHash('sha256').update(JSON.stringify(periods)).digest('base64url');
}

/**
 * Read the provider's busy times from Google and store them. Announces busy_changed when the
 * periods changed, or when they were stale and are fresh again, or when a sync first fails (they
 * turn stale). Resolves with what happened; a Google failure is recorded, not thrown.
 */
export async function refreshBusy(ctx: CalendarContext, userId: string): Promise<'changed' | 'unchanged' | 'failed' | 'skipped'> {
  const connection = await activeConnection(ctx, userId);
  if (connection === undefined) return 'skipped';
  const busy = createBusyRepository(ctx.tables);
  const table = ctx.tables.googleConnections;
  const now = ctx.options.now();
  const until = new Date(now.getTime() + ctx.options.busyWindowDays * DAY_MS);
  const announce = () => makeEvent(events.calendarBusyChanged, { providerUserId: userId }, { source: eventSource });
  const next = new Date(now.getTime() + ctx.options.busyRefreshMs);

  let periods;
  try {
    periods = await googleProvider(ctx, connection).busyPeriods(now, until);
  } catch (error) {
    const message = (error instanceof Error ? error.message : String(error)).slice(0, 500);
    const announced = await ctx.database.db.transaction(async (tx) => {
      const [before] = await tx.select({ failedAt: table.syncFailedAt }).from(table).where(eq(table.userId, userId)).for('update');
      if (before === undefined) return false;
      await tx.update(table).set({ syncFailedAt: now, syncError: message, nextSyncAt: next }).where(eq(table.userId, userId));
      // Fresh until now: readers must learn the times turned stale. Already failing: nothing new.
      if (before.failedAt !== null) return false;
      await ctx.outbox.append(tx, [announce()]);
      return true;
    });
    if (announced) ctx.outbox.notify();
    ctx.logger.warn({ err: error, userId }, 'could not read busy times from Google; serving the last known ones as stale');
    return 'failed';
  }

  const digest = digestOf(periods);
  const outcome = await ctx.database.db.transaction(async (tx) => {
    // The row lock first: two refreshes of one user replace the periods one after the other.
    const [before] = await tx.select().from(table).where(eq(table.userId, userId)).for('update');
    if (before === undefined) return 'skipped' as const;
    const changed = before.busyDigest !== digest;
    const wasStale = isStale(ctx, before, now);
    if (changed) await busy.replace(tx, userId, periods);
    await tx
      .update(table)
      .set({ syncedAt: now, syncFailedAt: null, syncError: null, busyDigest: digest, busyUntil: until, nextSyncAt: next })
      .where(eq(table.userId, userId));
    if (changed || wasStale) await ctx.outbox.append(tx, [announce()]);
    return changed || wasStale ? ('changed' as const) : ('unchanged' as const);
  });
  if (outcome === 'changed') ctx.outbox.notify();
  return outcome;
}
