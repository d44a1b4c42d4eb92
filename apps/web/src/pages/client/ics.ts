/*
 * "Add to calendar" for one booking: an iCalendar (RFC 5545) object written in the browser. Times
 * are UTC (DATE-TIME form with Z), so no VTIMEZONE is needed; the UID is the one the provider's
 * feed and the emailed invitation use (`<booking id>@timeslot`), so importing the same booking
 * twice, or from two places, updates one event instead of adding another. Pure string work: no
 * DOM, so it runs in unit tests as it runs in the page.
 */

const MAX_OCTETS = 75;

/** TEXT escaping (RFC 5545 3.3.11): backslash, semicolon, comma; every line break becomes "\n". */
export function escapeText(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r\n|\r|\n/g, '\\n');
}

/** UTC DATE-TIME form: 2030-03-10T09:00:00.000Z → 20300310T090000Z. */
export function formatUtc(instant: string | Date): string {
  return new Date(instant).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/** Fold a content line at 75 octets (never inside a multi-byte character); continuations start with a space. */
export function foldLine(line: string): string {
  const encoder = new TextEncoder();
  const parts: string[] = [];
  let current = '';
  let octets = 0;
  let limit = MAX_OCTETS;
  for (const char of line) {
    const size = encoder.encode(char).length;
    if (octets + size > limit) {
      parts.push(current);
      current = '';
      octets = 0;
      limit = MAX_OCTETS - 1; // the folding space counts
    }
    current += char;
    octets += size;
  }
  parts.push(current);
  return parts.join('\r\n ');
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
  return `${lines.map(foldLine).join('\r\n')}\r\n`;
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
