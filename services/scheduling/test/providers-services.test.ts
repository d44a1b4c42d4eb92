import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fieldPaths } from '@timeslot/testing';
import { createSchedulingHarness, type ProviderBody, type SchedulingHarness, type ServiceBody, type TestUser } from './harness';

let h: SchedulingHarness;
let client: TestUser;
let admin: TestUser;
let owner: TestUser;
let other: TestUser;
let provider: ProviderBody;
let otherProvider: ProviderBody;

beforeAll(async () => {
  h = await createSchedulingHarness();
  client = await h.registerUser('client');
  admin = await h.registerUser('admin');
  owner = await h.registerUser('provider');
  other = await h.registerUser('provider');
  provider = await h.createProvider(owner.token);
  otherProvider = await h.createProvider(other.token);
});

afterAll(async () => {
  await h?.close();
});

const servicesUrl = (providerId: string) => `/api/v1/providers/${providerId}/services`;

async function countServices(): Promise<number> {
  const rows = await h.database.query<{ count: string }>('select count(*)::text as count from scheduling.services');
  return Number(rows[0]?.count);
}


describe('POST /api/v1/providers/:id/services', () => {
  it('creates a service with defaults for everything but name and duration', async () => {
    const response = await h.inject({
      method: 'POST',
      url: servicesUrl(provider.id),
      token: owner.token,
      payload: { name: 'Intro call', durationMinutes: 45 },
    });
    expect(response.statusCode).toBe(201);
    expect(response.json()).toMatchObject({
      providerId: provider.id,
      name: 'Intro call',
      description: '',
      durationMinutes: 45,
      slotIntervalMinutes: 45,
      bufferBeforeMinutes: 0,
      bufferAfterMinutes: 0,
      minNoticeMinutes: 0,
      bookingWindowDays: 60,
      capacity: 1,
      priceAmount: 0,
      currency: 'USD',
      location: { kind: 'video' },
      cancellationWindowMinutes: 0,
      active: true,
    });
  });

  it('stores every field of a full service', async () => {
    const full = {
      name: 'Group yoga',
      description: 'Bring a mat.',
      durationMinutes: 60,
      slotIntervalMinutes: 90,
      bufferBeforeMinutes: 10,
      bufferAfterMinutes: 15,
      minNoticeMinutes: 120,
      bookingWindowDays: 30,
      capacity: 12,
      priceAmount: 2500,
      currency: 'EUR',
      location: { kind: 'in_person', address: '1 Main St, Springfield' },
      cancellationWindowMinutes: 1440,
      active: true,
    };
    const created = await h.inject({ method: 'POST', url: servicesUrl(provider.id), token: admin.token, payload: full });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject(full);
    const read = await h.inject({ method: 'GET', url: `${servicesUrl(provider.id)}/${created.json<ServiceBody>().id}` });
    expect(read.json()).toEqual(created.json());
  });

  it('rejects every invalid field at once and writes nothing', async () => {
    const before = await countServices();
    const response = await h.inject({
      method: 'POST',
      url: servicesUrl(provider.id),
      token: owner.token,
      payload: {
        name: '',
        durationMinutes: 4,
        slotIntervalMinutes: 1441,
        bufferBeforeMinutes: -1,
        capacity: 1001,
        priceAmount: 9.99,
        currency: 'eur',
        location: { kind: 'in_person' },
      },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(fieldPaths(response)).toEqual(
      expect.arrayContaining([
        'body.name',
        'body.durationMinutes',
        'body.slotIntervalMinutes',
        'body.bufferBeforeMinutes',
        'body.capacity',
        'body.priceAmount',
        'body.currency',
        'body.location.address',
      ]),
    );
    expect(await countServices()).toBe(before);
  });

  it('lets only the provider and admins add services', async () => {
    const before = await countServices();
    const payload = { name: 'Sneaky', durationMinutes: 30 };
    for (const intruder of [client, other]) {
      const response = await h.inject({ method: 'POST', url: servicesUrl(provider.id), token: intruder.token, payload });
      expect(response.statusCode).toBe(403);
      expect(response.json()).toMatchObject({ code: 'NOT_PROVIDER_OWNER' });
    }
    expect((await h.inject({ method: 'POST', url: servicesUrl(provider.id), payload })).statusCode).toBe(401);
    const unknown = await h.inject({
      method: 'POST',
      url: servicesUrl('00000000-0000-4000-8000-000000000000'),
      token: admin.token,
      payload,
    });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toMatchObject({ code: 'PROVIDER_NOT_FOUND' });
    expect(await countServices()).toBe(before);
  });
});

describe('reading and changing services', () => {
  it('lists and reads services; an inactive one only for its provider and admins', async () => {
    const me = await h.registerUser('provider');
    const mine = await h.createProvider(me.token);
    const visible = await h.createService(me.token, mine.id, { name: 'Visible' });
    const hidden = await h.createService(me.token, mine.id, { name: 'Hidden', active: false });
    const listOf = async (token?: string) =>
      (await h.inject({ method: 'GET', url: servicesUrl(mine.id), ...(token ? { token } : {}) })).json<{ items: ServiceBody[] }>().items.map((s) => s.name);

    expect(await listOf()).toEqual(['Visible']);
    expect(await listOf(client.token)).toEqual(['Visible']);
    expect(await listOf(me.token)).toEqual(['Visible', 'Hidden']);
    expect(await listOf(admin.token)).toEqual(['Visible', 'Hidden']);

    const hiddenUrl = `${servicesUrl(mine.id)}/${hidden.id}`;
    const asClient = await h.inject({ method: 'GET', url: hiddenUrl, token: client.token });
    expect(asClient.statusCode).toBe(404);
    expect(asClient.json()).toMatchObject({ code: 'SERVICE_NOT_FOUND' });
    expect((await h.inject({ method: 'GET', url: hiddenUrl, token: me.token })).json()).toEqual(hidden);
    expect((await h.inject({ method: 'GET', url: `${servicesUrl(mine.id)}/${visible.id}` })).json()).toEqual(visible);
  });

  it("does not show one provider's service under another provider's id", async () => {
    const service = await h.createService(other.token, otherProvider.id);
    const response = await h.inject({ method: 'GET', url: `${servicesUrl(provider.id)}/${service.id}` });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ code: 'SERVICE_NOT_FOUND' });
    // Nor lets the provider change it through their own id.
    const patch = await h.inject({
      method: 'PATCH',
      url: `${servicesUrl(provider.id)}/${service.id}`,
      token: owner.token,
      payload: { name: 'Stolen' },
    });
    expect(patch.statusCode).toBe(404);
    expect((await h.inject({ method: 'GET', url: `${servicesUrl(otherProvider.id)}/${service.id}` })).json()).toMatchObject({
      name: 'Consultation',
    });
  });

  it('hides the services of an unpublished provider from the public', async () => {
    const me = await h.registerUser('provider');
    const unpublished = await h.createProvider(me.token, { published: false });
    await h.createService(me.token, unpublished.id);
    const response = await h.inject({ method: 'GET', url: servicesUrl(unpublished.id), token: client.token });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ code: 'PROVIDER_NOT_FOUND' });
    expect((await h.inject({ method: 'GET', url: servicesUrl(unpublished.id), token: me.token })).statusCode).toBe(200);
  });

  it('a read after a change never returns the old service (cached list)', async () => {
    const service = await h.createService(owner.token, provider.id, { name: 'Old name', priceAmount: 0 });
    const url = `${servicesUrl(provider.id)}/${service.id}`;
    expect((await h.inject({ method: 'GET', url })).json()).toMatchObject({ name: 'Old name' });
    expect((await h.inject({ method: 'GET', url: servicesUrl(provider.id) })).statusCode).toBe(200);

    const changes = {
      name: 'New name',
      priceAmount: 4200,
      currency: 'GBP',
      location: { kind: 'phone' },
      durationMinutes: 50,
      capacity: 3,
    };
    const patched = await h.inject({ method: 'PATCH', url, token: owner.token, payload: changes });
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject(changes);
    expect((await h.inject({ method: 'GET', url })).json()).toEqual(patched.json());
    const list = (await h.inject({ method: 'GET', url: servicesUrl(provider.id) })).json<{ items: ServiceBody[] }>();
    expect(list.items.find((s) => s.id === service.id)).toEqual(patched.json());

    // Deactivating removes it from the public list at once.
    await h.inject({ method: 'PATCH', url, token: admin.token, payload: { active: false } });
    expect((await h.inject({ method: 'GET', url })).statusCode).toBe(404);
  });

  it('lets only the provider and admins change a service, and validates the change', async () => {
    const service = await h.createService(owner.token, provider.id, { name: 'Guarded' });
    const url = `${servicesUrl(provider.id)}/${service.id}`;
    for (const intruder of [client, other]) {
      const response = await h.inject({ method: 'PATCH', url, token: intruder.token, payload: { priceAmount: 1 } });
      expect(response.statusCode).toBe(403);
    }
    expect((await h.inject({ method: 'PATCH', url, payload: { priceAmount: 1 } })).statusCode).toBe(401);

    const bad = await h.inject({ method: 'PATCH', url, token: owner.token, payload: { name: 'Renamed', location: { kind: 'in_person', address: '' } } });
    expect(bad.statusCode).toBe(400);
    expect(fieldPaths(bad)).toEqual(['body.location.address']);
    const empty = await h.inject({ method: 'PATCH', url, token: owner.token, payload: {} });
    expect(empty.statusCode).toBe(400);
    expect((await h.inject({ method: 'GET', url })).json()).toMatchObject({ name: 'Guarded', priceAmount: 0 });

    const unknown = await h.inject({
      method: 'PATCH',
      url: `${servicesUrl(provider.id)}/00000000-0000-4000-8000-000000000000`,
      token: owner.token,
      payload: { name: 'x' },
    });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toMatchObject({ code: 'SERVICE_NOT_FOUND' });
  });
});
