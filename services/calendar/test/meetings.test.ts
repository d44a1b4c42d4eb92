import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '@timeslot/ports/contracts/wait';
import { events, makeEvent, type EventData, type MeetingRequest } from '@timeslot/ports';
import { googleEventId } from '../src/adapters/google';
import { createCalendarHarness, type CalendarHarness } from './harness';

/*
 * Meetings on their own: the built-in link, a Google event with Meet, idempotency per booking, the
 * booking events the calendar consumes (confirmed without a link, rescheduled, cancelled), and the
 * orphan sweep. Booking events are published on the bus as scheduling would publish them.
 */

let h: CalendarHarness;
let offsetMs = 0;

beforeAll(async () => {
  h = await createCalendarHarness({ googleTimeoutMs: 300, options: { now: () => new Date(Date.now() + offsetMs), orphanAfterMs: 60_000 } });
});

afterAll(async () => {
  await h?.close();
});

function request(providerUserId: string, overrides: Partial<MeetingRequest> = {}): MeetingRequest {
  return {
    bookingId: randomUUID(),
    providerUserId,
    clientId: randomUUID(),
    serviceName: 'Consultation',
    providerName: 'Ada Lovelace',
    timeZone: 'Europe/London',
    startsAt: '2030-01-08T10:00:00.000Z',
    endsAt: '2030-01-08T10:30:00.000Z',
    ...overrides,
  };
}

type Snapshot = EventData<typeof events.bookingConfirmed>;

function snapshot(meeting: MeetingRequest, extra: Partial<Snapshot>): Snapshot {
  return {
    bookingId: meeting.bookingId,
    providerId: randomUUID(),
    serviceId: randomUUID(),
    clientId: meeting.clientId,
    status: 'confirmed',
    startsAt: meeting.startsAt,
    endsAt: meeting.endsAt,
    seat: 1,
    priceAmount: 0,
    currency: 'USD',
    holdExpiresAt: null,
    providerUserId: meeting.providerUserId,
    providerName: meeting.providerName,
    providerTimeZone: meeting.timeZone,
    serviceName: meeting.serviceName,
    locationKind: 'video',
    locationAddress: null,
    ...extra,
  };
}

async function meetingRow(bookingId: string): Promise<Record<string, unknown> | undefined> {
  return (await h.database.query<Record<string, unknown>>('select * from calendar.meetings where booking_id = $1', [bookingId]))[0];
}

const publishedReady = (bookingId: string) =>
  h.published.filter((event) => event.type === 'meeting.ready' && (event.data as { bookingId: string }).bookingId === bookingId);

describe('built-in meetings', () => {
  it('are an unguessable link on the configured base, the same for the same booking, stored nowhere', async () => {
    const provider = randomUUID();
    const first = request(provider);
    const meeting = await h.calendar.client.ensureMeeting(first);
    expect(meeting.provider).toBe('builtin');
    expect(meeting.url.startsWith('https://meet.jit.si/timeslot-')).toBe(true);
    const token = meeting.url.slice('https://meet.jit.si/timeslot-'.length);
    // 24 bytes of base64url: 192 bits.
    expect(token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect((await h.calendar.client.ensureMeeting(first)).url).toBe(meeting.url);
    expect((await h.calendar.client.ensureMeeting(request(provider))).url).not.toBe(meeting.url);
    expect(await meetingRow(first.bookingId)).toBeUndefined();
  });

  it('are made and announced (meeting.ready) when a booking confirmed without one', async () => {
    const meeting = request(randomUUID());
    await h.bus.publish([makeEvent(events.bookingConfirmed, snapshot(meeting, { meetingStatus: 'pending', meetingUrl: null }), { source: 'scheduling' })]);
    const ready = await eventually(async () => publishedReady(meeting.bookingId), (list) => list.length > 0);
    expect(ready).toHaveLength(1);
    const expected = (await h.calendar.client.ensureMeeting(meeting)).url;
    expect(ready[0]?.data).toEqual({ bookingId: meeting.bookingId, meetingUrl: expected, clientId: meeting.clientId, providerUserId: meeting.providerUserId });
    expect(await meetingRow(meeting.bookingId)).toMatchObject({ state: 'ready', kind: 'builtin', url: expected });
  });

  it('ignore bookings that are owed no meeting', async () => {
    const meeting = request(randomUUID());
    await h.bus.publish([makeEvent(events.bookingConfirmed, snapshot(meeting, { meetingStatus: 'none', locationKind: 'in_person' }), { source: 'scheduling' })]);
    const marker = request(randomUUID());
    await h.bus.publish([makeEvent(events.bookingConfirmed, snapshot(marker, { meetingStatus: 'pending' }), { source: 'scheduling' })]);
    await eventually(async () => publishedReady(marker.bookingId), (list) => list.length > 0);
    expect(await meetingRow(meeting.bookingId)).toBeUndefined();
  });
});

describe('Google meetings', () => {
  it('are a Google Calendar event with Meet, created once however often they are asked for', async () => {
    const provider = await h.connect('meet@example.com');
    const ask = request(provider.userId);
    const meeting = await h.calendar.client.ensureMeeting(ask);
    expect(meeting.provider).toBe('google');
    expect(meeting.url).toMatch(/^https:\/\/meet\.google\.com\/[a-z0-9]{3}-[a-z0-9]{4}-[a-z0-9]{3}$/);
    expect(await h.calendar.client.ensureMeeting(ask)).toEqual(meeting);
    const inserts = h.google.requests.filter((r) => r.method === 'POST' && r.path === '/calendar/v3/calendars/primary/events' && r.account === 'meet@example.com');
    expect(inserts).toHaveLength(1);
    expect(inserts[0]?.query.conferenceDataVersion).toBe('1');
    expect(inserts[0]?.body).toMatchObject({
      id: googleEventId(ask.bookingId, 0),
      start: { dateTime: ask.startsAt, timeZone: 'Europe/London' },
      conferenceData: { createRequest: { conferenceSolutionKey: { type: 'hangoutsMeet' } } },
    });
    expect(await meetingRow(ask.bookingId)).toMatchObject({ state: 'unattached', kind: 'google', url: meeting.url });
  });

  it('follow their booking: confirmed, rescheduled (the event is patched), cancelled (the event is deleted)', async () => {
    const provider = await h.connect('follow@example.com');
    const ask = request(provider.userId);
    const meeting = await h.calendar.client.ensureMeeting(ask);
    const eventId = googleEventId(ask.bookingId, 0);
    await h.bus.publish([makeEvent(events.bookingConfirmed, snapshot(ask, { meetingStatus: 'ready', meetingUrl: meeting.url }), { source: 'scheduling' })]);
    await eventually(() => meetingRow(ask.bookingId), (row) => row?.state === 'ready');
    expect(publishedReady(ask.bookingId)).toEqual([]);

    const moved = { ...snapshot(ask, { meetingStatus: 'ready', meetingUrl: meeting.url }), startsAt: '2030-01-09T15:00:00.000Z', endsAt: '2030-01-09T15:30:00.000Z' };
    await h.bus.publish([
      makeEvent(events.bookingRescheduled, { ...moved, previousStartsAt: ask.startsAt, previousEndsAt: ask.endsAt }, { source: 'scheduling' }),
    ]);
    const patched = await eventually(
      async () => h.google.events('follow@example.com').find((event) => event.id === eventId),
      (event) => event?.start.dateTime === '2030-01-09T15:00:00.000Z',
    );
    expect(patched?.end.dateTime).toBe('2030-01-09T15:30:00.000Z');

    await h.bus.publish([makeEvent(events.bookingCancelled, { ...moved, status: 'cancelled', cancelledBy: ask.clientId, reason: null }, { source: 'scheduling' })]);
    const cancelled = await eventually(
      async () => h.google.events('follow@example.com').find((event) => event.id === eventId),
      (event) => event?.status === 'cancelled',
    );
    expect(cancelled?.status).toBe('cancelled');
    expect(await meetingRow(ask.bookingId)).toMatchObject({ state: 'cancelled' });
    // A cancelled booking's meeting is not made again.
    await expect(h.calendar.client.ensureMeeting(ask)).rejects.toMatchObject({ code: 'MEETING_CANCELLED' });
  });

  it('complete after Google comes back: the bus retries the confirmed booking, and the link is announced once', async () => {
    const provider = await h.connect('outage@example.com');
    const ask = request(provider.userId);
    h.google.setApi('hang');
    try {
      await expect(h.calendar.client.ensureMeeting(ask)).rejects.toThrow();
      await h.bus.publish([makeEvent(events.bookingConfirmed, snapshot(ask, { meetingStatus: 'pending', meetingUrl: null }), { source: 'scheduling' })]);
      await eventually(() => meetingRow(ask.bookingId), (row) => row?.state === 'pending' && Number(row.attempts) >= 1);
      expect(publishedReady(ask.bookingId)).toEqual([]);
    } finally {
      h.google.setApi('ok');
    }
    const ready = await eventually(async () => publishedReady(ask.bookingId), (list) => list.length > 0, 10_000);
    const url = (ready[0]?.data as { meetingUrl: string }).meetingUrl;
    expect(url).toMatch(/^https:\/\/meet\.google\.com\//);
    expect(await meetingRow(ask.bookingId)).toMatchObject({ state: 'ready', url });
    // One event, though the hung insert may have reached Google too: the second attempt found it (409).
    expect(h.google.events('outage@example.com').filter((event) => event.id === googleEventId(ask.bookingId, 0))).toHaveLength(1);
    await h.calendar.sweep();
    expect(publishedReady(ask.bookingId)).toHaveLength(1);
  });

  it('made for a booking that was never committed are dropped on request, and by the sweep after a while', async () => {
    const provider = await h.connect('orphans@example.com');
    const dropped = request(provider.userId);
    await h.calendar.client.ensureMeeting(dropped);
    await h.calendar.client.dropMeeting(dropped.bookingId);
    expect(await meetingRow(dropped.bookingId)).toMatchObject({ state: 'dropped' });
    expect(h.google.events('orphans@example.com').find((event) => event.id === googleEventId(dropped.bookingId, 0))?.status).toBe('cancelled');

    const forgotten = request(provider.userId);
    const kept = request(provider.userId);
    await h.calendar.client.ensureMeeting(forgotten);
    const keptMeeting = await h.calendar.client.ensureMeeting(kept);
    await h.bus.publish([makeEvent(events.bookingConfirmed, snapshot(kept, { meetingStatus: 'ready', meetingUrl: keptMeeting.url }), { source: 'scheduling' })]);
    await eventually(() => meetingRow(kept.bookingId), (row) => row?.state === 'ready');
    expect((await h.calendar.sweep()).orphans).toBe(0);
    offsetMs = 61_000;
    try {
      expect((await h.calendar.sweep()).orphans).toBeGreaterThanOrEqual(1);
    } finally {
      offsetMs = 0;
    }
    const byId = new Map(h.google.events('orphans@example.com').map((event) => [event.id, event.status]));
    expect(byId.get(googleEventId(forgotten.bookingId, 0))).toBe('cancelled');
    expect(byId.get(googleEventId(kept.bookingId, 0))).toBe('confirmed');
    expect(await meetingRow(forgotten.bookingId)).toMatchObject({ state: 'dropped' });
  });
});
