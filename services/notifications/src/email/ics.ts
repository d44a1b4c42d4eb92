import { contentLine, escapeText, formatUtc, joinLines } from '@timeslot/kernel/icalendar';
import type { BookingSnapshot } from './email.data';
import { safeHttpUrl } from './templates/format';

export interface CalendarParty {
  readonly name: string;
  readonly email: string;
}

export interface InvitationInput {
  /** REQUEST adds or updates the event in the recipient's calendar; CANCEL removes it. */
  readonly method: 'REQUEST' | 'CANCEL';
  readonly booking: BookingSnapshot;
  /** The provider: the one who "invites". */
  readonly organizer: CalendarParty;
  /** The client, asked to reply (RSVP). */
  readonly attendee: CalendarParty;
  /** When the event that asked for this email happened: DTSTAMP, and the source of SEQUENCE. */
  readonly occurredAt: Date;
  readonly summary: string;
  readonly description?: string;
  /** Host part of the UID, e.g. the public URL's host. */
  readonly domain: string;
}

/** SEQUENCE counts from here: seconds fit RFC 5545's 32-bit INTEGER until 2092. */
const SEQUENCE_EPOCH_MS = Date.UTC(2024, 0, 1);

/**
 * SEQUENCE from the event's time, so each later version of a booking (moved again, then cancelled)
 * carries a larger number without anyone counting versions, and a calendar replaces its copy.
 */
export function sequenceFor(occurredAt: Date): number {
  return Math.max(0, Math.floor((occurredAt.getTime() - SEQUENCE_EPOCH_MS) / 1000));
}

/** One UID per booking for its whole life: every update and the cancel name the same event. */
export function bookingUid(bookingId: string, domain: string): string {
  return `booking-${bookingId}@${domain}`;
}

const mailto = (email: string): string => `mailto:${email}`;

/**
 * An iTIP (RFC 5546) message for one booking: METHOD:REQUEST with the provider as ORGANIZER and the
 * client as ATTENDEE (RSVP), or METHOD:CANCEL with STATUS:CANCELLED. Times in UTC; the meeting link
 * (or the address) as LOCATION, the link also as URL. Google and Apple Calendar offer to add it
 * when it arrives as a text/calendar part with the same method (see the mailer).
 */
export function buildInvitation(input: InvitationInput): string {
  const { booking } = input;
  const link = safeHttpUrl(booking.meetingUrl);
  const location = link ?? booking.locationAddress ?? undefined;
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    contentLine('PRODID', '-//Timeslot//Notifications//EN'),
    'CALSCALE:GREGORIAN',
    `METHOD:${input.method}`,
    'BEGIN:VEVENT',
    contentLine('UID', escapeText(bookingUid(booking.bookingId, input.domain))),
    contentLine('DTSTAMP', formatUtc(input.occurredAt)),
    contentLine('DTSTART', formatUtc(new Date(booking.startsAt))),
    contentLine('DTEND', formatUtc(new Date(booking.endsAt))),
    contentLine('SEQUENCE', String(sequenceFor(input.occurredAt))),
    contentLine('SUMMARY', escapeText(input.summary)),
    contentLine('ORGANIZER', mailto(input.organizer.email), { CN: input.organizer.name }),
    contentLine('ATTENDEE', mailto(input.attendee.email), {
      CN: input.attendee.name,
      ROLE: 'REQ-PARTICIPANT',
      PARTSTAT: 'NEEDS-ACTION',
      RSVP: 'TRUE',
    }),
    `STATUS:${input.method === 'CANCEL' ? 'CANCELLED' : 'CONFIRMED'}`,
    'TRANSP:OPAQUE',
  ];
  if (location !== undefined && location !== '') lines.push(contentLine('LOCATION', escapeText(location)));
  if (link !== undefined) lines.push(contentLine('URL', link));
  if (input.description !== undefined && input.description !== '') lines.push(contentLine('DESCRIPTION', escapeText(input.description)));
  lines.push('END:VEVENT', 'END:VCALENDAR');
  return joinLines(lines);
}
