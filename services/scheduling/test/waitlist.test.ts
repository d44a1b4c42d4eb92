import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryJobQueue } from '@timeslot/adapters';
import type { JobQueue, JobWorker } from '@timeslot/ports';
import { startBookingWorkers } from '../src/bookings/booking.jobs';
import { waitlistQueue } from '../src/bookings/booking.queues';
import { expireHold } from '../src/bookings/booking.transitions';
import { createSchedulingHarness, type SchedulingHarness, type TestUser } from './harness';

// Monday 2030-01-07 08:00 UTC; providers are in UTC and open 09:00–17:00 every day.
let h: SchedulingHarness;
/** Two worker sets on one queue: two replicas' waitlist workers competing for the jobs. */
let replicas: JobWorker[][] = [];
const MINUTE = 60_000;

beforeAll(async () => {
  h = await createSchedulingHarness({ now: '2030-01-07T08:00:00.000Z', start: false, options: { waitlistOfferMinutes: 15 } });
  replicas = [await startBookingWorkers(h.context, { sweepIntervalMs: 0 }), await startBookingWorkers(h.context, { sweepIntervalMs: 0 })];
});

afterAll(async () => {
  for (const workers of replicas) await Promise.all(workers.map((worker) => worker.close()));
  await h?.close();
});

interface EntryBody {
  id: string;
  serviceId: string;
  start: string | null;
  date: string | null;
  status: string;
  offeredBookingId: string | null;
  offerExpiresAt: string | null;
}

async function book(user: TestUser, serviceId: string, start: string): Promise<{ id: string; status: string }> {
  const response = await h.inject({ method: 'POST', url: '/api/v1/bookings', token: user.token, payload: { serviceId, start } });
  if (response.statusCode !== 201) throw new Error(`booking failed: ${response.statusCode} ${response.body}`);
  return response.json();
}

function join(user: TestUser, payload: Record<string, unknown>) {
  return h.inject({ method: 'POST', url: '/api/v1/waitlist', token: user.token, payload });
}

async function entries(user: TestUser): Promise<EntryBody[]> {
  const response = await h.inject({ method: 'GET', url: '/api/v1/waitlist', token: user.token });
  expect(response.statusCode).toBe(200);
  return response.json<{ items: EntryBody[] }>().items;
}

/** Waits until the waitlist queue has nothing waiting or running (jobs run on timers, not on our stack). */
async function settled(queue: JobQueue = h.jobs): Promise<void> {
  for (let i = 0; i < 500; i++) {
    const counts = await queue.counts(waitlistQueue);
    if (counts.waiting === 0 && counts.active === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 4));
  }
  throw new Error('the waitlist queue did not settle');
}

async function statuses(users: TestUser[]): Promise<string[]> {
  return Promise.all(users.map(async (user) => (await entries(user))[0]?.status ?? 'none'));
}

async function offerEvents(entryId: string): Promise<number> {
  const rows = await h.database.query<{ n: string }>(
    `select count(*)::text as n from "${h.context.options.schema}".outbox where type = 'waitlist.offered' and payload->'data'->>'entryId' = $1`,
    [entryId],
  );
  return Number(rows[0]?.n);
}

describe('joining', () => {
  it('accepts full slots only, once per client, and rejects bad input', async () => {
    const { service } = await h.bookableProvider();
    const [holder, client] = [await h.registerUser('client'), await h.registerUser('client')];
    await book(holder, service.id, '2030-01-08T10:00:00Z');

    const notFull = await join(client, { serviceId: service.id, start: '2030-01-08T10:30:00Z' });
    expect(notFull.statusCode).toBe(409);
    expect(notFull.json()).toMatchObject({ code: 'SLOT_NOT_FULL' });
    expect((await join(client, { serviceId: service.id, start: '2030-01-08T20:00:00Z' })).json()).toMatchObject({ code: 'SLOT_UNAVAILABLE' });
    for (const payload of [
      { serviceId: service.id },
      { serviceId: service.id, start: '2030-01-08T10:00:00Z', date: '2030-01-08' },
      { serviceId: service.id, date: '2030-13-01' },
      { serviceId: 'x', start: '2030-01-08T10:00:00Z' },
    ]) {
      const response = await join(client, payload);
      expect(response.statusCode, JSON.stringify(payload)).toBe(400);
    }
    expect((await join(client, { serviceId: '00000000-0000-4000-8000-000000000000', start: '2030-01-08T10:00:00Z' })).statusCode).toBe(404);
    expect(await entries(client)).toEqual([]);

    const joined = await join(client, { serviceId: service.id, start: '2030-01-08T10:00:00+00:00' });
    expect(joined.statusCode).toBe(201);
    expect(joined.json()).toMatchObject({ serviceId: service.id, start: '2030-01-08T10:00:00.000Z', date: null, status: 'waiting', offeredBookingId: null });
    const again = await join(client, { serviceId: service.id, start: '2030-01-08T10:00:00Z' });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'ALREADY_ON_WAITLIST' });
    expect((await entries(client)).map((entry) => entry.id)).toEqual([joined.json<EntryBody>().id]);
    expect((await h.inject({ method: 'POST', url: '/api/v1/waitlist', payload: { serviceId: service.id, start: '2030-01-08T10:00:00Z' } })).statusCode).toBe(401);
  });

  it('lets only the owner leave an entry', async () => {
    const { service } = await h.bookableProvider();
    const [holder, client, other] = [await h.registerUser('client'), await h.registerUser('client'), await h.registerUser('client')];
    await book(holder, service.id, '2030-01-08T11:00:00Z');
    const entry = (await join(client, { serviceId: service.id, start: '2030-01-08T11:00:00Z' })).json<EntryBody>();

    const stranger = await h.inject({ method: 'DELETE', url: `/api/v1/waitlist/${entry.id}`, token: other.token });
    expect(stranger.statusCode).toBe(404);
    expect(stranger.json()).toMatchObject({ code: 'WAITLIST_ENTRY_NOT_FOUND' });
    expect((await h.inject({ method: 'DELETE', url: `/api/v1/waitlist/${entry.id}`, token: client.token })).statusCode).toBe(204);
    expect((await entries(client))[0]).toMatchObject({ status: 'cancelled' });
    // Having left, the client may join again (at the back of the line).
    expect((await join(client, { serviceId: service.id, start: '2030-01-08T11:00:00Z' })).statusCode).toBe(201);
  });
});

describe('serving the line in arrival order, with two workers', () => {
  it('offers a freed slot to the first in line; an offer left to lapse passes to the next', async () => {
    const { service } = await h.bookableProvider();
    const holder = await h.registerUser('client');
    const line = [await h.registerUser('client'), await h.registerUser('client'), await h.registerUser('client')];
    const booking = await book(holder, service.id, '2030-01-09T10:00:00Z');
    for (const client of line) expect((await join(client, { serviceId: service.id, start: '2030-01-09T10:00:00Z' })).statusCode).toBe(201);

    expect((await h.inject({ method: 'POST', url: `/api/v1/bookings/${booking.id}/cancel`, token: holder.token })).statusCode).toBe(200);
    await settled();
    expect(await statuses(line)).toEqual(['offered', 'waiting', 'waiting']);
    const firstOffer = (await entries(line[0]!))[0]!;
    expect(firstOffer.offerExpiresAt).toBe('2030-01-07T08:15:00.000Z');
    expect(await offerEvents(firstOffer.id)).toBe(1);
    const held = await h.inject({ method: 'GET', url: `/api/v1/bookings/${firstOffer.offeredBookingId}`, token: line[0]!.token });
    expect(held.json()).toMatchObject({ status: 'pending_payment', start: '2030-01-09T10:00:00.000Z', holdExpiresAt: '2030-01-07T08:15:00.000Z' });
    // The offer holds the slot: nobody can book it meanwhile.
    const grab = await h.inject({ method: 'POST', url: '/api/v1/bookings', token: holder.token, payload: { serviceId: service.id, start: '2030-01-09T10:00:00Z' } });
    expect(grab.json()).toMatchObject({ code: 'SLOT_TAKEN' });

    h.clock.advance(16 * MINUTE);
    try {
      expect(await expireHold(h.context, firstOffer.offeredBookingId!)).toBe('expired');
      await settled();
      expect(await statuses(line)).toEqual(['cancelled', 'offered', 'waiting']);

      const second = (await entries(line[1]!))[0]!;
      const claim = await h.inject({ method: 'POST', url: `/api/v1/bookings/${second.offeredBookingId}/confirm-offer`, token: line[1]!.token });
      expect(claim.statusCode).toBe(200);
      expect(claim.json()).toMatchObject({ status: 'confirmed', holdExpiresAt: null });
      expect(await statuses(line)).toEqual(['cancelled', 'booked', 'waiting']);
      const twice = await h.inject({ method: 'POST', url: `/api/v1/bookings/${second.offeredBookingId}/confirm-offer`, token: line[1]!.token });
      expect(twice.statusCode).toBe(409);
      expect(twice.json()).toMatchObject({ code: 'INVALID_TRANSITION' });
      // Claimed: the offer's hold job finds nothing to expire.
      expect(await expireHold(h.context, second.offeredBookingId!)).toBe('not-pending');
    } finally {
      h.clock.advance(-16 * MINUTE);
    }
  });

  it('passes an open offer on when its client leaves the line', async () => {
    const { service } = await h.bookableProvider();
    const holder = await h.registerUser('client');
    const line = [await h.registerUser('client'), await h.registerUser('client')];
    const booking = await book(holder, service.id, '2030-01-09T12:00:00Z');
    for (const client of line) await join(client, { serviceId: service.id, start: '2030-01-09T12:00:00Z' });
    await h.inject({ method: 'POST', url: `/api/v1/bookings/${booking.id}/cancel`, token: holder.token });
    await settled();

    const offer = (await entries(line[0]!))[0]!;
    expect((await h.inject({ method: 'DELETE', url: `/api/v1/waitlist/${offer.id}`, token: line[0]!.token })).statusCode).toBe(204);
    await settled();
    const declined = await h.inject({ method: 'GET', url: `/api/v1/bookings/${offer.offeredBookingId}`, token: line[0]!.token });
    expect(declined.json()).toMatchObject({ status: 'cancelled' });
    expect(await statuses(line)).toEqual(['cancelled', 'offered']);
  });

  it('keeps a paid offer held for payment when claimed, and refuses claims that are not offers', async () => {
    const { service } = await h.bookableProvider({ service: { priceAmount: 3000, currency: 'EUR' } });
    const [holder, client, other] = [await h.registerUser('client'), await h.registerUser('client'), await h.registerUser('client')];
    const booking = await book(holder, service.id, '2030-01-09T14:00:00Z');
    await join(client, { serviceId: service.id, start: '2030-01-09T14:00:00Z' });
    await h.inject({ method: 'POST', url: `/api/v1/bookings/${booking.id}/cancel`, token: holder.token });
    await settled();
    const offer = (await entries(client))[0]!;

    expect((await h.inject({ method: 'POST', url: `/api/v1/bookings/${offer.offeredBookingId}/confirm-offer`, token: other.token })).statusCode).toBe(404);
    const claim = await h.inject({ method: 'POST', url: `/api/v1/bookings/${offer.offeredBookingId}/confirm-offer`, token: client.token });
    expect(claim.statusCode).toBe(200);
    // Holds for payment like any paid booking, at least holdMinutes (default 10) from now.
    expect(claim.json()).toMatchObject({ status: 'pending_payment', holdExpiresAt: '2030-01-07T08:15:00.000Z' });
    expect((await entries(client))[0]).toMatchObject({ status: 'booked' });

    const plain = await book(other, service.id, '2030-01-09T15:00:00Z');
    const notOffer = await h.inject({ method: 'POST', url: `/api/v1/bookings/${plain.id}/confirm-offer`, token: other.token });
    expect(notOffer.statusCode).toBe(409);
    expect(notOffer.json()).toMatchObject({ code: 'NOT_AN_OFFER' });
  });

  it('serves whole-day entries with any slot freed on that day, in line with slot entries', async () => {
    const { owner, provider, service } = await h.bookableProvider();
    // That Thursday has a single slot; the Friday is closed.
    await h.setAvailability(owner.token, provider.id, {
      weekly: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '09:00', end: '17:00' })),
      overrides: [
        { date: '2030-01-10', intervals: [{ start: '10:00', end: '10:30' }] },
        { date: '2030-01-11', intervals: [] },
      ],
    });
    const [holder, byDay, bySlot] = [await h.registerUser('client'), await h.registerUser('client'), await h.registerUser('client')];
    const booking = await book(holder, service.id, '2030-01-10T10:00:00Z');

    expect((await join(byDay, { serviceId: service.id, date: '2030-01-12' })).json()).toMatchObject({ code: 'SLOT_NOT_FULL' });
    expect((await join(byDay, { serviceId: service.id, date: '2030-01-11' })).json()).toMatchObject({ code: 'SLOT_UNAVAILABLE' });
    const dayEntry = await join(byDay, { serviceId: service.id, date: '2030-01-10' });
    expect(dayEntry.statusCode).toBe(201);
    expect(dayEntry.json()).toMatchObject({ date: '2030-01-10', start: null });
    await join(bySlot, { serviceId: service.id, start: '2030-01-10T10:00:00Z' });

    await h.inject({ method: 'POST', url: `/api/v1/bookings/${booking.id}/cancel`, token: holder.token });
    await settled();
    expect(await statuses([byDay, bySlot])).toEqual(['offered', 'waiting']);
  });
});

describe('across restarts', () => {
  it('offers a slot whose freeing job was lost, to the first in line, when workers start again', async () => {
    const { service } = await h.bookableProvider();
    const holder = await h.registerUser('client');
    const line = [await h.registerUser('client'), await h.registerUser('client')];
    const booking = await book(holder, service.id, '2030-01-14T10:00:00Z');
    for (const client of line) await join(client, { serviceId: service.id, start: '2030-01-14T10:00:00Z' });

    // Every replica is down when the slot frees, and the in-memory queue holding its job is lost.
    for (const workers of replicas) await Promise.all(workers.map((worker) => worker.close()));
    replicas = [];
    await h.inject({ method: 'POST', url: `/api/v1/bookings/${booking.id}/cancel`, token: holder.token });
    expect(await statuses(line)).toEqual(['waiting', 'waiting']);

    const fresh = createMemoryJobQueue();
    const restarted = await startBookingWorkers({ ...h.context, jobs: fresh }, { sweepIntervalMs: 0 });
    try {
      // The start-up sweep runs in the background; the line's state in the database is what counts.
      for (let i = 0; i < 500 && (await statuses(line))[0] !== 'offered'; i++) await new Promise((resolve) => setTimeout(resolve, 4));
      await settled(fresh);
      expect(await statuses(line)).toEqual(['offered', 'waiting']);
    } finally {
      await Promise.all(restarted.map((worker) => worker.close()));
      await fresh.close();
    }
    // The old queue's job, should it ever run, finds the slot held and changes nothing.
    replicas = [await startBookingWorkers(h.context, { sweepIntervalMs: 0 })];
    await settled();
    expect(await statuses(line)).toEqual(['offered', 'waiting']);
  });
});
