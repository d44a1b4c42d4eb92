import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { events, makeEvent } from '@timeslot/ports';
import { eventually } from '@timeslot/ports/contracts/wait';
import { bookingSnapshot, createHarness, eventOf, type Harness } from './harness';

/*
 * The event consumer on PGlite: what each event stores, that a redelivery stores nothing more,
 * that late events do not undo newer state, and that nothing is lost for a recipient not known yet.
 */

let h: Harness;

beforeAll(async () => {
  // Started: the consumer also listens on the bus (the last test publishes through it).
  h = await createHarness({ start: true });
});

afterAll(async () => {
  await h.close();
});

interface Entry {
  id: string;
  kind: string;
  title: string;
  body: string;
  data: Record<string, unknown>;
  readAt: string | null;
}

async function inbox(token: string): Promise<Entry[]> {
  const response = await h.inject({ method: 'GET', url: '/api/v1/notifications?limit=100', token });
  expect(response.statusCode).toBe(200);
  return response.json<{ items: Entry[] }>().items;
}

async function emailRows(userId: string): Promise<{ id: string; kind: string; status: string }[]> {
  return h.database.query<{ id: string; kind: string; status: string }>('select id, kind, status from notifications.emails where user_id = $1 order by created_at, id', [userId]);
}

describe('the event consumer', () => {
  it('welcomes a registered user in their language, with one entry and one email row', async () => {
    const greta = await h.user({ name: 'Greta', locale: 'de-DE', timeZone: 'Europe/Berlin' });

    const entries = await inbox(greta.token);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ kind: 'welcome', title: 'Willkommen bei Timeslot, Greta', readAt: null });
    expect(await emailRows(greta.userId)).toEqual([expect.objectContaining({ kind: 'welcome', status: 'pending' })]);
  });

  it('handles a redelivered event once: one entry and one email row per recipient', async () => {
    const client = await h.user();
    const provider = await h.user({ role: 'provider', name: 'Dr Ada' });
    const confirmed = eventOf(events.bookingConfirmed, bookingSnapshot(client, provider));

    expect(await h.handle(confirmed)).toBe(true);
    expect(await h.handle(confirmed)).toBe(false);
    expect(await h.handle(structuredClone(confirmed))).toBe(false);

    for (const user of [client, provider]) {
      expect((await inbox(user.token)).filter((entry) => entry.kind === 'booking_confirmed')).toHaveLength(1);
      expect((await emailRows(user.userId)).filter((row) => row.kind === 'booking_confirmed')).toEqual([
        expect.objectContaining({ id: `email-${confirmed.id}-${user.userId}` }),
      ]);
    }
  });

  it('handles the same event delivered twice at once only once', async () => {
    const client = await h.user();
    const confirmed = eventOf(events.bookingConfirmed, bookingSnapshot(client, undefined));

    const results = await Promise.all([h.handle(confirmed), h.handle(confirmed), h.handle(confirmed)]);

    expect(results.filter(Boolean)).toHaveLength(1);
    expect((await inbox(client.token)).filter((entry) => entry.kind === 'booking_confirmed')).toHaveLength(1);
  });

  it('tells each side of a booking in their own language and zone, naming the other side', async () => {
    const client = await h.user({ name: 'Bob', locale: 'en-GB', timeZone: 'Europe/London' });
    const provider = await h.user({ role: 'provider', name: 'Dr Ada', locale: 'de', timeZone: 'Asia/Kolkata' });
    const booking = bookingSnapshot(client, provider, { meetingUrl: 'https://meet.example/abc' });

    await h.handle(eventOf(events.bookingConfirmed, booking));

    const [forClient] = await inbox(client.token);
    expect(forClient).toMatchObject({
      kind: 'booking_confirmed',
      title: 'Booked: Consultation with Dr Ada',
      data: { bookingId: booking.bookingId, startsAt: booking.startsAt, meetingUrl: 'https://meet.example/abc' },
    });
    expect(forClient?.body).toBe('Tuesday, 8 January 2030 at 10:00 GMT. Online: https://meet.example/abc');
    const [forProvider] = await inbox(provider.token);
    expect(forProvider?.title).toBe('Neue Buchung: Consultation mit Bob');
    // 10:00 UTC is 15:30 in India.
    expect(forProvider?.body).toBe('Dienstag, 8. Januar 2030 um 15:30 GMT+5:30.');
  });

  it('falls back to English for a language it does not speak, keeping the zone', async () => {
    const client = await h.user({ locale: 'fr-FR', timeZone: 'America/New_York' });

    await h.handle(eventOf(events.bookingConfirmed, bookingSnapshot(client, undefined, { locationKind: 'phone' })));

    const [entry] = await inbox(client.token);
    expect(entry?.title).toBe('Booked: Consultation with your provider');
    expect(entry?.body).toBe('Tuesday, January 8, 2030 at 05:00 AM EST. By phone.');
  });

  it('says who cancelled, from each side', async () => {
    const client = await h.user();
    const provider = await h.user({ role: 'provider', name: 'Dr Ada' });
    const booking = bookingSnapshot(client, provider);

    await h.handle(eventOf(events.bookingCancelled, { ...booking, status: 'cancelled', cancelledBy: provider.userId, reason: 'ill' }));

    expect((await inbox(client.token))[0]?.body).toBe('Tuesday, January 8, 2030 at 10:00 AM UTC was cancelled by Dr Ada. Reason: ill');
    expect((await inbox(provider.token))[0]?.body).toBe('Tuesday, January 8, 2030 at 10:00 AM UTC was cancelled by you. Reason: ill');

    const admin = randomUUID();
    const other = bookingSnapshot(client, provider);
    await h.handle(eventOf(events.bookingCancelled, { ...other, status: 'cancelled', cancelledBy: admin, reason: null }));
    expect((await inbox(client.token))[0]?.body).toBe('Tuesday, January 8, 2030 at 10:00 AM UTC was cancelled by an administrator.');
  });

  it('tells only the client of a hold and of its expiry, and says where a rescheduled booking was', async () => {
    const client = await h.user();
    const provider = await h.user({ role: 'provider' });
    const booking = bookingSnapshot(client, provider, { status: 'pending_payment', priceAmount: 5000, holdExpiresAt: '2030-01-07T08:10:00.000Z' });

    await h.handle(eventOf(events.bookingHeld, booking, '2030-01-07T08:00:00.000Z'));
    await h.handle(eventOf(events.bookingExpired, { ...booking, status: 'expired' }, '2030-01-07T08:10:00.000Z'));

    expect((await inbox(client.token)).map((entry) => entry.kind)).toEqual(['booking_expired', 'booking_held', 'welcome']);
    expect((await inbox(client.token))[1]?.body).toContain('until Monday, January 7, 2030 at 08:10 AM UTC');
    expect((await inbox(provider.token)).map((entry) => entry.kind)).toEqual(['welcome']);
    // booking_held is in-app by default: no email row.
    expect((await emailRows(client.userId)).map((row) => row.kind)).toEqual(['welcome', 'booking_expired']);

    const moved = bookingSnapshot(client, provider, { startsAt: '2030-01-09T12:00:00.000Z', endsAt: '2030-01-09T12:30:00.000Z' });
    await h.handle(eventOf(events.bookingRescheduled, { ...moved, previousStartsAt: '2030-01-08T10:00:00.000Z', previousEndsAt: '2030-01-08T10:30:00.000Z' }));
    expect((await inbox(provider.token))[0]).toMatchObject({
      kind: 'booking_rescheduled',
      body: 'Now Wednesday, January 9, 2030 at 12:00 PM UTC (was Tuesday, January 8, 2030 at 10:00 AM UTC).',
      data: { previousStartsAt: '2030-01-08T10:00:00.000Z' },
    });
  });

  it('keeps the projection at the newest event when an older one arrives late', async () => {
    const client = await h.user();
    const booking = bookingSnapshot(client, undefined);
    const confirmed = eventOf(events.bookingConfirmed, booking, '2030-01-07T08:00:00.000Z');
    const cancelled = eventOf(events.bookingCancelled, { ...booking, status: 'cancelled', cancelledBy: client.userId, reason: null }, '2030-01-07T08:05:00.000Z');

    await h.handle(cancelled);
    await h.handle(confirmed);

    expect(await h.ctx.store.bookings.find(h.database.db, booking.bookingId)).toMatchObject({ status: 'cancelled' });
    // Both are history in the inbox; the late confirmation planned no reminders for a cancelled booking.
    expect((await inbox(client.token)).map((entry) => entry.kind).slice(0, 2)).toEqual(['booking_confirmed', 'booking_cancelled']);
    expect((await h.ctx.store.emails.forBooking(h.database.db, booking.bookingId)).filter((row) => row.kind === 'booking_reminder')).toEqual([]);

    // Two events of one instant: the later state wins, in either order.
    const other = bookingSnapshot(client, undefined);
    const at = '2030-01-07T09:00:00.000Z';
    await h.handle(eventOf(events.bookingCancelled, { ...other, status: 'cancelled', cancelledBy: client.userId, reason: null }, at));
    await h.handle(eventOf(events.bookingConfirmed, other, at));
    expect(await h.ctx.store.bookings.find(h.database.db, other.bookingId)).toMatchObject({ status: 'cancelled' });
  });

  it('keeps what an event has for a recipient it does not know yet, and delivers it when they register', async () => {
    const provider = await h.user({ role: 'provider', name: 'Dr Ada' });
    const clientId = randomUUID();
    const booking = bookingSnapshot({ userId: clientId }, provider);
    const confirmed = eventOf(events.bookingConfirmed, booking);

    expect(await h.handle(confirmed)).toBe(true);

    // The provider is told at once; the client's part waits instead of holding up the provider's.
    expect((await inbox(provider.token))[0]).toMatchObject({ kind: 'booking_confirmed', title: 'New booking: Consultation with a client' });
    // Reminders are planned at once (the worker reads the address when it sends); nothing else.
    expect((await emailRows(clientId)).filter((row) => row.kind !== 'booking_reminder')).toEqual([]);

    await h.handle(
      makeEvent(events.userRegistered, { userId: clientId, email: 'late@example.com', name: 'Lea', role: 'client', timeZone: 'Europe/Berlin', locale: 'de' }, { source: 'identity' }),
    );

    const token = await h.issuer.token('client', clientId);
    const entries = await inbox(token);
    expect(entries.map((entry) => entry.kind).sort()).toEqual(['booking_confirmed', 'welcome']);
    expect(entries.find((entry) => entry.kind === 'booking_confirmed')?.body).toContain('um 11:00 MEZ');
    const rows = (await emailRows(clientId)).filter((row) => row.kind !== 'booking_reminder');
    expect(rows.map((row) => row.kind).sort()).toEqual(['booking_confirmed', 'welcome']);
    expect(rows.find((row) => row.kind === 'booking_confirmed')?.id).toBe(`email-${confirmed.id}-${clientId}`);
    expect(await h.database.query('select 1 from notifications.deferred_deliveries where user_id = $1', [clientId])).toEqual([]);
  });

  it('retries a waitlist offer until the hold it offers is known, then tells the client', async () => {
    const client = await h.user();
    const provider = await h.user({ role: 'provider', name: 'Dr Ada' });
    const hold = bookingSnapshot(client, provider, { status: 'pending_payment', holdExpiresAt: '2030-01-07T08:15:00.000Z' });
    const offered = eventOf(events.waitlistOffered, {
      entryId: randomUUID(),
      clientId: client.userId,
      bookingId: hold.bookingId,
      serviceId: hold.serviceId,
      startsAt: hold.startsAt,
      offerExpiresAt: '2030-01-07T08:15:00.000Z',
    });

    await expect(h.handle(offered)).rejects.toThrow(/not known here yet/);
    await h.handle(eventOf(events.bookingHeld, hold));
    expect(await h.handle(offered)).toBe(true);

    const entry = (await inbox(client.token)).find((e) => e.kind === 'waitlist_offer');
    expect(entry).toMatchObject({ title: 'A slot opened up: Consultation with Dr Ada', data: { bookingId: hold.bookingId, offerExpiresAt: '2030-01-07T08:15:00.000Z' } });
    expect((await inbox(provider.token)).some((e) => e.kind === 'waitlist_offer')).toBe(false);
  });

  it('tells both sides of a meeting link that came late, and gives the booking’s reminders the link', async () => {
    const client = await h.user();
    const provider = await h.user({ role: 'provider', name: 'Dr Ada' });
    const booking = bookingSnapshot(client, provider, { meetingUrl: null, meetingStatus: 'pending' });
    const ready = eventOf(events.meetingReady, { bookingId: booking.bookingId, meetingUrl: 'https://meet.example/late', clientId: client.userId, providerUserId: provider.userId });

    await expect(h.handle(ready)).rejects.toThrow(/not known here yet/);
    await h.handle(eventOf(events.bookingConfirmed, booking));
    expect((await inbox(client.token))[0]?.body).toContain('Online; the meeting link follows.');
    expect(await h.handle(ready)).toBe(true);

    for (const user of [client, provider]) {
      expect((await inbox(user.token))[0]).toMatchObject({ kind: 'meeting_ready', title: 'Meeting link ready: Consultation', data: { meetingUrl: 'https://meet.example/late' } });
    }
    expect((await h.ctx.store.bookings.find(h.database.db, booking.bookingId))?.snapshot).toMatchObject({ meetingUrl: 'https://meet.example/late', meetingStatus: 'ready' });
    const reminders = (await h.ctx.store.emails.forBooking(h.database.db, booking.bookingId)).filter((row) => row.kind === 'booking_reminder');
    expect(reminders.length).toBeGreaterThan(0);
    for (const reminder of reminders) expect(reminder.data.booking?.meetingUrl).toBe('https://meet.example/late');

    // A link for a booking cancelled meanwhile is recorded, and nobody is told.
    const cancelled = bookingSnapshot(client, provider, { meetingUrl: null, meetingStatus: 'pending' });
    await h.handle(eventOf(events.bookingCancelled, { ...cancelled, status: 'cancelled', cancelledBy: client.userId, reason: null }));
    await h.handle(eventOf(events.meetingReady, { bookingId: cancelled.bookingId, meetingUrl: 'https://meet.example/void', clientId: client.userId, providerUserId: provider.userId }));
    expect((await inbox(client.token))[0]?.kind).toBe('booking_cancelled');
  });

  it('gives the client a receipt, in-app and by email, when payments captured their money', async () => {
    const client = await h.user();
    const provider = await h.user({ role: 'provider', name: 'Dr Ada' });
    const hold = bookingSnapshot(client, provider, { status: 'pending_payment', priceAmount: 4500, currency: 'EUR', holdExpiresAt: '2030-01-07T08:15:00.000Z' });
    const orderId = randomUUID();
    const captured = eventOf(events.paymentCaptured, {
      orderId,
      bookingId: hold.bookingId,
      clientId: client.userId,
      providerUserId: provider.userId,
      amount: 4500,
      currency: 'EUR',
      gateway: 'simulator',
      gatewayPaymentId: 'pay_1',
    });

    await expect(h.handle(captured)).rejects.toThrow(/not known here yet/);
    await h.handle(eventOf(events.bookingHeld, hold));
    expect(await h.handle(captured)).toBe(true);
    expect(await h.handle(captured)).toBe(false);

    const receipts = (await inbox(client.token)).filter((e) => e.kind === 'payment_receipt');
    expect(receipts).toHaveLength(1);
    expect(receipts[0]?.title).toContain('45.00');
    expect((await inbox(provider.token)).some((e) => e.kind === 'payment_receipt')).toBe(false);
    const emails = (await h.ctx.store.emails.forBooking(h.database.db, hold.bookingId)).filter((row) => row.kind === 'payment_receipt');
    expect(emails).toHaveLength(1);
    expect(emails[0]?.data.payment).toMatchObject({ amount: 4500, currency: 'EUR', paymentId: orderId });
  });

  it('keeps the recipients projection from user events, and lets a change for an unknown user be retried', async () => {
    const user = await h.user({ name: 'Old Name' });

    await h.handle(makeEvent(events.userUpdated, { userId: user.userId, name: 'New Name', timeZone: 'Asia/Tokyo', locale: 'de' }, { source: 'identity' }));
    await h.handle(makeEvent(events.userDisabled, { userId: user.userId, disabledBy: randomUUID(), reason: null, disabledAt: new Date().toISOString() }, { source: 'identity' }));

    expect(await h.ctx.store.recipients.find(h.database.db, user.userId)).toMatchObject({ name: 'New Name', timeZone: 'Asia/Tokyo', locale: 'de', disabled: true });
    // A disabled account still gets its inbox entry, but no email.
    await h.handle(eventOf(events.bookingConfirmed, bookingSnapshot(user, undefined)));
    expect((await inbox(user.token))[0]?.kind).toBe('booking_confirmed');
    expect((await emailRows(user.userId)).map((row) => row.kind)).toEqual(['welcome']);

    const stale = { ...makeEvent(events.userUpdated, { userId: user.userId, name: 'Stale', timeZone: 'UTC', locale: 'en' }, { source: 'identity' }), occurredAt: '2020-01-01T00:00:00.000Z' };
    await h.handle(stale);
    expect((await h.ctx.store.recipients.find(h.database.db, user.userId))?.name).toBe('New Name');

    const unknown = makeEvent(events.userUpdated, { userId: randomUUID(), name: 'Who', timeZone: 'UTC', locale: 'en' }, { source: 'identity' });
    await expect(h.handle(unknown)).rejects.toThrow(/not known here yet/);
  });

  it('consumes through the bus, and ignores event types it has no use for', async () => {
    const client = await h.user();
    const booking = bookingSnapshot(client, undefined);
    await h.bus.publish([
      makeEvent(events.bookingCompleted, { ...booking, status: 'completed' }, { source: 'scheduling' }),
      { ...makeEvent(events.userRegistered, { userId: randomUUID(), email: 'x@example.com', name: 'X', role: 'client', timeZone: 'UTC', locale: 'en' }, { source: 'identity' }), type: 'user.renamed' },
      eventOf(events.bookingConfirmed, bookingSnapshot(client, undefined)),
    ]);

    const entries = await eventually(
      async () => (await h.inject({ method: 'GET', url: '/api/v1/notifications', token: client.token })).json<{ items: Entry[] }>().items,
      (items) => items.length === 2,
    );
    expect(entries.map((entry) => entry.kind)).toEqual(['booking_confirmed', 'welcome']);
    expect(await h.ctx.store.bookings.find(h.database.db, booking.bookingId)).toMatchObject({ status: 'completed' });
    expect(await h.bus.deadLetters('notifications')).toEqual([]);
  });
});
