import { randomUUID } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSchedulingHarness, type SchedulingHarness, type ServiceBody, type TestUser } from './harness';

let h: SchedulingHarness;
let client: TestUser;

// The harness clock starts on Monday 2030-01-07 08:00Z; slots are asked for the next Monday.
const monday = '2030-01-14';

beforeAll(async () => {
  h = await createSchedulingHarness();
  client = await h.registerUser('client');
});

afterAll(async () => {
  await h?.close();
});

interface SlotBody {
  start: string;
  end: string;
  localStart: string;
  localEnd: string;
  seatsLeft: number;
}

function slotsUrl(providerId: string, query: Record<string, string>): string {
  return `/api/v1/providers/${providerId}/slots?${new URLSearchParams(query).toString()}`;
}

async function slots(providerId: string, query: Record<string, string>, token?: string) {
  const response = await h.inject({ method: 'GET', url: slotsUrl(providerId, query), ...(token === undefined ? {} : { token }) });
  expect(response.statusCode, response.body).toBe(200);
  return response.json<{ timeZone: string; slots: SlotBody[] }>();
}

const mondayOnly = (start: string, end: string) => ({ weekly: [{ weekday: 1, start, end }] });

/** A live booking written straight into the table, as the bookings part would write it. */
async function insertBooking(service: ServiceBody, start: string, options: { seat?: number; status?: string } = {}): Promise<void> {
  const startsAt = new Date(start);
  const endsAt = new Date(startsAt.getTime() + service.durationMinutes * 60_000);
  const occupiedStart = new Date(startsAt.getTime() - service.bufferBeforeMinutes * 60_000);
  const occupiedEnd = new Date(endsAt.getTime() + service.bufferAfterMinutes * 60_000);
  const id = randomUUID();
  const status = options.status ?? 'confirmed';
  await h.database.query(
    `insert into scheduling.bookings (id, provider_id, service_id, client_id, status, starts_at, ends_at, occupied, session_key, capacity, seat, hold_expires_at)
     values ($1, $2, $3, $4, $5, $6, $7, tstzrange($8, $9, '[)'), $10, $11, $12, $13)`,
    [
      id,
      service.providerId,
      service.id,
      client.userId,
      status,
      startsAt.toISOString(),
      endsAt.toISOString(),
      occupiedStart.toISOString(),
      occupiedEnd.toISOString(),
      service.capacity > 1 ? `${service.id}@${startsAt.toISOString()}` : id,
      service.capacity,
      options.seat ?? 1,
      status === 'pending_payment' ? new Date(h.clock.now().getTime() + 600_000).toISOString() : null,
    ],
  );
  // Written behind the service's back: announce it as the service's own writes do after commit.
  await h.context.slotCache.changed(service.providerId);
}

describe('GET /api/v1/providers/:id/slots', () => {
  it('lists exact slots from weekly rules, in UTC and in the provider’s zone by default', async () => {
    const { provider, service } = await h.bookableProvider({
      provider: { timeZone: 'America/New_York' },
      service: { durationMinutes: 45, slotIntervalMinutes: 60 },
      availability: mondayOnly('09:00', '12:00'),
    });
    const body = await slots(provider.id, { serviceId: service.id, from: `${monday}T00:00:00Z`, to: `${monday}T23:59:59Z` });
    expect(body).toEqual({
      timeZone: 'America/New_York',
      slots: [
        { start: '2030-01-14T14:00:00.000Z', end: '2030-01-14T14:45:00.000Z', localStart: '2030-01-14T09:00:00.000-05:00', localEnd: '2030-01-14T09:45:00.000-05:00', seatsLeft: 1 },
        { start: '2030-01-14T15:00:00.000Z', end: '2030-01-14T15:45:00.000Z', localStart: '2030-01-14T10:00:00.000-05:00', localEnd: '2030-01-14T10:45:00.000-05:00', seatsLeft: 1 },
        { start: '2030-01-14T16:00:00.000Z', end: '2030-01-14T16:45:00.000Z', localStart: '2030-01-14T11:00:00.000-05:00', localEnd: '2030-01-14T11:45:00.000-05:00', seatsLeft: 1 },
      ],
      busyTimes: 'current',
    });
  });

  it('shows the same instants in the client’s zone when timeZone is given', async () => {
    const { provider, service } = await h.bookableProvider({
      provider: { timeZone: 'America/New_York' },
      service: { durationMinutes: 30, slotIntervalMinutes: 30 },
      availability: mondayOnly('09:00', '10:00'),
    });
    const body = await slots(provider.id, {
      serviceId: service.id,
      from: `${monday}T00:00:00+01:00`,
      to: `${monday}T23:59:00+01:00`,
      timeZone: 'asia/kathmandu',
    });
    expect(body.timeZone).toBe('asia/kathmandu');
    expect(body.slots.map((s) => [s.start, s.localStart])).toEqual([
      ['2030-01-14T14:00:00.000Z', '2030-01-14T19:45:00.000+05:45'],
      ['2030-01-14T14:30:00.000Z', '2030-01-14T20:15:00.000+05:45'],
    ]);
    const paris = await slots(provider.id, { serviceId: service.id, from: `${monday}T00:00:00Z`, to: '2030-01-15T00:00:00Z', timeZone: 'Europe/Paris' });
    expect(paris.slots[0]?.localStart).toBe('2030-01-14T15:00:00.000+01:00');
  });

  it('leaves out booked and held time with its buffers, other services’ bookings included', async () => {
    const { owner, provider, service } = await h.bookableProvider({
      service: { durationMinutes: 60, slotIntervalMinutes: 60, bufferAfterMinutes: 15 },
      availability: mondayOnly('09:00', '15:00'),
    });
    const other = await h.createService(owner.token, provider.id, { name: 'Other', durationMinutes: 30 });
    const query = { serviceId: service.id, from: `${monday}T00:00:00Z`, to: '2030-01-15T00:00:00Z' };
    const starts = async () => (await slots(provider.id, query)).slots.map((s) => s.start.slice(11, 16));
    // A slot may end at the window's end; its buffer after may lie outside the window.
    expect(await starts()).toEqual(['09:00', '10:00', '11:00', '12:00', '13:00', '14:00']);

    // Occupies 10:00–11:15: the 09:00 slot (09:00–10:15 with its buffer), 10:00 and 11:00 collide.
    await insertBooking(service, `${monday}T10:00:00Z`);
    // A hold of another service, 12:30–13:00: 12:00 (12:00–13:15) collides, 13:00 starts as it ends.
    await insertBooking(other, `${monday}T12:30:00Z`, { status: 'pending_payment' });
    expect(await starts()).toEqual(['13:00', '14:00']);
  });

  it('counts seats of a seated service and drops a full session', async () => {
    const { provider, service } = await h.bookableProvider({
      service: { durationMinutes: 60, slotIntervalMinutes: 60, capacity: 3 },
      availability: mondayOnly('09:00', '11:00'),
    });
    await insertBooking(service, `${monday}T09:00:00Z`, { seat: 1 });
    await insertBooking(service, `${monday}T09:00:00Z`, { seat: 2 });
    const query = { serviceId: service.id, from: `${monday}T00:00:00Z`, to: '2030-01-15T00:00:00Z' };
    expect((await slots(provider.id, query)).slots.map((s) => [s.start.slice(11, 16), s.seatsLeft])).toEqual([
      ['09:00', 1],
      ['10:00', 3],
    ]);
    await insertBooking(service, `${monday}T09:00:00Z`, { seat: 3 });
    expect((await slots(provider.id, query)).slots.map((s) => s.start.slice(11, 16))).toEqual(['10:00']);
  });

  it('applies overrides and blocked periods, and a new availability shows at once', async () => {
    const { owner, provider, service } = await h.bookableProvider({
      service: { durationMinutes: 60, slotIntervalMinutes: 60 },
      availability: { weekly: [1, 2].map((weekday) => ({ weekday, start: '09:00', end: '12:00' })) },
    });
    const query = { serviceId: service.id, from: `${monday}T00:00:00Z`, to: '2030-01-16T00:00:00Z' };
    const starts = async () => (await slots(provider.id, query)).slots.map((s) => s.start.slice(0, 16));
    expect(await starts()).toHaveLength(6);
    await h.setAvailability(owner.token, provider.id, {
      weekly: [1, 2].map((weekday) => ({ weekday, start: '09:00', end: '12:00' })),
      overrides: [{ date: monday, intervals: [] }],
      blocked: [{ start: '2030-01-15T10:30:00Z', end: '2030-01-15T11:00:00Z', reason: 'Dentist' }],
    });
    expect(await starts()).toEqual(['2030-01-15T09:00', '2030-01-15T11:00']);
  });

  it('respects minimum notice and the booking window against the service clock', async () => {
    const { provider, service } = await h.bookableProvider({
      service: { durationMinutes: 30, slotIntervalMinutes: 30, minNoticeMinutes: 60, bookingWindowDays: 1 },
      availability: { weekly: [1, 2].map((weekday) => ({ weekday, start: '09:00', end: '11:00' })) },
    });
    h.clock.set(`${monday}T09:10:00Z`);
    try {
      const body = await slots(provider.id, { serviceId: service.id, from: `${monday}T00:00:00Z`, to: '2030-01-16T00:00:00Z' });
      // Notice: nothing before 10:10 today. Window: nothing after 09:10 tomorrow.
      expect(body.slots.map((s) => s.start.slice(0, 16))).toEqual(['2030-01-14T10:30', '2030-01-15T09:00']);
    } finally {
      h.clock.set('2030-01-07T08:00:00Z');
    }
  });

  it('accepts 31 days and refuses more (RANGE_TOO_LONG) or an empty range', async () => {
    const { provider, service } = await h.bookableProvider();
    const ok = await h.inject({ method: 'GET', url: slotsUrl(provider.id, { serviceId: service.id, from: '2030-01-08T00:00:00Z', to: '2030-02-08T00:00:00Z' }) });
    expect(ok.statusCode).toBe(200);
    // Every day 09:00–17:00, 30-minute slots: 16 a day for 31 days.
    expect(ok.json<{ slots: SlotBody[] }>().slots).toHaveLength(31 * 16);

    const tooLong = await h.inject({ method: 'GET', url: slotsUrl(provider.id, { serviceId: service.id, from: '2030-01-08T00:00:00Z', to: '2030-02-08T00:00:01Z' }) });
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.json()).toMatchObject({ code: 'RANGE_TOO_LONG', errors: [{ path: 'querystring.to' }] });

    for (const to of ['2030-01-08T00:00:00Z', '2030-01-07T00:00:00Z']) {
      const response = await h.inject({ method: 'GET', url: slotsUrl(provider.id, { serviceId: service.id, from: '2030-01-08T00:00:00Z', to }) });
      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ path: 'querystring.to' }] });
    }
  });

  it('validates the query: serviceId, instants with offsets, the zone', async () => {
    const { provider, service } = await h.bookableProvider();
    const base = { serviceId: service.id, from: '2030-01-08T00:00:00Z', to: '2030-01-09T00:00:00Z' };
    const cases: Array<[Record<string, string>, string]> = [
      [{ from: base.from, to: base.to }, 'querystring.serviceId'],
      [{ ...base, serviceId: 'nope' }, 'querystring.serviceId'],
      [{ ...base, from: '2030-01-08T00:00:00' }, 'querystring.from'],
      [{ ...base, to: 'tomorrow' }, 'querystring.to'],
      [{ ...base, timeZone: 'Moon/Base' }, 'querystring.timeZone'],
    ];
    for (const [query, path] of cases) {
      const response = await h.inject({ method: 'GET', url: slotsUrl(provider.id, query) });
      expect(response.statusCode, JSON.stringify(query)).toBe(400);
      expect(response.json<{ errors: Array<{ path: string }> }>().errors.map((e) => e.path)).toContain(path);
    }
  });

  it('answers 404 for an unknown service, another provider’s service, an inactive service or a hidden provider', async () => {
    const first = await h.bookableProvider();
    const second = await h.bookableProvider();
    const range = { from: '2030-01-08T00:00:00Z', to: '2030-01-09T00:00:00Z' };
    const cases: Array<[string, string, string]> = [
      [first.provider.id, randomUUID(), 'SERVICE_NOT_FOUND'],
      [first.provider.id, second.service.id, 'SERVICE_NOT_FOUND'],
      [randomUUID(), first.service.id, 'PROVIDER_NOT_FOUND'],
    ];
    for (const [providerId, serviceId, code] of cases) {
      const response = await h.inject({ method: 'GET', url: slotsUrl(providerId, { serviceId, ...range }), token: client.token });
      expect(response.statusCode).toBe(404);
      expect(response.json()).toMatchObject({ code });
    }

    const inactive = await h.createService(first.owner.token, first.provider.id, { active: false });
    const asClient = await h.inject({ method: 'GET', url: slotsUrl(first.provider.id, { serviceId: inactive.id, ...range }), token: client.token });
    expect(asClient.json()).toMatchObject({ code: 'SERVICE_NOT_FOUND' });
    // Its provider may still preview it.
    expect((await slots(first.provider.id, { serviceId: inactive.id, ...range }, first.owner.token)).slots).toHaveLength(16);

    await h.inject({ method: 'PATCH', url: `/api/v1/providers/${second.provider.id}`, token: second.owner.token, payload: { published: false } });
    const hidden = await h.inject({ method: 'GET', url: slotsUrl(second.provider.id, { serviceId: second.service.id, ...range }) });
    expect(hidden.statusCode).toBe(404);
    expect(hidden.json()).toMatchObject({ code: 'PROVIDER_NOT_FOUND' });
  });

  describe('cached pages', () => {
    const range = { from: `${monday}T00:00:00Z`, to: '2030-01-15T00:00:00Z' };
    const get = (providerId: string, serviceId: string, headers: Record<string, string> = {}, token?: string) =>
      h.inject({ method: 'GET', url: slotsUrl(providerId, { serviceId, ...range }), headers, ...(token === undefined ? {} : { token }) });
    const startsOf = (body: string) => (JSON.parse(body) as { slots: SlotBody[] }).slots.map((slot) => slot.start.slice(11, 16));

    /** scheduling_slot_pages_total by source, from /metrics. */
    async function pageCounts(): Promise<Record<string, number>> {
      const text = (await h.inject({ method: 'GET', url: '/metrics' })).body;
      const counts: Record<string, number> = {};
      for (const match of text.matchAll(/^scheduling_slot_pages_total\{[^}]*source="(\w+)"[^}]*\} (\d+)$/gm)) counts[match[1]!] = Number(match[2]);
      return counts;
    }

    it('counts pages served from the cache and computed, on /metrics', async () => {
      const { provider, service } = await h.bookableProvider({ availability: mondayOnly('09:00', '10:00') });
      const before = await pageCounts();
      await get(provider.id, service.id);
      await get(provider.id, service.id);
      await Promise.all([get(provider.id, service.id, {}, client.token), get(provider.id, service.id)]);
      const after = await pageCounts();
      expect((after.miss ?? 0) - (before.miss ?? 0)).toBe(1);
      expect((after.hit ?? 0) - (before.hit ?? 0)).toBe(3);
    });

    it('computes a page once for a burst of first reads, even with no version yet', async () => {
      const { provider, service } = await h.bookableProvider({ availability: mondayOnly('09:00', '10:00') });
      // As for a provider nobody has read or changed yet, or whose version the cache evicted.
      await h.cache.delete(`scheduling:slots-version:${provider.id}`);
      const before = await pageCounts();
      const pages = await Promise.all(Array.from({ length: 5 }, () => get(provider.id, service.id)));
      expect(new Set(pages.map((page) => page.headers.etag)).size).toBe(1);
      const after = await pageCounts();
      expect((after.miss ?? 0) - (before.miss ?? 0)).toBe(1);
      // The other four joined the computation or, if it had finished, found its page.
      expect((after.shared ?? 0) - (before.shared ?? 0) + (after.hit ?? 0) - (before.hit ?? 0)).toBe(4);
    });

    it('answers a repeat with the same ETag, 304 for If-None-Match, and a new page after each booking change', async () => {
      const { provider, service } = await h.bookableProvider({ service: { durationMinutes: 60, slotIntervalMinutes: 60 }, availability: mondayOnly('09:00', '12:00') });
      const first = await get(provider.id, service.id);
      expect(first.statusCode).toBe(200);
      expect(first.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(first.headers['cache-control']).toBe('no-cache');
      const etag = String(first.headers.etag);
      expect(etag).toMatch(/^"[\w-]+"$/);
      expect(startsOf(first.body)).toEqual(['09:00', '10:00', '11:00']);
      expect((await get(provider.id, service.id)).headers.etag).toBe(etag);
      for (const header of [etag, `W/${etag}`, `"other", ${etag}`, '*']) {
        const notModified = await get(provider.id, service.id, { 'if-none-match': header });
        expect(notModified.statusCode, header).toBe(304);
        expect(notModified.body).toBe('');
        expect(notModified.headers.etag).toBe(etag);
      }
      expect((await get(provider.id, service.id, { 'if-none-match': '"other"' })).statusCode).toBe(200);

      const booked = await h.inject({ method: 'POST', url: '/api/v1/bookings', token: client.token, payload: { serviceId: service.id, start: `${monday}T10:00:00.000Z` } });
      expect(booked.statusCode, booked.body).toBe(201);
      const afterBooking = await get(provider.id, service.id, { 'if-none-match': etag });
      expect(afterBooking.statusCode).toBe(200);
      expect(afterBooking.headers.etag).not.toBe(etag);
      expect(startsOf(afterBooking.body)).toEqual(['09:00', '11:00']);

      const cancelled = await h.inject({ method: 'POST', url: `/api/v1/bookings/${booked.json<{ id: string }>().id}/cancel`, token: client.token, payload: { reason: 'changed plans' } });
      expect(cancelled.statusCode, cancelled.body).toBe(200);
      const afterCancel = await get(provider.id, service.id);
      expect(startsOf(afterCancel.body)).toEqual(['09:00', '10:00', '11:00']);
      expect(afterCancel.headers.etag).toBe(etag);
    });

    it('sends the page gzipped to clients that accept gzip, with a tag of its own', async () => {
      const { provider, service } = await h.bookableProvider({ service: { durationMinutes: 60, slotIntervalMinutes: 60 }, availability: mondayOnly('09:00', '12:00') });
      const plain = await get(provider.id, service.id, { 'accept-encoding': 'br;q=1, gzip;q=0' });
      expect(plain.headers['content-encoding']).toBeUndefined();
      expect(plain.headers.vary).toBe('accept-encoding');
      const zipped = await get(provider.id, service.id, { 'accept-encoding': 'gzip, deflate, br' });
      expect(zipped.statusCode).toBe(200);
      expect(zipped.headers['content-encoding']).toBe('gzip');
      expect(zipped.headers.vary).toBe('accept-encoding');
      expect(gunzipSync(zipped.rawPayload).toString('utf8')).toBe(plain.body);
      const tag = String(zipped.headers.etag);
      expect(tag).toBe(`${String(plain.headers.etag).slice(0, -1)}-gzip"`);
      expect((await get(provider.id, service.id, { 'accept-encoding': 'gzip', 'if-none-match': tag })).statusCode).toBe(304);
      // A tag names one encoding: the plain page's tag does not match the gzipped one.
      expect((await get(provider.id, service.id, { 'accept-encoding': 'gzip', 'if-none-match': String(plain.headers.etag) })).statusCode).toBe(200);
    });

    it('shows a changed service, availability or profile zone at once', async () => {
      const { owner, provider, service } = await h.bookableProvider({ service: { durationMinutes: 60, slotIntervalMinutes: 60 }, availability: mondayOnly('09:00', '12:00') });
      expect(startsOf((await get(provider.id, service.id)).body)).toEqual(['09:00', '10:00', '11:00']);

      const patched = await h.inject({ method: 'PATCH', url: `/api/v1/providers/${provider.id}/services/${service.id}`, token: owner.token, payload: { slotIntervalMinutes: 30 } });
      expect(patched.statusCode, patched.body).toBe(200);
      expect(startsOf((await get(provider.id, service.id)).body)).toEqual(['09:00', '09:30', '10:00', '10:30', '11:00']);

      await h.setAvailability(owner.token, provider.id, mondayOnly('13:00', '14:00'));
      expect(startsOf((await get(provider.id, service.id)).body)).toEqual(['13:00']);

      // 13:00 on a New York wall clock is 18:00 UTC in January.
      const moved = await h.inject({ method: 'PATCH', url: `/api/v1/providers/${provider.id}`, token: owner.token, payload: { timeZone: 'America/New_York' } });
      expect(moved.statusCode, moved.body).toBe(200);
      expect(startsOf((await get(provider.id, service.id)).body)).toEqual(['18:00']);
    });

    it('checks each reader against a cached page: hidden providers and inactive services stay hidden', async () => {
      const { owner, provider } = await h.bookableProvider({ availability: mondayOnly('09:00', '10:00') });
      const inactive = await h.createService(owner.token, provider.id, { active: false });
      // The owner's preview fills the cache; a client reading the same page still gets 404.
      expect((await get(provider.id, inactive.id, {}, owner.token)).statusCode).toBe(200);
      const asClient = await get(provider.id, inactive.id, {}, client.token);
      expect(asClient.statusCode).toBe(404);
      expect(asClient.json()).toMatchObject({ code: 'SERVICE_NOT_FOUND' });
      expect((await get(provider.id, inactive.id)).json()).toMatchObject({ code: 'SERVICE_NOT_FOUND' });

      const active = await h.createService(owner.token, provider.id, { name: 'Open' });
      expect((await get(provider.id, active.id)).statusCode).toBe(200);
      await h.inject({ method: 'PATCH', url: `/api/v1/providers/${provider.id}`, token: owner.token, payload: { published: false } });
      expect((await get(provider.id, active.id, {}, owner.token)).statusCode).toBe(200);
      const hidden = await get(provider.id, active.id, {}, client.token);
      expect(hidden.statusCode).toBe(404);
      expect(hidden.json()).toMatchObject({ code: 'PROVIDER_NOT_FOUND' });
    });

    it('drops the first slot from a cached page as soon as it passes its notice', async () => {
      const { provider, service } = await h.bookableProvider({
        service: { durationMinutes: 60, slotIntervalMinutes: 60, minNoticeMinutes: 30 },
        availability: mondayOnly('09:00', '12:00'),
      });
      h.clock.set(`${monday}T08:29:59.999Z`);
      try {
        expect(startsOf((await get(provider.id, service.id)).body)).toEqual(['09:00', '10:00', '11:00']);
        h.clock.set(`${monday}T08:30:00.001Z`);
        expect(startsOf((await get(provider.id, service.id)).body)).toEqual(['10:00', '11:00']);
      } finally {
        h.clock.set('2030-01-07T08:00:00Z');
      }
    });
  });
});
