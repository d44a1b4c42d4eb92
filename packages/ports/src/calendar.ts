import { z } from 'zod';

/*
 * What scheduling asks of the calendar service, synchronously: a meeting link for a booking about
 * to be confirmed, and a provider's external busy times. Two implementations, chosen by the
 * composition root: in-process (the calendar service runs in the same process: a function call)
 * and HTTP (its internal routes, authenticated by a shared service token). Everything here is
 * best effort from scheduling's side: a booking never fails because the calendar did.
 */

/** The booking a meeting is for, as scheduling knows it before committing the confirmation. */
export const meetingRequestSchema = z.object({
  bookingId: z.uuid(),
  providerUserId: z.uuid(),
  clientId: z.uuid(),
  serviceName: z.string().min(1).max(200),
  providerName: z.string().min(1).max(200),
  /** IANA zone of the provider, for the calendar event. */
  timeZone: z.string().min(1).max(100),
  startsAt: z.iso.datetime({ offset: true }),
  endsAt: z.iso.datetime({ offset: true }),
});
export type MeetingRequest = z.infer<typeof meetingRequestSchema>;

export const meetingSchema = z.object({
  bookingId: z.uuid(),
  url: z.url(),
  /** Which adapter made it: the built-in link, or a Google Calendar event with Meet. */
  provider: z.enum(['builtin', 'google']),
});
export type Meeting = z.infer<typeof meetingSchema>;

export const busyPeriodSchema = z.object({ start: z.iso.datetime({ offset: true }), end: z.iso.datetime({ offset: true }) });
export type BusyPeriod = z.infer<typeof busyPeriodSchema>;

export const busyTimesSchema = z.object({
  periods: z.array(busyPeriodSchema),
  /** False when the provider has no external calendar (then `periods` is empty and never stale). */
  connected: z.boolean(),
  /** The last sync failed or is too old: `periods` are the last known ones. */
  stale: z.boolean(),
});
export type BusyTimes = z.infer<typeof busyTimesSchema>;

/**
 * The calendar service as scheduling sees it. Every method may reject (calendar down, slow,
 * Google refusing); callers bound the wait and carry on without it.
 */
export interface CalendarClient {
  /**
   * The meeting of a booking, made if needed. Idempotent per booking id: asking again returns the
   * same link, so a caller that timed out may ask again, and the calendar may finish the work on
   * its own after the caller stopped waiting.
   */
  ensureMeeting(request: MeetingRequest): Promise<Meeting>;
  /** Forget a meeting made for a booking that was never committed (best effort; the calendar's sweep is the backstop). */
  dropMeeting(bookingId: string): Promise<void>;
  /** The provider user's external busy periods overlapping [from, to). */
  busyTimes(providerUserId: string, from: Date, to: Date): Promise<BusyTimes>;
}

/** The header that carries the shared service token on the calendar's internal routes. */
export const internalTokenHeader = 'x-timeslot-internal-token';
