import { dayKey, zonedInstant } from '../../lib/format';
import type { AvailabilityBody, AvailabilityData } from './types';

/*
 * The availability editor's model: what the person is editing (times as typed, each row with a
 * stable key for React and for its errors), how it comes from and goes to the API, and the checks
 * made before sending (the API makes the same ones; doing them here shows every problem at once,
 * next to the row it is about).
 *
 * Weekly hours and date overrides are wall-clock times in the provider's zone. A time input cannot
 * hold "24:00", so an end of "00:00" stands for midnight at the end of the day (and "24:00" from the
 * API is shown as "00:00").
 */

export interface Interval {
  readonly key: string;
  readonly start: string;
  readonly end: string;
}

export interface DateOverride {
  readonly key: string;
  readonly date: string;
  readonly closed: boolean;
  readonly intervals: readonly Interval[];
}

export interface BlockedPeriod {
  readonly key: string;
  /** The API's id, kept so a saved period keeps its identity. */
  readonly id?: string | undefined;
  readonly startDate: string;
  readonly startTime: string;
  readonly endDate: string;
  readonly endTime: string;
  readonly reason: string;
}

export interface Draft {
  /** ISO weekday 1 (Monday) … 7 (Sunday) → its intervals. */
  readonly weekly: Readonly<Record<number, readonly Interval[]>>;
  readonly overrides: readonly DateOverride[];
  readonly blocked: readonly BlockedPeriod[];
}

export const weekdays = [1, 2, 3, 4, 5, 6, 7] as const;

let counter = 0;
export function newKey(): string {
  counter += 1;
  return `row${counter}`;
}

export function newInterval(start = '09:00', end = '17:00'): Interval {
  return { key: newKey(), start, end };
}

const wallClock = new Map<string, Intl.DateTimeFormat>();
/** "HH:MM" (24-hour) of an instant in a zone. */
export function wallTime(instant: string | Date, timeZone: string): string {
  let format = wallClock.get(timeZone);
  if (format === undefined) {
    format = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone });
    wallClock.set(timeZone, format);
  }
  return format.format(new Date(instant));
}

const fromApiTime = (time: string): string => (time === '24:00' ? '00:00' : time);
/** An end of 00:00 is the end of the day. */
const endOf = (time: string): string => (time === '00:00' ? '24:00' : time);
const byStart = (a: { start: string }, b: { start: string }) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0);

export function fromApi(availability: AvailabilityData): Draft {
  const weekly: Record<number, Interval[]> = {};
  for (const day of weekdays) weekly[day] = [];
  for (const rule of [...availability.weekly].sort(byStart)) weekly[rule.weekday]?.push({ key: newKey(), start: rule.start, end: fromApiTime(rule.end) });
  return {
    weekly,
    overrides: [...availability.overrides]
      .sort((a, b) => (a.date < b.date ? -1 : 1))
      .map((item) => ({
        key: newKey(),
        date: item.date,
        closed: item.intervals.length === 0,
        intervals: [...item.intervals].sort(byStart).map((entry) => ({ key: newKey(), start: entry.start, end: fromApiTime(entry.end) })),
      })),
    blocked: [...availability.blocked]
      .sort((a, b) => Date.parse(a.start) - Date.parse(b.start))
      .map((item) => ({
        key: newKey(),
        id: item.id,
        startDate: dayKey(item.start, availability.timeZone),
        startTime: wallTime(item.start, availability.timeZone),
        endDate: dayKey(item.end, availability.timeZone),
        endTime: wallTime(item.end, availability.timeZone),
        reason: item.reason,
      })),
  };
}

/** The draft without its keys: equal fingerprints mean nothing to save. */
export function fingerprint(draft: Draft): string {
  const plain = (intervals: readonly Interval[]) => intervals.map((entry) => [entry.start, entry.end]);
  return JSON.stringify({
    weekly: weekdays.map((day) => plain(draft.weekly[day] ?? [])),
    overrides: draft.overrides.map((item) => [item.date, item.closed, item.closed ? [] : plain(item.intervals)]),
    blocked: draft.blocked.map((item) => [item.id ?? null, item.startDate, item.startTime, item.endDate, item.endTime, item.reason]),
  });
}

/** Problems by row key and field: "row3.end" → "Must be after the start." */
export type Problems = Record<string, string>;

function checkIntervals(intervals: readonly Interval[], problems: Problems): void {
  const complete: Interval[] = [];
  for (const entry of intervals) {
    if (entry.start === '') problems[`${entry.key}.start`] = 'Enter a start time.';
    if (entry.end === '') problems[`${entry.key}.end`] = 'Enter an end time.';
    if (entry.start === '' || entry.end === '') continue;
    if (endOf(entry.end) <= entry.start) problems[`${entry.key}.end`] = 'Must be after the start.';
    else complete.push(entry);
  }
  let latestEnd = '';
  for (const entry of complete.sort(byStart)) {
    // Touching intervals (one ends as the next starts) are fine.
    if (entry.start < latestEnd) problems[`${entry.key}.start`] = 'Overlaps other hours of the same day.';
    if (endOf(entry.end) > latestEnd) latestEnd = endOf(entry.end);
  }
}

/** Where each item of the body came from, to put the API's field errors back on their rows. */
export interface Origins {
  readonly weekly: readonly string[];
  readonly overrides: readonly { readonly key: string; readonly intervals: readonly string[] }[];
  readonly blocked: readonly string[];
}

export function validate(draft: Draft, timeZone: string): { body: AvailabilityBody; origins: Origins; problems: Problems } {
  const problems: Problems = {};
  const weekly: AvailabilityBody['weekly'] = [];
  const weeklyOrigins: string[] = [];
  for (const day of weekdays) {
    const intervals = draft.weekly[day] ?? [];
    checkIntervals(intervals, problems);
    for (const entry of intervals) {
      weekly.push({ weekday: day, start: entry.start, end: endOf(entry.end) });
      weeklyOrigins.push(entry.key);
    }
  }

  const seen = new Set<string>();
  const overrides: NonNullable<AvailabilityBody['overrides']> = [];
  for (const item of draft.overrides) {
    if (item.date === '') problems[`${item.key}.date`] = 'Choose a date.';
    else if (seen.has(item.date)) problems[`${item.key}.date`] = 'This date is already listed above.';
    seen.add(item.date);
    if (!item.closed) {
      if (item.intervals.length === 0) problems[`${item.key}.date`] ??= 'Add hours for this date, or mark it closed.';
      checkIntervals(item.intervals, problems);
    }
    const intervals = item.closed ? [] : item.intervals;
    overrides.push({ date: item.date, intervals: intervals.map((entry) => ({ start: entry.start, end: endOf(entry.end) })) });
  }

  const blocked: NonNullable<AvailabilityBody['blocked']> = [];
  for (const item of draft.blocked) {
    const missing = (field: string, value: string, text: string) => {
      if (value === '') problems[`${item.key}.${field}`] = text;
    };
    missing('startDate', item.startDate, 'Choose a start date.');
    missing('startTime', item.startTime, 'Enter a start time.');
    missing('endDate', item.endDate, 'Choose an end date.');
    missing('endTime', item.endTime, 'Enter an end time.');
    let start = '';
    let end = '';
    if (item.startDate !== '' && item.startTime !== '' && item.endDate !== '' && item.endTime !== '') {
      start = zonedInstant(item.startDate, item.startTime, timeZone).toISOString();
      end = zonedInstant(item.endDate, item.endTime, timeZone).toISOString();
      if (Date.parse(end) <= Date.parse(start)) problems[`${item.key}.endDate`] = 'The end must be after the start.';
    }
    blocked.push({ ...(item.id === undefined ? {} : { id: item.id }), start, end, reason: item.reason.trim() });
  }

  return {
    body: { weekly, overrides, blocked },
    origins: { weekly: weeklyOrigins, overrides: draft.overrides.map((item) => ({ key: item.key, intervals: item.intervals.map((entry) => entry.key) })), blocked: draft.blocked.map((item) => item.key) },
    problems,
  };
}

/** The API's field errors ("weekly.3.end", "overrides.0.intervals.1.start") on the rows they are about. */
export function problemsFromServer(fields: Record<string, string>, origins: Origins): Problems {
  const problems: Problems = {};
  for (const [path, message] of Object.entries(fields)) {
    const parts = path.split('.');
    const index = Number(parts[1]);
    let key: string | undefined;
    if (parts[0] === 'weekly') key = origins.weekly[index] === undefined ? undefined : `${origins.weekly[index]}.${parts[2] ?? 'start'}`;
    else if (parts[0] === 'overrides') {
      const item = origins.overrides[index];
      if (item !== undefined) key = parts[2] === 'intervals' ? `${item.intervals[Number(parts[3])] ?? item.key}.${parts[4] ?? 'start'}` : `${item.key}.date`;
    } else if (parts[0] === 'blocked') {
      const item = origins.blocked[index];
      if (item !== undefined) key = `${item}.${parts[2] === 'end' ? 'endDate' : parts[2] === 'start' ? 'startDate' : 'reason'}`;
    }
    if (key !== undefined) problems[key] ??= message;
  }
  return problems;
}
