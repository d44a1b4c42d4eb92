import { addDays, dayKey, zonedInstant } from '../../lib/format';

/*
 * The calendar arithmetic of the slot picker, in the viewer's zone: a window is a run of whole
 * days (YYYY-MM-DD in that zone), and each slot belongs to the day its start falls on there. Pure
 * functions, unit-tested without a browser.
 */

/** Days shown at once by the week view, and fetched (and prefetched) together. */
export const windowDays = 7;

export interface SlotLike {
  readonly start: string;
}

/** The dates of a window starting on `first`. */
export function windowDates(first: string, days = windowDays): string[] {
  return Array.from({ length: days }, (_, index) => addDays(first, index));
}

/** The instants bounding a window in a zone: [its first midnight, the midnight after its last day). */
export function windowRange(first: string, timeZone: string, days = windowDays): { from: string; to: string } {
  return {
    from: zonedInstant(first, '00:00', timeZone).toISOString(),
    to: zonedInstant(addDays(first, days), '00:00', timeZone).toISOString(),
  };
}

/** Slots by the date they start on in the zone, every date of the window present (maybe empty). */
export function groupByDay<T extends SlotLike>(slots: readonly T[], dates: readonly string[], timeZone: string): Map<string, T[]> {
  const days = new Map<string, T[]>(dates.map((date) => [date, []]));
  for (const slot of slots) days.get(dayKey(slot.start, timeZone))?.push(slot);
  return days;
}

/** Whether a YYYY-MM-DD string names a real date. */
export function isDate(value: string | null): value is string {
  return value !== null && /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) && addDays(value, 0) === value;
}

/**
 * The window to show: the requested start when it is a date from today on, else today; a slot
 * asked for in the URL (back from signing in) pulls the window to its day.
 */
export function clampWindow(requested: string | null, today: string, slotDay: string | null): string {
  const base = isDate(requested) && requested >= today ? requested : today;
  if (slotDay !== null && slotDay >= today && (slotDay < base || slotDay >= addDays(base, windowDays))) return slotDay;
  return base;
}
