import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fieldPaths } from '@timeslot/testing';
import { createSchedulingHarness, type ProviderBody, type SchedulingHarness, type TestUser } from './harness';

let h: SchedulingHarness;
let client: TestUser;
let admin: TestUser;
let owner: TestUser;
let other: TestUser;
let provider: ProviderBody;

beforeAll(async () => {
  h = await createSchedulingHarness();
  client = await h.registerUser('client');
  admin = await h.registerUser('admin');
  owner = await h.registerUser('provider');
  other = await h.registerUser('provider');
  provider = await h.createProvider(owner.token, { timeZone: 'Europe/Berlin' });
  await h.createProvider(other.token);
});

afterAll(async () => {
  await h?.close();
});

const url = (providerId: string) => `/api/v1/providers/${providerId}/availability`;

interface AvailabilityBody {
  timeZone: string;
  weekly: Array<{ weekday: number; start: string; end: string }>;
  overrides: Array<{ date: string; intervals: Array<{ start: string; end: string }> }>;
  blocked: Array<{ id: string; start: string; end: string; reason: string }>;
}


async function rowCounts(providerId: string): Promise<number[]> {
  const counts: number[] = [];
  for (const table of ['availability_rules', 'availability_overrides', 'blocked_periods']) {
    const rows = await h.database.query<{ count: string }>(`select count(*)::text as count from scheduling.${table} where provider_id = $1`, [providerId]);
    counts.push(Number(rows[0]?.count));
  }
  return counts;
}

const full = {
  weekly: [
    { weekday: 3, start: '13:00', end: '17:30' },
    { weekday: 1, start: '09:00', end: '12:00' },
    { weekday: 1, start: '13:00', end: '17:00' },
    { weekday: 7, start: '20:00', end: '24:00' },
  ],
  overrides: [
    { date: '2030-01-14', intervals: [] },
    { date: '2030-01-15', intervals: [{ start: '14:00', end: '16:00' }, { start: '10:00', end: '12:00' }] },
  ],
  blocked: [{ start: '2030-02-01T00:00:00+01:00', end: '2030-02-08T00:00:00+01:00', reason: 'Holiday' }],
};

describe('PUT and GET /api/v1/providers/:id/availability', () => {
  it('round-trips weekly rules, overrides and blocked periods, sorted, in the provider’s zone', async () => {
    const put = await h.inject({ method: 'PUT', url: url(provider.id), token: owner.token, payload: full });
    expect(put.statusCode).toBe(200);
    const body = put.json<AvailabilityBody>();
    expect(body).toEqual({
      timeZone: 'Europe/Berlin',
      weekly: [
        { weekday: 1, start: '09:00', end: '12:00' },
        { weekday: 1, start: '13:00', end: '17:00' },
        { weekday: 3, start: '13:00', end: '17:30' },
        { weekday: 7, start: '20:00', end: '24:00' },
      ],
      overrides: [
        { date: '2030-01-14', intervals: [] },
        {
          date: '2030-01-15',
          intervals: [
            { start: '10:00', end: '12:00' },
            { start: '14:00', end: '16:00' },
          ],
        },
      ],
      blocked: [{ id: expect.any(String), start: '2030-01-31T23:00:00.000Z', end: '2030-02-07T23:00:00.000Z', reason: 'Holiday' }],
    });
    const get = await h.inject({ method: 'GET', url: url(provider.id), token: owner.token });
    expect(get.statusCode).toBe(200);
    expect(get.json()).toEqual(body);
    expect(await rowCounts(provider.id)).toEqual([4, 3, 1]);
  });

  it('replaces everything, keeps a blocked period’s id when sent back, and a read after the write sees it', async () => {
    const first = (await h.inject({ method: 'PUT', url: url(provider.id), token: owner.token, payload: full })).json<AvailabilityBody>();
    // Warm the cache.
    expect((await h.inject({ method: 'GET', url: url(provider.id), token: owner.token })).json()).toEqual(first);
    const kept = first.blocked[0]!;
    const next = {
      weekly: [{ weekday: 2, start: '08:00', end: '10:00' }],
      blocked: [kept, { start: '2030-03-01T10:00:00Z', end: '2030-03-01T11:00:00Z' }],
    };
    const put = await h.inject({ method: 'PUT', url: url(provider.id), token: owner.token, payload: next });
    expect(put.statusCode).toBe(200);
    const read = await h.inject({ method: 'GET', url: url(provider.id), token: owner.token });
    expect(read.json()).toEqual(put.json());
    expect(read.json()).toMatchObject({
      weekly: [{ weekday: 2, start: '08:00', end: '10:00' }],
      overrides: [],
      blocked: [kept, { id: expect.any(String), start: '2030-03-01T10:00:00.000Z', end: '2030-03-01T11:00:00.000Z', reason: '' }],
    });
    expect(await rowCounts(provider.id)).toEqual([1, 0, 2]);
  });

  it('does not let one provider take over another’s blocked period id', async () => {
    const mine = await h.registerUser('provider');
    const mineProvider = await h.createProvider(mine.token);
    const theirs = await h.registerUser('provider');
    const theirProvider = await h.createProvider(theirs.token);
    const theirBlocked = (
      await h.inject({
        method: 'PUT',
        url: url(theirProvider.id),
        token: theirs.token,
        payload: { weekly: [], blocked: [{ start: '2030-05-01T00:00:00Z', end: '2030-05-02T00:00:00Z', reason: 'Theirs' }] },
      })
    ).json<AvailabilityBody>().blocked[0]!;
    const put = await h.inject({
      method: 'PUT',
      url: url(mineProvider.id),
      token: mine.token,
      payload: { weekly: [], blocked: [{ ...theirBlocked, reason: 'Mine' }] },
    });
    expect(put.statusCode).toBe(200);
    expect(put.json<AvailabilityBody>().blocked[0]?.id).not.toBe(theirBlocked.id);
    expect((await h.inject({ method: 'GET', url: url(theirProvider.id), token: theirs.token })).json<AvailabilityBody>().blocked).toEqual([
      theirBlocked,
    ]);
  });

  it('rejects bad times, overlaps, weekdays, dates and periods, and changes nothing', async () => {
    await h.inject({ method: 'PUT', url: url(provider.id), token: owner.token, payload: full });
    const before = await h.inject({ method: 'GET', url: url(provider.id), token: owner.token });
    const cases: Array<[Record<string, unknown>, string[]]> = [
      [{ weekly: [{ weekday: 1, start: '9:00', end: '17:00' }] }, ['body.weekly.0.start']],
      [{ weekly: [{ weekday: 1, start: '09:00', end: '24:30' }] }, ['body.weekly.0.end']],
      [{ weekly: [{ weekday: 1, start: '17:00', end: '09:00' }] }, ['body.weekly.0.end']],
      [{ weekly: [{ weekday: 1, start: '10:00', end: '10:00' }] }, ['body.weekly.0.end']],
      [{ weekly: [{ weekday: 0, start: '09:00', end: '17:00' }] }, ['body.weekly.0.weekday']],
      [{ weekly: [{ weekday: 8, start: '09:00', end: '17:00' }] }, ['body.weekly.0.weekday']],
      [
        {
          weekly: [
            { weekday: 2, start: '09:00', end: '12:00' },
            { weekday: 3, start: '11:00', end: '13:00' },
            { weekday: 2, start: '11:30', end: '14:00' },
          ],
        },
        ['body.weekly.2.start'],
      ],
      [
        {
          weekly: [
            { weekday: 5, start: '09:00', end: '17:00' },
            { weekday: 5, start: '10:00', end: '11:00' },
            { weekday: 5, start: '12:00', end: '13:00' },
          ],
        },
        ['body.weekly.1.start', 'body.weekly.2.start'],
      ],
      [{ weekly: [], overrides: [{ date: '2030-02-30', intervals: [] }] }, ['body.overrides.0.date']],
      [{ weekly: [], overrides: [{ date: '30-01-2030', intervals: [] }] }, ['body.overrides.0.date']],
      [
        {
          weekly: [],
          overrides: [
            { date: '2030-01-10', intervals: [] },
            { date: '2030-01-10', intervals: [] },
          ],
        },
        ['body.overrides.1.date'],
      ],
      [
        {
          weekly: [],
          overrides: [
            {
              date: '2030-01-10',
              intervals: [
                { start: '10:00', end: '12:00' },
                { start: '09:00', end: '10:30' },
              ],
            },
          ],
        },
        ['body.overrides.0.intervals.0.start'],
      ],
      [{ weekly: [], blocked: [{ start: '2030-01-02T00:00:00Z', end: '2030-01-01T00:00:00Z' }] }, ['body.blocked.0.end']],
      [{ weekly: [], blocked: [{ start: '2030-01-01T00:00:00', end: '2030-01-02T00:00:00Z' }] }, ['body.blocked.0.start']],
      [{ overrides: [] }, ['body.weekly']],
    ];
    for (const [payload, paths] of cases) {
      const response = await h.inject({ method: 'PUT', url: url(provider.id), token: owner.token, payload });
      expect(response.statusCode, JSON.stringify(payload)).toBe(400);
      expect(response.json()).toMatchObject({ code: 'VALIDATION_FAILED' });
      expect(fieldPaths(response), JSON.stringify(payload)).toEqual(paths);
    }
    expect((await h.inject({ method: 'GET', url: url(provider.id), token: owner.token })).json()).toEqual(before.json());
    expect(await rowCounts(provider.id)).toEqual([4, 3, 1]);
  });

  it('accepts touching intervals and a whole day 00:00–24:00', async () => {
    const payload = {
      weekly: [
        { weekday: 4, start: '09:00', end: '12:00' },
        { weekday: 4, start: '12:00', end: '15:00' },
        { weekday: 5, start: '00:00', end: '24:00' },
      ],
    };
    const response = await h.inject({ method: 'PUT', url: url(provider.id), token: admin.token, payload });
    expect(response.statusCode).toBe(200);
    expect(response.json<AvailabilityBody>().weekly).toEqual(payload.weekly);
  });

  it('lets only the provider and admins read or replace it', async () => {
    const payload = { weekly: [{ weekday: 1, start: '09:00', end: '10:00' }] };
    await h.setAvailability(owner.token, provider.id, payload);
    for (const intruder of [client, other]) {
      const put = await h.inject({ method: 'PUT', url: url(provider.id), token: intruder.token, payload: { weekly: [] } });
      expect(put.statusCode).toBe(403);
      expect(put.json()).toMatchObject({ code: 'NOT_PROVIDER_OWNER' });
      expect((await h.inject({ method: 'GET', url: url(provider.id), token: intruder.token })).statusCode).toBe(403);
    }
    expect((await h.inject({ method: 'GET', url: url(provider.id) })).statusCode).toBe(401);
    expect((await h.inject({ method: 'PUT', url: url(provider.id), payload: { weekly: [] } })).statusCode).toBe(401);
    const asAdmin = await h.inject({ method: 'GET', url: url(provider.id), token: admin.token });
    expect(asAdmin.json()).toMatchObject({ weekly: payload.weekly });
    const unknown = await h.inject({
      method: 'PUT',
      url: url('00000000-0000-4000-8000-000000000000'),
      token: admin.token,
      payload: { weekly: [] },
    });
    expect(unknown.statusCode).toBe(404);
  });

  it('reports the provider’s current zone after the profile changes it', async () => {
    const me = await h.registerUser('provider');
    const mine = await h.createProvider(me.token, { timeZone: 'Asia/Tokyo' });
    await h.setAvailability(me.token, mine.id, { weekly: [{ weekday: 1, start: '09:00', end: '17:00' }] });
    expect((await h.inject({ method: 'GET', url: url(mine.id), token: me.token })).json()).toMatchObject({ timeZone: 'Asia/Tokyo' });
    await h.inject({ method: 'PATCH', url: `/api/v1/providers/${mine.id}`, token: me.token, payload: { timeZone: 'Asia/Kathmandu' } });
    expect((await h.inject({ method: 'GET', url: url(mine.id), token: me.token })).json()).toMatchObject({ timeZone: 'Asia/Kathmandu' });
  });
});
