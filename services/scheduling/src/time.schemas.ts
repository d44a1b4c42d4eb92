import { DateTime } from 'luxon';
import { z } from 'zod';

/*
 * The one range of dates and instants the API accepts. PostgreSQL's timestamptz and date stop at
 * years 4713 BC and 294276 AD, JavaScript's Date at ±275760, and a date near either end overflows
 * once buffers or a time zone are added to it: every such value was a 500. Nothing a booking
 * system schedules lies outside 1970–2999, so everything outside is refused with a 400 at the edge.
 */
export const earliestInstantMs = Date.UTC(1970, 0, 1);
/** Exclusive. */
export const latestInstantMs = Date.UTC(3000, 0, 1);

const yearPattern = /^(?:19[7-9]\d|2\d{3})-/;
const rangeText = 'between 1970-01-01 and 2999-12-31';
// The generated schema keeps its date/date-time format and adds the year range as a second pattern.
const documentedYears = { allOf: [{ pattern: yearPattern.source }] };

/** Only a well-formed value is range-checked: a malformed one already has its own issue. */
function instantInRange(value: string): boolean {
  const ms = Date.parse(value);
  return Number.isNaN(ms) || (ms >= earliestInstantMs && ms < latestInstantMs);
}

function dateInRange(value: string): boolean {
  return !DateTime.fromISO(value, { zone: 'UTC' }).isValid || yearPattern.test(value);
}

/** An instant as the API takes it: ISO 8601 with an offset ("Z" or "+02:00"), in 1970–2999 UTC. */
export const instantField = z.iso
  .datetime({ offset: true, message: 'must be an ISO 8601 date-time with an offset, e.g. 2030-03-10T09:00:00Z' })
  .refine(instantInRange, `must be ${rangeText} (UTC)`)
  .describe(`ISO 8601 instant with an offset, ${rangeText} (UTC).`)
  .meta({ ...documentedYears, example: '2030-03-10T09:00:00Z' });

/** A calendar date "YYYY-MM-DD" (no zone: the provider's wall calendar), 1970-01-01 to 2999-12-31. */
export const dateField = z.iso
  .date({ message: 'must be a calendar date YYYY-MM-DD' })
  .refine(dateInRange, `must be ${rangeText}`)
  .describe(`Calendar date YYYY-MM-DD, ${rangeText}.`)
  .meta({ ...documentedYears, example: '2030-03-10' });

/** An instant as the API returns it (responses are not range-checked: the server wrote them). */
export const instantOutput = z.iso.datetime({ offset: true }).describe('ISO 8601 instant with an offset.');
