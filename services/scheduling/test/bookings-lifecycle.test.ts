import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSchedulingHarness, type SchedulingHarness, type TestUser } from './harness';

// Monday 2030-01-07 08:00 UTC; providers are in UTC and open 09:00–17:00 every day.
let h: SchedulingHarness;
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

beforeAll(async () => {
  h = await createSchedulingHarness({ now: '2030-01-07T08:00:00.000Z' });
});

afterAll(async () => {
  await h?.close();
});

interface BookingBody {
  id: string;
  status: string;
  start: string;
  end: string;
  seat: number;
  cancelReason: string | null;
}

async function book(user: TestUser, serviceId: string, start: string): Promise<BookingBody> {
  const response = await h.inject({ method: 'POST', url: '/api/v1/bookings', token: user.token, payload: { serviceId, start } });
  if (response.statusCode !== 201) throw new Error(`booking failed: ${response.statusCode} ${response.body}`);
  return response.json();
}

function act(user: TestUser, bookingId: string, action: string, payload?: Record<string, unknown>) {
  return h.inject({
    method: 'POST',
    url: `/api/v1/bookings/${bookingId}/${action}`,
    token: user.token,
    ...(payload === undefined ? {} : { payload }),
  });
}

async function lastEvent(bookingId: string): Promise<{ type: string; data: Record<string, unknown> } | undefined> {
  const rows = await h.database.query<{ payload: { type: string; data: Record<string, unknown> } }>(
    `select payload from "${h.context.options.schema}".outbox where payload->'data'->>'bookingId' = $1 order by seq desc limit 1`,
    [bookingId],
  );
  return rows[0]?.payload;
}

/** Runs `work` with the clock moved by `ms`, then puts it back. */
async function later<T>(ms: number, work: () => Promise<T>): Promise<T> {
  h.clock.advance(ms);
  try {
    return await work();
  } finally {
    h.clock.advance(-ms);
  }
}

describe('state machine', () => {
  it('completes or marks no-show only confirmed bookings that have started, as the provider', async () => {
    const { owner, service } = await h.bookableProvider();
    const client = await h.registerUser('client');
    const first = await book(client, service.id, '2030-01-07T10:00:00Z');
    const second = await book(client, service.id, '2030-01-07T11:00:00Z');

    const early = await act(owner, first.id, 'complete');
    expect(early.statusCode).toBe(409);
    expect(early.json()).toMatchObject({ code: 'BOOKING_NOT_STARTED' });
    expect((await act(client, first.id, 'complete')).statusCode).toBe(403);
    // A provider who booked someone else's service is that booking's client, not its provider.
    const providerAsClient = (await h.bookableProvider()).owner;
    const theirs = await book(providerAsClient, service.id, '2030-01-07T12:00:00Z');
    const notTheirs = await later(5 * HOUR, () => act(providerAsClient, theirs.id, 'complete'));
    expect(notTheirs.statusCode).toBe(403);

    await later(4 * HOUR, async () => {
      const done = await act(owner, first.id, 'complete');
      expect(done.statusCode).toBe(200);
      expect(done.json()).toMatchObject({ status: 'completed' });
      // Consumers (notifications, calendar) act on the event alone: it names the parties.
      expect(await lastEvent(first.id)).toMatchObject({
        type: 'booking.completed',
        data: {
          status: 'completed',
          providerUserId: owner.userId,
          providerName: expect.any(String),
          providerTimeZone: expect.any(String),
          serviceName: service.name,
          locationKind: service.location.kind,
        },
      });
      const noShow = await act(owner, second.id, 'no-show');
      expect(noShow.json()).toMatchObject({ status: 'no_show' });
      expect(await lastEvent(second.id)).toMatchObject({ type: 'booking.no_show', version: 1, data: { bookingId: second.id, status: 'no_show' } });

      for (const [id, action] of [
        [first.id, 'cancel'],
        [first.id, 'no-show'],
        [second.id, 'complete'],
      ] as const) {
        const refused = await act(owner, id, action);
        expect(refused.statusCode, `${action}`).toBe(409);
        expect(refused.json()).toMatchObject({ code: 'INVALID_TRANSITION' });
      }
    });
  });

  it('refuses completing a hold and cancelling twice with 409 INVALID_TRANSITION', async () => {
    const { owner, service } = await h.bookableProvider({ service: { priceAmount: 900, currency: 'GBP' } });
    const client = await h.registerUser('client');
    const held = await book(client, service.id, '2030-01-07T12:00:00Z');
    await later(5 * HOUR, async () => {
      expect((await act(owner, held.id, 'complete')).json()).toMatchObject({ code: 'INVALID_TRANSITION' });
    });
    expect((await act(client, held.id, 'cancel')).json()).toMatchObject({ status: 'cancelled' });
    const twice = await act(client, held.id, 'cancel');
    expect(twice.statusCode).toBe(409);
    expect(twice.json()).toMatchObject({ code: 'INVALID_TRANSITION' });
  });
});

describe('cancel', () => {
  it('lets the client cancel until the cancellation window and the provider at any time, with a reason', async () => {
    const { owner, service } = await h.bookableProvider({ service: { cancellationWindowMinutes: 120 } });
    const client = await h.registerUser('client');
    const soon = await book(client, service.id, '2030-01-07T09:30:00Z');
    const afternoon = await book(client, service.id, '2030-01-07T14:00:00Z');

    // 09:30 is 90 minutes away: inside the 2-hour window.
    const late = await act(client, soon.id, 'cancel', { reason: 'Running late' });
    expect(late.statusCode).toBe(409);
    expect(late.json()).toMatchObject({ code: 'CANCELLATION_WINDOW_PASSED' });

    const byProvider = await act(owner, soon.id, 'cancel', { reason: 'Ill today' });
    expect(byProvider.statusCode).toBe(200);
    expect(byProvider.json()).toMatchObject({ status: 'cancelled', cancelReason: 'Ill today' });
    expect(await lastEvent(soon.id)).toMatchObject({
      type: 'booking.cancelled',
      data: { cancelledBy: owner.userId, reason: 'Ill today', status: 'cancelled' },
    });

    // Exactly at the window's edge (12:00 for 14:00) the client still may.
    const atEdge = await later(4 * HOUR, () => act(client, afternoon.id, 'cancel'));
    expect(atEdge.statusCode).toBe(200);
    expect(atEdge.json()).toMatchObject({ status: 'cancelled', cancelReason: null });
    // The time is free again.
    expect((await book(client, service.id, '2030-01-07T14:00:00Z')).status).toBe('confirmed');
  });

  it('rejects a reason that is too long with 400, changing nothing', async () => {
    const { service } = await h.bookableProvider();
    const client = await h.registerUser('client');
    const booking = await book(client, service.id, '2030-01-08T09:00:00Z');
    const response = await act(client, booking.id, 'cancel', { reason: 'x'.repeat(501) });
    expect(response.statusCode).toBe(400);
    const read = await h.inject({ method: 'GET', url: `/api/v1/bookings/${booking.id}`, token: client.token });
    expect(read.json()).toMatchObject({ status: 'confirmed' });
  });
});

describe('who sees what', () => {
  it('shows a booking to its client, its provider and admins; anyone else gets 404', async () => {
    const { owner, service } = await h.bookableProvider();
    const otherProvider = (await h.bookableProvider()).owner;
    const [client, stranger, admin] = [await h.registerUser('client'), await h.registerUser('client'), await h.registerUser('admin')];
    const booking = await book(client, service.id, '2030-01-08T10:00:00Z');
    const url = `/api/v1/bookings/${booking.id}`;

    for (const user of [client, owner, admin]) expect((await h.inject({ method: 'GET', url, token: user.token })).statusCode).toBe(200);
    for (const user of [stranger, otherProvider]) {
      const response = await h.inject({ method: 'GET', url, token: user.token });
      expect(response.statusCode).toBe(404);
      expect(response.json()).toMatchObject({ code: 'BOOKING_NOT_FOUND' });
    }
    // Nor may they change it.
    expect((await act(stranger, booking.id, 'cancel')).statusCode).toBe(404);
    expect((await act(otherProvider, booking.id, 'cancel')).statusCode).toBe(404);
    expect((await act(stranger, booking.id, 'reschedule', { start: '2030-01-08T11:00:00Z' })).statusCode).toBe(404);
    expect((await h.inject({ method: 'GET', url: '/api/v1/bookings/not-a-uuid', token: client.token })).statusCode).toBe(400);
    expect((await h.inject({ method: 'GET', url })).statusCode).toBe(401);
  });

  it('lists to a provider only the bookings made with their own profile', async () => {
    const a = await h.bookableProvider();
    const b = await h.bookableProvider();
    const client = await h.registerUser('client');
    const withA = await book(client, a.service.id, '2030-01-09T10:00:00Z');
    const withB = await book(client, b.service.id, '2030-01-09T11:00:00Z');

    const listA = await h.inject({ method: 'GET', url: '/api/v1/bookings?role=provider', token: a.owner.token });
    expect(listA.json<{ items: BookingBody[] }>().items.map((item) => item.id)).toEqual([withA.id]);
    const asClient = await h.inject({ method: 'GET', url: '/api/v1/bookings?role=client', token: client.token });
    expect(asClient.json<{ items: BookingBody[] }>().items.map((item) => item.id)).toEqual([withA.id, withB.id]);
    // A client has no provider profile: nothing booked with them.
    const none = await h.inject({ method: 'GET', url: '/api/v1/bookings?role=provider', token: client.token });
    expect(none.json()).toEqual({ items: [], nextCursor: null });
  });
});

describe('reschedule', () => {
  it('moves a booking atomically; a taken time changes nothing, a free one releases the old time', async () => {
    const { owner, service } = await h.bookableProvider();
    const [client, other] = [await h.registerUser('client'), await h.registerUser('client')];
    const mine = await book(client, service.id, '2030-01-10T10:00:00Z');
    await book(other, service.id, '2030-01-10T11:00:00Z');

    const taken = await act(client, mine.id, 'reschedule', { start: '2030-01-10T11:00:00Z' });
    expect(taken.statusCode).toBe(409);
    expect(taken.json()).toMatchObject({ code: 'SLOT_TAKEN' });
    const unchanged = await h.inject({ method: 'GET', url: `/api/v1/bookings/${mine.id}`, token: client.token });
    expect(unchanged.json()).toMatchObject({ start: '2030-01-10T10:00:00.000Z', status: 'confirmed' });
    // Still holding 10:00: nobody else can have it.
    const stillMine = await h.inject({ method: 'POST', url: '/api/v1/bookings', token: other.token, payload: { serviceId: service.id, start: '2030-01-10T10:00:00Z' } });
    expect(stillMine.json()).toMatchObject({ code: 'SLOT_TAKEN' });

    const moved = await act(owner, mine.id, 'reschedule', { start: '2030-01-10T15:30:00+00:00' });
    expect(moved.statusCode).toBe(200);
    expect(moved.json()).toMatchObject({ id: mine.id, start: '2030-01-10T15:30:00.000Z', end: '2030-01-10T16:00:00.000Z', status: 'confirmed' });
    expect(await lastEvent(mine.id)).toMatchObject({
      type: 'booking.rescheduled',
      data: { startsAt: '2030-01-10T15:30:00.000Z', previousStartsAt: '2030-01-10T10:00:00.000Z', previousEndsAt: '2030-01-10T10:30:00.000Z' },
    });
    expect((await book(other, service.id, '2030-01-10T10:00:00Z')).status).toBe('confirmed');
  });

  it('refuses an invalid time, a finished booking, a late client and bad input', async () => {
    const { service } = await h.bookableProvider({ service: { cancellationWindowMinutes: 60 } });
    const client = await h.registerUser('client');
    const booking = await book(client, service.id, '2030-01-11T10:00:00Z');

    expect((await act(client, booking.id, 'reschedule', { start: '2030-01-11T20:00:00Z' })).json()).toMatchObject({ code: 'SLOT_UNAVAILABLE' });
    expect((await act(client, booking.id, 'reschedule', { start: 'tomorrow' })).statusCode).toBe(400);
    expect((await act(client, booking.id, 'reschedule', {})).statusCode).toBe(400);

    const late = await later((4 * 24 + 1.5) * HOUR, () => act(client, booking.id, 'reschedule', { start: '2030-01-11T16:00:00Z' }));
    expect(late.json()).toMatchObject({ code: 'CANCELLATION_WINDOW_PASSED' });

    await act(client, booking.id, 'cancel');
    const cancelled = await act(client, booking.id, 'reschedule', { start: '2030-01-11T16:00:00Z' });
    expect(cancelled.statusCode).toBe(409);
    expect(cancelled.json()).toMatchObject({ code: 'INVALID_TRANSITION' });
  });

  it('moves a seat to a session with room, taking its lowest free seat', async () => {
    const { service } = await h.bookableProvider({ service: { durationMinutes: 60, slotIntervalMinutes: 60, capacity: 2 } });
    const [a, b, c] = [await h.registerUser('client'), await h.registerUser('client'), await h.registerUser('client')];
    await book(a, service.id, '2030-01-12T10:00:00Z');
    await book(b, service.id, '2030-01-12T10:00:00Z');
    const mine = await book(c, service.id, '2030-01-12T11:00:00Z');

    expect((await act(c, mine.id, 'reschedule', { start: '2030-01-12T10:00:00Z' })).json()).toMatchObject({ code: 'SLOT_TAKEN' });
    const moved = await act(c, mine.id, 'reschedule', { start: '2030-01-12T12:00:00Z' });
    expect(moved.json()).toMatchObject({ start: '2030-01-12T12:00:00.000Z', seat: 1 });
  });
});

describe('GET /api/v1/bookings', () => {
  it('filters by status and time range and pages with a cursor, in start order', async () => {
    const { service } = await h.bookableProvider();
    const client = await h.registerUser('client');
    const starts = ['2030-01-13T09:00:00Z', '2030-01-13T10:00:00Z', '2030-01-13T11:00:00Z', '2030-01-14T09:00:00Z', '2030-01-14T10:00:00Z'];
    const made: BookingBody[] = [];
    // Booked out of order: the list sorts by start, not by creation.
    for (const start of [...starts].reverse()) made.unshift(await book(client, service.id, start));
    await act(client, made[1]!.id, 'cancel');

    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = `limit=2${cursor === null ? '' : `&cursor=${cursor}`}`;
      const response = await h.inject({ method: 'GET', url: `/api/v1/bookings?${query}`, token: client.token });
      expect(response.statusCode).toBe(200);
      const page = response.json<{ items: BookingBody[]; nextCursor: string | null }>();
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((item) => item.start));
      cursor = page.nextCursor;
      pages++;
    } while (cursor !== null && pages < 10);
    expect(seen).toEqual(starts.map((start) => new Date(start).toISOString()));
    expect(pages).toBe(3);

    const confirmed = await h.inject({ method: 'GET', url: '/api/v1/bookings?status=confirmed', token: client.token });
    expect(confirmed.json<{ items: BookingBody[] }>().items).toHaveLength(4);
    const cancelled = await h.inject({ method: 'GET', url: '/api/v1/bookings?status=cancelled', token: client.token });
    expect(cancelled.json<{ items: BookingBody[] }>().items.map((item) => item.id)).toEqual([made[1]!.id]);
    const ranged = await h.inject({
      method: 'GET',
      url: `/api/v1/bookings?from=${encodeURIComponent('2030-01-13T10:00:00Z')}&to=${encodeURIComponent('2030-01-14T09:00:00Z')}`,
      token: client.token,
    });
    expect(ranged.json<{ items: BookingBody[] }>().items.map((item) => item.start)).toEqual(['2030-01-13T10:00:00.000Z', '2030-01-13T11:00:00.000Z']);
  });

  it('rejects a bad cursor, status, limit or range with 400', async () => {
    const client = await h.registerUser('client');
    for (const query of ['cursor=garbage', 'status=booked', 'limit=0', 'limit=101', 'role=admin', 'from=2030-01-02T00:00:00Z&to=2030-01-01T00:00:00Z']) {
      const response = await h.inject({ method: 'GET', url: `/api/v1/bookings?${query}`, token: client.token });
      expect(response.statusCode, query).toBe(400);
      expect(response.json()).toMatchObject({ code: 'VALIDATION_FAILED' });
    }
  });
});

describe('OpenAPI', () => {
  it('documents the booking, waitlist and calendar feed routes', async () => {
    const response = await h.inject({ method: 'GET', url: '/openapi.json' });
    expect(response.statusCode).toBe(200);
    const paths = Object.keys(response.json<{ paths: Record<string, unknown> }>().paths);
    expect(paths).toEqual(
      expect.arrayContaining([
        '/api/v1/bookings',
        '/api/v1/bookings/{id}',
        '/api/v1/bookings/{id}/cancel',
        '/api/v1/bookings/{id}/reschedule',
        '/api/v1/bookings/{id}/confirm-offer',
        '/api/v1/waitlist',
        '/api/v1/waitlist/{id}',
        '/api/v1/providers/{id}/calendar-feed',
      ]),
    );
  });
});
