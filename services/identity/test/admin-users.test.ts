import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, fieldPaths, login, registered, uniqueEmail, type Harness, type SessionBody } from './harness';

let h: Harness;
let adminToken: string;

beforeAll(async () => {
  h = await createHarness();
  const email = uniqueEmail('root');
  await h.service.createAdmin({ email, password: 'admin password 1', name: 'Root' });
  adminToken = (await login(h.app, email, 'admin password 1')).json<SessionBody>().accessToken;
});

afterAll(async () => {
  await h.close();
});

interface AdminUserBody {
  id: string;
  email: string;
  name: string;
  role: string;
  createdAt: string;
  disabledAt: string | null;
  disabledReason: string | null;
}

interface PageBody {
  items: AdminUserBody[];
  nextCursor: string | null;
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** `token` null: no Authorization header. */
function listUsers(query: Record<string, string>, token: string | null = adminToken) {
  return h.app.inject({ method: 'GET', url: '/api/v1/users', query, headers: token === null ? {} : bearer(token) });
}

async function page(query: Record<string, string>): Promise<PageBody> {
  const response = await listUsers(query);
  if (response.statusCode !== 200) throw new Error(`list failed: ${response.statusCode} ${response.body}`);
  return response.json<PageBody>();
}

/** Every page of a listing, following nextCursor to the end. */
async function allPages(query: Record<string, string>): Promise<PageBody[]> {
  const pages: PageBody[] = [];
  let cursor: string | null = null;
  do {
    const next: PageBody = await page(cursor === null ? query : { ...query, cursor });
    pages.push(next);
    cursor = next.nextCursor;
  } while (cursor !== null && pages.length < 50);
  return pages;
}

/**
 * Accounts inserted directly, with created_at chosen: the same instant for several (only the id
 * orders them) and instants microseconds apart within one millisecond (which a cursor kept in a
 * JavaScript Date would round together).
 */
async function insertAt(marker: string, createdAt: readonly string[]): Promise<Array<{ id: string; createdAt: string }>> {
  const rows: Array<{ id: string; createdAt: string }> = [];
  for (const [index, at] of createdAt.entries()) {
    const id = randomUUID();
    await h.database.query(
      `insert into identity.users (id, email, name, role, password_hash, created_at, updated_at) values ($1, $2, $3, 'client', 'x', $4, $4)`,
      [id, `${marker}.${index}@example.com`, `Seeded ${index}`, at],
    );
    rows.push({ id, createdAt: at });
  }
  return rows;
}

describe('GET /api/v1/users', () => {
  it('lists accounts newest first, as an administrator sees them', async () => {
    const marker = `newest${randomUUID().slice(0, 8)}`;
    const first = await registered(h.app, { email: `${marker}.a@example.com`, name: 'Grace Hopper', role: 'provider' });
    const second = await registered(h.app, { email: `${marker}.b@example.com`, name: 'Alan Turing' });
    const body = await page({ q: marker });
    expect(body.items.map((user) => user.id)).toEqual([second.user.id, first.user.id]);
    expect(body.nextCursor).toBeNull();
    expect(Object.keys(body.items[0] ?? {}).sort()).toEqual(
      ['createdAt', 'disabledAt', 'disabledReason', 'email', 'id', 'locale', 'name', 'role', 'timeZone', 'updatedAt'].sort(),
    );
    expect(body.items[1]).toMatchObject({ email: `${marker}.a@example.com`, name: 'Grace Hopper', role: 'provider', disabledAt: null, disabledReason: null });
  });

  it('pages by cursor without duplicates or gaps, through equal instants and microseconds within one millisecond', async () => {
    const marker = `paged${randomUUID().slice(0, 8)}`;
    const seeded = await insertAt(marker, [
      '2021-03-04T05:06:07.123001Z',
      '2021-03-04T05:06:07.123002Z',
      '2021-03-04T05:06:07.123003Z',
      '2021-03-04T05:06:07.123456Z',
      '2021-03-04T05:06:07.123456Z',
      '2021-03-04T05:06:07.123456Z',
      '2021-03-04T05:06:08.000000Z',
    ]);
    // Newest first; at one instant, the greater id first. (These instants and lower-case uuids
    // sort as text the way PostgreSQL sorts them.)
    const key = (row: { id: string; createdAt: string }) => `${row.createdAt} ${row.id}`;
    const expected = [...seeded].sort((a, b) => (key(a) < key(b) ? 1 : -1)).map((row) => row.id);
    const whole = await page({ q: marker, limit: '100' });
    expect(whole.items.map((user) => user.id)).toEqual(expected);

    for (const limit of [1, 2, 3]) {
      const pages = await allPages({ q: marker, limit: String(limit) });
      expect(pages.length, `limit ${limit}`).toBe(Math.ceil(seeded.length / limit));
      for (const one of pages.slice(0, -1)) expect(one.items).toHaveLength(limit);
      expect(pages.flatMap((one) => one.items.map((user) => user.id)), `limit ${limit}`).toEqual(expected);
      expect(pages.at(-1)?.nextCursor).toBeNull();
    }
  });

  it('pages two of a default-size listing: 20 by default, the rest on the second page', async () => {
    const marker = `twenty${randomUUID().slice(0, 8)}`;
    const seeded = await insertAt(
      marker,
      Array.from({ length: 23 }, (_, index) => new Date(Date.UTC(2022, 0, 1, 0, 0, index)).toISOString()),
    );
    const one = await page({ q: marker });
    expect(one.items).toHaveLength(20);
    expect(one.nextCursor).toEqual(expect.any(String));
    const two = await page({ q: marker, cursor: one.nextCursor ?? '' });
    expect(two.items).toHaveLength(3);
    expect(two.nextCursor).toBeNull();
    const ids = [...one.items, ...two.items].map((user) => user.id);
    expect(new Set(ids).size).toBe(23);
    expect(ids).toEqual(seeded.map((row) => row.id).reverse());
  });

  it('searches email and display name in any letter case', async () => {
    const marker = `Search${randomUUID().slice(0, 8)}`;
    const byEmail = await registered(h.app, { email: `${marker}@example.com`, name: 'Nobody Special' });
    const byName = await registered(h.app, { name: `Dr ${marker} Who` });
    const ids = (await page({ q: marker.toUpperCase() })).items.map((user) => user.id).sort();
    expect(ids).toEqual([byEmail.user.id, byName.user.id].sort());
    // An empty (or blank) q filters nothing.
    expect((await page({ q: '   ', limit: '100' })).items.length).toBeGreaterThan(2);
  });

  it('takes %, _ and \\ in q literally, not as LIKE wildcards', async () => {
    const marker = `Wild${randomUUID().slice(0, 6)}`;
    const names = ['100% sure', '100 percent sure', 'a_b', 'axb', 'back\\slash', 'backslash'];
    const ids = new Map<string, string>();
    for (const name of names) ids.set(name, (await registered(h.app, { name: `${marker} ${name}` })).user.id);
    const found = async (q: string) => (await page({ q, limit: '100' })).items.map((user) => user.name);
    expect(await found('0% s')).toEqual([`${marker} 100% sure`]);
    expect(await found(`${marker} A_B`)).toEqual([`${marker} a_b`]);
    expect(await found('k\\s')).toEqual([`${marker} back\\slash`]);
    expect(await found(`${marker} %`)).toEqual([]);
    expect(await found(`${marker} _`)).toEqual([]);
  });

  it('filters by role and by status', async () => {
    const marker = `filter${randomUUID().slice(0, 8)}`;
    const client = await registered(h.app, { name: `${marker} client` });
    const provider = await registered(h.app, { name: `${marker} provider`, role: 'provider' });
    const blocked = await registered(h.app, { name: `${marker} blocked`, role: 'provider' });
    const disabled = await h.app.inject({ method: 'POST', url: `/api/v1/users/${blocked.user.id}/disable`, headers: bearer(adminToken), payload: { reason: 'spam' } });
    expect(disabled.statusCode).toBe(200);
    const ids = async (query: Record<string, string>) => (await page({ q: marker, ...query })).items.map((user) => user.id).sort();

    expect(await ids({ role: 'provider' })).toEqual([provider.user.id, blocked.user.id].sort());
    expect(await ids({ role: 'client' })).toEqual([client.user.id]);
    expect(await ids({ role: 'admin' })).toEqual([]);
    expect(await ids({ status: 'active' })).toEqual([client.user.id, provider.user.id].sort());
    expect(await ids({ status: 'disabled' })).toEqual([blocked.user.id]);
    expect(await ids({ role: 'provider', status: 'active' })).toEqual([provider.user.id]);
    const [shown] = (await page({ q: marker, status: 'disabled' })).items;
    expect(shown).toMatchObject({ disabledAt: expect.any(String), disabledReason: 'spam' });
  });

  it('is for administrators only: 401 without a token, 403 for a client or provider', async () => {
    const anonymous = await listUsers({}, null);
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.json().code).toBe('UNAUTHENTICATED');
    for (const role of ['client', 'provider']) {
      const session = await registered(h.app, { role });
      const response = await listUsers({}, session.accessToken);
      expect(response.statusCode, role).toBe(403);
      expect(response.json().code).toBe('FORBIDDEN');
    }
  });

  it('answers 400 for a cursor it did not issue, and for a bad role, status, limit or q', async () => {
    const asCursor = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const badCursors = [
      'not a cursor',
      'bm90IGpzb24',
      asCursor(['2021-03-04T05:06:07.123456Z']),
      asCursor(['2021-03-04T05:06:07.123Z', randomUUID()]),
      asCursor(['2021-02-30T05:06:07.123456Z', randomUUID()]),
      asCursor(['2021-03-04T05:06:07.123456Z', 'not-a-uuid']),
      asCursor({ createdAt: '2021-03-04T05:06:07.123456Z', id: randomUUID() }),
      'A'.repeat(401),
    ];
    for (const cursor of badCursors) {
      const response = await listUsers({ cursor });
      expect(response.statusCode, cursor).toBe(400);
      expect(response.json().code).toBe('VALIDATION_FAILED');
      expect(fieldPaths(response)).toEqual(['querystring.cursor']);
    }
    const cases: Array<[Record<string, string>, string]> = [
      [{ role: 'superuser' }, 'querystring.role'],
      [{ status: 'banned' }, 'querystring.status'],
      [{ limit: '0' }, 'querystring.limit'],
      [{ limit: '101' }, 'querystring.limit'],
      [{ limit: 'ten' }, 'querystring.limit'],
      [{ limit: '2.5' }, 'querystring.limit'],
      [{ q: 'x'.repeat(101) }, 'querystring.q'],
    ];
    for (const [query, path] of cases) {
      const response = await listUsers(query);
      expect(response.statusCode, JSON.stringify(query)).toBe(400);
      expect(fieldPaths(response)).toContain(path);
    }
    expect((await listUsers({ sort: 'name' })).statusCode).toBe(400);
  });
});
