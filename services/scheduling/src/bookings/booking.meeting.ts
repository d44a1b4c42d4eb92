import { and, eq, inArray } from 'drizzle-orm';
import { LRUCache } from 'lru-cache';
import { handleOnce } from '@timeslot/adapters';
import { events, parseEvent, withTimeout, type EventBus, type Subscription } from '@timeslot/ports';
import type { SchedulingContext } from '../context';
import type { Provider } from '../providers/provider.schemas';
import type { MeetingStatus } from '../tables';
import type { BookingParties } from './booking.model';

/*
 * What scheduling asks of the calendar service (ctx.calendar), always best effort: a booking is
 * never refused, and slots never fail, because the calendar is down, slow or not configured.
 * - Meetings: asked for before a confirmation commits, bounded by `meetingTimeoutMs`; past it the
 *   booking confirms with its meeting pending, and the calendar, which consumes booking.confirmed,
 *   makes the link and announces it (meeting.ready), which is stored here.
 * - External busy times (a provider's Google Calendar): read when slots are computed (cached pages
 *   never ask) and before a booking commits; calendar.busy_changed invalidates the provider's pages.
 */

export interface MeetingOutcome {
  readonly status: MeetingStatus;
  readonly url: string | null;
}

const none: MeetingOutcome = { status: 'none', url: null };

/** The booking columns of an outcome (none leaves them as they are). */
export function meetingColumns(meeting: MeetingOutcome | undefined): { meetingStatus?: MeetingStatus; meetingUrl?: string | null } {
  return meeting === undefined || meeting.status === 'none' ? {} : { meetingStatus: meeting.status, meetingUrl: meeting.url };
}
/** The deadline's share kept for the commit after the meeting call. */
const COMMIT_MARGIN_MS = 100;

/** Video, one-to-one, and a calendar service to ask. Seated sessions get no meetings (yet). */
export function wantsMeeting(ctx: SchedulingContext, parties: Pick<BookingParties, 'locationKind'>, capacity: number): boolean {
  return ctx.calendar !== undefined && parties.locationKind === 'video' && capacity === 1;
}

/** The meeting of a booking about to be confirmed: ready with its link, or pending when the calendar did not answer in time. */
export async function arrangeMeeting(
  ctx: SchedulingContext,
  parties: BookingParties,
  booking: { readonly id: string; readonly clientId: string; readonly startsAt: Date; readonly endsAt: Date; readonly capacity: number },
  deadline?: number,
): Promise<MeetingOutcome> {
  const calendar = ctx.calendar;
  if (calendar === undefined || !wantsMeeting(ctx, parties, booking.capacity)) return none;
  const budget = Math.min(ctx.options.meetingTimeoutMs, deadline === undefined ? Infinity : deadline - Date.now() - COMMIT_MARGIN_MS);
  if (budget <= 0) return { status: 'pending', url: null };
  try {
    const meeting = await withTimeout(
      calendar.ensureMeeting({
        bookingId: booking.id,
        providerUserId: parties.providerUserId,
        clientId: booking.clientId,
        serviceName: parties.serviceName,
        providerName: parties.providerName,
        timeZone: parties.providerTimeZone,
        startsAt: booking.startsAt.toISOString(),
        endsAt: booking.endsAt.toISOString(),
      }),
      budget,
      `the calendar service did not answer within ${budget} ms`,
    );
    return { status: 'ready', url: meeting.url };
  } catch (error) {
    ctx.logger.warn({ err: error, bookingId: booking.id }, 'no meeting link yet: the booking confirms with its meeting pending');
    return { status: 'pending', url: null };
  }
}

/** A meeting was made for a booking that was then not committed: tell the calendar (best effort; its sweep is the backstop). */
export function dropMeetingLater(ctx: SchedulingContext, bookingId: string): void {
  const calendar = ctx.calendar;
  if (calendar === undefined) return;
  void withTimeout(calendar.dropMeeting(bookingId), ctx.options.meetingTimeoutMs, 'drop timed out').catch((error: unknown) => {
    ctx.logger.warn({ err: error, bookingId }, 'could not drop the meeting of a booking that was not made; the calendar sweep will');
  });
}

/**
 * Whether the provider's external busy times are known: current (or none to know), stale (the
 * calendar serves the last known ones), or unknown (the calendar did not answer: none are used).
 */
export type ExternalBusyStatus = 'current' | 'stale' | 'unknown';

export interface ExternalBusy {
  readonly periods: readonly { readonly start: number; readonly end: number }[];
  readonly status: ExternalBusyStatus;
}

const noBusy: ExternalBusy = { periods: [], status: 'current' };

/** Providers with no external calendar, per slot version: the calendar announces a connection with busy_changed, which replaces the version. */
const unconnected = new WeakMap<SchedulingContext, LRUCache<string, true>>();

function unconnectedOf(ctx: SchedulingContext): LRUCache<string, true> {
  let memo = unconnected.get(ctx);
  if (memo === undefined) {
    memo = new LRUCache({ max: 100_000 });
    unconnected.set(ctx, memo);
  }
  return memo;
}

/**
 * The provider's external busy periods overlapping [fromMs, toMs). With the provider's slot
 * `version`, a provider known to have no external calendar under it is not asked again.
 */
export async function externalBusy(ctx: SchedulingContext, provider: Provider, fromMs: number, toMs: number, version: string | undefined): Promise<ExternalBusy> {
  const calendar = ctx.calendar;
  if (calendar === undefined) return noBusy;
  const memoKey = version === undefined ? undefined : `${provider.userId}|${version}`;
  if (memoKey !== undefined && unconnectedOf(ctx).has(memoKey)) return noBusy;
  try {
    const busy = await withTimeout(
      calendar.busyTimes(provider.userId, new Date(fromMs), new Date(toMs)),
      ctx.options.busyTimesTimeoutMs,
      `the calendar service did not answer within ${ctx.options.busyTimesTimeoutMs} ms`,
    );
    if (!busy.connected && memoKey !== undefined) unconnectedOf(ctx).set(memoKey, true);
    return {
      periods: busy.periods.map((period) => ({ start: Date.parse(period.start), end: Date.parse(period.end) })),
      status: busy.stale ? 'stale' : 'current',
    };
  } catch (error) {
    ctx.logger.warn({ err: error, providerId: provider.id }, 'external busy times unavailable: slots computed without them');
    return { periods: [], status: 'unknown' };
  }
}

/**
 * Scheduling's consumer of calendar events (consumer name 'scheduling'): a late meeting link is
 * stored on its booking (once per event, through the inbox), and a provider whose busy times
 * changed gets their slot pages recomputed.
 */
export async function subscribeToCalendar(ctx: SchedulingContext, bus: EventBus): Promise<Subscription> {
  const { bookings, providers } = ctx.tables;
  return bus.subscribe('scheduling', [events.meetingReady.type, events.calendarBusyChanged.type], async (envelope) => {
    if (envelope.type === events.meetingReady.type) {
      const { id, data } = parseEvent(events.meetingReady, envelope);
      await handleOnce(ctx.database, ctx.options.schema, 'scheduling', id, async (tx) => {
        await tx
          .update(bookings)
          .set({ meetingStatus: 'ready', meetingUrl: data.meetingUrl, updatedAt: ctx.options.now() })
          .where(and(eq(bookings.id, data.bookingId), inArray(bookings.meetingStatus, ['pending', 'ready'])));
      });
      return;
    }
    if (envelope.type === events.calendarBusyChanged.type) {
      const { data } = parseEvent(events.calendarBusyChanged, envelope);
      const rows = await ctx.database.db.select({ id: providers.id }).from(providers).where(eq(providers.userId, data.providerUserId)).limit(1);
      if (rows[0] !== undefined) await ctx.slotCache.changed(rows[0].id);
    }
  });
}
