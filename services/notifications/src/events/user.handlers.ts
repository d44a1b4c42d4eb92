import { events, parseEvent } from '@timeslot/ports';
import type { NotificationsContext } from '../context';
import { deliver, deliverDeferred } from '../inbox/delivery';
import type { RecipientChange } from '../recipients/recipient.repository';
import type { EventHandler } from './booking.handlers';

/**
 * A change to a user this service has not registered yet cannot be applied: it comes from the same
 * outbox as their user.registered, which is on its way, so the bus's retry will find them.
 */
async function change(tx: Parameters<EventHandler>[0], ctx: NotificationsContext, userId: string, update: RecipientChange, at: string): Promise<void> {
  if (!(await ctx.store.recipients.change(tx, userId, update, new Date(at)))) {
    throw new Error(`user ${userId} is not known here yet (user.registered not consumed)`);
  }
}

/** identity's user events: who can be told, in which language and zone, and the welcome. */
export const userHandlers: Readonly<Record<string, EventHandler>> = {
  async 'user.registered'(tx, ctx, raw, effects) {
    const event = parseEvent(events.userRegistered, raw);
    const { userId, email, name, role, timeZone, locale } = event.data;
    await ctx.store.recipients.register(tx, { userId, email, name, role, timeZone, locale }, new Date(event.occurredAt));
    await deliver(tx, ctx, { userId, eventId: event.id, occurredAt: event.occurredAt, data: { kind: 'welcome', audience: 'user', eventId: event.id } }, effects);
    await deliverDeferred(tx, ctx, userId, effects);
  },

  async 'user.updated'(tx, ctx, raw) {
    const event = parseEvent(events.userUpdated, raw);
    const { userId, name, timeZone, locale } = event.data;
    await change(tx, ctx, userId, { name, timeZone, locale }, event.occurredAt);
  },

  async 'user.disabled'(tx, ctx, raw) {
    const event = parseEvent(events.userDisabled, raw);
    await change(tx, ctx, event.data.userId, { disabled: true }, event.occurredAt);
  },

  async 'user.enabled'(tx, ctx, raw) {
    const event = parseEvent(events.userEnabled, raw);
    await change(tx, ctx, event.data.userId, { disabled: false }, event.occurredAt);
  },
};
