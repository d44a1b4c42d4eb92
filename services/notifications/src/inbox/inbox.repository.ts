import { and, desc, eq, gt, isNull, lt, sql } from 'drizzle-orm';
import type { Db } from '@timeslot/ports';
import type { NotificationsTables } from '../tables';

export interface InboxRow {
  readonly id: string;
  readonly seq: number;
  readonly userId: string;
  readonly kind: string;
  readonly title: string;
  readonly body: string;
  readonly data: Record<string, unknown>;
  readonly createdAt: Date;
  readonly readAt: Date | null;
}

export interface NewEntry {
  readonly id: string;
  readonly userId: string;
  readonly kind: string;
  readonly title: string;
  readonly body: string;
  readonly data: Record<string, unknown>;
  readonly eventId: string;
}

/** The in-app inbox: entries per user, ordered by `seq` (newest first in pages). */
export function createInboxRepository(tables: NotificationsTables) {
  const { notifications: n } = tables;
  const columns = {
    id: n.id,
    seq: n.seq,
    userId: n.userId,
    kind: n.kind,
    title: n.title,
    body: n.body,
    data: n.data,
    createdAt: n.createdAt,
    readAt: n.readAt,
  };
  return {
    /** Stores the entry unless this event already gave this user one; returns it when stored. */
    async insert(db: Db, entry: NewEntry): Promise<InboxRow | undefined> {
      const [row] = await db
        .insert(n)
        // Milliseconds: what a JavaScript Date (and so the API and the event) can carry.
        .values({ ...entry, createdAt: sql`date_trunc('milliseconds', clock_timestamp())` })
        .onConflictDoNothing({ target: [n.eventId, n.userId] })
        .returning(columns);
      return row;
    },

    /** One page, newest first, of entries older than `beforeSeq` when given. */
    async page(db: Db, userId: string, query: { unread: boolean; beforeSeq: number | undefined; limit: number }): Promise<InboxRow[]> {
      return db
        .select(columns)
        .from(n)
        .where(and(eq(n.userId, userId), query.unread ? isNull(n.readAt) : undefined, query.beforeSeq === undefined ? undefined : lt(n.seq, query.beforeSeq)))
        .orderBy(desc(n.seq))
        .limit(query.limit);
    },

    /** The newest `limit` entries after `afterSeq`, oldest first: what a resumed stream missed. */
    async newer(db: Db, userId: string, afterSeq: number, limit: number): Promise<InboxRow[]> {
      const rows = await db
        .select(columns)
        .from(n)
        .where(and(eq(n.userId, userId), gt(n.seq, afterSeq)))
        .orderBy(desc(n.seq))
        .limit(limit);
      return rows.reverse();
    },

    async find(db: Db, userId: string, id: string): Promise<InboxRow | undefined> {
      const [row] = await db
        .select(columns)
        .from(n)
        .where(and(eq(n.userId, userId), eq(n.id, id)));
      return row;
    },

    async latestSeq(db: Db, userId: string): Promise<number> {
      const [row] = await db.select({ seq: sql<number | null>`max(${n.seq})` }).from(n).where(eq(n.userId, userId));
      return Number(row?.seq ?? 0);
    },

    async unreadCount(db: Db, userId: string): Promise<number> {
      const [row] = await db
        .select({ count: sql<number>`count(*)::int` })
        .from(n)
        .where(and(eq(n.userId, userId), isNull(n.readAt)));
      return row?.count ?? 0;
    },

    /** Marks one entry read (the first read time is kept); undefined when it is not the user's. */
    async markRead(db: Db, userId: string, id: string, at: Date): Promise<InboxRow | undefined> {
      const [row] = await db
        .update(n)
        .set({ readAt: sql`coalesce(${n.readAt}, ${at.toISOString()}::timestamptz)` })
        .where(and(eq(n.userId, userId), eq(n.id, id)))
        .returning(columns);
      return row;
    },

    async markAllRead(db: Db, userId: string, at: Date): Promise<number> {
      const rows = await db
        .update(n)
        .set({ readAt: at })
        .where(and(eq(n.userId, userId), isNull(n.readAt)))
        .returning({ id: n.id });
      return rows.length;
    },
  };
}

export type InboxRepository = ReturnType<typeof createInboxRepository>;
