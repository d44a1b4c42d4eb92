import { handleOnce } from '@timeslot/adapters';
import type { EventEnvelope, Subscription } from '@timeslot/ports';
import type { NotificationsContext } from '../context';
import { applyEffects, noEffects } from '../inbox/delivery';
import { bookingHandlers, type EventHandler } from './booking.handlers';
import { userHandlers } from './user.handlers';

/** The consumer name: one durable queue shared by every notifications replica. */
export const consumerName = 'notifications';
export const consumedPatterns = ['user.*', 'booking.*', 'waitlist.offered', 'meeting.ready', 'payment.captured'] as const;

const handlers: Readonly<Record<string, EventHandler>> = { ...userHandlers, ...bookingHandlers };

/**
 * Handles one event exactly once (handleOnce: the inbox row and every write of the handler commit
 * together, so a redelivery changes nothing), then, after the commit, nudges the relay and hands
 * the new email rows to the job queue. An event type nobody here handles is acknowledged as is.
 */
export async function handleEvent(ctx: NotificationsContext, event: EventEnvelope): Promise<boolean> {
  const handler = handlers[event.type];
  if (handler === undefined) return false;
  const effects = noEffects();
  const handled = await handleOnce(ctx.database, ctx.options.schema, consumerName, event.id, (tx) => handler(tx, ctx, event, effects));
  if (handled) await applyEffects(ctx, effects);
  return handled;
}

export function consumeEvents(ctx: NotificationsContext): Promise<Subscription> {
  // Eight tries over about half a minute: long enough for a waitlist offer's booking.held or a
  // user's user.registered handled by another replica, short of hiding a real fault.
  return ctx.bus.subscribe(consumerName, consumedPatterns, (event) => handleEvent(ctx, event).then(() => undefined), {
    maxAttempts: 8,
    retryDelayMs: 250,
  });
}
