import { z } from 'zod';

/**
 * A domain event as it travels: a versioned envelope with a unique id. Consumers dedupe on `id`.
 */
export const eventEnvelopeSchema = z.object({
  id: z.uuid(),
  type: z.string().min(1).max(100),
  version: z.number().int().positive(),
  occurredAt: z.iso.datetime({ offset: true }),
  /** The service that published it. */
  source: z.string().min(1),
  /** The request that caused it, for log correlation. */
  requestId: z.string().max(128).optional(),
  data: z.unknown(),
});
export type EventEnvelope<T = unknown> = Omit<z.infer<typeof eventEnvelopeSchema>, 'data'> & { data: T };

export type EventHandler = (event: EventEnvelope) => Promise<void>;

export interface SubscribeOptions {
  /** Attempts before the event is dead-lettered (default 5). */
  readonly maxAttempts?: number;
  /** Delay before a retry, in ms, doubled each attempt (default 200). */
  readonly retryDelayMs?: number;
  /** Handlers run at most this many at once per process (default 10). */
  readonly prefetch?: number;
  /**
   * Every broadcast subscription gets its own copy of each matching event, whatever its consumer
   * name (the name is only for logs): for state each replica keeps for itself, such as live
   * connections to push to. Such a copy exists only while its subscription is open (nothing is kept
   * for a subscriber that is away, before it subscribes, or while its broker connection is being
   * repaired) and is delivered at most once: a handler that throws loses that event, which is
   * logged, not retried nor dead-lettered. Default false.
   */
  readonly broadcast?: boolean;
}

export interface Subscription {
  close(): Promise<void>;
}

/**
 * The EventBus port. Embedded: in-process. Distributed: a RabbitMQ topic exchange with one durable
 * queue per consuming service, publisher confirms and manual acks.
 *
 * Semantics every adapter keeps (the contract suite checks them on both):
 * - `publish` resolves only when the broker has accepted every event (confirms); it rejects
 *   otherwise, and the caller (the outbox relay) tries again later.
 * - Delivery is at least once. Each `consumer` name gets its own copy of every event whose type
 *   matches one of its `patterns` (`*` = one dot-separated word, `#` = zero or more); replicas
 *   that subscribe under the same consumer name share that copy (competing consumers).
 * - A handler that throws is retried with backoff up to `maxAttempts`, then the event goes to the
 *   consumer's dead-letter queue (see `deadLetters`) instead of looping.
 * - A `broadcast` subscription is the exception to the three rules above: its own transient copy,
 *   at most once (see SubscribeOptions.broadcast).
 */
export interface EventBus {
  publish(events: readonly EventEnvelope[]): Promise<void>;
  subscribe(consumer: string, patterns: readonly string[], handler: EventHandler, options?: SubscribeOptions): Promise<Subscription>;
  /** Events dead-lettered for `consumer`, oldest first (for operators and tests). */
  deadLetters(consumer: string): Promise<EventEnvelope[]>;
  ping(): Promise<void>;
  /**
   * Calls `listener` each time the bus regains its broker after losing it (or after failing to
   * reach it), so a publisher that backed off can resume at once. Returns the unsubscribe.
   * In-process buses never lose anything and need not implement it.
   */
  onReconnect?(listener: () => void): () => void;
  close(): Promise<void>;
}
