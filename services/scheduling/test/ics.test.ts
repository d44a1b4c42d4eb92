import { describe, expect, it } from 'vitest';
import { serializeCalendar } from '../src/ics/ics';

const octets = (text: string): number => Buffer.byteLength(text, 'utf8');

/** Undo RFC 5545 folding: a CRLF followed by one space joins the lines. */
const unfold = (text: string): string => text.replace(/\r\n /g, '');

describe('ICS calendar', () => {
  const calendar = serializeCalendar({
    productId: '-//Timeslot//Test//EN',
    name: 'Dr. Ada, MD',
    events: [
      {
        uid: 'b1@timeslot',
        stamp: new Date('2030-01-01T08:00:00Z'),
        start: new Date('2030-01-07T09:00:00Z'),
        end: new Date('2030-01-07T09:30:00+00:00'),
        summary: 'Consultation; follow-up, part 2',
        description: `Bring notes\nand ${'a long line '.repeat(10)}`,
        location: 'Room 4, Main St',
        status: 'CONFIRMED',
      },
    ],
  });

  it('uses CRLF line endings only, ending with one', () => {
    expect(calendar.endsWith('END:VCALENDAR\r\n')).toBe(true);
    expect(calendar.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
  });

  it('has every line within 75 octets', () => {
    for (const line of calendar.split('\r\n')) expect(octets(line)).toBeLessThanOrEqual(75);
  });

  it('writes a VEVENT with UID, DTSTAMP, DTSTART and DTEND in UTC and escaped text', () => {
    const lines = unfold(calendar).split('\r\n');
    expect(lines.slice(0, 3)).toEqual(['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Timeslot//Test//EN']);
    expect(lines).toContain('X-WR-CALNAME:Dr. Ada\\, MD');
    const event = lines.slice(lines.indexOf('BEGIN:VEVENT'), lines.indexOf('END:VEVENT') + 1);
    expect(event).toEqual([
      'BEGIN:VEVENT',
      'UID:b1@timeslot',
      'DTSTAMP:20300101T080000Z',
      'DTSTART:20300107T090000Z',
      'DTEND:20300107T093000Z',
      'SUMMARY:Consultation\\; follow-up\\, part 2',
      `DESCRIPTION:Bring notes\\nand ${'a long line '.repeat(10)}`,
      'LOCATION:Room 4\\, Main St',
      'STATUS:CONFIRMED',
      'END:VEVENT',
    ]);
  });

});
