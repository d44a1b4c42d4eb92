import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import type { EmailData } from '../../src/email/email.data';
import { bookingUid, buildInvitation, sequenceFor } from '../../src/email/ics';
import { formatMoney, resolveLocale } from '../../src/email/templates/format';
import { renderEmail, type EmailRecipient } from '../../src/email/templates/index';
import { notificationKinds, type NotificationKind } from '../../src/kinds';
import { bookingSnapshot } from './harness';

/** Intl writes narrow and plain no-break spaces ("9:00\u202fAM", "45,00\u00a0€"): compare as plain spaces. */
const plain = (text: string): string => text.replace(/[\u202f\u00a0]/g, ' ');
const recipient = (locale: string, timeZone = 'Asia/Kolkata'): EmailRecipient => ({ name: 'Grace', email: 'grace@example.com', timeZone, locale });
const booking = bookingSnapshot({ holdExpiresAt: '2030-01-07T08:10:00.000Z' });

/** Data for every kind, with whatever that kind carries. */
function dataFor(kind: NotificationKind): EmailData {
  const base = { kind, audience: kind === 'welcome' ? ('user' as const) : ('client' as const), eventId: 'e1' };
  switch (kind) {
    case 'welcome':
      return base;
    case 'booking_rescheduled':
      return { ...base, booking, previous: { startsAt: '2030-01-06T09:00:00.000Z', endsAt: '2030-01-06T09:30:00.000Z' } };
    case 'booking_cancelled':
      return { ...base, booking, cancellation: { reason: 'Feeling unwell', by: 'provider' } };
    case 'booking_reminder':
      return { ...base, booking, reminder: { offsetMinutes: 24 * 60 } };
    case 'waitlist_offer':
      return { ...base, offer: { offerExpiresAt: '2030-01-07T07:00:00.000Z', startsAt: booking.startsAt, serviceName: 'Consultation' } };
    case 'payment_receipt':
      return { ...base, booking, payment: { amount: 123456, currency: 'JPY', paymentId: 'pay_1', paidAt: '2030-01-01T12:00:00.000Z' } };
    case 'booking_confirmed':
    case 'booking_held':
    case 'booking_expired':
    case 'meeting_ready':
      return { ...base, booking };
  }
}

describe('email templates', () => {
  it.each(notificationKinds.flatMap((kind) => [[kind, 'en'] as const, [kind, 'de'] as const]))('renders %s in %s: subject, text, HTML, no placeholder left', (kind, locale) => {
    const email = renderEmail({ data: dataFor(kind), recipient: recipient(locale), publicUrl: 'https://book.example.com/' });
    expect(email.language).toBe(locale);
    expect(email.subject.length).toBeGreaterThan(5);
    expect(email.subject).not.toMatch(/undefined|null|\s{2}/);
    for (const body of [email.text, email.html]) {
      expect(body).not.toMatch(/undefined|\[object|NaN/);
      expect(body).toContain(locale === 'de' ? 'Hallo Grace' : 'Hi Grace');
    }
    expect(email.html.startsWith('<!doctype html>')).toBe(true);
    expect(email.text).not.toContain('<');
    expect(email.text).not.toContain('book.example.com//');
  });

  it('shows booking times in the recipient zone (a half-hour zone here) with the zone named', () => {
    const email = renderEmail({ data: dataFor('booking_confirmed'), recipient: recipient('en-GB'), publicUrl: 'https://book.example.com' });
    // 09:00 UTC is 14:30 in India.
    expect(plain(email.text)).toContain('Mon, 7 Jan 2030, 14:30 – 15:00 (Asia/Kolkata)');
  });

  it('says what changed, why, and by whom', () => {
    const moved = renderEmail({ data: dataFor('booking_rescheduled'), recipient: recipient('en', 'UTC'), publicUrl: 'https://x.example' });
    expect(plain(moved.text)).toContain('When: Mon, Jan 7, 2030, 9:00 AM – 9:30 AM (UTC)');
    expect(plain(moved.text)).toContain('Previously: Sun, Jan 6, 2030, 9:00 AM – 9:30 AM (UTC)');
    const cancelled = renderEmail({ data: dataFor('booking_cancelled'), recipient: recipient('de', 'UTC'), publicUrl: 'https://x.example' });
    expect(cancelled.text).toContain('Diese Buchung wurde durch den Anbieter storniert.');
    expect(cancelled.text).toContain('Grund: Feeling unwell');
    const reminder = renderEmail({ data: dataFor('booking_reminder'), recipient: recipient('de', 'UTC'), publicUrl: 'https://x.example' });
    expect(reminder.subject).toBe('Erinnerung: Consultation mit Dr. Ada Lovelace in 24 Stunden');
  });

  it('falls back to English for other or malformed locales, and to UTC for an unknown zone', () => {
    expect(resolveLocale('de-AT')).toEqual({ locale: 'de-AT', language: 'de' });
    expect(resolveLocale('de_CH')).toEqual({ locale: 'de-CH', language: 'de' });
    expect(resolveLocale('fr-FR')).toEqual({ locale: 'fr-FR', language: 'en' });
    expect(resolveLocale('not a locale!')).toEqual({ locale: 'en', language: 'en' });
    const email = renderEmail({ data: dataFor('booking_confirmed'), recipient: recipient('fr-FR', 'Mars/Olympus_Mons'), publicUrl: 'https://x.example' });
    expect(email.language).toBe('en');
    expect(email.text).toContain('(UTC)');
    // Dates and amounts still follow the French locale.
    expect(email.text).toMatch(/lun\. 7 janv\. 2030/);
    expect(email.text).toMatch(/45,00\s€/u);
  });

  it('formats amounts in minor units with the currency’s own decimals', () => {
    expect(formatMoney(123456, 'JPY', 'en')).toBe('¥123,456');
    expect(formatMoney(4500, 'EUR', 'en')).toBe('€45.00');
    expect(formatMoney(4500, 'EUR', 'de-DE')).toMatch(/^45,00\s€$/u);
    expect(formatMoney(1000, 'BHD', 'en')).toMatch(/1\.000/);
  });

  it('never links a meeting URL that is not http(s)', () => {
    const data: EmailData = { ...dataFor('meeting_ready'), booking: { ...booking, meetingUrl: 'javascript:alert(1)' } };
    const email = renderEmail({ data, recipient: recipient('en'), publicUrl: 'https://x.example' });
    expect(email.html).not.toContain('href="javascript');
    expect(email.html).toContain('javascript:alert(1)');
  });
});

describe('invitations (.ics)', () => {
  const organizer = { name: 'Lovelace, Ada', email: 'ada@example.com' };
  const attendee = { name: 'Grace "Amazing" Hopper', email: 'grace@example.com' };

  it('parses as a REQUEST with stable UID, UTC times, organizer, attendee with RSVP, location and URL', () => {
    const occurredAt = new Date('2030-01-01T10:00:00Z');
    const text = buildInvitation({ method: 'REQUEST', booking, organizer, attendee, occurredAt, summary: 'Consultation; with Ada, part 1', domain: 'book.example.com' });
    const calendar = new ICAL.Component(ICAL.parse(text));
    expect(calendar.getFirstPropertyValue('method')).toBe('REQUEST');
    const vevent = calendar.getFirstSubcomponent('vevent')!;
    const event = new ICAL.Event(vevent);
    expect(event.uid).toBe(bookingUid(booking.bookingId, 'book.example.com'));
    expect(event.summary).toBe('Consultation; with Ada, part 1');
    expect(event.startDate.zone.tzid).toBe('UTC');
    expect(event.startDate.toJSDate().toISOString()).toBe(booking.startsAt);
    expect(event.endDate.toJSDate().toISOString()).toBe(booking.endsAt);
    expect(event.sequence).toBe(sequenceFor(occurredAt));
    const organizerProperty = vevent.getFirstProperty('organizer')!;
    expect(organizerProperty.getFirstValue()).toBe('mailto:ada@example.com');
    expect(organizerProperty.getParameter('cn')).toBe('Lovelace, Ada');
    const attendeeProperty = event.attendees[0]!;
    expect(attendeeProperty.getParameter('cn')).toBe('Grace Amazing Hopper');
    expect(attendeeProperty.getParameter('rsvp')).toBe('TRUE');
    expect(attendeeProperty.getParameter('partstat')).toBe('NEEDS-ACTION');
    expect(event.location).toBe(booking.meetingUrl);
    expect(vevent.getFirstPropertyValue('url')).toBe(booking.meetingUrl);
    expect(vevent.getFirstPropertyValue('status')).toBe('CONFIRMED');
    expect(vevent.getFirstPropertyValue('dtstamp')!.toString()).toBe('2030-01-01T10:00:00Z');
    for (const line of text.split('\r\n')) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
  });

  it('cancels the same UID with a larger SEQUENCE, and uses the address when there is no link', () => {
    const inPerson = { ...booking, locationKind: 'in_person' as const, meetingUrl: null, locationAddress: 'Main St 1, Springfield' };
    const before = buildInvitation({ method: 'REQUEST', booking: inPerson, organizer, attendee, occurredAt: new Date('2030-01-01T10:00:00Z'), summary: 's', domain: 'd' });
    const after = buildInvitation({ method: 'CANCEL', booking: inPerson, organizer, attendee, occurredAt: new Date('2030-01-01T10:00:01Z'), summary: 's', domain: 'd' });
    const [first, second] = [before, after].map((text) => new ICAL.Component(ICAL.parse(text)));
    expect(second!.getFirstPropertyValue('method')).toBe('CANCEL');
    const [a, b] = [first!, second!].map((calendar) => new ICAL.Event(calendar.getFirstSubcomponent('vevent')!));
    expect(b!.uid).toBe(a!.uid);
    expect(b!.sequence).toBeGreaterThan(a!.sequence);
    expect(b!.location).toBe('Main St 1, Springfield');
    expect(second!.getFirstSubcomponent('vevent')!.getFirstPropertyValue('status')).toBe('CANCELLED');
    expect(second!.getFirstSubcomponent('vevent')!.getFirstPropertyValue('url')).toBeNull();
  });
});
