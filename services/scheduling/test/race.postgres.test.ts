import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryJobQueue } from '@timeslot/adapters';
import type { App } from '@timeslot/kernel';
import type { Database, JobQueue } from '@timeslot/ports';
import { uniqueName } from '@timeslot/testing';
import { createTestIssuer, startReplica, type Replica, type TestIssuer } from './replicas';

/*
 * Two scheduling replicas (two services, two pg pools, one PostgreSQL schema) and hundreds of
 * clients racing for one slot. PGlite runs transactions one at a time, so only PostgreSQL shows
 * that the exclusion constraint and the seat index, not luck, keep the slot from being sold twice.
 */

const schema = uniqueName('scheduling_race');
let issuer: TestIssuer;
const replicas: Replica<JobQueue>[] = [];

async function addService(app: App, owner: string, providerId: string, service: Record<string, unknown>): Promise<string> {
  const created = await app.inject({
    method: 'POST',
    url: `/api/v1/providers/${providerId}/services`,
    headers: { authorization: `Bearer ${owner}` },
    payload: { name: 'Race', durationMinutes: 60, slotIntervalMinutes: 60, location: { kind: 'video' }, ...service },
  });
  expect(created.statusCode).toBe(201);
  return created.json<{ id: string }>().id;
}

/** A published provider with one service, open around the clock (UTC), through the API. */
async function bookableService(app: App, service: Record<string, unknown>): Promise<{ owner: string; providerId: string; serviceId: string }> {
  const owner = await issuer.token('provider');
  const auth = { authorization: `Bearer ${owner}` };
  const provider = await app.inject({
    method: 'POST',
    url: '/api/v1/providers',
    headers: auth,
    payload: { displayName: 'Race Provider', timeZone: 'UTC', published: true },
  });
  expect(provider.statusCode).toBe(201);
  const providerId = provider.json<{ id: string }>().id;
  const serviceId = await addService(app, owner, providerId, service);
  const weekly = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '00:00', end: '24:00' }));
  const availability = await app.inject({
    method: 'PUT',
    url: `/api/v1/providers/${providerId}/availability`,
    headers: auth,
    payload: { weekly, overrides: [], blocked: [] },
  });
  expect(availability.statusCode).toBe(200);
  return { owner, providerId, serviceId };
}

/** `count` different clients book `start` at once, alternating between the two replicas. */
async function race(serviceId: string, start: string, count: number) {
  const tokens = await Promise.all(Array.from({ length: count }, () => issuer.token('client')));
  const responses = await Promise.all(
    tokens.map((bearer, index) =>
      replicas[index % replicas.length]!.app.inject({
        method: 'POST',
        url: '/api/v1/bookings',
        headers: { authorization: `Bearer ${bearer}` },
        payload: { serviceId, start },
      }),
    ),
  );
  const statuses = responses.map((response) => response.statusCode);
  const codes = responses.filter((response) => response.statusCode === 409).map((response) => response.json<{ code: string }>().code);
  return { statuses, codes, responses };
}

/** Two live bookings of one provider whose occupied ranges overlap outside one seated session. */
async function overlappingPairs(database: Database): Promise<number> {
  const rows = await database.query<{ n: string }>(
    `select count(*)::text as n from "${schema}".bookings a
       join "${schema}".bookings b on a.provider_id = b.provider_id and a.id < b.id
      where a.status in ('pending_payment', 'confirmed') and b.status in ('pending_payment', 'confirmed')
        and a.occupied && b.occupied and a.session_key <> b.session_key`,
  );
  return Number(rows[0]?.n ?? -1);
}

/** A whole hour, two days from now, so notice and window rules pass whenever the test runs. */
function slotStart(hoursAhead: number): string {
  const start = new Date(Date.now() + 48 * 3_600_000 + hoursAhead * 3_600_000);
  start.setUTCMinutes(0, 0, 0);
  return start.toISOString();
}

beforeAll(async () => {
  issuer = await createTestIssuer('https://identity.race.test', 'timeslot-race');
  // Both migrate at once, as replicas starting together do.
  replicas.push(
    ...(await Promise.all(['a', 'b'].map((name) => startReplica({ name, issuer, jobs: createMemoryJobQueue(), poolSize: 10, options: { schema } })))),
  );
});

afterAll(async () => {
  for (const r of replicas) {
    await r.app.close();
    await r.service.stop();
    await r.jobs.close();
    await r.bus.close();
    await r.cache.close();
  }
  await replicas[0]?.database.query(`drop schema if exists "${schema}" cascade`);
  for (const r of replicas) await r.database.close();
});

describe('booking race on PostgreSQL with two replicas', () => {
  it('sells a one-to-one slot exactly once to 200 concurrent clients; everyone else gets 409 SLOT_TAKEN', async () => {
    const { providerId, serviceId } = await bookableService(replicas[0]!.app, {});
    const start = slotStart(0);
    const { statuses, codes } = await race(serviceId, start, 200);

    expect(statuses.filter((status) => status >= 500)).toEqual([]);
    expect(statuses.filter((status) => status === 201)).toHaveLength(1);
    expect(statuses.filter((status) => status === 409)).toHaveLength(199);
    expect(new Set(codes)).toEqual(new Set(['SLOT_TAKEN']));

    const live = await replicas[1]!.database.query<{ n: string }>(
      `select count(*)::text as n from "${schema}".bookings where provider_id = $1 and status in ('pending_payment', 'confirmed')`,
      [providerId],
    );
    expect(live).toEqual([{ n: '1' }]);
    expect(await overlappingPairs(replicas[0]!.database)).toBe(0);
  });

  it('sells exactly capacity seats of a seated session, each seat once', async () => {
    const { serviceId } = await bookableService(replicas[1]!.app, { capacity: 5 });
    const start = slotStart(3);
    const { statuses, codes, responses } = await race(serviceId, start, 200);

    expect(statuses.filter((status) => status >= 500)).toEqual([]);
    expect(statuses.filter((status) => status === 201)).toHaveLength(5);
    expect(statuses.filter((status) => status === 409)).toHaveLength(195);
    expect(new Set(codes)).toEqual(new Set(['SLOT_TAKEN']));
    const seats = responses.filter((response) => response.statusCode === 201).map((response) => response.json<{ seat: number }>().seat);
    expect(seats.sort()).toEqual([1, 2, 3, 4, 5]);

    const perSession = await replicas[0]!.database.query<{ seats: string; distinct_seats: string }>(
      `select count(*)::text as seats, count(distinct seat)::text as distinct_seats from "${schema}".bookings
        where service_id = $1 and status in ('pending_payment', 'confirmed')`,
      [serviceId],
    );
    expect(perSession).toEqual([{ seats: '5', distinct_seats: '5' }]);
    expect(await overlappingPairs(replicas[0]!.database)).toBe(0);
  });

  it('answers concurrent retries with one Idempotency-Key with one booking, replayed to all', async () => {
    const { serviceId } = await bookableService(replicas[0]!.app, {});
    const clientId = randomUUID();
    const bearer = await issuer.token('client', clientId);
    const start = slotStart(9);
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, index) =>
        replicas[index % replicas.length]!.app.inject({
          method: 'POST',
          url: '/api/v1/bookings',
          headers: { authorization: `Bearer ${bearer}`, 'idempotency-key': 'checkout-1' },
          payload: { serviceId, start },
        }),
      ),
    );
    expect(responses.map((response) => response.statusCode)).toEqual(Array.from({ length: 20 }, () => 201));
    expect(new Set(responses.map((response) => response.json<{ id: string }>().id)).size).toBe(1);
    const rows = await replicas[0]!.database.query<{ n: string }>(`select count(*)::text as n from "${schema}".bookings where client_id = $1`, [clientId]);
    expect(rows).toEqual([{ n: '1' }]);
  });

  it('moves exactly one of many bookings rescheduled into one free slot at once, leaving the others where they were', async () => {
    const { serviceId } = await bookableService(replicas[1]!.app, {});
    const target = slotStart(30);
    const booked = await Promise.all(
      Array.from({ length: 20 }, async (_, index) => {
        const bearer = await issuer.token('client');
        const start = slotStart(31 + index);
        const response = await replicas[0]!.app.inject({
          method: 'POST',
          url: '/api/v1/bookings',
          headers: { authorization: `Bearer ${bearer}` },
          payload: { serviceId, start },
        });
        expect(response.statusCode).toBe(201);
        return { bearer, id: response.json<{ id: string }>().id, start };
      }),
    );
    const moves = await Promise.all(
      booked.map((booking, index) =>
        replicas[index % replicas.length]!.app.inject({
          method: 'POST',
          url: `/api/v1/bookings/${booking.id}/reschedule`,
          headers: { authorization: `Bearer ${booking.bearer}` },
          payload: { start: target },
        }),
      ),
    );
    const statuses = moves.map((response) => response.statusCode);
    expect(statuses.filter((status) => status >= 500)).toEqual([]);
    expect(statuses.filter((status) => status === 200)).toHaveLength(1);
    expect(statuses.filter((status) => status === 409)).toHaveLength(19);
    const rows = await replicas[0]!.database.query<{ id: string; starts_at: Date }>(
      `select id, starts_at from "${schema}".bookings where service_id = $1`,
      [serviceId],
    );
    const startOf = new Map(rows.map((row) => [row.id, row.starts_at.toISOString()]));
    booked.forEach((booking, index) => {
      expect(startOf.get(booking.id)).toBe(statuses[index] === 200 ? target : booking.start);
    });
    expect(await overlappingPairs(replicas[0]!.database)).toBe(0);
  });

  it('lets either a one-to-one booking or a seated session have the time, never both', async () => {
    // Two services of one provider racing for the same hour: the exclusion constraint spans services.
    const { owner, providerId, serviceId: oneToOne } = await bookableService(replicas[0]!.app, {});
    const seated = await addService(replicas[0]!.app, owner, providerId, { capacity: 3 });
    const start = slotStart(6);
    const [single, group] = await Promise.all([race(oneToOne, start, 100), race(seated, start, 100)]);

    expect([...single.statuses, ...group.statuses].filter((status) => status >= 500)).toEqual([]);
    const won = [single.statuses.filter((s) => s === 201).length, group.statuses.filter((s) => s === 201).length];
    expect([[1, 0], [0, 3]]).toContainEqual(won);
    expect(await overlappingPairs(replicas[1]!.database)).toBe(0);
  });
});
