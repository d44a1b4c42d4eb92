/**
 * The slot engine: which starts of one service a client may book with one provider. Pure: no
 * I/O, no clock (now is an input), deterministic for a given input.
 */
import type { BusyInterval, Instant, SeatsTaken, Slot, SlotInput, SlotService } from './types';
import { availabilityWindows, wallSchedule, type Span } from './windows';
import { DAY_MS, MINUTE_MS, ianaZone, localFormatter, utcFormatter, zoneOffsets } from './zone';

export type {
  BusyInterval,
  DateOverride,
  Instant,
  InstantInterval,
  SeatsTaken,
  Slot,
  SlotInput,
  SlotRange,
  SlotService,
  WallInterval,
  WeeklyRule,
} from './types';

/**
 * Lists the bookable slots of `input.service` with one provider, sorted by start.
 *
 * Availability windows:
 * - Built per provider-local calendar date: a date's override intervals if it has an override
 *   (empty = closed), else the weekly rules of its ISO weekday. Overlapping or touching intervals
 *   of one date are united into one window; windows of different dates are never joined, so a
 *   slot never runs past the provider's midnight.
 * - Each bound is a wall-clock time converted on its own date in the provider's zone: a rule
 *   09:00–17:00 is 09:00–17:00 on the provider's wall clock every day, DST or not (09:00 in
 *   London is 09:00Z in winter and 08:00Z in summer). A bound that does not exist (spring-forward
 *   gap) moves forward by the gap's length, as luxon does (02:30 in New York on the spring day is
 *   03:30 EDT); an ambiguous bound (fall-back) is its first occurrence, the earlier offset (01:30 in
 *   New York on the fall-back day is 05:30Z). "24:00" is the next date's midnight, so 00:00–24:00
 *   covers exactly the date: 23 or 25 hours on DST days.
 *
 * Candidates:
 * - Starts are aligned on the window's start and step by slotIntervalMinutes of elapsed time,
 *   not wall-clock time: on a fall-back day a 01:00–03:00 New York window is three real hours and
 *   yields 01:00 EDT, 01:30 EDT, 01:00 EST, 01:30 EST, 02:00 EST, 02:30 EST with 30-minute steps;
 *   no wall time is skipped or listed twice at the same instant. The alignment depends only on
 *   the rules, never on the range asked for, so a narrow range lists a subset of a wide one.
 * - [start, start + duration) must lie inside one window.
 * - The occupied span [start - bufferBefore, start + duration + bufferAfter) must not overlap a
 *   blocked period nor a busy interval. Buffers may fall outside the window (a 09:00 slot with a
 *   15-minute buffer before is offered on a window opening at 09:00) but never on busy or blocked
 *   time: the same test as the database's `bookings_no_overlap` constraint.
 * - For a seated service (capacity > 1) a busy interval of the same session (same service, same
 *   start) does not block; see BusyInterval. seatsLeft = capacity - seatsTaken at that start, and
 *   a start with no seat left is omitted. For capacity 1 every busy interval blocks.
 *
 * Excluded: start < now + minNotice; start > now + bookingWindowDays × 24 h (elapsed, so a
 * 1-day window at 10:00 allows 10:00 the next day); start < range.from; start ≥ range.to.
 *
 * Output: `start`/`end` in UTC ("Z"); `localStart`/`localEnd` in range.outputTimeZone (default
 * the provider's) with that zone's offset at that instant, in luxon's toISO() format.
 *
 * Cost: luxon is asked only for the zones' offsets, about one call per UTC day plus a bisection per
 * DST change, memoised across calls (see zoneOffsets); candidates are stepped in epoch ms and
 * checked against busy and blocked time by binary search.
 *
 * @throws RangeError on malformed input (unknown zone, bad "HH:MM", bad date, weekday outside
 *   1..7, non-positive duration or interval, negative buffer…). The HTTP layer validates first;
 *   reaching this is a bug, not a user error.
 */
export function computeSlots(input: SlotInput): Slot[] {
  const service = checkService(input.service);
  const providerZone = ianaZone(input.providerTimeZone);
  const outputZoneName = input.range.outputTimeZone ?? input.providerTimeZone;
  const outputZone = outputZoneName === input.providerTimeZone ? providerZone : ianaZone(outputZoneName);
  const schedule = wallSchedule(input.weekly, input.overrides ?? []);

  const from = toMs(input.range.from);
  const to = toMs(input.range.to);
  const now = toMs(input.range.now);
  const duration = service.durationMinutes * MINUTE_MS;
  const step = service.slotIntervalMinutes * MINUTE_MS;
  const bufferBefore = service.bufferBeforeMinutes * MINUTE_MS;
  const bufferAfter = service.bufferAfterMinutes * MINUTE_MS;
  const earliest = Math.max(from, now + service.minNoticeMinutes * MINUTE_MS);
  const windowEnd = now + service.bookingWindowDays * DAY_MS;
  const last = Math.min(to, windowEnd);
  if (earliest > last || earliest >= to) return [];

  const providerOffsets = zoneOffsets(providerZone);
  const firstDay = Math.floor((earliest + providerOffsets.offsetAt(earliest) * MINUTE_MS) / DAY_MS);
  const lastDay = Math.floor((last + providerOffsets.offsetAt(last) * MINUTE_MS) / DAY_MS);
  const windows = availabilityWindows(schedule, providerOffsets, firstDay, lastDay);
  windows.sort((a, b) => a.start - b.start);

  const blocking = blockingTime(input, service);
  const seats = seatCounts(input.seatsTaken);
  const starts: number[] = [];
  const seatsLeft: number[] = [];
  let ordered = true;
  for (const window of windows) {
    let start = window.start;
    if (start < earliest) start += Math.ceil((earliest - start) / step) * step;
    for (; start + duration <= window.end && start < to && start <= windowEnd; start += step) {
      if (blocking.overlaps(start - bufferBefore, start + duration + bufferAfter, start)) continue;
      const left = service.capacity - (seats.get(start) ?? 0);
      if (left <= 0) continue;
      const previous = starts[starts.length - 1];
      if (previous !== undefined && start <= previous) ordered = false;
      starts.push(start);
      seatsLeft.push(left);
    }
  }
  if (!ordered) sortUnique(starts, seatsLeft);

  const outputOffsets = outputZone === providerZone ? providerOffsets : zoneOffsets(outputZone);
  const utc = utcFormatter();
  const local = localFormatter(outputOffsets);
  return starts.map((start, index) => ({
    start: utc(start),
    end: utc(start + duration),
    localStart: local(start),
    localEnd: local(start + duration),
    seatsLeft: seatsLeft[index]!,
  }));
}

function toMs(instant: Instant): number {
  const ms = typeof instant === 'number' ? instant : instant.getTime();
  if (!Number.isFinite(ms)) throw new RangeError('Invalid instant');
  return ms;
}

function checkService(service: SlotService): SlotService {
  const positive = service.durationMinutes > 0 && service.slotIntervalMinutes > 0;
  const nonNegative = [service.bufferBeforeMinutes, service.bufferAfterMinutes, service.minNoticeMinutes, service.bookingWindowDays].every(
    (value) => value >= 0,
  );
  const finite = [
    service.durationMinutes,
    service.slotIntervalMinutes,
    service.bufferBeforeMinutes,
    service.bufferAfterMinutes,
    service.minNoticeMinutes,
    service.bookingWindowDays,
  ].every(Number.isFinite);
  if (!positive || !nonNegative || !finite || !Number.isInteger(service.capacity) || service.capacity < 1) {
    throw new RangeError(`Invalid service settings for slot computation: ${JSON.stringify(service)}`);
  }
  return service;
}

interface SessionSpan extends Span {
  /** The session's start: candidates at exactly this start are not blocked by it. */
  session: number;
}

interface BlockingTime {
  /** Whether [start, end) overlaps busy or blocked time, other than `candidate`'s own session. */
  overlaps(start: number, end: number, candidate: number): boolean;
}

/**
 * Busy and blocked time in two sorted lists: `solid` (united, so both starts and ends are sorted
 * and one binary search answers) and the service's own seated sessions, which block every
 * candidate but their own and so cannot be united.
 */
function blockingTime(input: SlotInput, service: SlotService): BlockingTime {
  const raw: Span[] = [];
  const sessions: SessionSpan[] = [];
  for (const period of input.blocked ?? []) raw.push({ start: toMs(period.start), end: toMs(period.end) });
  for (const busy of input.busy ?? []) {
    const span = { start: toMs(busy.start), end: toMs(busy.end) };
    const session = service.capacity > 1 ? seatedSessionStart(busy, service.id) : undefined;
    if (session === undefined) raw.push(span);
    else if (span.end > span.start) sessions.push({ ...span, session });
  }
  raw.sort((a, b) => a.start - b.start);
  const solid: Span[] = [];
  for (const span of raw) {
    if (span.end <= span.start) continue;
    const lastSpan = solid[solid.length - 1];
    if (lastSpan && span.start <= lastSpan.end) lastSpan.end = Math.max(lastSpan.end, span.end);
    else solid.push({ ...span });
  }
  sessions.sort((a, b) => a.start - b.start);
  const longestSession = sessions.reduce((longest, span) => Math.max(longest, span.end - span.start), 0);

  return {
    overlaps(start: number, end: number, candidate: number): boolean {
      // First solid span ending after `start`; it overlaps iff it begins before `end`.
      let low = 0;
      let high = solid.length;
      while (low < high) {
        const middle = (low + high) >>> 1;
        if (solid[middle]!.end > start) high = middle;
        else low = middle + 1;
      }
      if (low < solid.length && solid[low]!.start < end) return true;
      if (sessions.length === 0) return false;
      // Sessions starting at or before start - longest end by `start`: skip them.
      low = 0;
      high = sessions.length;
      while (low < high) {
        const middle = (low + high) >>> 1;
        if (sessions[middle]!.start > start - longestSession) high = middle;
        else low = middle + 1;
      }
      for (let index = low; index < sessions.length && sessions[index]!.start < end; index++) {
        const session = sessions[index]!;
        if (session.end > start && session.session !== candidate) return true;
      }
      return false;
    },
  };
}

/** The start of the seated session of `serviceId` that `busy` belongs to, if it is one. */
function seatedSessionStart(busy: BusyInterval, serviceId: string): number | undefined {
  if (busy.serviceId !== undefined && busy.startsAt !== undefined) {
    return busy.serviceId === serviceId ? toMs(busy.startsAt) : undefined;
  }
  const separator = busy.sessionKey?.indexOf('@') ?? -1;
  if (busy.sessionKey === undefined || separator < 0 || busy.sessionKey.slice(0, separator) !== serviceId) return undefined;
  const start = Date.parse(busy.sessionKey.slice(separator + 1));
  return Number.isNaN(start) ? undefined : start;
}

function seatCounts(seatsTaken: SlotInput['seatsTaken']): ReadonlyMap<number, number> {
  if (seatsTaken === undefined) return new Map();
  if (!Array.isArray(seatsTaken)) return seatsTaken as ReadonlyMap<number, number>;
  const counts = new Map<number, number>();
  for (const entry of seatsTaken as readonly SeatsTaken[]) {
    const start = toMs(entry.start);
    counts.set(start, (counts.get(start) ?? 0) + entry.seats);
  }
  return counts;
}

/** Sorts parallel arrays by start and drops repeated starts (windows of two dates can overlap only around a midnight DST change). */
function sortUnique(starts: number[], seatsLeft: number[]): void {
  const order = starts.map((_, index) => index).sort((a, b) => starts[a]! - starts[b]!);
  const sortedStarts: number[] = [];
  const sortedSeats: number[] = [];
  for (const index of order) {
    if (sortedStarts[sortedStarts.length - 1] === starts[index]) continue;
    sortedStarts.push(starts[index]!);
    sortedSeats.push(seatsLeft[index]!);
  }
  starts.splice(0, starts.length, ...sortedStarts);
  seatsLeft.splice(0, seatsLeft.length, ...sortedSeats);
}
