import { z } from 'zod';
import { dateField, instantField, instantOutput } from '../time.schemas';
import { timeZoneField } from './provider.schemas';

/** "HH:MM" on a 24-hour wall clock; "24:00" is allowed as an end (midnight at the end of the day). */
const wallTimePattern = /^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/;
const wallTime = z.string().regex(wallTimePattern, 'must be a time "HH:MM" from 00:00 to 24:00');

const interval = z.object({ start: wallTime, end: wallTime }).strict();

const weeklyRule = z
  .object({
    weekday: z.number().int().min(1, 'must be 1 (Monday) to 7 (Sunday)').max(7, 'must be 1 (Monday) to 7 (Sunday)'),
    start: wallTime,
    end: wallTime,
  })
  .strict();

const override = z
  .object({
    date: dateField,
    intervals: z.array(interval).max(48).describe('Hours on that date instead of the weekly rules; empty = closed.'),
  })
  .strict();

const blockedInput = z
  .object({
    id: z.uuid().optional().describe('Kept when given (as GET returned it); a new id otherwise.'),
    start: instantField,
    end: instantField,
    reason: z.string().trim().max(500).default(''),
  })
  .strict();

type Issue = { message: string; path: (string | number)[] };

type Indexed = { start: string; end: string; index: number };

/** Intervals that end before they start, or overlap another interval of the same day. */
function intervalIssues(items: readonly Indexed[], pathOf: (index: number) => (string | number)[]): Issue[] {
  const issues: Issue[] = [];
  // Malformed times already have their own issue; comparing them would only add noise.
  const wellFormed = items.filter((item) => wallTimePattern.test(item.start) && wallTimePattern.test(item.end));
  // "HH:MM" strings compare like the times they denote.
  const ordered = wellFormed.sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  let latestEnd = '';
  for (const item of ordered) {
    if (item.end <= item.start) {
      issues.push({ message: 'must be after start', path: [...pathOf(item.index), 'end'] });
      continue;
    }
    // Touching intervals (one ends as the next starts) are fine.
    if (item.start < latestEnd) issues.push({ message: 'overlaps another interval of the same day', path: [...pathOf(item.index), 'start'] });
    if (item.end > latestEnd) latestEnd = item.end;
  }
  return issues;
}

export const availabilityBody = z
  .object({
    weekly: z.array(weeklyRule).max(7 * 48).describe('Wall-clock hours in the provider’s zone, by ISO weekday.'),
    overrides: z.array(override).max(1000).default([]),
    blocked: z.array(blockedInput).max(1000).default([]),
  })
  .strict()
  .superRefine((body, ctx) => {
    const issues: Issue[] = [];
    for (let weekday = 1; weekday <= 7; weekday += 1) {
      const rules = body.weekly.map((rule, index) => ({ ...rule, index })).filter((rule) => rule.weekday === weekday);
      issues.push(...intervalIssues(rules, (index) => ['weekly', index]));
    }
    const dates = new Map<string, number>();
    body.overrides.forEach((item, index) => {
      if (dates.has(item.date)) issues.push({ message: 'is given twice', path: ['overrides', index, 'date'] });
      dates.set(item.date, index);
      const intervals = item.intervals.map((entry, position) => ({ ...entry, index: position }));
      issues.push(...intervalIssues(intervals, (position) => ['overrides', index, 'intervals', position]));
    });
    const ids = new Set<string>();
    body.blocked.forEach((item, index) => {
      if (Date.parse(item.end) <= Date.parse(item.start)) issues.push({ message: 'must be after start', path: ['blocked', index, 'end'] });
      if (item.id !== undefined) {
        if (ids.has(item.id)) issues.push({ message: 'is given twice', path: ['blocked', index, 'id'] });
        ids.add(item.id);
      }
    });
    for (const issue of issues) ctx.addIssue({ code: 'custom', ...issue });
  })
  .describe('The whole availability; PUT replaces what was there.');

export type AvailabilityInput = z.infer<typeof availabilityBody>;

export const availabilitySchema = z
  .object({
    timeZone: z.string().describe('The provider’s zone: weekly rules and overrides are wall-clock times there.'),
    weekly: z.array(z.object({ weekday: z.number().int(), start: z.string(), end: z.string() })),
    overrides: z.array(z.object({ date: z.iso.date(), intervals: z.array(z.object({ start: z.string(), end: z.string() })) })),
    blocked: z.array(z.object({ id: z.uuid(), start: instantOutput, end: instantOutput, reason: z.string() })),
  })
  .describe('Weekly rules, date overrides (empty intervals = closed) and blocked periods.');

export type Availability = z.infer<typeof availabilitySchema>;

export const slotsQuery = z
  .object({
    serviceId: z.uuid(),
    from: instantField,
    to: instantField,
    timeZone: timeZoneField.optional().describe('Zone of localStart/localEnd (default: the provider’s).'),
  })
  .refine((query) => Date.parse(query.to) > Date.parse(query.from), { message: 'must be after from', path: ['to'] });

export const slotSchema = z.object({
  start: instantOutput.describe('UTC.'),
  end: instantOutput.describe('UTC.'),
  localStart: instantOutput.describe('In the requested zone.'),
  localEnd: instantOutput.describe('In the requested zone.'),
  seatsLeft: z.number().int(),
});

export const slotsResponseSchema = z
  .object({
    timeZone: z.string(),
    slots: z.array(slotSchema),
    busyTimes: z
      .enum(['current', 'stale', 'unknown'])
      .describe(
        "The provider's external calendar (Google) busy times these slots exclude: current (or no external calendar), stale (the last known ones: the calendar could not be read lately), or unknown (the calendar service did not answer: none excluded; bookings are still checked).",
      ),
  })
  .describe('Free start times in [from, to), booked and held time (with buffers), notice and booking window excluded.');
