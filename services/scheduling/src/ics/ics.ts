/**
 * A small iCalendar (RFC 5545) writer: just what a read-only feed of events needs. Line folding and
 * escaping live in @timeslot/kernel/icalendar, shared with the invitations notifications sends.
 */
import { contentLine, escapeText, formatUtc, joinLines } from '@timeslot/kernel/icalendar';

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

function property(name: string, value: string): string {
  return contentLine(name, value);
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
  return joinLines(lines);
}
