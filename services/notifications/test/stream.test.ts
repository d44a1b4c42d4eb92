import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '@timeslot/kernel';
import { events } from '@timeslot/ports';
import { eventually } from '@timeslot/ports/contracts/wait';
import { bookingSnapshot, createHarness, eventOf, mountService, type Harness, type TestUser } from './harness';
import { isNotification, notificationOf, openSse, type SseConnection } from './sse';

/*
 * The live stream over real sockets (fetch reading the body as a browser would), on one PGlite
 * with the in-process bus: entries arrive as they are stored, authentication by header or query
 * (never logged), resumption with Last-Event-ID, a cap per user, heartbeats, and shutdown.
 */

let h: Harness;
let base: string;
const logLines: string[] = [];
const open: SseConnection[] = [];

beforeAll(async () => {
  h = await createHarness({ start: true, logLines, options: { streamHeartbeatMs: 100, maxStreamsPerUser: 3 } });
  base = `${await h.app.listen({ host: '127.0.0.1', port: 0 })}/api/v1/notifications/stream`;
});

afterAll(async () => {
  for (const connection of open) connection.close();
  await h.close();
});

async function connect(options: Parameters<typeof openSse>[1] & { query?: string } = {}): Promise<SseConnection> {
  const connection = await openSse(`${base}${options.query ?? ''}`, options);
  open.push(connection);
  return connection;
}

async function confirmFor(user: TestUser): Promise<string> {
  const booking = bookingSnapshot(user, undefined);
  await h.handle(eventOf(events.bookingConfirmed, booking));
  return booking.bookingId;
}

describe('the live stream', () => {
  it('opens with a retry hint and pushes each new entry of the user, with its id, as the list shows it', async () => {
    const user = await h.user();
    const other = await h.user();
    const stream = await connect({ token: user.token });
    expect(stream.status).toBe(200);
    expect(stream.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(stream.headers.get('cache-control')).toBe('no-cache, no-transform');
    expect((await stream.next((frame) => frame.retry !== undefined)).retry).toBe(3000);

    await confirmFor(other);
    const bookingId = await confirmFor(user);

    const frame = await stream.next(isNotification);
    const listed = (await h.inject({ method: 'GET', url: '/api/v1/notifications?limit=1', token: user.token })).json<{ items: unknown[] }>().items[0];
    expect(frame.id).toBe((listed as { id: string }).id);
    expect(notificationOf(frame)).toEqual(listed);
    expect(notificationOf(frame).data.bookingId).toBe(bookingId);
    // The welcome was stored before the stream opened, and the other user's entry is theirs.
    expect(stream.frames.filter(isNotification)).toHaveLength(1);
  });

  it('sends heartbeat comments while idle', async () => {
    const user = await h.user();
    const stream = await connect({ token: user.token });

    const frame = await stream.next((f) => f.comments.includes('heartbeat'));
    expect(frame.event).toBeUndefined();
  });

  it('takes the access token from ?access_token= on this route only, and never logs it', async () => {
    const user = await h.user();
    const stream = await connect({ query: `?access_token=${user.token}` });
    expect(stream.status).toBe(200);
    await confirmFor(user);
    expect(notificationOf(await stream.next(isNotification)).kind).toBe('booking_confirmed');

    const elsewhere = await h.inject({ method: 'GET', url: `/api/v1/notifications/unread-count?access_token=${user.token}` });
    expect(elsewhere.statusCode).toBe(401);
    const forged = await connect({ query: '?access_token=not.a.token' });
    expect(forged.status).toBe(401);
    expect(JSON.parse(forged.problem)).toMatchObject({ code: 'INVALID_TOKEN', instance: '/api/v1/notifications/stream' });
    const unknownParameter = await connect({ token: user.token, query: '?since=yesterday' });
    expect(unknownParameter.status).toBe(400);

    await eventually(async () => logLines.filter((line) => line.includes('/api/v1/notifications/stream')).length, (n) => n >= 2);
    expect(logLines.some((line) => line.includes('"route":"/api/v1/notifications/stream"'))).toBe(true);
    expect(logLines.filter((line) => line.includes(user.token))).toEqual([]);
    expect(logLines.filter((line) => line.includes('access_token=')).map((line) => line.replace(/access_token=\S+/, 'access_token=[what]'))).toEqual([]);
  });

  it('refuses a stream without a token', async () => {
    const stream = await connect();
    expect(stream.status).toBe(401);
    expect(JSON.parse(stream.problem)).toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('resumes after Last-Event-ID with what was stored meanwhile, in order, and ignores an id that is not the user’s', async () => {
    const user = await h.user();
    const first = await connect({ token: user.token });
    await confirmFor(user);
    const seen = await first.next(isNotification);
    first.close();

    await confirmFor(user);
    await confirmFor(user);
    const listed = (await h.inject({ method: 'GET', url: '/api/v1/notifications?limit=2', token: user.token })).json<{ items: { id: string }[] }>().items;

    const resumed = await connect({ token: user.token, lastEventId: seen.id! });
    const replay = [await resumed.next(isNotification), await resumed.next((f) => isNotification(f) && f.id !== resumed.frames.find(isNotification)?.id)];
    expect(replay.map((frame) => frame.id)).toEqual(listed.map((entry) => entry.id).reverse());

    const stranger = await h.user();
    await confirmFor(stranger);
    const strangersEntry = (await h.inject({ method: 'GET', url: '/api/v1/notifications?limit=1', token: stranger.token })).json<{ items: { id: string }[] }>().items[0]!;
    for (const lastEventId of [strangersEntry.id, 'not-an-id']) {
      const fresh = await connect({ token: user.token, lastEventId });
      await fresh.next((frame) => frame.comments.includes('heartbeat'));
      expect(fresh.frames.filter(isNotification)).toEqual([]);
    }
  });

  it('caps open streams per user (429 TOO_MANY_STREAMS) and frees a slot when one closes', async () => {
    const user = await h.user();
    const streams = [await connect({ token: user.token }), await connect({ token: user.token }), await connect({ token: user.token })];
    expect(streams.map((stream) => stream.status)).toEqual([200, 200, 200]);

    const refused = await connect({ token: user.token });
    expect(refused.status).toBe(429);
    expect(JSON.parse(refused.problem)).toMatchObject({ code: 'TOO_MANY_STREAMS' });
    expect(refused.headers.get('retry-after')).toBe('5');
    const someoneElse = await connect({ token: (await h.user()).token });
    expect(someoneElse.status).toBe(200);

    const before = h.service.streams.size();
    streams[0]!.close();
    await eventually(async () => h.service.streams.size(), (size) => size === before - 1);
    expect((await connect({ token: user.token })).status).toBe(200);
  });

  it('ends open streams when the server closes, so closing is not held up by them', async () => {
    const second = await mountService(h.service, h.issuer, createLogger({ level: 'silent' }), 'notifications-second');
    const url = `${await second.listen({ host: '127.0.0.1', port: 0 })}/api/v1/notifications/stream`;
    const user = await h.user();
    const stream = await openSse(url, { token: user.token });
    await stream.next((frame) => frame.retry !== undefined);

    await second.close();

    await stream.ended;
    expect(stream.frames.length).toBeGreaterThan(0);
  });
});
