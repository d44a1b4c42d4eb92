import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fieldPaths } from '@timeslot/testing';
import { createSchedulingHarness, type ProviderBody, type SchedulingHarness, type TestUser } from './harness';

let h: SchedulingHarness;
let client: TestUser;
let admin: TestUser;

beforeAll(async () => {
  h = await createSchedulingHarness();
  client = await h.registerUser('client');
  admin = await h.registerUser('admin');
});

afterAll(async () => {
  await h?.close();
});

async function countProviders(): Promise<number> {
  const rows = await h.database.query<{ count: string }>('select count(*)::text as count from scheduling.providers');
  return Number(rows[0]?.count);
}


describe('POST /api/v1/providers', () => {
  it('creates the profile of a provider account, with canonical zone and defaults', async () => {
    const owner = await h.registerUser('provider');
    const response = await h.inject({
      method: 'POST',
      url: '/api/v1/providers',
      token: owner.token,
      payload: { displayName: '  Dr Ada Lovelace ', specialty: 'Cardiology', timeZone: 'europe/london', photoUrl: 'https://cdn.example.com/ada.jpg' },
    });
    expect(response.statusCode).toBe(201);
    const body = response.json<ProviderBody>();
    expect(body).toMatchObject({
      userId: owner.userId,
      displayName: 'Dr Ada Lovelace',
      title: '',
      specialty: 'Cardiology',
      bio: '',
      timeZone: 'Europe/London',
      photoUrl: 'https://cdn.example.com/ada.jpg',
      published: false,
    });
    const mine = await h.inject({ method: 'GET', url: '/api/v1/providers/me', token: owner.token });
    expect(mine.statusCode).toBe(200);
    expect(mine.json()).toEqual(body);
  });

  it('allows one profile per account (409) and writes nothing the second time', async () => {
    const owner = await h.registerUser('provider');
    await h.createProvider(owner.token);
    const before = await countProviders();
    const again = await h.inject({ method: 'POST', url: '/api/v1/providers', token: owner.token, payload: { displayName: 'Twice', timeZone: 'UTC' } });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'PROVIDER_EXISTS' });
    expect(await countProviders()).toBe(before);
  });

  it('refuses clients and administrators (403 NOT_A_PROVIDER) and anonymous callers (401)', async () => {
    const payload = { displayName: 'Nope', timeZone: 'UTC' };
    const asClient = await h.inject({ method: 'POST', url: '/api/v1/providers', token: client.token, payload });
    expect(asClient.statusCode).toBe(403);
    expect(asClient.json()).toMatchObject({ code: 'NOT_A_PROVIDER' });
    const asAdmin = await h.inject({ method: 'POST', url: '/api/v1/providers', token: admin.token, payload });
    expect(asAdmin.statusCode).toBe(403);
    const anonymous = await h.inject({ method: 'POST', url: '/api/v1/providers', payload });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.json()).toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('rejects bad fields with every field error and writes nothing', async () => {
    const owner = await h.registerUser('provider');
    const before = await countProviders();
    const response = await h.inject({
      method: 'POST',
      url: '/api/v1/providers',
      token: owner.token,
      payload: { displayName: '', timeZone: 'Mars/Olympus', photoUrl: 'ftp://example.com/a.png', published: 'yes', extra: 1 },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(fieldPaths(response)).toEqual(
      expect.arrayContaining(['body.displayName', 'body.timeZone', 'body.photoUrl', 'body.published']),
    );
    expect(await countProviders()).toBe(before);
    const mine = await h.inject({ method: 'GET', url: '/api/v1/providers/me', token: owner.token });
    expect(mine.statusCode).toBe(404);
    expect(mine.json()).toMatchObject({ code: 'PROVIDER_NOT_FOUND' });
  });
});

describe('GET and PATCH /api/v1/providers/:id', () => {
  it('shows an unpublished profile only to its owner and administrators', async () => {
    const owner = await h.registerUser('provider');
    const other = await h.registerUser('provider');
    const provider = await h.createProvider(owner.token, { published: false });
    const url = `/api/v1/providers/${provider.id}`;
    expect((await h.inject({ method: 'GET', url })).statusCode).toBe(404);
    expect((await h.inject({ method: 'GET', url, token: client.token })).statusCode).toBe(404);
    expect((await h.inject({ method: 'GET', url, token: other.token })).statusCode).toBe(404);
    expect((await h.inject({ method: 'GET', url, token: owner.token })).json()).toEqual(provider);
    expect((await h.inject({ method: 'GET', url, token: admin.token })).json()).toEqual(provider);
    // Someone who cannot see it cannot learn it exists by trying to change it.
    const patch = await h.inject({ method: 'PATCH', url, token: other.token, payload: { bio: 'mine now' } });
    expect(patch.statusCode).toBe(404);
  });

  it('a read after a write never returns the old value (cached profile)', async () => {
    const owner = await h.registerUser('provider');
    const provider = await h.createProvider(owner.token, { displayName: 'Before', published: false });
    const url = `/api/v1/providers/${provider.id}`;
    // Warm the cache, then change every field and read again.
    expect((await h.inject({ method: 'GET', url, token: owner.token })).json()).toMatchObject({ displayName: 'Before' });
    const changes = {
      displayName: 'After',
      title: 'MD',
      specialty: 'Dermatology',
      bio: 'Skin.',
      timeZone: 'America/New_York',
      photoUrl: 'http://example.com/p.png',
      published: true,
    };
    const patched = await h.inject({ method: 'PATCH', url, token: owner.token, payload: changes });
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject(changes);
    const read = await h.inject({ method: 'GET', url });
    expect(read.statusCode).toBe(200);
    expect(read.json()).toEqual(patched.json());
    // null clears the optional fields.
    const cleared = await h.inject({ method: 'PATCH', url, token: owner.token, payload: { specialty: null, photoUrl: null } });
    expect(cleared.json()).toMatchObject({ specialty: null, photoUrl: null, displayName: 'After' });
    expect((await h.inject({ method: 'GET', url })).json()).toMatchObject({ specialty: null, photoUrl: null });
  });

  it('lets an admin edit any profile, but not another provider or a client (403)', async () => {
    const owner = await h.registerUser('provider');
    const other = await h.registerUser('provider');
    const provider = await h.createProvider(owner.token, { displayName: 'Owned' });
    const url = `/api/v1/providers/${provider.id}`;
    for (const intruder of [other, client]) {
      const response = await h.inject({ method: 'PATCH', url, token: intruder.token, payload: { displayName: 'Hijacked' } });
      expect(response.statusCode).toBe(403);
      expect(response.json()).toMatchObject({ code: 'NOT_PROVIDER_OWNER' });
    }
    expect((await h.inject({ method: 'PATCH', url, payload: { displayName: 'Anon' } })).statusCode).toBe(401);
    expect((await h.inject({ method: 'GET', url })).json()).toMatchObject({ displayName: 'Owned' });
    const byAdmin = await h.inject({ method: 'PATCH', url, token: admin.token, payload: { published: false } });
    expect(byAdmin.statusCode).toBe(200);
    expect((await h.inject({ method: 'GET', url })).statusCode).toBe(404);
  });

  it('validates the change and writes nothing on a bad one', async () => {
    const owner = await h.registerUser('provider');
    const provider = await h.createProvider(owner.token, { displayName: 'Stable' });
    const url = `/api/v1/providers/${provider.id}`;
    const empty = await h.inject({ method: 'PATCH', url, token: owner.token, payload: {} });
    expect(empty.statusCode).toBe(400);
    const bad = await h.inject({ method: 'PATCH', url, token: owner.token, payload: { displayName: 'New', timeZone: 'Not/AZone' } });
    expect(bad.statusCode).toBe(400);
    expect(fieldPaths(bad)).toEqual(['body.timeZone']);
    expect((await h.inject({ method: 'GET', url })).json()).toMatchObject({ displayName: 'Stable', timeZone: 'UTC' });
  });

  it('answers 404 for an unknown provider and 400 for a malformed id', async () => {
    const unknown = await h.inject({ method: 'GET', url: '/api/v1/providers/00000000-0000-4000-8000-000000000000' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toMatchObject({ code: 'PROVIDER_NOT_FOUND' });
    const patch = await h.inject({
      method: 'PATCH',
      url: '/api/v1/providers/00000000-0000-4000-8000-000000000000',
      token: admin.token,
      payload: { bio: 'x' },
    });
    expect(patch.statusCode).toBe(404);
    const malformed = await h.inject({ method: 'GET', url: '/api/v1/providers/not-a-uuid' });
    expect(malformed.statusCode).toBe(400);
    expect(fieldPaths(malformed)).toEqual(['params.id']);
  });
});

describe('GET /api/v1/providers (search)', () => {
  const marker = `Zeb${Date.now().toString(36)}`;
  let created: ProviderBody[] = [];

  beforeAll(async () => {
    created = [];
    for (let i = 0; i < 25; i += 1) {
      const owner = await h.registerUser('provider');
      const name = `${marker} ${String(i).padStart(2, '0')}`;
      const specialty = i % 5 === 0 ? 'Pediatrics' : 'Dentistry';
      created.push(await h.createProvider(owner.token, { displayName: name, specialty, title: i === 7 ? 'Orthodontist' : '' }));
    }
    const hidden = await h.registerUser('provider');
    await h.createProvider(hidden.token, { displayName: `${marker} hidden`, published: false });
  });

  it('walks every published match exactly once, in name order, with the default page size', async () => {
    const seen: ProviderBody[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: Record<string, string> = { q: marker.toLowerCase(), ...(cursor === null ? {} : { cursor }) };
      const response = await h.inject({ method: 'GET', url: '/api/v1/providers', query });
      expect(response.statusCode).toBe(200);
      const body = response.json<{ items: ProviderBody[]; nextCursor: string | null }>();
      seen.push(...body.items);
      cursor = body.nextCursor;
      pages += 1;
    } while (cursor !== null && pages < 10);
    expect(pages).toBe(2);
    expect(seen.map((p) => p.displayName)).toEqual(created.map((p) => p.displayName));
    expect(seen.every((p) => p.published)).toBe(true);
  });

  it('honours limit, filters by specialty in any case, and matches titles', async () => {
    const pageOf7 = await h.inject({ method: 'GET', url: '/api/v1/providers', query: { q: marker, limit: '7' } });
    const first = pageOf7.json<{ items: ProviderBody[]; nextCursor: string }>();
    expect(first.items).toHaveLength(7);
    const second = await h.inject({ method: 'GET', url: '/api/v1/providers', query: { q: marker, limit: '7', cursor: first.nextCursor } });
    expect(second.json<{ items: ProviderBody[] }>().items[0]?.displayName).toBe(`${marker} 07`);

    const pediatrics = await h.inject({ method: 'GET', url: '/api/v1/providers', query: { q: marker, specialty: 'PEDIATRICS' } });
    expect(pediatrics.json<{ items: ProviderBody[] }>().items.map((p) => p.displayName)).toEqual(
      [0, 5, 10, 15, 20].map((i) => `${marker} ${String(i).padStart(2, '0')}`),
    );
    const byTitle = await h.inject({ method: 'GET', url: '/api/v1/providers', query: { q: 'orthodontist' } });
    expect(byTitle.json<{ items: ProviderBody[] }>().items.map((p) => p.id)).toEqual([created[7]!.id]);
  });

  it('treats % and _ in q as plain characters', async () => {
    const response = await h.inject({ method: 'GET', url: '/api/v1/providers', query: { q: '%' } });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ items: [], nextCursor: null });
  });

  it('rejects a forged cursor and a limit out of range (400)', async () => {
    for (const cursor of ['garbage!', Buffer.from('["x"]').toString('base64url'), Buffer.from('not json').toString('base64url')]) {
      const response = await h.inject({ method: 'GET', url: '/api/v1/providers', query: { cursor } });
      expect(response.statusCode).toBe(400);
      expect(fieldPaths(response)).toEqual(['querystring.cursor']);
    }
    for (const limit of ['0', '101', 'ten']) {
      const response = await h.inject({ method: 'GET', url: '/api/v1/providers', query: { limit } });
      expect(response.statusCode).toBe(400);
      expect(fieldPaths(response)).toEqual(['querystring.limit']);
    }
  });
});
