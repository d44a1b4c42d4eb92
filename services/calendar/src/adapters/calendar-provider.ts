import type { BusyPeriod } from '@timeslot/ports';
import type { MeetingKind } from '../tables';

/** What a meeting is about, for the calendar event an adapter may create. */
export interface MeetingDetails {
  readonly bookingId: string;
  /** Bumped each time a dropped meeting is made again, so its external event gets a fresh id. */
  readonly generation: number;
  readonly serviceName: string;
  readonly providerName: string;
  readonly timeZone: string;
  readonly startsAt: Date;
  readonly endsAt: Date;
}

export interface CreatedMeeting {
  readonly url: string;
  /** The external calendar event, when the adapter made one. */
  readonly eventId: string | null;
}

/**
 * Where meetings and busy times come from. Two adapters: the built-in one (an unguessable link, no
 * calendar) and Google Calendar + Meet (an event in the provider's calendar). Every method is
 * idempotent, because every caller retries: `createMeeting` for one booking and generation returns
 * the same meeting however often it runs, `moveMeeting` sets absolute times, and `removeMeeting`
 * of a gone event succeeds.
 */
export interface CalendarProvider {
  readonly kind: MeetingKind;
  createMeeting(details: MeetingDetails): Promise<CreatedMeeting>;
  moveMeeting(eventId: string, details: MeetingDetails): Promise<void>;
  removeMeeting(eventId: string): Promise<void>;
  /** Busy periods of the provider's calendar overlapping [from, to). */
  busyPeriods(from: Date, to: Date): Promise<BusyPeriod[]>;
}

/**
 * The built-in adapter: `base` + an HMAC of the booking id (see CalendarSecrets.meetingToken).
 * Deterministic, so it needs no storage to be idempotent and answers in microseconds; unguessable
 * (192 bits) without the calendar key. Nothing external to move or remove.
 */
export function createBuiltinProvider(base: string, token: (bookingId: string) => string): CalendarProvider {
  return {
    kind: 'builtin',
    createMeeting: (details) => Promise.resolve({ url: builtinUrl(base, token, details.bookingId), eventId: null }),
    moveMeeting: () => Promise.resolve(),
    removeMeeting: () => Promise.resolve(),
    busyPeriods: () => Promise.resolve([]),
  };
}

export function builtinUrl(base: string, token: (bookingId: string) => string, bookingId: string): string {
  return `${base}${token(bookingId)}`;
}
