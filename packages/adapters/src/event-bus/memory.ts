import { eventEnvelopeSchema } from '@timeslot/ports';
import type { EventBus, EventEnvelope, EventHandler, SubscribeOptions, Subscription } from '@timeslot/ports';

export interface EventBusLogger {
  warn(obj: object, msg: string): void;
}

export interface MemoryEventBusOptions {
  readonly logger?: EventBusLogger;
}

/**
 * A message as a broker holds it: the serialized envelope, so every consumer decodes its own copy
 * and a handler that mutates its event cannot change what another consumer (or a retry) sees.
 */
interface Message {
  readonly body: string;
  readonly attempt: number;
}

interface Subscriber {
  readonly handler: EventHandler;
  readonly maxAttempts: number;
  readonly retryDelayMs: number;
  readonly prefetch: number;
  readonly inFlight: Set<Promise<void>>;
  active: boolean;
}

/**
 * What RabbitMQ calls a queue: one per consumer name, shared by that name's subscribers; or, for a
 * broadcast subscription, one of its own that lives as long as the subscription (`transient`).
 */
interface ConsumerQueue {
  readonly name: string;
  readonly transient: boolean;
  /** Like queue bindings, patterns stay bound after a subscription closes. */
  readonly bindings: Set<string>;
  readonly ready: Message[];
  readonly subscribers: Subscriber[];
  readonly deadLetters: string[];
  nextSubscriber: number;
  dispatchScheduled: boolean;
}

const defaultSubscribeOptions = { maxAttempts: 5, retryDelayMs: 200, prefetch: 10 } as const;

/** A subscription's settings with the defaults both adapters share filled in. */
export function resolveSubscribeOptions(options: SubscribeOptions): Required<SubscribeOptions> {
  return {
    maxAttempts: Math.max(1, options.maxAttempts ?? defaultSubscribeOptions.maxAttempts),
    retryDelayMs: options.retryDelayMs ?? defaultSubscribeOptions.retryDelayMs,
    prefetch: Math.max(1, options.prefetch ?? defaultSubscribeOptions.prefetch),
    broadcast: options.broadcast ?? false,
  };
}

export const consoleLogger: EventBusLogger = {
  warn: (obj, msg) => console.warn(msg, obj),
};

/** Rejects the whole batch before anything is published, so a bad event cannot half-publish it. */
export function assertEnvelopes(events: readonly EventEnvelope[]): void {
  for (const event of events) {
    const result = eventEnvelopeSchema.safeParse(event);
    if (!result.success) {
      const issues = result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
      throw new TypeError(`Event ${String((event as { id?: unknown }).id)} is not a valid envelope: ${issues}`);
    }
  }
}

/**
 * AMQP topic matching: words are separated by dots, `*` matches exactly one word and `#` zero or
 * more (so `booking.#` matches `booking` itself).
 */
export function topicMatches(pattern: string, routingKey: string): boolean {
  const p = pattern.split('.');
  const k = routingKey.split('.');
  // Memoized on (pattern word, key word): several `#` would otherwise backtrack exponentially.
  const memo = new Map<number, boolean>();
  const match = (i: number, j: number): boolean => {
    const key = i * (k.length + 1) + j;
    const known = memo.get(key);
    if (known !== undefined) return known;
    let result: boolean;
    const word = p[i];
    if (word === undefined) result = j === k.length;
    else if (word === '#') result = match(i + 1, j) || (j < k.length && match(i, j + 1));
    else result = j < k.length && (word === '*' || word === k[j]) && match(i + 1, j + 1);
    memo.set(key, result);
    return result;
  };
  return match(0, 0);
}

/**
 * The in-process EventBus for embedded mode. It keeps the RabbitMQ adapter's semantics rather
 * than calling handlers inline: per-consumer queues, competing subscribers under one consumer
 * name, delivery after `publish` resolves, retries with backoff and a dead-letter list, so code
 * that works embedded does not break when distributed. Nothing survives the process.
 */
export function createMemoryEventBus(options: MemoryEventBusOptions = {}): EventBus {
  const logger = options.logger ?? consoleLogger;
  const queues = new Map<string, ConsumerQueue>();
  const retryTimers = new Set<NodeJS.Timeout>();
  let closing: Promise<void> | undefined;

  function queueFor(consumer: string): ConsumerQueue {
    let queue = queues.get(consumer);
    if (!queue) {
      queue = { name: consumer, transient: false, bindings: new Set(), ready: [], subscribers: [], deadLetters: [], nextSubscriber: 0, dispatchScheduled: false };
      queues.set(consumer, queue);
    }
    return queue;
  }

  let broadcastCount = 0;
  /** Keyed apart from every consumer name (which cannot hold a NUL), like a server-named queue. */
  function broadcastQueue(consumer: string): ConsumerQueue {
    const queue: ConsumerQueue = { name: consumer, transient: true, bindings: new Set(), ready: [], subscribers: [], deadLetters: [], nextSubscriber: 0, dispatchScheduled: false };
    queues.set(`\u0000broadcast:${++broadcastCount}`, queue);
    return queue;
  }

  // Deferred to a later turn so publishers never run handlers on their own stack, as with a broker.
  function scheduleDispatch(queue: ConsumerQueue): void {
    if (queue.dispatchScheduled || closing) return;
    queue.dispatchScheduled = true;
    setImmediate(() => {
      queue.dispatchScheduled = false;
      dispatch(queue);
    });
  }

  function dispatch(queue: ConsumerQueue): void {
    while (queue.ready.length > 0 && !closing) {
      const subscriber = nextWithCapacity(queue);
      if (!subscriber) return;
      const message = queue.ready.shift();
      if (message) deliver(queue, subscriber, message);
    }
  }

  // Round robin over subscribers with free prefetch slots, which is how RabbitMQ spreads a queue.
  function nextWithCapacity(queue: ConsumerQueue): Subscriber | undefined {
    const count = queue.subscribers.length;
    for (let offset = 0; offset < count; offset++) {
      const index = (queue.nextSubscriber + offset) % count;
      const subscriber = queue.subscribers[index];
      if (subscriber && subscriber.active && subscriber.inFlight.size < subscriber.prefetch) {
        queue.nextSubscriber = (index + 1) % count;
        return subscriber;
      }
    }
    return undefined;
  }

  function deliver(queue: ConsumerQueue, subscriber: Subscriber, message: Message): void {
    const task = (async () => {
      try {
        await subscriber.handler(JSON.parse(message.body) as EventEnvelope);
      } catch (error) {
        failed(queue, subscriber, message, error);
      }
    })();
    subscriber.inFlight.add(task);
    void task.finally(() => {
      subscriber.inFlight.delete(task);
      scheduleDispatch(queue);
    });
  }

  function failed(queue: ConsumerQueue, subscriber: Subscriber, message: Message, error: unknown): void {
    const { id, type } = JSON.parse(message.body) as EventEnvelope;
    const reason = error instanceof Error ? error.message : String(error);
    if (closing) return; // in-process retries die with the process, as any in-memory state does
    if (queue.transient) {
      logger.warn({ consumer: queue.name, eventId: id, type, err: reason }, 'Broadcast handler failed; event dropped');
      return;
    }
    if (message.attempt < subscriber.maxAttempts) {
      const delayMs = subscriber.retryDelayMs * 2 ** (message.attempt - 1);
      logger.warn({ consumer: queue.name, eventId: id, type, attempt: message.attempt, delayMs, err: reason }, 'Event handler failed; will retry');
      const timer = setTimeout(() => {
        retryTimers.delete(timer);
        // Back at the tail of the queue, as RabbitMQ's retry queue dead-letters it back.
        queue.ready.push({ body: message.body, attempt: message.attempt + 1 });
        scheduleDispatch(queue);
      }, delayMs);
      timer.unref();
      retryTimers.add(timer);
      return;
    }
    logger.warn({ consumer: queue.name, eventId: id, type, attempt: message.attempt, err: reason }, 'Event handler failed; event dead-lettered');
    queue.deadLetters.push(message.body);
  }

  async function unsubscribe(queue: ConsumerQueue, subscriber: Subscriber): Promise<void> {
    if (!subscriber.active) return;
    subscriber.active = false;
    const index = queue.subscribers.indexOf(subscriber);
    if (index >= 0) queue.subscribers.splice(index, 1);
    queue.nextSubscriber = 0;
    if (queue.transient) {
      // Like RabbitMQ's exclusive auto-delete queue: gone with its subscriber, and what it held too.
      for (const [key, value] of queues) if (value === queue) queues.delete(key);
      queue.ready.length = 0;
    }
    await Promise.allSettled([...subscriber.inFlight]);
  }

  function assertOpen(): void {
    if (closing) throw new Error('The event bus is closed.');
  }

  return {
    async publish(events) {
      assertOpen();
      assertEnvelopes(events);
      for (const event of events) {
        const body = JSON.stringify(event);
        for (const queue of queues.values()) {
          if ([...queue.bindings].some((pattern) => topicMatches(pattern, event.type))) {
            queue.ready.push({ body, attempt: 1 });
            scheduleDispatch(queue);
          }
        }
      }
    },

    async subscribe(consumer, patterns, handler, subscribeOptions: SubscribeOptions = {}): Promise<Subscription> {
      assertOpen();
      const queue = subscribeOptions.broadcast === true ? broadcastQueue(consumer) : queueFor(consumer);
      for (const pattern of patterns) queue.bindings.add(pattern);
      const subscriber: Subscriber = {
        handler,
        ...resolveSubscribeOptions(subscribeOptions),
        inFlight: new Set(),
        active: true,
      };
      queue.subscribers.push(subscriber);
      // Events that waited for a subscriber (a durable queue would have kept them) go out now.
      scheduleDispatch(queue);
      return { close: () => unsubscribe(queue, subscriber) };
    },

    async deadLetters(consumer) {
      return (queues.get(consumer)?.deadLetters ?? []).map((body) => JSON.parse(body) as EventEnvelope);
    },

    async ping() {
      assertOpen();
    },

    close() {
      closing ??= (async () => {
        for (const timer of retryTimers) clearTimeout(timer);
        retryTimers.clear();
        await Promise.all(
          [...queues.values()].flatMap((queue) => [...queue.subscribers].map((subscriber) => unsubscribe(queue, subscriber))),
        );
      })();
      return closing;
    },
  };
}
