import { z } from 'zod';
import { notificationKinds } from '../kinds';

export const notificationSchema = z
  .object({
    id: z.uuid(),
    kind: z.enum(notificationKinds),
    title: z.string().describe('In the recipient’s language, instants on their wall clock.'),
    body: z.string(),
    data: z.record(z.string(), z.unknown()).describe('Language-free details: bookingId, startsAt/endsAt (UTC), meetingUrl, offerExpiresAt …'),
    createdAt: z.iso.datetime({ offset: true }),
    readAt: z.iso.datetime({ offset: true }).nullable(),
  })
  .describe('An in-app notification.');

export type NotificationBody = z.infer<typeof notificationSchema>;

export const listNotificationsQuery = z
  .object({
    unread: z.stringbool().optional().describe('true: unread entries only.'),
    cursor: z.string().max(200).optional().describe('nextCursor of the previous page.'),
    limit: z.coerce.number().int('must be an integer').min(1).max(100).default(20),
  })
  .strict();

export type ListNotificationsQuery = z.infer<typeof listNotificationsQuery>;

export const notificationPageSchema = z.object({
  items: z.array(notificationSchema).describe('Newest first.'),
  nextCursor: z.string().nullable().describe('Pass as cursor for the next (older) page; null on the last page.'),
});

export const notificationIdParams = z.object({ id: z.uuid({ message: 'must be a UUID' }) }).strict();

export const unreadCountSchema = z.object({ count: z.number().int().nonnegative() });

export const readAllSchema = z.object({ marked: z.number().int().nonnegative().describe('Entries that were unread.') });
