import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '@timeslot/ports/contracts/wait';
import { internalTokenHeader } from '@timeslot/ports';
import { refreshBusy } from '../src/busy/busy.service';
import { createHttpCalendarClient } from '../src/index';
import { createCalendarHarness, type CalendarHarness } from './harness';

/*
 * Busy times of a connected Google Calendar (freeBusy through the real client, against the fake):
 * stored, served with their freshness, announced when they change, kept as the last known ones
 * (stale) while Google is down. And the internal routes scheduling calls over HTTP, which only
 * a holder of the service token may use.
 */

const internalToken = `internal-${randomUUID()}`;
let h: CalendarHarness;
let baseUrl: string;

beforeAll(async () => {
  h = await createCalendarHarness({ googleTimeoutMs: 500, options: { internalToken } });
  baseUrl = await h.app.listen({ host: '127.0.0.1', port: 0 });
});

afterAll(async () => {
  await h?.close();
});

const window = { from: new Date(Date.now() + 86_400_000), to: new Date(Date.now() + 3 * 86_400_000) };
const hour = (offset: number) => new Date(Math.floor(window.from.getTime() / 3_600_000) * 3_600_000 + offset * 3_600_000).toISOString();

const busyChanged = (userId: string) =>
  h.published.filter((event) => event.type === 'calendar.busy_changed' && (event.data as { providerUserId: string }).providerUserId === userId).length;

describe('busy times', () => {
  it('are read from Google when connecting, and served with their freshness', async () => {
    h.google.setBusy('busy@example.com', [{ start: hour(2), end: hour(3) }]);
    const provider = await h.connect('busy@example.com');
    const busy = await h.calendar.client.busyTimes(provider.userId, window.from, window.to);
    expect(busy).toEqual({ connected: true, stale: false, periods: [{ start: hour(2), end: hour(3) }] });
    expect(await h.calendar.client.busyTimes(randomUUID(), window.from, window.to)).toEqual({ connected: false, stale: false, periods: [] });
    const freeBusy = h.google.requests.find((r) => r.path === '/calendar/v3/freeBusy' && r.account === 'busy@example.com');
    expect(freeBusy?.body).toMatchObject({ items: [{ id: 'primary' }] });
  });

  it('are announced (calendar.busy_changed) when they change, and only then', async () => {
    h.google.setBusy('changes@example.com', []);
    const provider = await h.connect('changes@example.com');
    // Connecting announces twice: the connection, then its first busy times.
    await eventually(async () => busyChanged(provider.userId), (n) => n >= 2);
    const before = busyChanged(provider.userId);
    expect(await refreshBusy(h.calendar.context, provider.userId)).toBe('unchanged');
    h.google.setBusy('changes@example.com', [{ start: hour(5), end: hour(7) }]);
    expect(await refreshBusy(h.calendar.context, provider.userId)).toBe('changed');
    await eventually(async () => busyChanged(provider.userId), (n) => n > before);
    expect(busyChanged(provider.userId)).toBe(before + 1);
    expect((await h.calendar.client.busyTimes(provider.userId, window.from, window.to)).periods).toEqual([{ start: hour(5), end: hour(7) }]);
  });

  it('stay the last known ones while Google is down, flagged stale, and fresh again once it is back', async () => {
    h.google.setBusy('down@example.com', [{ start: hour(10), end: hour(11) }]);
    const provider = await h.connect('down@example.com');
    // Connecting announces twice: the connection, then its first busy times.
    await eventually(async () => busyChanged(provider.userId), (n) => n >= 2);
    const before = busyChanged(provider.userId);
    h.google.setApi('fail');
    try {
      expect(await refreshBusy(h.calendar.context, provider.userId)).toBe('failed');
      expect(await refreshBusy(h.calendar.context, provider.userId)).toBe('failed');
    } finally {
      h.google.setApi('ok');
    }
    expect(await h.calendar.client.busyTimes(provider.userId, window.from, window.to)).toEqual({
      connected: true,
      stale: true,
      periods: [{ start: hour(10), end: hour(11) }],
    });
    // Turning stale is news (once); failing again is not.
    await eventually(async () => busyChanged(provider.userId), (n) => n > before);
    expect(busyChanged(provider.userId)).toBe(before + 1);
    expect(await refreshBusy(h.calendar.context, provider.userId)).toBe('changed');
    expect((await h.calendar.client.busyTimes(provider.userId, window.from, window.to)).stale).toBe(false);
  });

  it('are refreshed by the sweep when due', async () => {
    h.google.setBusy('sweep@example.com', []);
    const provider = await h.connect('sweep@example.com');
    h.google.setBusy('sweep@example.com', [{ start: hour(20), end: hour(21) }]);
    await h.database.query('update calendar.google_connections set next_sync_at = now() - interval \'1 second\' where user_id = $1', [provider.userId]);
    const result = await h.calendar.sweep();
    expect(result.synced).toBeGreaterThanOrEqual(1);
    expect((await h.calendar.client.busyTimes(provider.userId, window.from, window.to)).periods).toEqual([{ start: hour(20), end: hour(21) }]);
  });
});

describe('the internal routes', () => {
  it('serve meetings and busy times to a holder of the service token, through the HTTP client', async () => {
    h.google.setBusy('http@example.com', [{ start: hour(30), end: hour(31) }]);
    const provider = await h.connect('http@example.com');
    const client = createHttpCalendarClient({ url: baseUrl, internalToken, timeoutMs: 2000 });
    try {
      const ask = {
        bookingId: randomUUID(),
        providerUserId: provider.userId,
        clientId: randomUUID(),
        serviceName: 'Consultation',
        providerName: 'Ada',
        timeZone: 'UTC',
        startsAt: hour(40),
        endsAt: hour(41),
      };
      const meeting = await client.ensureMeeting(ask);
      expect(meeting).toEqual(await h.calendar.client.ensureMeeting(ask));
      expect(meeting.provider).toBe('google');
      await client.dropMeeting(ask.bookingId);
      expect((await h.database.query<{ state: string }>('select state from calendar.meetings where booking_id = $1', [ask.bookingId]))[0]?.state).toBe('dropped');
      expect(await client.busyTimes(provider.userId, window.from, window.to)).toEqual({ connected: true, stale: false, periods: [{ start: hour(30), end: hour(31) }] });
    } finally {
      await client.close();
    }
  });

  it('refuse callers without the token or with another one (401 SERVICE_TOKEN_INVALID), and a bad range (400)', async () => {
    const url = `/api/v1/internal/busy-times/${randomUUID()}?from=${window.from.toISOString()}&to=${window.to.toISOString()}`;
    const without = await h.inject({ method: 'GET', url });
    expect(without.statusCode).toBe(401);
    expect(without.json()).toMatchObject({ code: 'SERVICE_TOKEN_INVALID' });
    const wrong = await h.inject({ method: 'GET', url, headers: { [internalTokenHeader]: `${internalToken}x` } });
    expect(wrong.statusCode).toBe(401);
    // A user's access token is no service token.
    const user = await h.token('admin');
    expect((await h.inject({ method: 'GET', url, bearer: user.bearer })).statusCode).toBe(401);
    const backwards = await h.inject({
      method: 'GET',
      url: `/api/v1/internal/busy-times/${randomUUID()}?from=${window.to.toISOString()}&to=${window.from.toISOString()}`,
      headers: { [internalTokenHeader]: internalToken },
    });
    expect(backwards.statusCode).toBe(400);
    const client = createHttpCalendarClient({ url: baseUrl, internalToken: 'not-it', timeoutMs: 2000 });
    try {
      await expect(client.busyTimes(randomUUID(), window.from, window.to)).rejects.toThrow(/401 SERVICE_TOKEN_INVALID/);
    } finally {
      await client.close();
    }
  });

  it('are left out of the OpenAPI document', async () => {
    const doc = (await h.inject({ method: 'GET', url: '/openapi.json' })).json<{ paths: Record<string, unknown> }>();
    expect(Object.keys(doc.paths).filter((path) => path.includes('/internal/'))).toEqual([]);
    expect(Object.keys(doc.paths)).toContain('/api/v1/calendar/connections');
  });
});
