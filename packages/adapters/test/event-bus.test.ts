import { randomUUID } from 'node:crypto';
import { Socket } from 'node:net';
import amqp from 'amqplib';
import type { Channel, ChannelModel } from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventBusContract } from '@timeslot/ports/contracts/index';
import type { EventBus, EventEnvelope } from '@timeslot/ports';
import { testServers, uniqueName } from '@timeslot/testing';
import { createMemoryEventBus } from '../src/event-bus/memory';
import { createRabbitMqEventBus, deleteRabbitMqConsumer, rabbitMqQueueNames } from '../src/event-bus/rabbitmq';

const quiet = { warn: () => undefined };
const fileExchange = uniqueName('test.events');
let admin: ChannelModel;
let adminChannel: Channel;
/** Every exchange and consumer this file created, removed in afterAll. */
const created = new Map<string, Set<string>>();

beforeAll(async () => {
  admin = await amqp.connect(testServers.amqp);
  adminChannel = await admin.createChannel();
});

afterAll(async () => {
  for (const [exchange, consumers] of created) {
    for (const consumer of consumers) await deleteRabbitMqConsumer(testServers.amqp, exchange, consumer);
    await adminChannel.deleteExchange(exchange);
  }
  await admin.close();
});

/** A RabbitMQ bus whose consumers are recorded for cleanup. */
function rabbitBus(exchange: string): EventBus {
  if (!created.has(exchange)) created.set(exchange, new Set());
  const consumers = created.get(exchange)!;
  const bus = createRabbitMqEventBus({ url: testServers.amqp, exchange, logger: quiet });
  return {
    ...bus,
    subscribe: (consumer, patterns, handler, options) => {
      consumers.add(consumer);
      return bus.subscribe(consumer, patterns, handler, options);
    },
  };
}

function event(type: string, data: unknown = {}): EventEnvelope {
  return { id: randomUUID(), type, version: 1, occurredAt: new Date().toISOString(), source: 'test', requestId: `req-${randomUUID()}`, data };
}

async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

// One process has one in-process broker, so the "replica" is the same bus.
eventBusContract('memory', async () => {
  const bus = createMemoryEventBus({ logger: quiet });
  return { bus, replica: bus, cleanup: () => bus.close() };
});

// Each test gets its own exchange, so queues named after fixed consumer names never meet.
eventBusContract('rabbitmq', async () => {
  const exchange = uniqueName('test.events');
  const bus = rabbitBus(exchange);
  const replica = rabbitBus(exchange);
  return {
    bus,
    replica,
    cleanup: async () => {
      await Promise.all([bus.close(), replica.close()]);
    },
  };
});

describe('RabbitMQ event bus', () => {
  it('publishes persistent messages carrying the id, type and request id', async () => {
    const bus = rabbitBus(fileExchange);
    try {
      await bus.ping(); // declares the exchange
      const { queue } = await adminChannel.assertQueue('', { exclusive: true, autoDelete: true });
      await adminChannel.bindQueue(queue, fileExchange, 'booking.#');
      const published = event('booking.created', { bookingId: 'b-1' });

      await bus.publish([published]);

      const message = await eventually(() => adminChannel.get(queue, { noAck: true }), (m) => m !== false);
      if (message === false) throw new Error('no message published');
      expect(message.properties).toMatchObject({
        deliveryMode: 2,
        messageId: published.id,
        type: 'booking.created',
        contentType: 'application/json',
        headers: { 'x-request-id': published.requestId },
      });
      expect(JSON.parse(message.content.toString())).toEqual(published);
      await adminChannel.deleteQueue(queue);
    } finally {
      await bus.close();
    }
  });

  it('rejects a publish whose channel the broker closes, then recovers on the next one', async () => {
    const exchange = uniqueName('test.events');
    const bus = rabbitBus(exchange);
    try {
      await bus.ping();
      // Publishing to a deleted exchange makes the broker close the channel (404).
      await adminChannel.deleteExchange(exchange);

      await expect(bus.publish([event('booking.created')])).rejects.toThrow(/closed/i);

      await bus.publish([event('booking.created')]);
      await expect(bus.ping()).resolves.toBeUndefined();
    } finally {
      await bus.close();
    }
  });

  it('rejects publish and ping when the broker is unreachable', async () => {
    const bus = createRabbitMqEventBus({ url: 'amqp://guest:guest@127.0.0.1:1', logger: quiet });
    await expect(bus.publish([event('booking.created')])).rejects.toThrow();
    await expect(bus.ping()).rejects.toThrow();
    await bus.close();
  });

  it('dead-letters a message that is not a valid envelope without calling the handler', async () => {
    const bus = rabbitBus(fileExchange);
    const calls: string[] = [];
    try {
      await bus.subscribe('strict', ['malformed.#'], async (e) => {
        calls.push(e.id);
      });
      adminChannel.publish(fileExchange, 'malformed.text', Buffer.from('not json'));
      adminChannel.publish(fileExchange, 'malformed.shape', Buffer.from(JSON.stringify({ id: 'x', type: 'malformed.shape' })));
      const { dlq } = rabbitMqQueueNames(fileExchange, 'strict');

      const dead = await eventually(() => adminChannel.checkQueue(dlq), (q) => q.messageCount === 2);

      expect(dead.messageCount).toBe(2);
      expect(calls).toEqual([]);
      // Not events, so not listed, but kept in the queue for an operator.
      expect(await bus.deadLetters('strict')).toEqual([]);
      expect((await adminChannel.checkQueue(dlq)).messageCount).toBe(2);
    } finally {
      await bus.close();
    }
  });

  it('keeps consuming after its connection drops', async () => {
    const sockets = () =>
      new Set(
        (process as unknown as { _getActiveHandles(): unknown[] })
          ._getActiveHandles()
          .filter((h): h is Socket => h instanceof Socket && h.remotePort === Number(new URL(testServers.amqp).port || 5672)),
      );
    const before = sockets();
    const bus = rabbitBus(fileExchange);
    const publisher = rabbitBus(fileExchange);
    try {
      const received: string[] = [];
      let delivered!: () => void;
      const firstDelivery = new Promise<void>((resolve) => {
        delivered = resolve;
      });
      await bus.subscribe('survivor', ['survivor.#'], async (e) => {
        received.push(e.id);
        delivered();
      });
      const own = [...sockets()].filter((s) => !before.has(s));
      expect(own).toHaveLength(1);

      own[0]!.destroy(new Error('simulated network failure'));
      const afterDrop = event('survivor.ping');
      await publisher.publish([afterDrop]);

      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        firstDelivery,
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error('no delivery after reconnect')), 10_000);
        }),
      ]).finally(() => clearTimeout(timer));
      expect(received).toEqual([afterDrop.id]);
      await eventually(
        () => bus.ping().then(() => true, () => false),
        (ok) => ok,
      );
      await expect(bus.publish([event('survivor.after')])).resolves.toBeUndefined();
    } finally {
      await Promise.all([bus.close(), publisher.close()]);
    }
  });
});
