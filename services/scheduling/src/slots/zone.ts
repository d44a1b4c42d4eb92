/**
 * Zone math for the slot engine. Luxon answers "what is the offset of this zone at this instant";
 * everything else (wall clock → instant, formatting) is arithmetic over offsets memoised per UTC
 * day, because a luxon/Intl call costs microseconds and a 31-day listing has thousands of slots.
 */
import { IANAZone } from 'luxon';

export const MINUTE_MS = 60_000;
export const DAY_MS = 86_400_000;

/** The luxon zone for an IANA name; RangeError when the name is not a valid zone. */
export function ianaZone(name: string): IANAZone {
  const zone = IANAZone.create(name);
  if (!zone.isValid) throw new RangeError(`Unknown time zone: ${name}`);
  return zone;
}

/** UTC offsets (minutes) of one zone. */
export interface ZoneOffsets {
  offsetAt(ms: number): number;
}

/** A UTC day's offsets: one number, or the one change during that day. */
type DayOffsets = number | { readonly at: number; readonly before: number; readonly after: number };

/**
 * Offsets per zone per UTC day (days since 1970). A zone's offset at an instant never changes
 * within a process (the tz data is fixed), so this memo is shared by every call: after the first
 * listing of a month, a provider's zone costs no luxon call at all. Cleared wholesale when large.
 */
const offsetMemo = new Map<string, Map<number, DayOffsets>>();
const MEMO_DAYS_PER_ZONE = 10_000;

/**
 * Offsets of `zone`, looked up per UTC day and memoised. Assumes at most one offset change per
 * UTC day: tz rules change a zone's offset months apart, weeks at the very least (Morocco's
 * Ramadan suspensions). The change itself is found to the millisecond by bisection.
 */
export function zoneOffsets(zone: IANAZone): ZoneOffsets {
  let days = offsetMemo.get(zone.name);
  if (!days) {
    days = new Map();
    offsetMemo.set(zone.name, days);
  }
  const memo = days;
  const dayOffsets = (day: number): DayOffsets => {
    const known = memo.get(day);
    if (known !== undefined) return known;
    if (memo.size >= MEMO_DAYS_PER_ZONE) memo.clear();
    const start = day * DAY_MS;
    const before = zone.offset(start);
    const after = zone.offset(start + DAY_MS);
    let offsets: DayOffsets = before;
    if (before !== after) {
      // Invariant: offset(low) === before, offset(high) !== before; high ends on the change.
      let low = start;
      let high = start + DAY_MS;
      while (high - low > 1) {
        const middle = Math.floor((low + high) / 2);
        if (zone.offset(middle) === before) low = middle;
        else high = middle;
      }
      offsets = { at: high, before, after };
    }
    memo.set(day, offsets);
    return offsets;
  };
  return {
    offsetAt(ms: number): number {
      const offsets = dayOffsets(Math.floor(ms / DAY_MS));
      if (typeof offsets === 'number') return offsets;
      return ms < offsets.at ? offsets.before : offsets.after;
    },
  };
}

/**
 * The instant of a wall-clock time, given as "local epoch ms" (the wall time read as if it were
 * UTC). Deterministic at DST changes, unlike luxon's fromObject, whose choice for an ambiguous time
 * depends on the offset in force on the day the code runs:
 * - a time that does not exist (spring-forward gap) is read with the offset before the change, so
 *   it moves forward by the gap's length (02:30 in New York on the spring day → 03:30 EDT), as
 *   luxon does;
 * - an ambiguous time (fall-back) is its first occurrence, i.e. read with the earlier offset
 *   (01:30 in New York on the fall-back day → 01:30 EDT, 05:30Z).
 */
export function wallToInstant(offsets: ZoneOffsets, wall: number): number {
  // A day either side is beyond any UTC offset, so a transition near the instant shows up here.
  const before = offsets.offsetAt(wall - DAY_MS);
  const after = offsets.offsetAt(wall + DAY_MS);
  const early = wall - before * MINUTE_MS;
  if (before === after) return early;
  const late = wall - after * MINUTE_MS;
  const earlyExists = offsets.offsetAt(early) === before;
  const lateExists = offsets.offsetAt(late) === after;
  if (earlyExists && lateExists) return Math.min(early, late);
  if (lateExists && !earlyExists) return late;
  return early;
}

const twoDigits = Array.from({ length: 100 }, (_, value) => String(value).padStart(2, '0'));

/** "+05:45", "-04:00", "+00:00". */
export function formatOffset(offsetMinutes: number): string {
  const sign = offsetMinutes < 0 ? '-' : '+';
  const absolute = Math.abs(offsetMinutes);
  return `${sign}${twoDigits[Math.floor(absolute / 60)]}:${twoDigits[absolute % 60]}`;
}

/** "YYYY-MM-DD" of a day number (days since 1970-01-01), years 0000–9999. */
function formatDate(days: number): string {
  // Howard Hinnant's civil_from_days.
  const shifted = days + 719_468;
  const era = Math.floor(shifted / 146_097);
  const dayOfEra = shifted - era * 146_097;
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const monthIndex = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * monthIndex + 2) / 5) + 1;
  const month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  return `${twoDigits[Math.floor(year / 100)]}${twoDigits[year % 100]}-${twoDigits[month]}-${twoDigits[day]}`;
}

/** "THH:MM:SS.sss" of milliseconds since midnight. */
function formatTime(msOfDay: number): string {
  const millis = msOfDay % 1000;
  const totalSeconds = (msOfDay - millis) / 1000;
  const seconds = totalSeconds % 60;
  const totalMinutes = (totalSeconds - seconds) / 60;
  return `T${twoDigits[Math.floor(totalMinutes / 60)]}:${twoDigits[totalMinutes % 60]}:${twoDigits[seconds]}.${String(millis).padStart(3, '0')}`;
}

/** "THH:MM:00.000" by minute of day: slots start on whole minutes, so these are nearly all we need. */
const wholeMinutes = Array.from({ length: 1440 }, (_, minute) => formatTime(minute * MINUTE_MS));

/** Formats instants as "YYYY-MM-DDTHH:MM:SS.sss" + zone suffix. */
export type InstantFormatter = (ms: number) => string;

/**
 * Hand-rolled ISO 8601 formatting: Date#toISOString and luxon cost about a microsecond each and
 * a month of slots needs thousands of strings. Meant for increasing instants: the date part is
 * remembered from the previous call.
 */
function formatter(offsetAt: (ms: number) => number, suffixFor: (offset: number) => string): InstantFormatter {
  let lastDay = Number.NaN;
  let lastDate = '';
  let lastOffset = Number.NaN;
  let lastSuffix = '';
  return (ms) => {
    const offset = offsetAt(ms);
    if (offset !== lastOffset) {
      lastOffset = offset;
      lastSuffix = suffixFor(offset);
    }
    const local = ms + offset * MINUTE_MS;
    const day = Math.floor(local / DAY_MS);
    if (day !== lastDay) {
      lastDay = day;
      lastDate = formatDate(day);
    }
    const msOfDay = local - day * DAY_MS;
    const time = msOfDay % MINUTE_MS === 0 ? wholeMinutes[msOfDay / MINUTE_MS]! : formatTime(msOfDay);
    return lastDate + time + lastSuffix;
  };
}

/** UTC with "Z": the same text as Date#toISOString. */
export function utcFormatter(): InstantFormatter {
  return formatter(
    () => 0,
    () => 'Z',
  );
}

/** The zone's offset at each instant: the same text as luxon's toISO() (milliseconds included). */
export function localFormatter(offsets: ZoneOffsets): InstantFormatter {
  return formatter((ms) => offsets.offsetAt(ms), formatOffset);
}
