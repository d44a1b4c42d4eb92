import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBullMqJobQueue, type BullMqJobQueue } from '@timeslot/adapters';
import type { Role } from '@timeslot/ports';
import { testServers, uniqueName } from '@timeslot/testing';
import { holdQueue } from '../src/bookings/booking.queues';
import { expireHold } from '../src/bookings/booking.transitions';
import { processWaitlistJob } from '../src/waitlist/waitlist.service';
import { createTestIssuer, startReplica, type Replica, type TestIssuer } from './replicas';

/*
 * The waitlist served by two replicas at once: two processes' worth of services, pg pools and
 * BullMQ handles on one PostgreSQL schema and one Redis prefix, so both replicas' waitlist workers
 * take jobs from one queue concurrently. Only this shows that the per-service database lock, not
 * the queue, keeps the line in arrival order.
 */

const schema = uniqueName('scheduling_waitlist');
const prefix = uniqueName('test-scheduling-jobs');
const quiet = { warn: () => undefined };

let issuer: TestIssuer;
let replicas: Replica<BullMqJobQueue>[] = [];
// Shared by both replicas, so that a hold can be made to lapse without waiting for it.
let offsetMs = 0;
const now = (): Date => new Date(Date.now() + offsetMs);

async function token(role: Role): Promise<{ bearer: string; userId: string }> {
  const userId = randomUUID();
  return { bearer: await issuer.token(role, userId), userId };
}

function call(index: number, bearer: string, method: 'POST' | 'PUT', url: string, payload?: Record<string, unknown>) {
  return replicas[index % replicas.length]!.app.inject({
    method,
    url,
    headers: { authorization: `Bearer ${bearer}` },
    ...(payload === undefined ? {} : { payload }),
  });
}

/** Statuses of entries in the order given, read from the database. */
async function statuses(entryIds: string[]): Promise<string[]> {
  const rows = await replicas[0]!.database.query<{ id: string; status: string }>(`select id, status from "${schema}".waitlist_entries where id = any($1)`, [
    entryIds,
  ]);
  const byId = new Map(rows.map((row) => [row.id, row.status]));
  return entryIds.map((id) => byId.get(id) ?? 'missing');
}

/** Clients holding a live seat of the service: one seat each, never two for one client. */
async function liveClients(serviceId: string): Promise<string[]> {
  const rows = await replicas[1]!.database.query<{ client_id: string }>(
    `select client_id from "${schema}".bookings where service_id = $1 and status in ('pending_payment', 'confirmed')`,
    [serviceId],
  );
  return rows.map((row) => row.client_id).sort();
}

const sortedIds = (users: { userId: string }[]): string[] => users.map((user) => user.userId).sort();

/** Polls (the jobs run in other connections and timers) until `expected`, or fails with what it saw. */
async function until(entryIds: string[], expected: string[]): Promise<void> {
  let seen: string[] = [];
  for (let i = 0; i < 300; i++) {
    seen = await statuses(entryIds);
    if (JSON.stringify(seen) === JSON.stringify(expected)) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  expect(seen).toEqual(expected);
}

/** Polls until `count` hold-expiry jobs wait in the (shared) queue. */
async function holdJobsArmed(count: number): Promise<void> {
  const queue = replicas[0]!.jobs.queue(holdQueue);
  let delayed = 0;
  for (let i = 0; i < 300 && delayed < count; i++) {
    delayed = await queue.getDelayedCount();
    if (delayed < count) await new Promise((resolve) => setTimeout(resolve, 20));
  }
  expect(delayed).toBe(count);
}

/** A seated service of a new provider whose session two days ahead is fully booked. */
async function fullSession(capacity: number) {
  const owner = await token('provider');
  const provider = await call(0, owner.bearer, 'POST', '/api/v1/providers', { displayName: 'Class Teacher', timeZone: 'UTC', published: true });
  const providerId = provider.json<{ id: string }>().id;
  const created = await call(0, owner.bearer, 'POST', `/api/v1/providers/${providerId}/services`, {
    name: 'Small group',
    durationMinutes: 60,
    slotIntervalMinutes: 60,
    capacity,
    location: { kind: 'video' },
  });
  const serviceId = created.json<{ id: string }>().id;
  const weekly = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '00:00', end: '24:00' }));
  expect((await call(0, owner.bearer, 'PUT', `/api/v1/providers/${providerId}/availability`, { weekly, overrides: [], blocked: [] })).statusCode).toBe(200);

  const start = new Date(Date.now() + 48 * 3_600_000);
  start.setUTCMinutes(0, 0, 0);
  const slot = { serviceId, start: start.toISOString() };
  const holders = await Promise.all(Array.from({ length: capacity }, () => token('client')));
  const seats = await Promise.all(holders.map((holder, index) => call(index, holder.bearer, 'POST', '/api/v1/bookings', slot)));
  expect(seats.map((response) => response.statusCode)).toEqual(holders.map(() => 201));
  return { serviceId, slot, start, seats, holders };
}

async function joinLine(slot: Record<string, unknown>, count: number) {
  const line = await Promise.all(Array.from({ length: count }, () => token('client')));
  const entryIds: string[] = [];
  // One after the other (through either replica): arrival order is the order of these calls.
  for (const [index, client] of line.entries()) {
    const joined = await call(index, client.bearer, 'POST', '/api/v1/waitlist', slot);
    expect(joined.statusCode).toBe(201);
    entryIds.push(joined.json<{ id: string }>().id);
  }
  return { line, entryIds };
}

beforeAll(async () => {
  issuer = await createTestIssuer('https://identity.waitlist.test', 'timeslot-waitlist');
  replicas = await Promise.all(
    ['a', 'b'].map((name) =>
      startReplica({
        name,
        issuer,
        jobs: createBullMqJobQueue({ url: testServers.redis, prefix, logger: quiet }),
        poolSize: 5,
        options: { schema, now, waitlistOfferMinutes: 15 },
        start: true,
      }),
    ),
  );
});

afterAll(async () => {
  for (const r of replicas) {
    await r.app.close();
    await r.service.stop();
  }
  const names = new Set(replicas.flatMap((r) => r.jobs.queues().map((queue) => queue.name)));
  for (const r of replicas) await r.jobs.close();
  const janitor = createBullMqJobQueue({ url: testServers.redis, prefix, logger: quiet });
  try {
    for (const name of names) await janitor.queue(name).obliterate({ force: true });
  } finally {
    await janitor.close();
  }
  await replicas[0]?.database.query(`drop schema if exists "${schema}" cascade`);
  for (const r of replicas) {
    await r.bus.close();
    await r.cache.close();
    await r.database.close();
  }
});

describe('waitlist with two replicas on PostgreSQL and BullMQ', () => {
  it('offers seats freed at the same moment to the first in line, then passes lapsed offers on in order', async () => {
    const { serviceId, slot, seats, holders } = await fullSession(4);

    const { line, entryIds } = await joinLine(slot, 6);

    // Every seat frees at once, cancels spread over both replicas: four jobs, run by two workers.
    const cancels = await Promise.all(
      seats.map((seat, index) => call(index, holders[index]!.bearer, 'POST', `/api/v1/bookings/${seat.json<{ id: string }>().id}/cancel`)),
    );
    expect(cancels.map((response) => response.statusCode)).toEqual([200, 200, 200, 200]);
    await until(entryIds, ['offered', 'offered', 'offered', 'offered', 'waiting', 'waiting']);
    expect(await liveClients(serviceId)).toEqual(sortedIds(line.slice(0, 4)));
    // Each offer's expiry job is armed after its commit, with a delay from the clock of that
    // moment: moving the clock before all four are armed would arm the rest already due.
    await holdJobsArmed(4);

    // The first two offers lapse; their expiry frees two seats again, for the next two in line.
    const offered = await replicas[0]!.database.query<{ offered_booking_id: string }>(
      `select offered_booking_id from "${schema}".waitlist_entries where id = any($1) and status = 'offered'`,
      [entryIds.slice(0, 2)],
    );
    offsetMs = 16 * 60_000;
    const expired = await Promise.all(offered.map((row, index) => expireHold(replicas[index % 2]!.service.context, row.offered_booking_id)));
    expect(expired).toEqual(['expired', 'expired']);
    await until(entryIds, ['cancelled', 'cancelled', 'offered', 'offered', 'offered', 'offered']);

    expect(await liveClients(serviceId)).toEqual(sortedIds(line.slice(2)));
  });

  it('never skips nor double-serves anyone when many workers handle one freed session at the same moment', async () => {
    const { serviceId, slot, start } = await fullSession(3);
    const { line, entryIds } = await joinLine(slot, 5);
    // All seats free in one statement, before any worker hears of it; then eight workers of both
    // replicas run their jobs for the session at once.
    await replicas[0]!.database.query(`update "${schema}".bookings set status = 'cancelled' where service_id = $1`, [serviceId]);
    await Promise.all(
      Array.from({ length: 8 }, (_, index) => processWaitlistJob(replicas[index % 2]!.service.context, { serviceId, start: start.getTime() })),
    );
    expect(await statuses(entryIds)).toEqual(['offered', 'offered', 'offered', 'waiting', 'waiting']);
    expect(await liveClients(serviceId)).toEqual(sortedIds(line.slice(0, 3)));
  });
});
