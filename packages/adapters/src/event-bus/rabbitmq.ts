import amqp from 'amqplib';
import type { ChannelModel, ConfirmChannel, ConsumeMessage, Options } from 'amqplib';
import { eventEnvelopeSchema, withTimeout } from '@timeslot/ports';
import type { EventBus, EventEnvelope, EventHandler, SubscribeOptions, Subscription } from '@timeslot/ports';
import { createOutageReporter } from '../redis/resilience';
import { assertEnvelopes, consoleLogger, resolveSubscribeOptions } from './memory';
import type { EventBusLogger } from './memory';

export interface RabbitMqEventBusOptions {
  readonly url: string;
  /** The durable topic exchange every service publishes to (default `timeslot.events`). */
  readonly exchange?: string;
  readonly logger?: EventBusLogger;
  /** How long `publish` waits for the broker's confirms before rejecting (default 10 s). */
  readonly publishTimeoutMs?: number;
}

const RECONNECT_MIN_MS = 100;
// Short: the outbox relay resumes on the reconnect signal, so this bounds how long events wait
// after the broker is back. A refused connect a second costs the broker nothing.
const RECONNECT_MAX_MS = 1_000;
const CONNECT_TIMEOUT_MS = 5_000;

/** Queue names of one consumer; `<exchange>.<consumer>` is what operators see in RabbitMQ. */
export function rabbitMqQueueNames(exchange: string, consumer: string) {
  const queue = `${exchange}.${consumer}`;
  return { queue, retry: `${queue}.retry`, dlq: `${queue}.dlq` } as const;
}

/** Deletes a consumer's queues (main, retry, dead-letter): for retiring a consumer, and for tests. */
export async function deleteRabbitMqConsumer(url: string, exchange: string, consumer: string): Promise<void> {
  const connection = await amqp.connect(url, { timeout: CONNECT_TIMEOUT_MS });
  try {
    const channel = await connection.createChannel();
    for (const name of Object.values(rabbitMqQueueNames(exchange, consumer))) await channel.deleteQueue(name);
    await channel.close();
  } finally {
    await connection.close();
  }
}

interface Consumer {
  readonly consumer: string;
  readonly patterns: readonly string[];
  readonly handler: EventHandler;
  readonly maxAttempts: number;
  readonly retryDelayMs: number;
  readonly prefetch: number;
  /** A server-named exclusive queue of its own, redeclared on each attach (see SubscribeOptions). */
  readonly broadcast: boolean;
  readonly inFlight: Set<Promise<void>>;
  channel: ConfirmChannel | undefined;
  consumerTag: string | undefined;
  closed: boolean;
}

const ignore = (): undefined => undefined;

/**
 * Shutdown steps are RPCs: on a half-dead socket (before heartbeats notice) they would wait
 * forever, and close() must not.
 */
const SHUTDOWN_STEP_MS = 2_000;
function bounded(step: Promise<unknown>): Promise<unknown> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise((resolve) => {
    timer = setTimeout(resolve, SHUTDOWN_STEP_MS);
  });
  return Promise.race([step.catch(ignore), timeout]).finally(() => clearTimeout(timer));
}

function decode(content: Buffer): EventEnvelope | undefined {
  try {
    const result = eventEnvelopeSchema.safeParse(JSON.parse(content.toString('utf8')));
    return result.success ? result.data : undefined;
  } catch {
    return undefined;
  }
}

function attemptOf(message: ConsumeMessage): number {
  const attempt: unknown = message.properties.headers?.['x-attempt'];
  return typeof attempt === 'number' && Number.isInteger(attempt) && attempt >= 1 ? attempt : 1;
}

/**
 * Properties for re-sending a delivered message. RabbitMQ's own death headers are dropped: they
 * belong to the broker and recent versions refuse or strip them when a client sends them.
 */
function forwardProperties(message: ConsumeMessage, headers: Record<string, unknown>): Options.Publish {
  const kept = Object.fromEntries(
    Object.entries(message.properties.headers ?? {}).filter(([key]) => !/^x-(death|first-death|last-death)/.test(key)),
  );
  const p = message.properties;
  return {
    contentType: p.contentType as string | undefined,
    messageId: p.messageId as string | undefined,
    type: p.type as string | undefined,
    timestamp: p.timestamp as number | undefined,
    appId: p.appId as string | undefined,
    persistent: true,
    headers: { ...kept, ...headers },
  };
}

/**
 * The distributed EventBus: a durable topic exchange; per consumer a durable queue, a retry queue
 * and a dead-letter queue; publisher confirms and manual acks.
 *
 * Retries never hot-loop: a failed message is re-sent to the consumer's retry queue with a
 * per-message expiration and then acked; when it expires RabbitMQ dead-letters it back to the
 * consumer's queue. (Expiry happens at the head of the queue, so a long delay can hold back a
 * shorter one behind it; delays are "at least", which is all the port promises.)
 */
export function createRabbitMqEventBus(options: RabbitMqEventBusOptions): EventBus {
  const exchange = options.exchange ?? 'timeslot.events';
  const logger = options.logger ?? consoleLogger;
  const publishTimeoutMs = options.publishTimeoutMs ?? 10_000;
  const consumers = new Set<Consumer>();
  let connection: ChannelModel | undefined;
  let connecting: Promise<ChannelModel> | undefined;
  let publisher: Promise<ConfirmChannel> | undefined;
  let repairTimer: NodeJS.Timeout | undefined;
  let repairAttempt = 0;
  let closing: Promise<void> | undefined;
  const reconnectListeners = new Set<() => void>();
  // Lost means a repair is under way; its success is what listeners hear about.
  let lost = false;
  const outage = createOutageReporter({ warn: (obj, msg) => logger.warn(obj, msg), info: (obj, msg) => logger.warn(obj, msg) }, { dependency: 'rabbitmq', exchange });

  function reconnected(): void {
    if (!lost) return;
    lost = false;
    outage.recovered();
    for (const listener of reconnectListeners) {
      try {
        listener();
      } catch (error) {
        logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'A reconnect listener failed');
      }
    }
  }

  async function open(): Promise<ChannelModel> {
    const conn = await amqp.connect(options.url, { timeout: CONNECT_TIMEOUT_MS });
    conn.on('error', (error: Error) => logger.warn({ err: error.message }, 'RabbitMQ connection error'));
    conn.on('close', () => connectionLost(conn));
    if (closing) {
      await conn.close().catch(ignore);
      throw new Error('The event bus is closed.');
    }
    return conn;
  }

  /**
   * The open connection, or one attempt to open it. While a reconnect is pending it rejects at
   * once: a publisher should fail fast (the outbox relay retries) rather than wait on an outage.
   */
  function connect(): Promise<ChannelModel> {
    if (closing) return Promise.reject(new Error('The event bus is closed.'));
    if (connection) return Promise.resolve(connection);
    if (repairTimer) return Promise.reject(new Error('RabbitMQ is unreachable; reconnecting.'));
    connecting ??= open()
      .then(
        (conn) => {
          connection = conn;
          reconnected();
          return conn;
        },
        (error: unknown) => {
          // From now on callers fail fast and a repair loop reconnects (and signals it) alone.
          lost = true;
          outage.failed(error);
          scheduleRepair();
          throw error;
        },
      )
      .finally(() => {
        connecting = undefined;
      });
    return connecting;
  }

  function connectionLost(conn: ChannelModel): void {
    if (conn !== connection) return;
    connection = undefined;
    publisher = undefined;
    for (const consumer of consumers) {
      consumer.channel = undefined;
      consumer.consumerTag = undefined;
    }
    if (closing) return;
    lost = true;
    outage.failed(new Error('RabbitMQ connection lost'));
    scheduleRepair();
  }

  /** Reconnects if needed and re-attaches every consumer that lost its channel, with backoff. */
  function scheduleRepair(): void {
    if (repairTimer || closing) return;
    const delayMs = Math.min(RECONNECT_MAX_MS, RECONNECT_MIN_MS * 2 ** repairAttempt);
    repairAttempt++;
    repairTimer = setTimeout(() => {
      repairTimer = undefined;
      void repair();
    }, delayMs);
  }

  async function repair(): Promise<void> {
    try {
      const conn = await connect();
      for (const consumer of consumers) {
        if (!consumer.closed && !consumer.channel) await attach(consumer, conn);
      }
      repairAttempt = 0;
    } catch {
      // connect() reported it and scheduled the next try; a failed attach is retried here.
      scheduleRepair();
    }
  }

  function publisherChannel(): Promise<ConfirmChannel> {
    if (!publisher) {
      const created = (async () => {
        const conn = await connect();
        const channel = await conn.createConfirmChannel();
        channel.on('error', (error: Error) => logger.warn({ err: error.message }, 'RabbitMQ publisher channel error'));
        // A channel closed by the broker (e.g. the exchange was deleted) is replaced on next use.
        channel.on('close', () => {
          if (publisher === created) publisher = undefined;
        });
        await channel.assertExchange(exchange, 'topic', { durable: true });
        return channel;
      })();
      publisher = created;
      void created.catch(() => {
        if (publisher === created) publisher = undefined;
      });
    }
    return publisher;
  }

  async function attach(consumer: Consumer, conn: ChannelModel): Promise<void> {
    const { queue, retry, dlq } = rabbitMqQueueNames(exchange, consumer.consumer);
    const channel = await conn.createConfirmChannel();
    consumer.channel = channel;
    channel.on('error', (error: Error) => logger.warn({ consumer: consumer.consumer, err: error.message }, 'RabbitMQ consumer channel error'));
    channel.on('close', () => {
      if (consumer.channel !== channel) return;
      consumer.channel = undefined;
      consumer.consumerTag = undefined;
      // Only a channel-level failure is repaired here; a lost connection is handled as a whole.
      if (!consumer.closed && connection === conn) scheduleRepair();
    });
    try {
      await channel.assertExchange(exchange, 'topic', { durable: true });
      let source = queue;
      if (consumer.broadcast) {
        // Exclusive and auto-deleted: it dies with this channel's connection or consumer, so a
        // replica that goes away leaves nothing behind to fill up.
        source = (await channel.assertQueue('', { exclusive: true, autoDelete: true, durable: false })).queue;
      } else {
        await channel.assertQueue(queue, { durable: true });
        await channel.assertQueue(dlq, { durable: true });
        await channel.assertQueue(retry, { durable: true, arguments: { 'x-dead-letter-exchange': '', 'x-dead-letter-routing-key': queue } });
      }
      for (const pattern of consumer.patterns) await channel.bindQueue(source, exchange, pattern);
      await channel.prefetch(consumer.prefetch);
      const { consumerTag } = await channel.consume(source, (message) => onDelivery(consumer, channel, message), { noAck: false });
      consumer.consumerTag = consumerTag;
    } catch (error) {
      if (consumer.channel === channel) consumer.channel = undefined;
      await channel.close().catch(ignore);
      throw error;
    }
  }

  function onDelivery(consumer: Consumer, channel: ConfirmChannel, message: ConsumeMessage | null): void {
    if (message === null) {
      // The broker cancelled us (the queue was deleted): attach again, which re-declares it.
      logger.warn({ consumer: consumer.consumer }, 'RabbitMQ cancelled the consumer; re-subscribing');
      if (consumer.channel === channel) {
        consumer.channel = undefined;
        void channel.close().catch(ignore);
        scheduleRepair();
      }
      return;
    }
    const task = handle(consumer, channel, message);
    consumer.inFlight.add(task);
    void task.finally(() => consumer.inFlight.delete(task));
  }

  async function handle(consumer: Consumer, channel: ConfirmChannel, message: ConsumeMessage): Promise<void> {
    const { retry, dlq } = rabbitMqQueueNames(exchange, consumer.consumer);
    const event = decode(message.content);
    if (!event && consumer.broadcast) {
      logger.warn({ consumer: consumer.consumer, messageId: message.properties.messageId as unknown }, 'Message is not a valid event envelope; dropped');
      ackQuietly(channel, message);
      return;
    }
    if (!event) {
      logger.warn({ consumer: consumer.consumer, messageId: message.properties.messageId as unknown }, 'Message is not a valid event envelope; dead-lettered');
      await moveThenAck(channel, message, dlq, forwardProperties(message, { 'x-dead-letter-reason': 'invalid envelope' }));
      return;
    }
    const attempt = attemptOf(message);
    try {
      await consumer.handler(event);
    } catch (error) {
      const reason = (error instanceof Error ? error.message : String(error)).slice(0, 1000);
      const log = { consumer: consumer.consumer, eventId: event.id, type: event.type, attempt, err: reason };
      if (consumer.broadcast) {
        logger.warn(log, 'Broadcast handler failed; event dropped');
        ackQuietly(channel, message);
        return;
      }
      if (attempt < consumer.maxAttempts) {
        const delayMs = consumer.retryDelayMs * 2 ** (attempt - 1);
        logger.warn({ ...log, delayMs }, 'Event handler failed; will retry');
        const properties = forwardProperties(message, { 'x-attempt': attempt + 1, 'x-last-error': reason });
        await moveThenAck(channel, message, retry, { ...properties, expiration: String(delayMs) });
      } else {
        logger.warn(log, 'Event handler failed; event dead-lettered');
        await moveThenAck(channel, message, dlq, forwardProperties(message, { 'x-attempt': attempt, 'x-last-error': reason }));
      }
      return;
    }
    ackQuietly(channel, message);
  }

  function ackQuietly(channel: ConfirmChannel, message: ConsumeMessage): void {
    try {
      channel.ack(message);
    } catch {
      // The channel died after the handler ran: the broker redelivers; consumers are idempotent.
    }
  }

  /** The original is acked only once the broker has confirmed the copy, so nothing is lost between. */
  async function moveThenAck(channel: ConfirmChannel, message: ConsumeMessage, queue: string, properties: Options.Publish): Promise<void> {
    try {
      await new Promise<void>((resolve, reject) => {
        channel.sendToQueue(queue, message.content, properties, (error) => (error ? reject(error as Error) : resolve()));
      });
      channel.ack(message);
    } catch (error) {
      logger.warn({ queue, err: error instanceof Error ? error.message : String(error) }, 'Could not move a message; the broker will redeliver it');
    }
  }

  async function detach(consumer: Consumer): Promise<void> {
    consumer.closed = true;
    consumers.delete(consumer);
    const { channel, consumerTag } = consumer;
    consumer.channel = undefined;
    if (channel && consumerTag) await bounded(channel.cancel(consumerTag));
    // Handlers in flight still ack on this channel, so it closes after them.
    await Promise.allSettled([...consumer.inFlight]);
    if (channel) await bounded(channel.close());
  }

  return {
    async publish(events) {
      assertEnvelopes(events);
      if (events.length === 0) return;
      const channel = await publisherChannel();
      const confirms = events.map(
        (event) =>
          new Promise<void>((resolve, reject) => {
            const body = Buffer.from(JSON.stringify(event));
            channel.publish(
              exchange,
              event.type,
              body,
              {
                persistent: true,
                messageId: event.id,
                type: event.type,
                contentType: 'application/json',
                appId: event.source,
                timestamp: Math.floor(Date.now() / 1000),
                headers: event.requestId === undefined ? {} : { 'x-request-id': event.requestId },
              },
              (error) => (error ? reject(error as Error) : resolve()),
            );
          }),
      );
      await withTimeout(Promise.all(confirms), publishTimeoutMs, `RabbitMQ did not confirm the events within ${publishTimeoutMs} ms.`);
    },

    async subscribe(consumerName, patterns, handler, subscribeOptions: SubscribeOptions = {}): Promise<Subscription> {
      const consumer: Consumer = {
        consumer: consumerName,
        patterns: [...patterns],
        handler,
        ...resolveSubscribeOptions(subscribeOptions),
        inFlight: new Set(),
        channel: undefined,
        consumerTag: undefined,
        closed: false,
      };
      // Registered first, so a reconnect that races with this call re-attaches it too.
      consumers.add(consumer);
      try {
        await attach(consumer, await connect());
      } catch (error) {
        await detach(consumer);
        throw error;
      }
      return { close: () => detach(consumer) };
    },

    async deadLetters(consumerName) {
      const { dlq } = rabbitMqQueueNames(exchange, consumerName);
      const conn = await connect();
      const channel = await conn.createChannel();
      channel.on('error', ignore); // a missing queue closes the channel with 404: no dead letters
      try {
        let count: number;
        try {
          count = (await channel.checkQueue(dlq)).messageCount;
        } catch {
          return [];
        }
        // Browse by getting without acking; closing the channel puts every message back in place.
        const events: EventEnvelope[] = [];
        for (let i = 0; i < count; i++) {
          const message = await channel.get(dlq, { noAck: false });
          if (message === false) break;
          const event = decode(message.content);
          // Malformed messages are kept in the queue for operators but are not events.
          if (event) events.push(event);
        }
        return events;
      } finally {
        await channel.close().catch(ignore);
      }
    },

    async ping() {
      const channel = await publisherChannel();
      await channel.checkExchange(exchange);
    },

    onReconnect(listener) {
      reconnectListeners.add(listener);
      return () => reconnectListeners.delete(listener);
    },

    close() {
      closing ??= (async () => {
        clearTimeout(repairTimer);
        repairTimer = undefined;
        await Promise.all([...consumers].map(detach));
        await connecting?.catch(ignore);
        const conn = connection;
        connection = undefined;
        publisher = undefined;
        if (conn) await bounded(conn.close());
      })();
      return closing;
    },
  };
}
