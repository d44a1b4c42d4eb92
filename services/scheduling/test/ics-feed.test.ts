import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSchedulingHarness, type SchedulingHarness, type TestUser } from './harness';

// Monday 2030-01-07 08:00 UTC; providers are in UTC and open 09:00–17:00 every day.
let h: SchedulingHarness;

beforeAll(async () => {
  h = await createSchedulingHarness({ now: '2030-01-07T08:00:00.000Z' });
});

afterAll(async () => {
  await h?.close();
});

async function book(user: TestUser, serviceId: string, start: string, notes?: string): Promise<{ id: string }> {
  const payload = { serviceId, start, ...(notes === undefined ? {} : { notes }) };
  const response = await h.inject({ method: 'POST', url: '/api/v1/bookings', token: user.token, payload });
  if (response.statusCode !== 201) throw new Error(`booking failed: ${response.statusCode} ${response.body}`);
  return response.json();
}

function feedUrl(user: TestUser, providerId: string, method: 'POST' | 'DELETE' = 'POST') {
  return h.inject({ method, url: `/api/v1/providers/${providerId}/calendar-feed`, token: user.token });
}

const unfold = (text: string): string[] => text.replace(/\r\n /g, '').split('\r\n');

describe('ICS feed', () => {
  it('serves the provider’s confirmed bookings as iCalendar behind a secret URL', async () => {
    const { owner, provider, service } = await h.bookableProvider({
      provider: { displayName: 'Dr. Ada, Clinic' },
      service: { name: 'Check-up; extended', location: { kind: 'in_person', address: '1 Main St, Springfield' } },
    });
    const client = await h.registerUser('client');
    const confirmed = await book(client, service.id, '2030-01-08T09:00:00Z', 'Knee, left side');
    const cancelled = await book(client, service.id, '2030-01-08T10:00:00Z');
    await h.inject({ method: 'POST', url: `/api/v1/bookings/${cancelled.id}/cancel`, token: client.token });
    const paid = await h.createService(owner.token, provider.id, { name: 'Paid', priceAmount: 100, currency: 'EUR' });
    const held = await book(client, paid.id, '2030-01-08T11:00:00Z');

    const created = await feedUrl(owner, provider.id);
    expect(created.statusCode).toBe(201);
    const { url } = created.json<{ url: string }>();
    expect(url).toMatch(/^\/api\/v1\/calendar-feeds\/[A-Za-z0-9_-]{43}\.ics$/);

    // Public: the URL is the credential.
    const feed = await h.inject({ method: 'GET', url });
    expect(feed.statusCode).toBe(200);
    expect(feed.headers['content-type']).toBe('text/calendar; charset=utf-8');
    expect(feed.body.endsWith('END:VCALENDAR\r\n')).toBe(true);
    expect(feed.body.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    for (const line of feed.body.split('\r\n')) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);

    const lines = unfold(feed.body);
    expect(lines).toContain('X-WR-CALNAME:Dr. Ada\\, Clinic');
    expect(lines.filter((line) => line === 'BEGIN:VEVENT')).toHaveLength(1);
    expect(lines).toEqual(
      expect.arrayContaining([
        `UID:${confirmed.id}@timeslot`,
        'DTSTART:20300108T090000Z',
        'DTEND:20300108T093000Z',
        'SUMMARY:Check-up\\; extended',
        'DESCRIPTION:Knee\\, left side',
        'LOCATION:1 Main St\\, Springfield',
      ]),
    );
    expect(lines.some((line) => /^DTSTAMP:\d{8}T\d{6}Z$/.test(line))).toBe(true);
    expect(feed.body).not.toContain(cancelled.id);
    expect(feed.body).not.toContain(held.id);

    // The token is never stored, only its hash.
    const stored = await h.database.query<{ token_hash: string }>(`select token_hash from "${h.context.options.schema}".ics_feeds where provider_id = $1`, [
      provider.id,
    ]);
    expect(stored).toHaveLength(1);
    expect(url).not.toContain(stored[0]!.token_hash);
  });

  it('rotates (the old URL stops working) and revokes', async () => {
    const { owner, provider } = await h.bookableProvider();
    const first = (await feedUrl(owner, provider.id)).json<{ url: string }>().url;
    const second = (await feedUrl(owner, provider.id)).json<{ url: string }>().url;
    expect(second).not.toBe(first);

    const old = await h.inject({ method: 'GET', url: first });
    expect(old.statusCode).toBe(404);
    expect(old.json()).toMatchObject({ code: 'FEED_NOT_FOUND' });
    expect((await h.inject({ method: 'GET', url: second })).statusCode).toBe(200);

    expect((await feedUrl(owner, provider.id, 'DELETE')).statusCode).toBe(204);
    expect((await h.inject({ method: 'GET', url: second })).statusCode).toBe(404);
    const again = await feedUrl(owner, provider.id, 'DELETE');
    expect(again.statusCode).toBe(404);
    expect(again.json()).toMatchObject({ code: 'FEED_NOT_FOUND' });
  });

  it('lets only the profile’s owner manage its feed', async () => {
    const { provider } = await h.bookableProvider();
    const other = await h.registerUser('provider');
    const client = await h.registerUser('client');
    for (const user of [other, client]) {
      expect((await feedUrl(user, provider.id)).statusCode).toBe(403);
      expect((await feedUrl(user, provider.id, 'DELETE')).statusCode).toBe(403);
    }
    expect((await h.inject({ method: 'POST', url: `/api/v1/providers/${provider.id}/calendar-feed` })).statusCode).toBe(401);
    expect((await feedUrl(client, '00000000-0000-4000-8000-000000000000')).statusCode).toBe(404);
    expect((await feedUrl(client, 'nope')).statusCode).toBe(400);
  });

  it('answers 404 for an unknown token and 400 for one that cannot be a token', async () => {
    const unknown = await h.inject({ method: 'GET', url: `/api/v1/calendar-feeds/${'A'.repeat(43)}.ics` });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toMatchObject({ code: 'FEED_NOT_FOUND' });
    expect((await h.inject({ method: 'GET', url: '/api/v1/calendar-feeds/short.ics' })).statusCode).toBe(400);
  });
});
