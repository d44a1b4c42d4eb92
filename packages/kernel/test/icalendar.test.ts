import { describe, expect, it } from 'vitest';
import { contentLine, escapeText, foldLine, formatUtc, joinLines, paramValue } from '../src/icalendar';

const octets = (text: string): number => Buffer.byteLength(text, 'utf8');

/** Undo RFC 5545 folding: a CRLF followed by one space joins the lines. */
const unfold = (text: string): string => text.replace(/\r\n /g, '');

describe('ICS text escaping', () => {
  it('escapes backslashes, semicolons, commas and every kind of newline', () => {
    expect(escapeText('a,b;c\\d')).toBe('a\\,b\\;c\\\\d');
    expect(escapeText('one\ntwo\r\nthree\rfour')).toBe('one\\ntwo\\nthree\\nfour');
  });

  it('leaves colons and plain text alone', () => {
    expect(escapeText('Call: 10:00 with Ada')).toBe('Call: 10:00 with Ada');
  });
});

describe('ICS line folding', () => {
  it('keeps lines of up to 75 octets as they are', () => {
    const line = `SUMMARY:${'x'.repeat(67)}`;
    expect(octets(line)).toBe(75);
    expect(foldLine(line)).toBe(line);
  });

  it('folds longer lines at 75 octets, continuation lines starting with a space', () => {
    const line = `DESCRIPTION:${'abcdefghij'.repeat(20)}`;
    const folded = foldLine(line);
    const physical = folded.split('\r\n');
    expect(physical.length).toBeGreaterThan(2);
    expect(octets(physical[0] ?? '')).toBe(75);
    for (const part of physical.slice(1)) {
      expect(part.startsWith(' ')).toBe(true);
      expect(octets(part)).toBeLessThanOrEqual(75);
    }
    expect(unfold(folded)).toBe(line);
  });

  it('counts octets, not characters, and never splits a multi-byte character', () => {
    // "é" is two octets and "😀" four: a character-based fold would overrun 75 octets.
    const line = `SUMMARY:${'é😀'.repeat(40)}`;
    const folded = foldLine(line);
    for (const part of folded.split('\r\n')) {
      expect(octets(part)).toBeLessThanOrEqual(75);
      expect(part).not.toContain('\uFFFD');
    }
    expect(unfold(folded)).toBe(line);
  });
});

describe('ICS values', () => {
  it('formats instants as UTC date-times without milliseconds', () => {
    expect(formatUtc(new Date('2030-03-10T09:05:07.123+02:00'))).toBe('20300310T070507Z');
  });

  it('quotes parameter values holding a colon, semicolon or comma, and drops double quotes', () => {
    expect(paramValue('Ada Lovelace')).toBe('Ada Lovelace');
    expect(paramValue('Lovelace, Ada')).toBe('"Lovelace, Ada"');
    expect(paramValue('mailto:a@b')).toBe('"mailto:a@b"');
    expect(paramValue('Ada "the Countess"\r\n')).toBe('Ada the Countess');
  });

  it('writes NAME;PARAM=value:value lines, folded, joined with CRLF and ending with one', () => {
    const line = contentLine('ATTENDEE', 'mailto:ada@example.com', { CN: 'Lovelace, Ada', RSVP: 'TRUE' });
    expect(line).toBe('ATTENDEE;CN="Lovelace, Ada";RSVP=TRUE:mailto:ada@example.com');
    expect(joinLines(['BEGIN:VCALENDAR', 'END:VCALENDAR'])).toBe('BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n');
    const long = contentLine('DESCRIPTION', 'x'.repeat(200));
    expect(long.split('\r\n').every((part) => octets(part) <= 75)).toBe(true);
  });
});
