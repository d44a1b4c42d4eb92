import { describe, expect, it } from 'vitest';
import { bookingIcs, escapeText, foldLine, formatUtc, icsFileName, type BookingEvent } from '../src/pages/client/ics';
import { clampWindow, groupByDay, isDate, windowDates, windowRange } from '../src/pages/client/slots';

/* The client pages' pure parts: the .ics a booking downloads as, and the slot picker's calendar arithmetic. */

const booking: BookingEvent = {
  id: '0b9c6f0e-3f5a-4c1e-9a57-1d2b3c4d5e6f',
  start: '2030-03-10T09:00:00.000Z',
  end: '2030-03-10T09:30:00.000Z',
  createdAt: '2030-03-01T08:00:00.000Z',
  updatedAt: '2030-03-01T08:00:00.000Z',
  status: 'confirmed',
  serviceName: 'Consultation',
  providerName: 'Dr. Ada Lovelace',
  notes: 'Knee, left; since Monday\nbring X-rays',
  meetingUrl: 'https://meet.example.test/abc-defg-hij',
};

function unfold(text: string): string[] {
  return text.replace(/\r\n /g, '').split('\r\n');
}

describe('bookingIcs', () => {
  it('writes one VEVENT in UTC with the booking’s stable UID, CRLF line endings and a final CRLF', () => {
    const text = bookingIcs(booking);
    expect(text.endsWith('\r\n')).toBe(true);
    expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    const lines = unfold(text);
    expect(lines.slice(0, 6)).toEqual(['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Timeslot//Web//EN', 'CALSCALE:GREGORIAN', 'METHOD:PUBLISH', 'BEGIN:VEVENT']);
    expect(lines).toContain(`UID:${booking.id}@timeslot`);
    expect(lines).toContain('DTSTART:20300310T090000Z');
    expect(lines).toContain('DTEND:20300310T093000Z');
    expect(lines).toContain('DTSTAMP:20300301T080000Z');
    expect(lines).toContain('SUMMARY:Consultation with Dr. Ada Lovelace');
    expect(lines).toContain('DESCRIPTION:Join: https://meet.example.test/abc-defg-hij\\nNotes: Knee\\, left\\; since Monday\\nbring X-rays');
    expect(lines).toContain('LOCATION:https://meet.example.test/abc-defg-hij');
    expect(lines).toContain('STATUS:CONFIRMED');
    expect(lines).toContain('SEQUENCE:0');
    expect(lines.slice(-3)).toEqual(['END:VEVENT', 'END:VCALENDAR', '']);
  });

  it('is the same text for the same booking, and a later version has a higher SEQUENCE', () => {
    expect(bookingIcs(booking)).toBe(bookingIcs({ ...booking }));
    const moved = unfold(bookingIcs({ ...booking, start: '2030-03-11T10:00:00.000Z', end: '2030-03-11T10:30:00.000Z', updatedAt: '2030-03-02T08:00:00.000Z' }));
    expect(moved).toContain(`UID:${booking.id}@timeslot`);
    expect(moved).toContain('SEQUENCE:86400');
    expect(moved).toContain('DTSTART:20300311T100000Z');
  });

  it('marks a cancelled booking CANCELLED and a held one TENTATIVE, and leaves out what it does not know', () => {
    const cancelled = unfold(bookingIcs({ ...booking, status: 'cancelled', meetingUrl: null, notes: null, providerName: undefined }));
    expect(cancelled).toContain('STATUS:CANCELLED');
    expect(cancelled).toContain('SUMMARY:Consultation');
    expect(cancelled.some((line) => line.startsWith('DESCRIPTION') || line.startsWith('LOCATION') || line.startsWith('URL'))).toBe(false);
    expect(unfold(bookingIcs({ ...booking, status: 'pending_payment' }))).toContain('STATUS:TENTATIVE');
  });

  it('folds long lines at 75 octets without splitting a UTF-8 character', () => {
    const text = bookingIcs({ ...booking, serviceName: 'Séance de réflexologie plantaire approfondie — première consultation, 90 minutes' });
    for (const line of text.split('\r\n')) expect(new TextEncoder().encode(line).length).toBeLessThanOrEqual(75);
    expect(unfold(text)).toContain('SUMMARY:Séance de réflexologie plantaire approfondie — première consultation\\, 90 minutes with Dr. Ada Lovelace');
    const folded = foldLine(`X:${'é'.repeat(60)}`);
    expect(folded.split('\r\n ').join('')).toBe(`X:${'é'.repeat(60)}`);
    for (const part of folded.split('\r\n')) expect(new TextEncoder().encode(part).length).toBeLessThanOrEqual(75);
  });

  it('escapes TEXT values and formats UTC instants', () => {
    expect(escapeText('a\\b;c,d\r\ne\nf')).toBe('a\\\\b\\;c\\,d\\ne\\nf');
    expect(formatUtc('2030-12-31T23:59:59.999Z')).toBe('20301231T235959Z');
    expect(icsFileName('Consultation (30 min) — Über', '2030-03-10T09:00:00.000Z')).toBe('consultation-30-min-uber-2030-03-10.ics');
    expect(icsFileName('???', '2030-03-10T09:00:00.000Z')).toBe('booking-2030-03-10.ics');
  });
});

describe('the slot picker’s days', () => {
  it('spans seven whole days of the viewer’s zone, across a DST change', () => {
    expect(windowDates('2030-03-28')).toEqual(['2030-03-28', '2030-03-29', '2030-03-30', '2030-03-31', '2030-04-01', '2030-04-02', '2030-04-03']);
    // Berlin moves to summer time on 2030-03-31: the window starts at +01:00 and ends at +02:00.
    expect(windowRange('2030-03-28', 'Europe/Berlin')).toEqual({ from: '2030-03-27T23:00:00.000Z', to: '2030-04-03T22:00:00.000Z' });
    expect(windowRange('2030-03-28', 'Asia/Kolkata')).toEqual({ from: '2030-03-27T18:30:00.000Z', to: '2030-04-03T18:30:00.000Z' });
  });

  it('groups slots by the day they start on in the viewer’s zone, every day present', () => {
    const slots = [{ start: '2030-03-10T22:30:00.000Z' }, { start: '2030-03-11T08:00:00.000Z' }, { start: '2030-03-20T08:00:00.000Z' }];
    const dates = windowDates('2030-03-10', 3);
    const inUtc = groupByDay(slots, dates, 'UTC');
    expect([...inUtc.entries()].map(([day, list]) => [day, list.length])).toEqual([
      ['2030-03-10', 1],
      ['2030-03-11', 1],
      ['2030-03-12', 0],
    ]);
    // 22:30 UTC is already 04:00 the next day in Kolkata.
    const inKolkata = groupByDay(slots, dates, 'Asia/Kolkata');
    expect(inKolkata.get('2030-03-10')).toEqual([]);
    expect(inKolkata.get('2030-03-11')).toHaveLength(2);
  });

  it('starts the window today at the earliest, and at a slot asked for by the URL', () => {
    expect(clampWindow(null, '2030-03-10', null)).toBe('2030-03-10');
    expect(clampWindow('2030-03-01', '2030-03-10', null)).toBe('2030-03-10');
    expect(clampWindow('2030-03-17', '2030-03-10', null)).toBe('2030-03-17');
    expect(clampWindow('not a date', '2030-03-10', null)).toBe('2030-03-10');
    expect(clampWindow('2030-03-10', '2030-03-10', '2030-03-12')).toBe('2030-03-10');
    expect(clampWindow('2030-03-10', '2030-03-10', '2030-03-20')).toBe('2030-03-20');
    expect(clampWindow(null, '2030-03-10', '2030-03-02')).toBe('2030-03-10');
    expect(isDate('2030-02-30')).toBe(false);
    expect(isDate('2030-02-28')).toBe(true);
  });
});
