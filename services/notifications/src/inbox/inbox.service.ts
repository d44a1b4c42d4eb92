import { commonErrors } from '@timeslot/kernel';
import type { Identity } from '@timeslot/ports';
import type { NotificationsContext } from '../context';
import type { NotificationKind } from '../kinds';
import { notificationsErrors } from '../notifications.errors';
import type { InboxRow } from './inbox.repository';
import type { ListNotificationsQuery, NotificationBody } from './inbox.schemas';


export function toNotification(row: InboxRow): NotificationBody {
  return {
    id: row.id,
    kind: row.kind as NotificationKind,
    title: row.title,
    body: row.body,
    data: row.data,
    createdAt: row.createdAt.toISOString(),
    readAt: row.readAt === null ? null : row.readAt.toISOString(),
  };
}

/** Opaque to clients: the last entry's place in the inbox. */
function encodeCursor(seq: number): string {
  return Buffer.from(`n:${seq}`).toString('base64url');
}

function decodeCursor(text: string): number {
  const match = /^n:(\d{1,15})$/.exec(Buffer.from(text, 'base64url').toString('utf8'));
  if (match?.[1] === undefined) throw commonErrors.validation([{ path: 'query.cursor', message: 'is not a cursor this API returned' }]);
  return Number(match[1]);
}

/** The caller's entries, newest first, in keyset pages. Nobody sees another user's entries. */
export async function listNotifications(ctx: NotificationsContext, caller: Identity, query: ListNotificationsQuery): Promise<{ items: NotificationBody[]; nextCursor: string | null }> {
  const beforeSeq = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
  // One extra row tells whether another page exists without a count.
  const rows = await ctx.store.inbox.page(ctx.database.db, caller.userId, { unread: query.unread === true, beforeSeq, limit: query.limit + 1 });
  const page = rows.slice(0, query.limit);
  const last = page[page.length - 1];
  return { items: page.map(toNotification), nextCursor: rows.length > query.limit && last !== undefined ? encodeCursor(last.seq) : null };
}

export async function countUnread(ctx: NotificationsContext, caller: Identity): Promise<number> {
  return ctx.store.inbox.unreadCount(ctx.database.db, caller.userId);
}

/** Marks the caller's entry read (again: no change); another user's entry is as unknown as a missing one. */
export async function markRead(ctx: NotificationsContext, caller: Identity, id: string): Promise<NotificationBody> {
  const row = await ctx.store.inbox.markRead(ctx.database.db, caller.userId, id, ctx.options.now());
  if (row === undefined) throw notificationsErrors.notFound();
  return toNotification(row);
}

export async function markAllRead(ctx: NotificationsContext, caller: Identity): Promise<number> {
  return ctx.store.inbox.markAllRead(ctx.database.db, caller.userId, ctx.options.now());
}
