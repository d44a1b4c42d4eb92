/**
 * A small iCalendar (RFC 5545) writer: just what a read-only feed of events needs. Lines end in
 * CRLF and are folded at 75 octets (not characters: a multi-byte UTF-8 character is never split);
 * TEXT values escape backslashes, semicolons, commas and newlines.
 */

export interface IcsEvent {
  readonly uid: string;
  readonly start: Date;
  readonly end: Date;
  readonly summary: string;
  readonly description?: string;
  readonly location?: string;
  /** When this version of the event was written (DTSTAMP). */
  readonly stamp: Date;
  /** Increases when the event changes, so calendar apps replace their copy. */
  readonly sequence?: number;
  readonly status?: 'CONFIRMED' | 'TENTATIVE' | 'CANCELLED';
}

export interface IcsCalendar {
  /** PRODID, e.g. "-//Timeslot//Scheduling//EN". */
  readonly productId: string;
  /** X-WR-CALNAME: the name Google and Apple Calendar show for a subscribed feed. */
  readonly name?: string;
  readonly events: readonly IcsEvent[];
}

const MAX_OCTETS = 75;

/** TEXT escaping (RFC 5545 3.3.11). CR, CRLF and LF all become the two characters "\n". */
export function escapeText(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r\n|\r|\n/g, '\\n');
}

/** UTC DATE-TIME form, e.g. 20300310T090000Z. */
export function formatUtc(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/**
 * Fold one content line (RFC 5545 3.1): at most 75 octets per physical line, continuation lines
 * start with a space (which counts toward their 75).
 */
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
      // Every line after the first begins with the folding space.
      limit = MAX_OCTETS - 1;
    }
    current += char;
    octets += size;
  }
  parts.push(current);
  return parts.join('\r\n ');
}

function property(name: string, value: string): string {
  return foldLine(`${name}:${value}`);
}

function eventLines(event: IcsEvent): string[] {
  const lines = [
    'BEGIN:VEVENT',
    property('UID', escapeText(event.uid)),
    property('DTSTAMP', formatUtc(event.stamp)),
    property('DTSTART', formatUtc(event.start)),
    property('DTEND', formatUtc(event.end)),
    property('SUMMARY', escapeText(event.summary)),
  ];
  if (event.description !== undefined && event.description !== '') lines.push(property('DESCRIPTION', escapeText(event.description)));
  if (event.location !== undefined && event.location !== '') lines.push(property('LOCATION', escapeText(event.location)));
  if (event.sequence !== undefined) lines.push(property('SEQUENCE', String(event.sequence)));
  if (event.status !== undefined) lines.push(property('STATUS', event.status));
  lines.push('END:VEVENT');
  return lines;
}

/** The whole VCALENDAR object, CRLF line endings, ending with a CRLF. */
export function serializeCalendar(calendar: IcsCalendar): string {
  const lines = ['BEGIN:VCALENDAR', 'VERSION:2.0', property('PRODID', calendar.productId), 'CALSCALE:GREGORIAN', 'METHOD:PUBLISH'];
  if (calendar.name !== undefined) lines.push(property('X-WR-CALNAME', escapeText(calendar.name)));
  for (const event of calendar.events) lines.push(...eventLines(event));
  lines.push('END:VCALENDAR');
  return `${lines.join('\r\n')}\r\n`;
}
