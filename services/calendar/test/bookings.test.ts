import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '@timeslot/ports/contracts/wait';
import type { EventEnvelope, Subscription } from '@timeslot/ports';
import { googleEventId } from '../src/adapters/google';
import { createCalendarHarness, type CalendarHarness } from './harness';

/*
 * Scheduling and calendar in one process, as embedded mode runs them: scheduling's CalendarClient
 * is the calendar's own functions, and Google is the local fake. Bookings get their meeting in
 * the request (built-in or Google Meet), keep it through reschedule and cancel, still confirm when
 * Google hangs (the link follows), and Google busy times take slots away.
 */

let h: CalendarHarness;
let watcher: Subscription;
const seen: EventEnvelope[] = [];

beforeAll(async () => {
  h = await createCalendarHarness({ googleTimeoutMs: 1000, scheduling: { options: { meetingTimeoutMs: 300, busyTimesTimeoutMs: 1000 } } });
  watcher = await h.bus.subscribe('bookings-test-watcher', ['booking.*'], async (event) => {
    seen.push(event);
  });
});

afterAll(async () => {
  await watcher?.close();
  await h?.close();
});

const DAY_MS = 86_400_000;
const day = new Date(Math.floor(Date.now() / DAY_MS) * DAY_MS + 3 * DAY_MS).toISOString().slice(0, 10);
const at = (time: string) => `${day}T${time}:00.000Z`;

interface BookingBody {
  id: string;
  status: string;
  start: string;
  meeting: { status: 'none' | 'pending' | 'ready'; url: string | null };
}

async function bookableProvider(bearer: string, service: Record<string, unknown> = {}): Promise<{ providerId: string; serviceId: string }> {
  const provider = await h.inject({ method: 'POST', url: '/api/v1/providers', bearer, payload: { displayName: 'Ada Lovelace', timeZone: 'UTC', published: true } });
  expect(provider.statusCode, provider.body).toBe(201);
  const providerId = provider.json<{ id: string }>().id;
  const created = await h.inject({
    method: 'POST',
    url: `/api/v1/providers/${providerId}/services`,
    bearer,
    payload: { name: 'Consultation', durationMinutes: 30, slotIntervalMinutes: 30, location: { kind: 'video' }, ...service },
  });
  expect(created.statusCode, created.body).toBe(201);
  const weekly = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '09:00', end: '17:00' }));
  const availability = await h.inject({ method: 'PUT', url: `/api/v1/providers/${providerId}/availability`, bearer, payload: { weekly, overrides: [], blocked: [] } });
  expect(availability.statusCode, availability.body).toBe(200);
  return { providerId, serviceId: created.json<{ id: string }>().id };
}

async function book(serviceId: string, start: string): Promise<{ status: number; body: BookingBody; raw: string }> {
  const client = await h.token('client');
  const response = await h.inject({ method: 'POST', url: '/api/v1/bookings', bearer: client.bearer, payload: { serviceId, start } });
  return { status: response.statusCode, body: response.json<BookingBody>(), raw: response.body };
}

async function slots(providerId: string, serviceId: string): Promise<{ starts: string[]; busyTimes: string }> {
  const response = await h.inject({ method: 'GET', url: `/api/v1/providers/${providerId}/slots?serviceId=${serviceId}&from=${at('00:00')}&to=${at('23:59')}` });
  expect(response.statusCode, response.body).toBe(200);
  const body = response.json<{ slots: { start: string }[]; busyTimes: string }>();
  return { starts: body.slots.map((slot) => slot.start), busyTimes: body.busyTimes };
}

const confirmedEvent = (bookingId: string) =>
  seen.find((event) => event.type === 'booking.confirmed' && (event.data as { bookingId: string }).bookingId === bookingId);

describe('a booking of a video service', () => {
  it('gets its built-in meeting link in the response, the row and the booking.confirmed event', async () => {
    const owner = await h.token('provider');
    const { serviceId } = await bookableProvider(owner.bearer);
    const booked = await book(serviceId, at('10:00'));
    expect(booked.status, booked.raw).toBe(201);
    expect(booked.body.meeting.status).toBe('ready');
    expect(booked.body.meeting.url).toMatch(/^https:\/\/meet\.jit\.si\/timeslot-[A-Za-z0-9_-]{32}$/);
    const event = await eventually(async () => confirmedEvent(booked.body.id), (found) => found !== undefined);
    expect(event?.data).toMatchObject({ meetingStatus: 'ready', meetingUrl: booked.body.meeting.url, locationKind: 'video' });
  });

  it('gets no meeting when it is not a video service', async () => {
    const owner = await h.token('provider');
    const { serviceId } = await bookableProvider(owner.bearer, { location: { kind: 'phone' } });
    const booked = await book(serviceId, at('10:00'));
    expect(booked.status).toBe(201);
    expect(booked.body.meeting).toEqual({ status: 'none', url: null });
  });

  it('gets a Google Meet link when its provider connected Google; reschedule moves the event, cancel deletes it', async () => {
    const owner = await h.connect('meet.provider@example.com');
    const { serviceId } = await bookableProvider(owner.bearer);
    const client = await h.token('client');
    const created = await h.inject({ method: 'POST', url: '/api/v1/bookings', bearer: client.bearer, payload: { serviceId, start: at('11:00') } });
    expect(created.statusCode, created.body).toBe(201);
    const booking = created.json<BookingBody>();
    expect(booking.meeting.status).toBe('ready');
    expect(booking.meeting.url).toMatch(/^https:\/\/meet\.google\.com\//);
    const eventId = googleEventId(booking.id, 0);
    const googleEvent = () => h.google.events('meet.provider@example.com').find((event) => event.id === eventId);
    expect(googleEvent()).toMatchObject({ status: 'confirmed', hangoutLink: booking.meeting.url, start: { dateTime: at('11:00') } });
    const event = await eventually(async () => confirmedEvent(booking.id), (found) => found !== undefined);
    expect(event?.data).toMatchObject({ meetingUrl: booking.meeting.url });

    const moved = await h.inject({ method: 'POST', url: `/api/v1/bookings/${booking.id}/reschedule`, bearer: client.bearer, payload: { start: at('14:00') } });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(moved.json<BookingBody>().meeting).toEqual(booking.meeting);
    await eventually(async () => googleEvent(), (found) => found?.start.dateTime === at('14:00'));
    expect(googleEvent()?.end.dateTime).toBe(at('14:30'));

    const cancelled = await h.inject({ method: 'POST', url: `/api/v1/bookings/${booking.id}/cancel`, bearer: client.bearer, payload: {} });
    expect(cancelled.statusCode).toBe(200);
    await eventually(async () => googleEvent(), (found) => found?.status === 'cancelled');
    expect(googleEvent()?.status).toBe('cancelled');
  });

  it('confirms with its meeting pending when Google hangs, and shows the link once it is made', async () => {
    const owner = await h.connect('slow.provider@example.com');
    const { serviceId } = await bookableProvider(owner.bearer);
    const client = await h.token('client');
    h.google.setApi('hang');
    let booking: BookingBody;
    try {
      const created = await h.inject({ method: 'POST', url: '/api/v1/bookings', bearer: client.bearer, payload: { serviceId, start: at('12:00') } });
      expect(created.statusCode, created.body).toBe(201);
      booking = created.json<BookingBody>();
      expect(booking.status).toBe('confirmed');
      expect(booking.meeting).toEqual({ status: 'pending', url: null });
      const event = await eventually(async () => confirmedEvent(booking.id), (found) => found !== undefined);
      expect(event?.data).toMatchObject({ meetingStatus: 'pending', meetingUrl: null });
    } finally {
      h.google.setApi('ok');
    }
    const read = () => h.inject({ method: 'GET', url: `/api/v1/bookings/${booking.id}`, bearer: client.bearer });
    const later = await eventually(async () => (await read()).json<BookingBody>(), (body) => body.meeting.status === 'ready', 15_000);
    expect(later.meeting.url).toMatch(/^https:\/\/meet\.google\.com\//);
    const announced = h.published.filter((event) => event.type === 'meeting.ready' && (event.data as { bookingId: string }).bookingId === booking.id);
    expect(announced.map((event) => event.data)).toEqual([{ bookingId: booking.id, meetingUrl: later.meeting.url, clientId: client.userId, providerUserId: owner.userId }]);
    expect(h.google.events('slow.provider@example.com').filter((event) => event.id === googleEventId(booking.id, 0) && event.status === 'confirmed')).toHaveLength(1);
  });

  it('of a paid service gets its meeting when the payment confirms it, and a seated one gets none', async () => {
    const owner = await h.token('provider');
    const { serviceId } = await bookableProvider(owner.bearer, { priceAmount: 2500, currency: 'EUR' });
    const held = await book(serviceId, at('09:00'));
    expect(held.status).toBe(201);
    expect(held.body).toMatchObject({ status: 'pending_payment', meeting: { status: 'none', url: null } });
    const admin = await h.token('admin');
    const confirmed = await h.inject({ method: 'POST', url: `/api/v1/bookings/${held.body.id}/confirm`, bearer: admin.bearer });
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    expect(confirmed.json<BookingBody>().meeting).toMatchObject({ status: 'ready', url: expect.stringMatching(/^https:\/\/meet\.jit\.si\//) });
    const event = await eventually(async () => confirmedEvent(held.body.id), (found) => found !== undefined);
    expect(event?.data).toMatchObject({ meetingStatus: 'ready', meetingUrl: confirmed.json<BookingBody>().meeting.url });

    const group = await h.token('provider');
    const seated = await bookableProvider(group.bearer, { capacity: 5 });
    const seat = await book(seated.serviceId, at('09:00'));
    expect(seat.status).toBe(201);
    expect(seat.body.meeting).toEqual({ status: 'none', url: null });
  });

  it('gets a Meet link as soon as its provider connects Google, though earlier ones were built-in', async () => {
    const owner = await h.token('provider');
    const { serviceId } = await bookableProvider(owner.bearer);
    expect((await book(serviceId, at('09:30'))).body.meeting.url).toMatch(/^https:\/\/meet\.jit\.si\//);
    const started = await h.inject({ method: 'GET', url: '/api/v1/calendar/google/connect', bearer: owner.bearer });
    h.google.nextConsent('late.provider@example.com');
    const back = await h.google.consent(started.json<{ authorizationUrl: string }>().authorizationUrl);
    expect((await h.inject({ method: 'GET', url: back.callbackPath })).statusCode).toBe(200);
    expect((await book(serviceId, at('10:30'))).body.meeting.url).toMatch(/^https:\/\/meet\.google\.com\//);
  });

  it('that loses its slot leaves no Google event behind', async () => {
    const owner = await h.connect('race.provider@example.com');
    const { serviceId } = await bookableProvider(owner.bearer);
    expect((await book(serviceId, at('15:00'))).status).toBe(201);
    const loser = await book(serviceId, at('15:00'));
    expect(loser.status).toBe(409);
    expect(loser.body).toMatchObject({ code: 'SLOT_TAKEN' });
    // The loser's meeting was made before its insert lost; it is dropped right after.
    const events = await eventually(
      async () => h.google.events('race.provider@example.com'),
      (list) => list.length === 2 && list.some((event) => event.status === 'cancelled'),
    );
    expect(events.map((event) => event.status).sort()).toEqual(['cancelled', 'confirmed']);
  });
});

describe('Google busy times', () => {
  it('remove their slots, refuse a booking into them, and stay in force (flagged stale) while Google is down', async () => {
    h.google.setBusy('busy.provider@example.com', [{ start: at('10:00'), end: at('11:00') }]);
    const owner = await h.connect('busy.provider@example.com');
    const { providerId, serviceId } = await bookableProvider(owner.bearer);
    const listed = await slots(providerId, serviceId);
    expect(listed.busyTimes).toBe('current');
    expect(listed.starts).toContain(at('09:30'));
    expect(listed.starts).not.toContain(at('10:00'));
    expect(listed.starts).not.toContain(at('10:30'));
    expect(listed.starts).toContain(at('11:00'));
    const refused = await book(serviceId, at('10:30'));
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ code: 'SLOT_UNAVAILABLE' });

    // A new busy period in Google reaches the (cached) slot page through calendar.busy_changed.
    h.google.setBusy('busy.provider@example.com', [{ start: at('10:00'), end: at('11:00') }, { start: at('13:00'), end: at('13:30') }]);
    const { refreshBusy } = await import('../src/busy/busy.service');
    expect(await refreshBusy(h.calendar.context, owner.userId)).toBe('changed');
    await eventually(() => slots(providerId, serviceId), (page) => !page.starts.includes(at('13:00')));

    h.google.setApi('fail');
    try {
      expect(await refreshBusy(h.calendar.context, owner.userId)).toBe('failed');
      const stale = await eventually(() => slots(providerId, serviceId), (page) => page.busyTimes === 'stale');
      expect(stale.starts).not.toContain(at('10:00'));
      expect(stale.starts).not.toContain(at('13:00'));
      expect(stale.starts).toContain(at('12:00'));
      const stillRefused = await book(serviceId, at('13:00'));
      expect(stillRefused.body).toMatchObject({ code: 'SLOT_UNAVAILABLE' });
    } finally {
      h.google.setApi('ok');
    }
  });

  it('disconnecting gives the slots back', async () => {
    h.google.setBusy('leaving.provider@example.com', [{ start: at('16:00'), end: at('17:00') }]);
    const owner = await h.connect('leaving.provider@example.com');
    const { providerId, serviceId } = await bookableProvider(owner.bearer);
    expect((await slots(providerId, serviceId)).starts).not.toContain(at('16:00'));
    expect((await h.inject({ method: 'DELETE', url: '/api/v1/calendar/connections/google', bearer: owner.bearer })).statusCode).toBe(204);
    await eventually(() => slots(providerId, serviceId), (page) => page.starts.includes(at('16:00')));
    expect((await book(serviceId, at('16:00'))).status).toBe(201);
  });
});
