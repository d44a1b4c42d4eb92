import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { sweepHolds } from '../src/bookings/booking.jobs';
import { holdQueue } from '../src/bookings/booking.queues';
import { confirmBooking, expireHold } from '../src/bookings/booking.transitions';
import { createSchedulingHarness, type SchedulingHarness, type TestUser } from './harness';

// Monday 2030-01-07 08:00 UTC; providers are in UTC and open 09:00–17:00 every day.
let h: SchedulingHarness;
const MINUTE = 60_000;

beforeAll(async () => {
  h = await createSchedulingHarness({ now: '2030-01-07T08:00:00.000Z', options: { holdMinutes: 10 } });
});

afterAll(async () => {
  await h?.close();
});

interface BookingBody {
  id: string;
  providerId: string;
  serviceId: string;
  clientId: string;
  status: string;
  start: string;
  end: string;
  seat: number;
  notes: string | null;
  holdExpiresAt: string | null;
  cancelReason: string | null;
  service: { name: string; durationMinutes: number; priceAmount: number; currency: string };
}

function book(user: TestUser, serviceId: string, start: string, extra: { notes?: string; headers?: Record<string, string> } = {}) {
  return h.inject({
    method: 'POST',
    url: '/api/v1/bookings',
    token: user.token,
    ...(extra.headers === undefined ? {} : { headers: extra.headers }),
    payload: { serviceId, start, ...(extra.notes === undefined ? {} : { notes: extra.notes }) },
  });
}

async function outboxTypes(bookingId: string): Promise<string[]> {
  const rows = await h.database.query<{ type: string }>(
    `select type from "${h.context.options.schema}".outbox where payload->'data'->>'bookingId' = $1 order by seq`,
    [bookingId],
  );
  return rows.map((row) => row.type);
}

async function bookingRows(serviceId: string): Promise<number> {
  const rows = await h.database.query<{ n: string }>(`select count(*)::text as n from "${h.context.options.schema}".bookings where service_id = $1`, [
    serviceId,
  ]);
  return Number(rows[0]?.n);
}

describe('POST /api/v1/bookings', () => {
  it('confirms a free slot at once and records booking.confirmed in the outbox', async () => {
    const { provider, service } = await h.bookableProvider();
    const client = await h.registerUser('client');
    const response = await book(client, service.id, '2030-01-08T10:00:00+01:00', { notes: 'First visit' });

    expect(response.statusCode).toBe(201);
    const body = response.json<BookingBody>();
    expect(body).toMatchObject({
      providerId: provider.id,
      serviceId: service.id,
      clientId: client.userId,
      status: 'confirmed',
      start: '2030-01-08T09:00:00.000Z',
      end: '2030-01-08T09:30:00.000Z',
      seat: 1,
      notes: 'First visit',
      holdExpiresAt: null,
      cancelReason: null,
      service: { name: service.name, durationMinutes: 30, priceAmount: 0, currency: service.currency },
    });
    expect(await outboxTypes(body.id)).toEqual(['booking.confirmed']);

    const read = await h.inject({ method: 'GET', url: `/api/v1/bookings/${body.id}`, token: client.token });
    expect(read.statusCode).toBe(200);
    expect(read.json()).toEqual(body);
  });

  it('holds a paid slot for holdMinutes, records booking.held and enqueues the expiry with that delay', async () => {
    const { service } = await h.bookableProvider({ service: { priceAmount: 5000, currency: 'EUR' } });
    const client = await h.registerUser('client');
    const enqueue = vi.spyOn(h.context.jobs, 'enqueue');
    try {
      const response = await book(client, service.id, '2030-01-08T11:00:00Z');
      expect(response.statusCode).toBe(201);
      const body = response.json<BookingBody>();
      expect(body.status).toBe('pending_payment');
      expect(body.holdExpiresAt).toBe('2030-01-07T08:10:00.000Z');
      expect(await outboxTypes(body.id)).toEqual(['booking.held']);
      expect(enqueue).toHaveBeenCalledWith(
        holdQueue,
        'expire',
        { bookingId: body.id },
        expect.objectContaining({ jobId: `hold-${body.id}-${Date.parse('2030-01-07T08:10:00.000Z')}`, delayMs: 10 * MINUTE }),
      );
    } finally {
      enqueue.mockRestore();
    }
  });

  it('refuses a time already booked with 409 SLOT_TAKEN and writes nothing', async () => {
    const { service } = await h.bookableProvider();
    const [first, second] = [await h.registerUser('client'), await h.registerUser('client')];
    expect((await book(first, service.id, '2030-01-08T13:00:00Z')).statusCode).toBe(201);

    const response = await book(second, service.id, '2030-01-08T13:00:00Z');
    expect(response.statusCode).toBe(409);
    expect(response.json()).toMatchObject({ code: 'SLOT_TAKEN', status: 409 });
    expect(await bookingRows(service.id)).toBe(1);
  });

  it('counts buffers: a booking within another one’s buffer is refused, one just outside it is accepted', async () => {
    const { owner, provider, service } = await h.bookableProvider({ service: { bufferAfterMinutes: 15 } });
    const plain = await h.createService(owner.token, provider.id, { name: 'Quick call', durationMinutes: 15, slotIntervalMinutes: 15 });
    const client = await h.registerUser('client');
    expect((await book(client, service.id, '2030-01-08T10:00:00Z')).statusCode).toBe(201);

    // 10:00–10:30 plus 15 minutes after: the provider is busy until 10:45.
    const inBuffer = await book(client, plain.id, '2030-01-08T10:30:00Z');
    expect(inBuffer.statusCode).toBe(409);
    expect(inBuffer.json()).toMatchObject({ code: 'SLOT_TAKEN' });
    expect((await book(client, plain.id, '2030-01-08T10:45:00Z')).statusCode).toBe(201);
    // Its own buffer counts the other way too: 09:30–10:00 + 15 minutes overlaps 10:00.
    const before = await book(client, service.id, '2030-01-08T09:30:00Z');
    expect(before.json()).toMatchObject({ code: 'SLOT_TAKEN' });
  });

  it.each([
    ['outside working hours', '2030-01-08T18:00:00Z'],
    ['off the slot grid', '2030-01-08T09:10:00Z'],
    ['in the past', '2030-01-06T10:00:00Z'],
    ['beyond the booking window', '2030-06-10T10:00:00Z'],
  ])('answers 409 SLOT_UNAVAILABLE for a start %s, writing nothing', async (_case, start) => {
    const { service } = await h.bookableProvider({ service: { bookingWindowDays: 30 } });
    const client = await h.registerUser('client');
    const response = await book(client, service.id, start);
    expect(response.statusCode).toBe(409);
    expect(response.json()).toMatchObject({ code: 'SLOT_UNAVAILABLE' });
    expect(await bookingRows(service.id)).toBe(0);
  });

  it('answers 409 SLOT_UNAVAILABLE within the minimum notice and during a blocked period', async () => {
    const { owner, provider, service } = await h.bookableProvider({ service: { minNoticeMinutes: 120 } });
    const client = await h.registerUser('client');
    // 09:00 is an hour away, 10:00 exactly the notice.
    expect((await book(client, service.id, '2030-01-07T09:00:00Z')).json()).toMatchObject({ code: 'SLOT_UNAVAILABLE' });
    expect((await book(client, service.id, '2030-01-07T10:00:00Z')).statusCode).toBe(201);
    await h.setAvailability(owner.token, provider.id, {
      weekly: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '09:00', end: '17:00' })),
      blocked: [{ start: '2030-01-09T12:00:00Z', end: '2030-01-09T14:00:00Z', reason: 'Dentist' }],
    });
    expect((await book(client, service.id, '2030-01-09T12:30:00Z')).json()).toMatchObject({ code: 'SLOT_UNAVAILABLE' });
  });

  it('rejects bad input with 400 VALIDATION_FAILED and writes nothing', async () => {
    const { service } = await h.bookableProvider();
    const client = await h.registerUser('client');
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ start: '2030-01-08T10:00:00Z' }, 'body.serviceId'],
      [{ serviceId: 'nope', start: '2030-01-08T10:00:00Z' }, 'body.serviceId'],
      [{ serviceId: service.id, start: '2030-01-08 10:00' }, 'body.start'],
      [{ serviceId: service.id, start: '2030-01-08T10:00:00' }, 'body.start'],
      [{ serviceId: service.id, start: '2030-01-08T10:00:00Z', notes: 'x'.repeat(2001) }, 'body.notes'],
      [{ serviceId: service.id, start: '2030-01-08T10:00:00Z', price: 0 }, 'body'],
    ];
    for (const [payload, path] of cases) {
      const response = await h.inject({ method: 'POST', url: '/api/v1/bookings', token: client.token, payload });
      expect(response.statusCode, JSON.stringify(payload)).toBe(400);
      const problem = response.json<{ code: string; errors: Array<{ path: string }> }>();
      expect(problem.code).toBe('VALIDATION_FAILED');
      expect(problem.errors.map((error) => error.path).some((p) => p.startsWith(path))).toBe(true);
    }
    expect(await bookingRows(service.id)).toBe(0);
  });

  it('requires a signed-in caller', async () => {
    const { service } = await h.bookableProvider();
    const response = await h.inject({ method: 'POST', url: '/api/v1/bookings', payload: { serviceId: service.id, start: '2030-01-08T10:00:00Z' } });
    expect(response.statusCode).toBe(401);
  });

  it('answers 404 for an unknown or unpublished service and 409 SERVICE_INACTIVE for a switched-off one', async () => {
    const client = await h.registerUser('client');
    const unknown = await book(client, '00000000-0000-4000-8000-000000000000', '2030-01-08T10:00:00Z');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toMatchObject({ code: 'SERVICE_NOT_FOUND' });

    const hidden = await h.bookableProvider({ provider: { published: false } });
    expect((await book(client, hidden.service.id, '2030-01-08T10:00:00Z')).statusCode).toBe(404);

    const { owner, provider, service } = await h.bookableProvider();
    const patched = await h.inject({
      method: 'PATCH',
      url: `/api/v1/providers/${provider.id}/services/${service.id}`,
      token: owner.token,
      payload: { active: false },
    });
    expect(patched.statusCode).toBe(200);
    const inactive = await book(client, service.id, '2030-01-08T10:00:00Z');
    expect(inactive.statusCode).toBe(409);
    expect(inactive.json()).toMatchObject({ code: 'SERVICE_INACTIVE' });
  });
});

describe('cached service and profile', () => {
  it('books with the service as it is now: a change of price, duration, state or publication applies to the next booking', async () => {
    const client = await h.registerUser('client');
    const { owner, provider, service } = await h.bookableProvider({ service: { durationMinutes: 30, slotIntervalMinutes: 60 } });
    const patch = async (url: string, payload: Record<string, unknown>) => {
      const response = await h.inject({ method: 'PATCH', url, token: owner.token, payload });
      expect(response.statusCode, response.body).toBe(200);
    };
    const serviceUrl = `/api/v1/providers/${provider.id}/services/${service.id}`;
    const first = await book(client, service.id, '2030-01-08T09:00:00Z');
    expect(first.json()).toMatchObject({ status: 'confirmed', end: '2030-01-08T09:30:00.000Z' });

    await patch(serviceUrl, { durationMinutes: 45, priceAmount: 2500, currency: 'EUR' });
    const second = await book(client, service.id, '2030-01-08T10:00:00Z');
    expect(second.statusCode, second.body).toBe(201);
    expect(second.json()).toMatchObject({ status: 'pending_payment', end: '2030-01-08T10:45:00.000Z', service: { priceAmount: 2500, currency: 'EUR' } });

    await patch(serviceUrl, { active: false });
    expect((await book(client, service.id, '2030-01-08T11:00:00Z')).json()).toMatchObject({ code: 'SERVICE_INACTIVE' });
    await patch(serviceUrl, { active: true });
    await patch(`/api/v1/providers/${provider.id}`, { published: false });
    const hidden = await book(client, service.id, '2030-01-08T11:00:00Z');
    expect(hidden.statusCode).toBe(404);
    expect(hidden.json()).toMatchObject({ code: 'SERVICE_NOT_FOUND' });
    expect(await bookingRows(service.id)).toBe(2);
  });
});

describe('Idempotency-Key', () => {
  it('replays the first response for the same key and body, with one row written', async () => {
    const { service } = await h.bookableProvider();
    const client = await h.registerUser('client');
    const headers = { 'idempotency-key': 'order-42' };
    const first = await book(client, service.id, '2030-01-08T14:00:00Z', { headers, notes: 'hello' });
    expect(first.statusCode).toBe(201);
    // The same body with its keys in another order is the same request.
    const again = await h.inject({
      method: 'POST',
      url: '/api/v1/bookings',
      token: client.token,
      headers,
      payload: { notes: 'hello', start: '2030-01-08T14:00:00Z', serviceId: service.id },
    });
    expect(again.statusCode).toBe(201);
    expect(again.json()).toEqual(first.json());
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(await bookingRows(service.id)).toBe(1);
  });

  it('answers 422 IDEMPOTENCY_KEY_REUSED for the same key with another body, and keys are per client', async () => {
    const { service } = await h.bookableProvider();
    const [client, other] = [await h.registerUser('client'), await h.registerUser('client')];
    const headers = { 'idempotency-key': 'same-key' };
    expect((await book(client, service.id, '2030-01-08T15:00:00Z', { headers })).statusCode).toBe(201);

    const reused = await book(client, service.id, '2030-01-08T15:30:00Z', { headers });
    expect(reused.statusCode).toBe(422);
    expect(reused.json()).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
    expect(await bookingRows(service.id)).toBe(1);
    // Another client's key of the same name is another key.
    expect((await book(other, service.id, '2030-01-08T15:30:00Z', { headers })).statusCode).toBe(201);
  });

  it('forgets keys after 24 hours', async () => {
    const { service } = await h.bookableProvider();
    const client = await h.registerUser('client');
    const headers = { 'idempotency-key': 'day-old' };
    expect((await book(client, service.id, '2030-01-12T10:00:00Z', { headers })).statusCode).toBe(201);
    h.clock.advance(25 * 60 * MINUTE);
    try {
      // A different body would be 422 within 24 hours; now the key is new again.
      const later = await book(client, service.id, '2030-01-12T11:00:00Z', { headers });
      expect(later.statusCode).toBe(201);
      expect(later.headers['idempotent-replayed']).toBeUndefined();
    } finally {
      h.clock.advance(-25 * 60 * MINUTE);
    }
  });

  it('rejects a malformed key with 400', async () => {
    const { service } = await h.bookableProvider();
    const client = await h.registerUser('client');
    for (const key of ['', 'has space', 'x'.repeat(201)]) {
      const response = await book(client, service.id, '2030-01-08T10:00:00Z', { headers: { 'idempotency-key': key } });
      expect(response.statusCode, JSON.stringify(key)).toBe(400);
      expect(response.json()).toMatchObject({ code: 'VALIDATION_FAILED' });
    }
    expect(await bookingRows(service.id)).toBe(0);
  });
});

describe('holds', () => {
  it('expires a hold through its job handler once the time is up, releasing the slot', async () => {
    const { service } = await h.bookableProvider({ service: { priceAmount: 2500, currency: 'USD' } });
    const [client, next] = [await h.registerUser('client'), await h.registerUser('client')];
    const held = (await book(client, service.id, '2030-01-09T10:00:00Z')).json<BookingBody>();
    expect((await book(next, service.id, '2030-01-09T10:00:00Z')).json()).toMatchObject({ code: 'SLOT_TAKEN' });

    // An early (or duplicate) job changes nothing.
    expect(await expireHold(h.context, held.id)).toBe('not-due');
    h.clock.advance(11 * MINUTE);
    try {
      expect(await expireHold(h.context, held.id)).toBe('expired');
      expect(await expireHold(h.context, held.id)).toBe('not-pending');
      const read = await h.inject({ method: 'GET', url: `/api/v1/bookings/${held.id}`, token: client.token });
      expect(read.json()).toMatchObject({ status: 'expired', holdExpiresAt: null });
      expect(await outboxTypes(held.id)).toEqual(['booking.held', 'booking.expired']);
      expect((await book(next, service.id, '2030-01-09T10:00:00Z')).statusCode).toBe(201);
    } finally {
      h.clock.advance(-11 * MINUTE);
    }
  });

  it('releases overdue holds in the sweep too, for a job the queue lost', async () => {
    const { service } = await h.bookableProvider({ service: { priceAmount: 700, currency: 'USD' } });
    const client = await h.registerUser('client');
    const held = (await book(client, service.id, '2030-01-09T15:00:00Z')).json<BookingBody>();
    expect((await sweepHolds(h.context)).expired).toBe(0);
    h.clock.advance(11 * MINUTE);
    try {
      expect((await sweepHolds(h.context)).expired).toBeGreaterThanOrEqual(1);
      const read = await h.inject({ method: 'GET', url: `/api/v1/bookings/${held.id}`, token: client.token });
      expect(read.json()).toMatchObject({ status: 'expired' });
    } finally {
      h.clock.advance(-11 * MINUTE);
    }
  });

  it('lets the payments side confirm a hold (confirmBooking), idempotently; admins may do it over HTTP', async () => {
    const { service } = await h.bookableProvider({ service: { priceAmount: 1000, currency: 'EUR' } });
    const client = await h.registerUser('client');
    const held = (await book(client, service.id, '2030-01-09T11:00:00Z')).json<BookingBody>();

    const confirmed = await confirmBooking(h.context, held.id);
    expect(confirmed).toMatchObject({ status: 'confirmed', holdExpiresAt: null });
    expect(await confirmBooking(h.context, held.id)).toMatchObject({ status: 'confirmed' });
    expect(await outboxTypes(held.id)).toEqual(['booking.held', 'booking.confirmed']);
    // A confirmed booking is no longer a hold: its job finds nothing to do.
    h.clock.advance(11 * MINUTE);
    try {
      expect(await expireHold(h.context, held.id)).toBe('not-pending');
    } finally {
      h.clock.advance(-11 * MINUTE);
    }

    const second = (await book(client, service.id, '2030-01-09T12:00:00Z')).json<BookingBody>();
    const asClient = await h.inject({ method: 'POST', url: `/api/v1/bookings/${second.id}/confirm`, token: client.token });
    expect(asClient.statusCode).toBe(403);
    const admin = await h.registerUser('admin');
    const asAdmin = await h.inject({ method: 'POST', url: `/api/v1/bookings/${second.id}/confirm`, token: admin.token });
    expect(asAdmin.statusCode).toBe(200);
    expect(asAdmin.json()).toMatchObject({ status: 'confirmed' });
  });
});

describe('seated services', () => {
  it('sells exactly capacity seats per session, and a cancelled seat can be sold again', async () => {
    const { service } = await h.bookableProvider({ service: { name: 'Group class', durationMinutes: 60, slotIntervalMinutes: 60, capacity: 3 } });
    const clients = await Promise.all([1, 2, 3, 4].map(() => h.registerUser('client')));
    const seats: number[] = [];
    for (const client of clients.slice(0, 3)) {
      const response = await book(client, service.id, '2030-01-10T10:00:00Z');
      expect(response.statusCode).toBe(201);
      seats.push(response.json<BookingBody>().seat);
    }
    expect(seats).toEqual([1, 2, 3]);
    const fourth = await book(clients[3]!, service.id, '2030-01-10T10:00:00Z');
    expect(fourth.statusCode).toBe(409);
    expect(fourth.json()).toMatchObject({ code: 'SLOT_TAKEN' });
    // Another session of the same class is a different set of seats.
    expect((await book(clients[3]!, service.id, '2030-01-10T11:00:00Z')).json()).toMatchObject({ seat: 1 });

    const mine = await h.inject({ method: 'GET', url: '/api/v1/bookings', token: clients[1]!.token });
    const seatTwo = mine.json<{ items: BookingBody[] }>().items[0]!;
    const cancelled = await h.inject({ method: 'POST', url: `/api/v1/bookings/${seatTwo.id}/cancel`, token: clients[1]!.token });
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    const again = await book(clients[3]!, service.id, '2030-01-10T10:00:00Z');
    expect(again.statusCode).toBe(201);
    expect(again.json()).toMatchObject({ seat: 2 });
  });
});
