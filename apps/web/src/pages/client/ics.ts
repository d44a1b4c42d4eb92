/*
 * "Add to calendar" for one booking: an iCalendar (RFC 5545) object written in the browser. Times
 * are UTC (DATE-TIME form with Z), so no VTIMEZONE is needed; the UID is the one the provider's
 * feed and the emailed invitation use (`<booking id>@timeslot`), so importing the same booking
 * twice, or from two places, updates one event instead of adding another. Pure string work: no
 * DOM, so it runs in unit tests as it runs in the page.
 */

import { escapeText, foldLine, formatUtc as kernelFormatUtc, joinLines } from '@timeslot/kernel/icalendar';

// The same content-line rules as the server's feed and invitations (pure string work, bundled as is).
export { escapeText, foldLine } from '@timeslot/kernel/icalendar';

/** UTC DATE-TIME form of an instant as the API sends it: 2030-03-10T09:00:00.000Z → 20300310T090000Z. */
export function formatUtc(instant: string | Date): string {
  return kernelFormatUtc(new Date(instant));
}

export interface BookingEvent {
  readonly id: string;
  /** UTC instants as the API sends them. */
  readonly start: string;
  readonly end: string;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly status: string;
  readonly serviceName: string;
  readonly providerName?: string | undefined;
  readonly notes?: string | null | undefined;
  /** The meeting link of a video booking, when it is ready. */
  readonly meetingUrl?: string | null | undefined;
  /** "Video call", "Phone call" or the address. */
  readonly location?: string | undefined;
}

/** One booking as a VCALENDAR with one VEVENT: CRLF line endings, ending with a CRLF. */
export function bookingIcs(booking: BookingEvent): string {
  const summary = booking.providerName === undefined ? booking.serviceName : `${booking.serviceName} with ${booking.providerName}`;
  const description = [booking.meetingUrl ? `Join: ${booking.meetingUrl}` : '', booking.notes ? `Notes: ${booking.notes}` : ''].filter((part) => part !== '').join('\n');
  // SEQUENCE must grow whenever the event changes (a reschedule): seconds since the booking was
  // made, at its last change, always do.
  const sequence = Math.max(0, Math.floor((Date.parse(booking.updatedAt) - Date.parse(booking.createdAt)) / 1000));
  const status = booking.status === 'cancelled' || booking.status === 'expired' ? 'CANCELLED' : booking.status === 'pending_payment' ? 'TENTATIVE' : 'CONFIRMED';
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Timeslot//Web//EN',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    'BEGIN:VEVENT',
    `UID:${escapeText(`${booking.id}@timeslot`)}`,
    `DTSTAMP:${formatUtc(booking.updatedAt)}`,
    `DTSTART:${formatUtc(booking.start)}`,
    `DTEND:${formatUtc(booking.end)}`,
    `SUMMARY:${escapeText(summary)}`,
  ];
  if (description !== '') lines.push(`DESCRIPTION:${escapeText(description)}`);
  const location = booking.meetingUrl ?? booking.location;
  if (location !== undefined && location !== null && location !== '') lines.push(`LOCATION:${escapeText(location)}`);
  if (booking.meetingUrl) lines.push(`URL:${booking.meetingUrl}`);
  lines.push(`SEQUENCE:${sequence}`, `STATUS:${status}`, 'END:VEVENT', 'END:VCALENDAR');
  return joinLines(lines.map(foldLine));
}

/** The download's file name: the service and the day, safe on every file system. */
export function icsFileName(serviceName: string, start: string): string {
  const base = serviceName
    .normalize('NFKD')
    .replace(/[^\w\s-]/g, '')
    .trim()
    .replace(/\s+/g, '-')
    .toLowerCase();
  return `${base === '' ? 'booking' : base}-${start.slice(0, 10)}.ics`;
}
