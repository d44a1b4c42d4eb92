import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryCache } from '@timeslot/adapters';
import { createLogger } from '@timeslot/kernel';
import { events } from '@timeslot/ports';
import { createNotificationsService } from '../src/index';
import { bookingSnapshot, createHarness, eventOf, mountService, type Harness, type TestUser } from './harness';

/*
 * The inbox API and preferences over HTTP (inject), on one PGlite: only the owner sees or changes
 * an entry, pages are keyset pages newest first, and preferences decide what an event produces.
 */

let h: Harness;

beforeAll(async () => {
  h = await createHarness();
});

afterAll(async () => {
  await h.close();
});

interface Entry {
  id: string;
  kind: string;
  readAt: string | null;
  createdAt: string;
}

interface Page {
  items: Entry[];
  nextCursor: string | null;
}

/** A user with `count` booking_confirmed entries besides their welcome. */
async function userWithEntries(count: number): Promise<TestUser> {
  const user = await h.user();
  for (let i = 0; i < count; i++) await h.handle(eventOf(events.bookingConfirmed, bookingSnapshot(user, undefined)));
  return user;
}

async function page(token: string, query: string): Promise<Page> {
  const response = await h.inject({ method: 'GET', url: `/api/v1/notifications?${query}`, token });
  expect(response.statusCode, response.body).toBe(200);
  return response.json<Page>();
}

describe('the inbox', () => {
  it('pages newest first with an opaque cursor until the last page', async () => {
    const user = await userWithEntries(4);
    const all = (await page(user.token, 'limit=100')).items;
    expect(all).toHaveLength(5);
    expect(all.at(-1)?.kind).toBe('welcome');

    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const current: Page = await page(user.token, `limit=2${cursor === null ? '' : `&cursor=${cursor}`}`);
      seen.push(...current.items.map((entry) => entry.id));
      cursor = current.nextCursor;
      pages++;
    } while (cursor !== null);

    expect(pages).toBe(3);
    expect(seen).toEqual(all.map((entry) => entry.id));
  });

  it('refuses a cursor it did not give out, and a bad limit', async () => {
    const user = await h.user();
    for (const cursor of ['nope', Buffer.from('n:abc').toString('base64url'), Buffer.from('x:12').toString('base64url')]) {
      const response = await h.inject({ method: 'GET', url: `/api/v1/notifications?cursor=${cursor}`, token: user.token });
      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ path: 'query.cursor' }] });
    }
    for (const query of ['limit=0', 'limit=101', 'unread=maybe', 'sort=asc']) {
      const response = await h.inject({ method: 'GET', url: `/api/v1/notifications?${query}`, token: user.token });
      expect(response.statusCode, query).toBe(400);
    }
  });

  it('answers 401 without a token, on every route', async () => {
    const routes = [
      ['GET', '/api/v1/notifications'],
      ['GET', '/api/v1/notifications/unread-count'],
      ['POST', `/api/v1/notifications/${randomUUID()}/read`],
      ['POST', '/api/v1/notifications/read-all'],
      ['GET', '/api/v1/notifications/preferences'],
      ['GET', '/api/v1/notifications/stream'],
    ] as const;
    for (const [method, url] of routes) {
      const response = await h.inject({ method, url });
      expect(response.statusCode, url).toBe(401);
      expect(response.json()).toMatchObject({ code: 'UNAUTHENTICATED' });
    }
  });

  it('marks an entry read once, counts unread, filters unread, and marks all read', async () => {
    const user = await userWithEntries(2);
    const count = async () => (await h.inject({ method: 'GET', url: '/api/v1/notifications/unread-count', token: user.token })).json<{ count: number }>().count;
    expect(await count()).toBe(3);
    const [newest] = (await page(user.token, 'limit=1')).items;

    const read = await h.inject({ method: 'POST', url: `/api/v1/notifications/${newest?.id}/read`, token: user.token });
    expect(read.statusCode).toBe(200);
    const readAt = read.json<Entry>().readAt;
    expect(readAt).not.toBeNull();
    h.clock.set('2030-01-07T09:00:00.000Z');
    const again = await h.inject({ method: 'POST', url: `/api/v1/notifications/${newest?.id}/read`, token: user.token });
    expect(again.json<Entry>().readAt).toBe(readAt);

    expect(await count()).toBe(2);
    expect((await page(user.token, 'unread=true')).items.map((entry) => entry.id)).not.toContain(newest?.id);
    expect((await page(user.token, 'unread=true')).items).toHaveLength(2);

    const all = await h.inject({ method: 'POST', url: '/api/v1/notifications/read-all', token: user.token });
    expect(all.statusCode).toBe(200);
    expect(all.json()).toEqual({ marked: 2 });
    expect(await count()).toBe(0);
    expect((await page(user.token, 'unread=true')).items).toEqual([]);
    expect((await h.inject({ method: 'POST', url: '/api/v1/notifications/read-all', token: user.token })).json()).toEqual({ marked: 0 });
  });

  it('shows nobody else an entry: reading another user’s entry is 404, as is an unknown one, and changes nothing', async () => {
    const owner = await userWithEntries(1);
    const other = await userWithEntries(1);
    const [entry] = (await page(owner.token, 'limit=1')).items;

    for (const id of [entry?.id, randomUUID()]) {
      const response = await h.inject({ method: 'POST', url: `/api/v1/notifications/${id}/read`, token: other.token });
      expect(response.statusCode).toBe(404);
      expect(response.json()).toMatchObject({ code: 'NOTIFICATION_NOT_FOUND' });
    }
    expect((await page(owner.token, 'limit=1')).items[0]?.readAt).toBeNull();
    expect((await page(other.token, 'limit=100')).items.map((e) => e.id)).not.toContain(entry?.id);

    // read-all marks only the caller's own.
    await h.inject({ method: 'POST', url: '/api/v1/notifications/read-all', token: other.token });
    expect((await h.inject({ method: 'GET', url: '/api/v1/notifications/unread-count', token: owner.token })).json()).toEqual({ count: 2 });

    const bad = await h.inject({ method: 'POST', url: '/api/v1/notifications/not-a-uuid/read', token: other.token });
    expect(bad.statusCode).toBe(400);
  });

  it('gives a user the service has not heard of an empty inbox', async () => {
    const stranger = await h.stranger();
    expect(await page(stranger.token, '')).toEqual({ items: [], nextCursor: null });
  });
});

describe('preferences', () => {
  it('lists every kind with its default until changed, and changes only the kinds named', async () => {
    const user = await h.user();
    const initial = await h.inject({ method: 'GET', url: '/api/v1/notifications/preferences', token: user.token });
    expect(initial.statusCode).toBe(200);
    const body = initial.json<{ channels: Record<string, string>; defaults: Record<string, string> }>();
    expect(body.channels).toEqual(body.defaults);
    expect(body.channels).toMatchObject({ booking_confirmed: 'email', booking_held: 'in_app' });

    const put = await h.inject({ method: 'PUT', url: '/api/v1/notifications/preferences', token: user.token, payload: { channels: { booking_confirmed: 'in_app', booking_held: 'off' } } });
    expect(put.statusCode).toBe(200);
    expect(put.json<typeof body>().channels).toEqual({ ...body.defaults, booking_confirmed: 'in_app', booking_held: 'off' });
    const other = await h.user();
    expect((await h.inject({ method: 'GET', url: '/api/v1/notifications/preferences', token: other.token })).json<typeof body>().channels).toEqual(body.defaults);
  });

  it('refuses an unknown kind, an unknown channel and an empty change', async () => {
    const user = await h.user();
    const cases = [
      [{ channels: { birthday: 'email' } }, 'body.channels'],
      [{ channels: { booking_confirmed: 'sms' } }, 'body.channels.booking_confirmed'],
      [{ channels: {} }, 'body.channels'],
      [{}, 'body.channels'],
    ] as const;
    for (const [payload, path] of cases) {
      const response = await h.inject({ method: 'PUT', url: '/api/v1/notifications/preferences', token: user.token, payload });
      expect(response.statusCode, JSON.stringify(payload)).toBe(400);
      expect(response.json(), JSON.stringify(payload)).toMatchObject({ code: 'VALIDATION_FAILED', errors: [expect.objectContaining({ path })] });
    }
    expect((await h.inject({ method: 'GET', url: '/api/v1/notifications/preferences', token: user.token })).json<{ channels: Record<string, string> }>().channels.booking_confirmed).toBe('email');
  });

  it('decides what an event produces: email (entry and email), in_app (entry only), off (nothing)', async () => {
    const byEmail = await h.user();
    const inApp = await h.user();
    const off = await h.user();
    const set = (user: TestUser, channel: string) =>
      h.inject({ method: 'PUT', url: '/api/v1/notifications/preferences', token: user.token, payload: { channels: { booking_confirmed: channel, booking_reminder: channel } } });
    await set(inApp, 'in_app');
    await set(off, 'off');

    const produced = async (user: TestUser) => {
      const booking = bookingSnapshot(user, undefined);
      await h.handle(eventOf(events.bookingConfirmed, booking));
      const entries = (await page(user.token, 'limit=100')).items.filter((entry) => entry.kind === 'booking_confirmed').length;
      const emails = (await h.ctx.store.emails.forBooking(h.database.db, booking.bookingId)).map((row) => row.kind).sort();
      return { entries, emails };
    };

    expect(await produced(byEmail)).toEqual({ entries: 1, emails: ['booking_confirmed', 'booking_reminder', 'booking_reminder'] });
    expect(await produced(inApp)).toEqual({ entries: 1, emails: [] });
    expect(await produced(off)).toEqual({ entries: 0, emails: [] });
  });
});

describe('roles', () => {
  it('a worker-only process serves no API, only the probes and metrics', async () => {
    const worker = await createNotificationsService({
      database: h.database,
      cache: createMemoryCache(),
      bus: h.bus,
      jobs: h.jobs,
      logger: createLogger({ level: 'silent' }),
      roles: { api: false, worker: true },
      options: { schema: 'notifications' },
    });
    const app = await mountService(worker, h.issuer, createLogger({ level: 'silent' }), 'notifications-worker');
    try {
      const user = await h.user();
      expect(worker.prefixes).toEqual([]);
      expect((await app.inject({ method: 'GET', url: '/api/v1/notifications', headers: { authorization: `Bearer ${user.token}` } })).statusCode).toBe(404);
      expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
      expect((await app.inject({ method: 'GET', url: '/metrics' })).body).toContain('outbox_oldest_unsent_age_seconds');
      expect((await app.inject({ method: 'GET', url: '/api/v1/admin/queues', headers: { authorization: `Bearer ${user.token}` } })).statusCode).toBe(404);
      expect(h.service.prefixes).toEqual(['/api/v1/notifications', '/api/v1/admin/queues', '/admin/queues']);
    } finally {
      await app.close();
    }
  });
});
