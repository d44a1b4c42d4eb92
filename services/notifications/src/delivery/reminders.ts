import type { Db } from '@timeslot/ports';
import type { NotificationsContext } from '../context';
import type { BookingSnapshot, EmailData } from '../email/email.data';
import type { Effects } from '../inbox/delivery';
import { emailIds } from './email.rows';

/**
 * Plans the client's reminders for a confirmed booking at its current start: one email row per
 * configured offset whose send time is still ahead, keyed by booking, offset and start, so
 * planning twice is one row and a moved booking gets new rows. Only for a client who wants
 * reminders by email (they have no in-app form) and whose account is not disabled; a client not
 * known here yet still gets them (the worker reads the address at send time).
 */
export async function planReminders(tx: Db, ctx: NotificationsContext, booking: BookingSnapshot, cause: { eventId: string; occurredAt: Date }, effects: Effects): Promise<void> {
  if (booking.status !== 'confirmed') return;
  const { store } = ctx;
  if ((await store.preferences.channel(tx, booking.clientId, 'booking_reminder')) !== 'email') return;
  if ((await store.recipients.find(tx, booking.clientId))?.disabled === true) return;
  const start = new Date(booking.startsAt);
  const now = ctx.options.now().getTime();
  for (const offsetMinutes of new Set(ctx.options.reminderOffsetsMinutes)) {
    const sendAfter = new Date(start.getTime() - offsetMinutes * 60_000);
    if (sendAfter.getTime() <= now) continue;
    const data: EmailData = {
      kind: 'booking_reminder',
      audience: 'client',
      eventId: cause.eventId,
      booking,
      ...(booking.providerName === undefined ? {} : { counterpartName: booking.providerName }),
      reminder: { offsetMinutes },
    };
    const planned = await store.emails.upsertReminder(tx, {
      id: emailIds.reminder(booking.bookingId, offsetMinutes, start),
      userId: booking.clientId,
      bookingId: booking.bookingId,
      occurredAt: cause.occurredAt,
      sendAfter,
      data,
    });
    if (planned !== undefined) effects.emails.push(planned);
  }
}

/**
 * The booking's reminders not sent yet will not be; their jobs are taken back after the commit
 * (the worker checks the booking at send time anyway, should one stay behind).
 */
export async function skipReminders(tx: Db, ctx: NotificationsContext, bookingId: string, reason: string, effects: Effects): Promise<void> {
  effects.skippedEmails.push(...(await ctx.store.emails.skipReminders(tx, bookingId, reason)));
}
