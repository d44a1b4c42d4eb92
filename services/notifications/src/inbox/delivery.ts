import { randomUUID } from 'node:crypto';
import { events, makeEvent, type Db } from '@timeslot/ports';
import type { NotificationsContext } from '../context';
import { emailIds, type PlannedEmail } from '../delivery/email.rows';
import { renderEntry } from '../messages/render';
import type { Delivery } from './delivery.model';

export type { Delivery } from './delivery.model';

export const eventSource = 'notifications';

/** What a transaction leaves to do once it has committed. */
export interface Effects {
  /** Email rows written, to enqueue. */
  readonly emails: PlannedEmail[];
  /** Email rows marked skipped, whose jobs to take back (before the enqueues: an id may be both). */
  readonly skippedEmails: string[];
  /** Whether events went into the outbox (the relay is nudged). */
  published: boolean;
}

export function noEffects(): Effects {
  return { emails: [], skippedEmails: [], published: false };
}

/**
 * Delivers one event to one recipient inside the event's transaction: the entry in their
 * language and zone, a `notification.created` event for the live streams, and the email row when
 * they want the kind by email. Honours their preference ('off': nothing at all). A recipient this
 * service has not heard of yet gets the delivery parked, and delivered when their user.registered
 * arrives (see deliverDeferred), instead of being lost or holding up the other recipient.
 */
export async function deliver(tx: Db, ctx: NotificationsContext, delivery: Delivery, effects: Effects): Promise<void> {
  const { store } = ctx;
  const recipient = await store.recipients.find(tx, delivery.userId);
  if (recipient === undefined) {
    await store.deferred.add(tx, delivery);
    return;
  }
  const kind = delivery.data.kind;
  const channel = await store.preferences.channel(tx, delivery.userId, kind);
  if (channel === 'off') return;
  const rendered = renderEntry(delivery.data, recipient);
  const entry = await store.inbox.insert(tx, { id: randomUUID(), userId: delivery.userId, kind, ...rendered, eventId: delivery.eventId });
  // Already delivered (a deferred delivery raced the live one): nothing more to do.
  if (entry === undefined) return;
  await ctx.outbox.append(tx, [
    makeEvent(
      events.notificationCreated,
      {
        notificationId: entry.id,
        seq: entry.seq,
        userId: entry.userId,
        kind: entry.kind,
        title: entry.title,
        body: entry.body,
        data: entry.data,
        createdAt: entry.createdAt.toISOString(),
      },
      { source: eventSource },
    ),
  ]);
  effects.published = true;
  // A disabled account keeps its inbox but is sent nothing.
  if (channel !== 'email' || recipient.disabled) return;
  const planned = await store.emails.insert(tx, {
    id: emailIds.forEvent(delivery.eventId, delivery.userId),
    userId: delivery.userId,
    bookingId: delivery.data.booking?.bookingId ?? null,
    occurredAt: new Date(delivery.occurredAt),
    data: delivery.data,
  });
  if (planned !== undefined) effects.emails.push(planned);
}

/** The deliveries parked for a user who has just become known, now delivered. */
export async function deliverDeferred(tx: Db, ctx: NotificationsContext, userId: string, effects: Effects): Promise<number> {
  const waiting = await ctx.store.deferred.take(tx, userId);
  for (const delivery of waiting) await deliver(tx, ctx, delivery, effects);
  return waiting.length;
}

/** After commit: nudge the relay, take back skipped emails' jobs, enqueue new rows (none throws). */
export async function applyEffects(ctx: NotificationsContext, effects: Effects): Promise<void> {
  if (effects.published) ctx.outbox.notify();
  if (effects.skippedEmails.length > 0) await ctx.emails.remove(effects.skippedEmails);
  if (effects.emails.length > 0) await ctx.emails.enqueue(effects.emails);
}
