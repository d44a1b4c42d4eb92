import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EventBus, EventEnvelope } from '../event-bus';
import { Seen, deferred, sleep, eventually } from './wait';

export interface EventBusContractHandles {
  readonly bus: EventBus;
  /** Another process's handle on the same broker. */
  readonly replica: EventBus;
  cleanup(): Promise<void>;
}

function event(type: string, data: unknown = { n: 1 }): EventEnvelope {
  return {
    id: randomUUID(),
    type,
    version: 1,
    occurredAt: new Date().toISOString(),
    source: 'contract',
    requestId: `req-${randomUUID()}`,
    data,
  };
}

/** How long to wait when asserting that something did NOT arrive. */
const QUIET_MS = 100;

/** The EventBus contract: every adapter must pass it unchanged, against a real broker. */
export function eventBusContract(name: string, make: () => Promise<EventBusContractHandles>): void {
  describe(`EventBus contract: ${name}`, () => {
    let handles: EventBusContractHandles;
    let bus: EventBus;
    let replica: EventBus;

    beforeEach(async () => {
      handles = await make();
      ({ bus, replica } = handles);
    });
    afterEach(async () => {
      await handles.cleanup();
    });

    it('delivers a published event to a subscriber with its envelope intact', async () => {
      const seen = new Seen<EventEnvelope>();
      await bus.subscribe('audit', ['booking.created'], async (e) => seen.add(e));
      const published = event('booking.created', { bookingId: 'b-1', at: '2030-01-01T10:00:00.000Z', seats: [1, 2] });

      await replica.publish([published]);

      const [received] = await seen.atLeast(1);
      expect(received).toEqual(published);
    });

    it('delivers a batch of events, each once', async () => {
      const seen = new Seen<EventEnvelope>();
      await bus.subscribe('ledger', ['payment.*'], async (e) => seen.add(e));
      const batch = Array.from({ length: 25 }, (_, i) => event('payment.captured', { i }));

      await bus.publish(batch);

      await seen.atLeast(batch.length);
      await sleep(QUIET_MS);
      expect(seen.items.map((e) => e.id).sort()).toEqual(batch.map((e) => e.id).sort());
    });

    it('gives each consumer name its own copy', async () => {
      const mailer = new Seen<EventEnvelope>();
      const billing = new Seen<EventEnvelope>();
      await bus.subscribe('mailer', ['booking.*'], async (e) => mailer.add(e));
      await replica.subscribe('billing', ['booking.*'], async (e) => billing.add(e));
      const batch = [event('booking.created'), event('booking.cancelled'), event('booking.confirmed')];

      await bus.publish(batch);

      const ids = batch.map((e) => e.id);
      expect((await mailer.atLeast(3)).map((e) => e.id)).toEqual(ids);
      expect((await billing.atLeast(3)).map((e) => e.id)).toEqual(ids);
    });

    it('splits events between replicas subscribed under one consumer name, each exactly once', async () => {
      const onBus = new Seen<string>();
      const onReplica = new Seen<string>();
      const all = new Seen<string>();
      await bus.subscribe('workers', ['booking.#'], async (e) => {
        onBus.add(e.id);
        all.add(e.id);
      });
      await replica.subscribe('workers', ['booking.#'], async (e) => {
        onReplica.add(e.id);
        all.add(e.id);
      });
      const batch = Array.from({ length: 20 }, (_, i) => event('booking.created', { i }));

      await bus.publish(batch);

      await all.atLeast(batch.length);
      await sleep(QUIET_MS);
      expect([...all.items].sort()).toEqual(batch.map((e) => e.id).sort());
      expect(onBus.items.length).toBeGreaterThan(0);
      expect(onReplica.items.length).toBeGreaterThan(0);
    });

    it('matches topic patterns as AMQP does (* is one word, # is zero or more)', async () => {
      const types = ['booking.created', 'booking.slot.held', 'payment.captured', 'booking', 'booking.done'];
      const star = new Seen<string>();
      const hash = new Seen<string>();
      const bookingHash = new Seen<string>();
      const single = new Seen<string>();
      // prefetch 1 keeps each queue in order, so the last event proves nothing else is on its way.
      await bus.subscribe('star', ['booking.*'], async (e) => star.add(e.type), { prefetch: 1 });
      await bus.subscribe('hash', ['#'], async (e) => hash.add(e.type), { prefetch: 1 });
      await bus.subscribe('booking-hash', ['booking.#'], async (e) => bookingHash.add(e.type), { prefetch: 1 });
      await bus.subscribe('single', ['*', '*.done'], async (e) => single.add(e.type), { prefetch: 1 });

      await bus.publish(types.map((type) => event(type)));

      expect(await hash.atLeast(5)).toEqual(types);
      expect(await star.atLeast(2)).toEqual(['booking.created', 'booking.done']);
      expect(await bookingHash.atLeast(4)).toEqual(['booking.created', 'booking.slot.held', 'booking', 'booking.done']);
      expect(await single.atLeast(2)).toEqual(['booking', 'booking.done']);
      await sleep(QUIET_MS);
      expect(star.items).toHaveLength(2);
      expect(single.items).toHaveLength(2);
    });

    it('retries a failing handler with the same event, with backoff, until it succeeds', async () => {
      const calls = new Seen<string>();
      const times: number[] = [];
      await bus.subscribe(
        'flaky',
        ['booking.created'],
        async (e) => {
          times.push(Date.now());
          calls.add(e.id);
          if (calls.items.length < 3) throw new Error(`transient failure ${calls.items.length}`);
        },
        { maxAttempts: 5, retryDelayMs: 30 },
      );
      const published = event('booking.created');

      await bus.publish([published]);

      expect(await calls.atLeast(3)).toEqual([published.id, published.id, published.id]);
      // Backoff, not a hot loop: 30 ms, then 60 ms.
      expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(25);
      expect(times[2]! - times[1]!).toBeGreaterThanOrEqual(55);
      await sleep(QUIET_MS);
      expect(calls.items).toHaveLength(3);
      expect(await bus.deadLetters('flaky')).toEqual([]);
    });

    it('dead-letters an event after maxAttempts instead of looping', async () => {
      const calls = new Seen<string>();
      await bus.subscribe(
        'broken',
        ['booking.created'],
        async (e) => {
          calls.add(e.id);
          throw new Error('always fails');
        },
        { maxAttempts: 3, retryDelayMs: 10 },
      );
      const doomed = event('booking.created', { bookingId: 'b-9' });

      await bus.publish([doomed]);

      await calls.atLeast(3);
      const dead = await eventually(() => replica.deadLetters('broken'), (events) => events.length > 0);
      expect(dead).toEqual([doomed]);
      await sleep(QUIET_MS);
      expect(calls.items).toEqual([doomed.id, doomed.id, doomed.id]);
      // Reading dead letters does not consume them.
      expect(await bus.deadLetters('broken')).toEqual([doomed]);
      expect(await bus.deadLetters('nobody')).toEqual([]);
    });

    it('runs at most `prefetch` handlers at once per subscription', async () => {
      let running = 0;
      let peak = 0;
      const done = new Seen<string>();
      await bus.subscribe(
        'throttled',
        ['booking.created'],
        async (e) => {
          running++;
          peak = Math.max(peak, running);
          await sleep(20);
          running--;
          done.add(e.id);
        },
        { prefetch: 2 },
      );

      await bus.publish(Array.from({ length: 6 }, () => event('booking.created')));

      await done.atLeast(6);
      expect(peak).toBe(2);
    });

    it('stops delivering to a closed subscription and keeps its events for the consumer', async () => {
      const first = new Seen<string>();
      const subscription = await bus.subscribe('inbox', ['booking.created'], async (e) => first.add(e.id));
      await subscription.close();
      const waiting = event('booking.created');

      await replica.publish([waiting]);
      await sleep(QUIET_MS);
      expect(first.items).toEqual([]);

      const second = new Seen<string>();
      await bus.subscribe('inbox', ['booking.created'], async (e) => second.add(e.id));
      expect(await second.atLeast(1)).toEqual([waiting.id]);
    });

    it('close waits for handlers in flight, then refuses to publish', async () => {
      const started = deferred();
      const release = deferred();
      let finished = false;
      await bus.subscribe('slow', ['booking.created'], async () => {
        started.resolve();
        await release.promise;
        finished = true;
      });
      await bus.publish([event('booking.created')]);
      await started.promise;

      let finishedWhenClosed: boolean | undefined;
      const closed = bus.close().then(() => {
        finishedWhenClosed = finished;
      });
      await sleep(20);
      expect(finishedWhenClosed).toBeUndefined();
      release.resolve();
      await closed;

      expect(finishedWhenClosed).toBe(true);
      await expect(bus.publish([event('booking.created')])).rejects.toThrow();
    });

    it('rejects a batch holding an invalid envelope and publishes none of it', async () => {
      const seen = new Seen<string>();
      await bus.subscribe('strict', ['#'], async (e) => seen.add(e.id));
      const good = event('booking.created');
      const bad = { ...event('booking.created'), id: 'not-a-uuid' };

      await expect(bus.publish([good, bad])).rejects.toThrow();
      const marker = event('booking.marker');
      await bus.publish([marker]);

      // The queue is FIFO: had `good` gone out, it would arrive before the marker.
      const [first] = await seen.atLeast(1);
      expect(first).toBe(marker.id);
    });

    it('gives every broadcast subscription its own copy, even under one consumer name', async () => {
      const first = new Seen<string>();
      const second = new Seen<string>();
      const durable = new Seen<string>();
      await bus.subscribe('live', ['note.*'], async (e) => first.add(e.id), { broadcast: true });
      await replica.subscribe('live', ['note.*'], async (e) => second.add(e.id), { broadcast: true });
      // A durable consumer of the same patterns keeps its own copy, as ever.
      await replica.subscribe('archive', ['note.*'], async (e) => durable.add(e.id));
      const batch = [event('note.created'), event('note.created'), event('other.created')];

      await bus.publish(batch);

      const expected = [batch[0]!.id, batch[1]!.id];
      expect(await first.atLeast(2)).toEqual(expected);
      expect(await second.atLeast(2)).toEqual(expected);
      expect(await durable.atLeast(2)).toEqual(expected);
      await sleep(QUIET_MS);
      expect(first.items).toHaveLength(2);
      expect(second.items).toHaveLength(2);
    });

    it('keeps nothing for a broadcast subscription before it subscribes or after it closes', async () => {
      await replica.publish([event('note.created', { early: true })]);
      const seen = new Seen<string>();
      const subscription = await bus.subscribe('live', ['note.*'], async (e) => seen.add(e.id), { broadcast: true });
      const live = event('note.created');
      await replica.publish([live]);
      expect(await seen.atLeast(1)).toEqual([live.id]);

      await subscription.close();
      await replica.publish([event('note.created', { late: true })]);
      const again = new Seen<string>();
      await bus.subscribe('live', ['note.*'], async (e) => again.add(e.id), { broadcast: true });
      const marker = event('note.created', { marker: true });
      await replica.publish([marker]);

      expect(await again.atLeast(1)).toEqual([marker.id]);
      await sleep(QUIET_MS);
      expect(seen.items).toEqual([live.id]);
      expect(again.items).toEqual([marker.id]);
    });

    it('drops the event a broadcast handler throws on, without retrying or dead-lettering it', async () => {
      const calls = new Seen<string>();
      await bus.subscribe(
        'live',
        ['note.*'],
        async (e) => {
          calls.add(e.id);
          if (calls.items.length === 1) throw new Error('this push failed');
        },
        { broadcast: true, prefetch: 1, maxAttempts: 5, retryDelayMs: 10 },
      );
      const failing = event('note.created');
      const next = event('note.created');

      await replica.publish([failing, next]);

      expect(await calls.atLeast(2)).toEqual([failing.id, next.id]);
      await sleep(QUIET_MS);
      expect(calls.items).toEqual([failing.id, next.id]);
      expect(await bus.deadLetters('live')).toEqual([]);
    });

    it('answers ping while open', async () => {
      await expect(bus.ping()).resolves.toBeUndefined();
      await expect(replica.ping()).resolves.toBeUndefined();
    });
  });
}
