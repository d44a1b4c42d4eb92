import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { EventEnvelope, Subscription } from '@timeslot/ports';
import { createHarness, register, uniqueEmail, type Harness } from './harness';

let h: Harness;
let subscription: Subscription;
const received: EventEnvelope[] = [];
const waiters: Array<() => void> = [];

beforeAll(async () => {
  h = await createHarness();
  subscription = await h.bus.subscribe('identity-test', ['user.*'], async (event) => {
    received.push(event);
    for (const wake of waiters.splice(0)) wake();
  });
  await h.service.start();
});

afterAll(async () => {
  await subscription.close();
  await h.close();
});

/** Resolves with the first received event matching `predicate`, waiting for the relay if needed. */
async function eventMatching(predicate: (event: EventEnvelope) => boolean, timeoutMs = 5000): Promise<EventEnvelope> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = received.find(predicate);
    if (found) return found;
    const left = deadline - Date.now();
    if (left <= 0) throw new Error('event not received in time');
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, left);
      waiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}

describe('events', () => {
  it('writes user.registered to the outbox with the account and the relay publishes it', async () => {
    const email = uniqueEmail('Evented');
    const response = await h.app.inject({
      method: 'POST',
      url: '/api/v1/auth/register',
      headers: { 'x-request-id': 'req-register-1' },
      payload: { email, password: 'long enough password', name: 'Eve', role: 'provider', timeZone: 'Europe/Berlin', locale: 'de-DE' },
    });
    expect(response.statusCode).toBe(201);
    const userId = response.json().user.id;

    const event = await eventMatching((e) => e.type === 'user.registered' && (e.data as { userId: string }).userId === userId);
    expect(event).toMatchObject({
      type: 'user.registered',
      version: 1,
      source: 'identity',
      requestId: 'req-register-1',
      data: { userId, email, name: 'Eve', role: 'provider', timeZone: 'Europe/Berlin', locale: 'de-DE' },
    });

    // The relay marks the row sent after publishing it, as background work on PGlite (requests'
    // statements go first), so the mark may land just after the consumer has the event.
    await vi.waitFor(async () => {
      const rows = await h.database.query<{ id: string; sent: boolean }>(
        `select id, sent_at is not null as sent from identity.outbox where type = 'user.registered' and payload->'data'->>'userId' = $1`,
        [userId],
      );
      expect(rows).toEqual([{ id: event.id, sent: true }]);
    });
  });

  it('writes user.updated for a profile change, carrying the request id', async () => {
    const session = (await register(h.app, { email: uniqueEmail() })).json();
    const response = await h.app.inject({
      method: 'PATCH',
      url: '/api/v1/users/me',
      headers: { authorization: `Bearer ${session.accessToken}`, 'x-request-id': 'req-patch-1' },
      payload: { name: 'Renamed', locale: 'fr-CA' },
    });
    expect(response.statusCode).toBe(200);
    const event = await eventMatching((e) => e.type === 'user.updated' && (e.data as { userId: string }).userId === session.user.id);
    expect(event).toMatchObject({
      source: 'identity',
      requestId: 'req-patch-1',
      data: { userId: session.user.id, name: 'Renamed', timeZone: 'UTC', locale: 'fr-CA' },
    });
  });

  it('writes no event when the change fails', async () => {
    const email = uniqueEmail();
    expect((await register(h.app, { email })).statusCode).toBe(201);
    const before = await h.database.query<{ n: string }>(`select count(*)::text as n from identity.outbox`);
    expect((await register(h.app, { email: email.toUpperCase() })).statusCode).toBe(409);
    const after = await h.database.query<{ n: string }>(`select count(*)::text as n from identity.outbox`);
    expect(after).toEqual(before);
  });
});
