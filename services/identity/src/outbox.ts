import { appendToOutbox, type OutboxRelay } from '@timeslot/adapters';
import type { Db, EventEnvelope } from '@timeslot/ports';

/** Events leave through the transactional outbox: written with the change, published after commit. */
export interface EventOutbox {
  /** Record events in the caller's transaction. */
  append(tx: Db, events: readonly EventEnvelope[]): Promise<void>;
  /** Call after the commit, so the relay publishes now rather than at its next poll. */
  notify(): void;
}

export function createEventOutbox(schema: string, relay: OutboxRelay): EventOutbox {
  return {
    append: (tx, events) => appendToOutbox(tx, schema, events),
    notify: () => relay.notify(),
  };
}
