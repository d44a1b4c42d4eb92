/**
 * Availability windows: the provider's weekly rules and date overrides, turned into spans of
 * instants, one provider-local calendar date at a time.
 */
import type { DateOverride, WallInterval, WeeklyRule } from './types';
import { DAY_MS, wallToInstant, type ZoneOffsets } from './zone';

/** A span of epoch ms [start, end). */
export interface Span {
  start: number;
  end: number;
}

const wallTimePattern = /^(\d{2}):(\d{2})(?::(\d{2}))?$/;
const datePattern = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Milliseconds since midnight for "HH:MM[:SS]"; "24:00" only where `allowEndOfDay`. */
function parseWallTime(text: string, allowEndOfDay: boolean): number {
  const match = wallTimePattern.exec(text);
  if (match) {
    const hours = Number(match[1]);
    const minutes = Number(match[2]);
    const seconds = Number(match[3] ?? 0);
    const ms = ((hours * 60 + minutes) * 60 + seconds) * 1000;
    if (minutes < 60 && seconds < 60 && (ms < DAY_MS || (allowEndOfDay && ms === DAY_MS))) return ms;
  }
  throw new RangeError(`Invalid wall-clock time: ${text}`);
}

/** Days since 1970-01-01 of a "YYYY-MM-DD" calendar date. */
export function parseDate(text: string): number {
  const match = datePattern.exec(text);
  if (match) {
    const year = Number(match[1]);
    const month = Number(match[2]);
    const day = Number(match[3]);
    const ms = Date.UTC(year, month - 1, day);
    const check = new Date(ms);
    if (check.getUTCFullYear() === year && check.getUTCMonth() === month - 1 && check.getUTCDate() === day) return ms / DAY_MS;
  }
  throw new RangeError(`Invalid date: ${text}`);
}

/** ISO weekday (1 = Monday … 7 = Sunday) of a day number; day 0, 1970-01-01, was a Thursday. */
export function isoWeekday(dayNumber: number): number {
  return ((((dayNumber + 3) % 7) + 7) % 7) + 1;
}

/**
 * Parses and unites wall intervals (ms since midnight), sorted. Touching intervals are joined:
 * 09:00–12:00 plus 12:00–17:00 is one window 09:00–17:00, so a slot may span the seam.
 */
function uniteWallIntervals(intervals: readonly WallInterval[]): Span[] {
  const parsed = intervals.map((interval) => {
    const start = parseWallTime(interval.start, false);
    const end = parseWallTime(interval.end, true);
    if (end <= start) throw new RangeError(`Interval ends before it starts: ${interval.start}–${interval.end}`);
    return { start, end };
  });
  parsed.sort((a, b) => a.start - b.start);
  const united: Span[] = [];
  for (const interval of parsed) {
    const last = united[united.length - 1];
    if (last && interval.start <= last.end) last.end = Math.max(last.end, interval.end);
    else united.push({ ...interval });
  }
  return united;
}

/** Wall-clock intervals per date: the override for that date, else the weekday's weekly rules. */
export interface WallSchedule {
  intervalsOn(dayNumber: number): readonly Span[];
}

export function wallSchedule(weekly: readonly WeeklyRule[], overrides: readonly DateOverride[]): WallSchedule {
  for (const rule of weekly) {
    if (!Number.isInteger(rule.weekday) || rule.weekday < 1 || rule.weekday > 7) {
      throw new RangeError(`Invalid ISO weekday: ${rule.weekday}`);
    }
  }
  const byWeekday: Span[][] = [];
  for (let weekday = 1; weekday <= 7; weekday++) {
    byWeekday[weekday] = uniteWallIntervals(weekly.filter((rule) => rule.weekday === weekday));
  }
  const overridden = new Map<number, WallInterval[]>();
  for (const override of overrides) {
    const day = parseDate(override.date);
    overridden.set(day, [...(overridden.get(day) ?? []), ...override.intervals]);
  }
  const byDate = new Map<number, Span[]>();
  for (const [day, intervals] of overridden) byDate.set(day, uniteWallIntervals(intervals));
  return {
    intervalsOn(dayNumber: number): readonly Span[] {
      return byDate.get(dayNumber) ?? byWeekday[isoWeekday(dayNumber)]!;
    },
  };
}

/**
 * The availability windows (instants) of provider-local dates firstDay..lastDay, in date order.
 * Each wall-clock bound is converted on its own date, so 09:00–17:00 is 09:00–17:00 on the wall
 * clock whatever the offset, and 00:00–24:00 covers exactly the date (23 or 25 hours on DST days).
 * A window that DST leaves empty (a rule inside a spring-forward gap) is dropped.
 */
export function availabilityWindows(schedule: WallSchedule, offsets: ZoneOffsets, firstDay: number, lastDay: number): Span[] {
  const windows: Span[] = [];
  for (let day = firstDay; day <= lastDay; day++) {
    const midnight = day * DAY_MS;
    for (const interval of schedule.intervalsOn(day)) {
      const start = wallToInstant(offsets, midnight + interval.start);
      const end = wallToInstant(offsets, midnight + interval.end);
      if (end > start) windows.push({ start, end });
    }
  }
  return windows;
}
