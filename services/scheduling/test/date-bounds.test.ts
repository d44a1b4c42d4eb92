import { randomUUID } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createMemoryJobQueue } from '@timeslot/adapters';
import type { Db, Role } from '@timeslot/ports';
import { uniqueName } from '@timeslot/testing';
import { createSchedulingHarness, type SchedulingHarness } from './harness';
import { createTestIssuer, startReplica, type Replica } from './replicas';

/*
 * Dates and instants at the ends of the calendar, on both databases: the schema refuses anything
 * outside 1970–2999 with a 400 naming the field (PostgreSQL or JavaScript's Date overflowed on
 * them: 500s), values at the edges of the range are stored and read back, and a slot query outside
 * [now + notice, now + booking window] is an empty page.
 */

interface Call {
  readonly method: 'GET' | 'POST' | 'PUT';
  readonly url: string;
  readonly token: string;
  readonly payload?: unknown;
}

interface Target {
  call(call: Call): Promise<LightMyRequestResponse>;
  token(role: Role): Promise<string>;
  /** The scheduling service's query builder, to count the reads a request makes. */
  readonly db: Db;
}

const now = '2030-01-07T08:00:00.000Z';

function expectInvalid(response: LightMyRequestResponse, path: string): void {
  expect(response.statusCode, response.body).toBe(400);
  expect(response.headers['content-type']).toContain('application/problem+json');
  const problem = response.json<{ code: string; errors: { path: string }[] }>();
  expect(problem.code).toBe('VALIDATION_FAILED');
  expect(problem.errors.map((error) => error.path)).toContain(path);
}

function suite(name: string, open: () => Promise<{ target: Target; close: () => Promise<void> }>): void {
  describe(`dates at the ends of the calendar (${name})`, () => {
    let target: Target;
    let close: (() => Promise<void>) | undefined;
    let owner: string;
    let client: string;
    let providerId: string;
    let serviceId: string;

    beforeAll(async () => {
      ({ target, close } = await open());
      owner = await target.token('provider');
      client = await target.token('client');
      const provider = await target.call({ method: 'POST', url: '/api/v1/providers', token: owner, payload: { displayName: 'Edge', timeZone: 'Pacific/Kiritimati', published: true } });
      expect(provider.statusCode, provider.body).toBe(201);
      providerId = provider.json<{ id: string }>().id;
      // A day of buffer on each side widens every database range the slot query reads.
      const service = await target.call({
        method: 'POST',
        url: `/api/v1/providers/${providerId}/services`,
        token: owner,
        payload: { name: 'Edge', durationMinutes: 60, bufferBeforeMinutes: 1440, bufferAfterMinutes: 1440 },
      });
      expect(service.statusCode, service.body).toBe(201);
      serviceId = service.json<{ id: string }>().id;
      const weekly = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '00:00', end: '24:00' }));
      const availability = await target.call({ method: 'PUT', url: `/api/v1/providers/${providerId}/availability`, token: owner, payload: { weekly } });
      expect(availability.statusCode, availability.body).toBe(200);
    }, 120_000);

    afterAll(async () => {
      await close?.();
    });

    const slots = (from: string, to: string) =>
      target.call({ method: 'GET', url: `/api/v1/providers/${providerId}/slots?serviceId=${serviceId}&from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`, token: client });

    it('refuses slot ranges outside 1970–2999 with 400 naming the field', async () => {
      expectInvalid(await slots('0000-01-01T00:00:00Z', '0000-01-20T00:00:00Z'), 'querystring.from');
      expectInvalid(await slots('9999-12-20T00:00:00Z', '9999-12-31T23:59:59Z'), 'querystring.to');
      expectInvalid(await slots('1969-12-31T00:00:00Z', '1970-01-02T00:00:00Z'), 'querystring.from');
      // Written in 1970 but, at +01:00, an instant of 1969.
      expectInvalid(await slots('1970-01-01T00:30:00+01:00', '1970-01-02T00:00:00Z'), 'querystring.from');
      expectInvalid(await slots('2999-12-20T00:00:00Z', '2999-12-31T23:59:59-14:00'), 'querystring.to');
    });

    it('answers an empty page, without reading bookings, for ranges outside [now + notice, now + booking window]', async () => {
      // Warm the profile, service and availability caches, so the only read left is the bookings'.
      await slots(now, '2030-01-08T00:00:00Z');
      const selects = vi.spyOn(target.db, 'select');
      for (const [from, to] of [
        ['1970-01-01T00:00:00Z', '1970-01-31T00:00:00Z'],
        ['2999-12-01T00:00:00Z', '2999-12-31T23:59:59Z'],
        ['2029-12-01T00:00:00Z', '2029-12-31T00:00:00Z'],
      ] as const) {
        const response = await slots(from, to);
        expect(response.statusCode, response.body).toBe(200);
        expect(response.json()).toEqual({ timeZone: 'Pacific/Kiritimati', slots: [], busyTimes: 'current' });
      }
      expect(selects).not.toHaveBeenCalled();
      // Inside the window the same service has slots: the empty pages above are the clamp's.
      const inside = await slots(now, '2030-01-09T00:00:00Z');
      expect(inside.statusCode).toBe(200);
      expect(inside.json<{ slots: unknown[] }>().slots.length).toBeGreaterThan(0);
      expect(selects).toHaveBeenCalled();
      selects.mockRestore();
    });

    it('refuses bookings list bounds and cursors outside the range', async () => {
      const list = (query: string) => target.call({ method: 'GET', url: `/api/v1/bookings?${query}`, token: client });
      expectInvalid(await list(`to=${encodeURIComponent('0001-01-01T00:00:00+14:00')}`), 'querystring.to');
      expectInvalid(await list(`from=${encodeURIComponent('9999-12-31T23:59:59Z')}`), 'querystring.from');
      const forged = Buffer.from(JSON.stringify([8_000_000_000_000_000, randomUUID()])).toString('base64url');
      expectInvalid(await list(`cursor=${forged}`), 'querystring.cursor');
      const edges = await list(`from=${encodeURIComponent('1970-01-01T00:00:00Z')}&to=${encodeURIComponent('2999-12-31T23:59:59Z')}`);
      expect(edges.statusCode, edges.body).toBe(200);
    });

    it('refuses override dates and blocked periods outside the range, and stores the edges of it', async () => {
      const put = (payload: unknown) => target.call({ method: 'PUT', url: `/api/v1/providers/${providerId}/availability`, token: owner, payload });
      expectInvalid(await put({ weekly: [], overrides: [{ date: '0000-01-01', intervals: [] }] }), 'body.overrides.0.date');
      expectInvalid(await put({ weekly: [], overrides: [{ date: '9999-12-31', intervals: [] }] }), 'body.overrides.0.date');
      expectInvalid(await put({ weekly: [], blocked: [{ start: '0001-01-01T00:00:00Z', end: '2030-01-01T00:00:00Z' }] }), 'body.blocked.0.start');
      expectInvalid(await put({ weekly: [], blocked: [{ start: '2030-01-01T00:00:00Z', end: '9999-12-31T23:59:59-14:00' }] }), 'body.blocked.0.end');

      const edges = {
        weekly: [{ weekday: 1, start: '09:00', end: '17:00' }],
        overrides: [
          { date: '1970-01-01', intervals: [] },
          { date: '2999-12-31', intervals: [{ start: '00:00', end: '24:00' }] },
        ],
        blocked: [{ start: '1970-01-01T00:00:00Z', end: '2999-12-31T23:59:59Z', reason: 'forever' }],
      };
      const stored = await put(edges);
      expect(stored.statusCode, stored.body).toBe(200);
      const read = await target.call({ method: 'GET', url: `/api/v1/providers/${providerId}/availability`, token: owner });
      expect(read.statusCode).toBe(200);
      expect(read.json()).toMatchObject({
        overrides: edges.overrides,
        blocked: [{ start: '1970-01-01T00:00:00.000Z', end: '2999-12-31T23:59:59.000Z', reason: 'forever' }],
      });
      // Blocked for ever: no slots, and no error either.
      const page = await slots(now, '2030-01-09T00:00:00Z');
      expect(page.statusCode).toBe(200);
      expect(page.json()).toMatchObject({ slots: [] });
    });

    it('refuses booking, rescheduling and waitlist instants and dates outside the range', async () => {
      expectInvalid(await target.call({ method: 'POST', url: '/api/v1/bookings', token: client, payload: { serviceId, start: '9999-12-31T23:00:00Z' } }), 'body.start');
      expectInvalid(await target.call({ method: 'POST', url: '/api/v1/bookings', token: client, payload: { serviceId, start: '0000-01-01T00:00:00Z' } }), 'body.start');
      expectInvalid(
        await target.call({ method: 'POST', url: `/api/v1/bookings/${randomUUID()}/reschedule`, token: client, payload: { start: '9999-12-31T23:00:00Z' } }),
        'body.start',
      );
      expectInvalid(await target.call({ method: 'POST', url: '/api/v1/waitlist', token: client, payload: { serviceId, date: '0000-01-01' } }), 'body.date');
      expectInvalid(await target.call({ method: 'POST', url: '/api/v1/waitlist', token: client, payload: { serviceId, start: '9999-12-31T23:00:00Z' } }), 'body.start');
    });
  });
}

suite('PGlite', async () => {
  const h: SchedulingHarness = await createSchedulingHarness({ now, start: false });
  return {
    target: {
      call: ({ token, ...rest }) => h.inject({ ...rest, token } as Parameters<SchedulingHarness['inject']>[0]),
      token: async (role) => (await h.registerUser(role)).token,
      db: h.context.database.db,
    },
    close: () => h.close(),
  };
});

suite('PostgreSQL', async () => {
  const issuer = await createTestIssuer('https://identity.test', 'timeslot-test');
  const jobs = createMemoryJobQueue();
  const schema = uniqueName('scheduling_dates');
  const replica: Replica<typeof jobs> = await startReplica({
    name: 'dates',
    issuer,
    jobs,
    poolSize: 2,
    options: { schema, now: () => new Date(now) },
  });
  return {
    target: {
      call: ({ method, url, token, payload }) =>
        replica.app.inject({ method, url, headers: { authorization: `Bearer ${token}` }, ...(payload === undefined ? {} : { payload: payload as object }) }),
      token: (role) => issuer.token(role),
      db: replica.service.context.database.db,
    },
    close: async () => {
      await replica.app.close();
      await replica.service.stop();
      await jobs.close();
      await replica.bus.close();
      await replica.cache.close();
      await replica.database.query(`drop schema if exists "${schema}" cascade`);
      await replica.database.close();
    },
  };
});
