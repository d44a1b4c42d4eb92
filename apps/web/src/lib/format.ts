/*
 * Dates, times and prices for people: always in the viewer's zone and locale, through Intl (no
 * date library on the booking path). Formatters are cached: building one costs more than using it.
 */

const cache = new Map<string, Intl.DateTimeFormat>();

function formatter(locale: string, timeZone: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}|${timeZone}|${JSON.stringify(options)}`;
  let found = cache.get(key);
  if (found === undefined) {
    found = new Intl.DateTimeFormat(locale, { ...options, timeZone });
    cache.set(key, found);
  }
  return found;
}

export interface Viewer {
  readonly locale: string;
  readonly timeZone: string;
}

/** "14:30" or "2:30 PM". */
export function formatTime(instant: string | Date, viewer: Viewer): string {
  return formatter(viewer.locale, viewer.timeZone, { hour: 'numeric', minute: '2-digit' }).format(new Date(instant));
}

/** "Tue, 3 Mar". */
export function formatDay(instant: string | Date, viewer: Viewer): string {
  return formatter(viewer.locale, viewer.timeZone, { weekday: 'short', day: 'numeric', month: 'short' }).format(new Date(instant));
}

/** "Tuesday, 3 March 2026". */
export function formatLongDay(instant: string | Date, viewer: Viewer): string {
  return formatter(viewer.locale, viewer.timeZone, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }).format(new Date(instant));
}

/** "Tue, 3 Mar 2026, 14:30". */
export function formatDateTime(instant: string | Date, viewer: Viewer): string {
  return formatter(viewer.locale, viewer.timeZone, { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', hour: 'numeric', minute: '2-digit' }).format(
    new Date(instant),
  );
}

/** "14:30–15:00 (CET)" style range, with the zone's short name. */
export function formatTimeRange(start: string | Date, end: string | Date, viewer: Viewer): string {
  const f = formatter(viewer.locale, viewer.timeZone, { hour: 'numeric', minute: '2-digit', timeZoneName: 'short' });
  return f.formatRange(new Date(start), new Date(end));
}

/** The calendar date (YYYY-MM-DD) of an instant in a zone: the key for grouping by day. */
export function dayKey(instant: string | Date, timeZone: string): string {
  return formatter('en-CA', timeZone, { year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(instant));
}

/** Minutes the zone is ahead of UTC at an instant (e.g. 60 for Europe/Berlin in winter). */
export function zoneOffsetMinutes(instant: Date, timeZone: string): number {
  const parts = formatter('en-US', timeZone, { year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric', hourCycle: 'h23' }).formatToParts(instant);
  const get = (type: string): number => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return Math.round((asUtc - Math.floor(instant.getTime() / 1000) * 1000) / 60_000);
}

/** The instant a wall-clock date and time happens in a zone ("2026-03-29", "09:00", "Europe/London"). */
export function zonedInstant(date: string, time: string, timeZone: string): Date {
  const [y, m, d] = date.split('-').map(Number);
  const [hh, mm] = time.split(':').map(Number);
  const guess = Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1, hh ?? 0, mm ?? 0);
  // Two passes settle the offset across a DST change (the second uses the offset at the first guess).
  let instant = new Date(guess - zoneOffsetMinutes(new Date(guess), timeZone) * 60_000);
  instant = new Date(guess - zoneOffsetMinutes(instant, timeZone) * 60_000);
  return instant;
}

/** Add whole days to a YYYY-MM-DD date. */
export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1, (d ?? 1) + days)).toISOString().slice(0, 10);
}

/** ISO weekday 1 (Monday) … 7 (Sunday) of a YYYY-MM-DD date. */
export function isoWeekday(date: string): number {
  const [y, m, d] = date.split('-').map(Number);
  const day = new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1)).getUTCDay();
  return day === 0 ? 7 : day;
}

/** The short name of a zone at an instant ("CET", "GMT+5:30"). */
export function zoneName(timeZone: string, locale: string, at: Date = new Date()): string {
  return formatter(locale, timeZone, { timeZoneName: 'short' }).formatToParts(at).find((p) => p.type === 'timeZoneName')?.value ?? timeZone;
}

/** A price in minor units, in the viewer's locale ("€45.00", "45,00 €"); "Free" at 0. */
export function formatPrice(amountMinor: number, currency: string, locale: string): string {
  if (amountMinor === 0) return 'Free';
  const digits = new Intl.NumberFormat(locale, { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  return new Intl.NumberFormat(locale, { style: 'currency', currency }).format(amountMinor / 10 ** digits);
}

/** Every IANA zone the browser knows (for the zone picker), with the browser's own first. */
export function knownTimeZones(): string[] {
  const own = browserTimeZone();
  const all = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [own, 'UTC'];
  return [own, ...all.filter((zone) => zone !== own)];
}

export function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

export function browserLocale(): string {
  // Through globalThis, so this module also type-checks (and runs) under Node for unit tests.
  const browser = (globalThis as { navigator?: { readonly languages?: readonly string[]; readonly language?: string } }).navigator;
  return browser?.languages?.[0] ?? browser?.language ?? 'en';
}
