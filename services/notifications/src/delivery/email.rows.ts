import { and, asc, eq, gt, lte, or, sql } from 'drizzle-orm';
import type { Db } from '@timeslot/ports';
import type { EmailData } from '../email/email.data';
import type { NotificationKind } from '../kinds';
import type { NotificationsTables } from '../tables';

/** An email row written in a transaction, to enqueue once that transaction has committed. */
export interface PlannedEmail {
  readonly id: string;
  readonly kind: NotificationKind;
  readonly sendAfter: Date;
}

/**
 * Email ids are also BullMQ job ids, which must contain no ':' and not be integers; every part
 * here is a UUID, a kind or a number joined by '-', and the word prefix keeps it from being one.
 */
export const emailIds = {
  forEvent: (eventId: string, userId: string) => `email-${eventId}-${userId}`,
  reminder: (bookingId: string, offsetMinutes: number, startsAt: Date) => `reminder-${bookingId}-${offsetMinutes}-${startsAt.getTime()}`,
} as const;

export interface NewEmail {
  readonly id: string;
  readonly userId: string;
  readonly bookingId: string | null;
  readonly occurredAt: Date;
  /** Default: the database's now (send at once). */
  readonly sendAfter?: Date;
  readonly data: EmailData;
}

/** The `emails` rows: what the event consumer plans, and what the sweep finds still pending. */
export function createEmailRows(tables: NotificationsTables) {
  const { emails } = tables;
  return {
    /** Inserts the row unless its id exists; returns it to enqueue when inserted. */
    async insert(db: Db, row: NewEmail): Promise<PlannedEmail | undefined> {
      const [inserted] = await db
        .insert(emails)
        .values({ ...row, kind: row.data.kind })
        .onConflictDoNothing({ target: emails.id })
        .returning({ sendAfter: emails.sendAfter });
      return inserted === undefined ? undefined : { id: row.id, kind: row.data.kind, sendAfter: inserted.sendAfter };
    },

    /**
     * A reminder row; one the booking's earlier moves left 'skipped' comes back when the booking
     * returns to that very start (same id): its delayed job, keyed by the same id, still waits.
     */
    async upsertReminder(db: Db, row: NewEmail): Promise<PlannedEmail | undefined> {
      const [written] = await db
        .insert(emails)
        .values({ ...row, kind: row.data.kind })
        .onConflictDoUpdate({
          target: emails.id,
          set: { status: 'pending', data: row.data, occurredAt: row.occurredAt, lastError: null },
          setWhere: eq(emails.status, 'skipped'),
        })
        .returning({ sendAfter: emails.sendAfter });
      return written === undefined ? undefined : { id: row.id, kind: row.data.kind, sendAfter: written.sendAfter };
    },

    /** Marks the booking's reminders not sent yet as skipped; returns their ids. */
    async skipReminders(db: Db, bookingId: string, reason: string): Promise<string[]> {
      const rows = await db
        .update(emails)
        .set({ status: 'skipped', lastError: reason })
        .where(and(eq(emails.bookingId, bookingId), eq(emails.kind, 'booking_reminder'), eq(emails.status, 'pending')))
        .returning({ id: emails.id });
      return rows.map((row) => row.id);
    },

    /** Gives the booking's pending reminders a meeting link that arrived after they were planned. */
    async setReminderMeetingUrl(db: Db, bookingId: string, meetingUrl: string): Promise<void> {
      await db
        .update(emails)
        .set({ data: sql`jsonb_set(${emails.data}, '{booking,meetingUrl}', to_jsonb(${meetingUrl}::text))` })
        .where(and(eq(emails.bookingId, bookingId), eq(emails.kind, 'booking_reminder'), eq(emails.status, 'pending')));
    },

    /** Pending rows due by `horizon`, in keyset pages on (send_after, id). */
    async pendingDue(db: Db, horizon: Date, after: { sendAfter: Date; id: string } | undefined, limit: number): Promise<PlannedEmail[]> {
      const rows = await db
        .select({ id: emails.id, kind: emails.kind, sendAfter: emails.sendAfter })
        .from(emails)
        .where(
          and(
            eq(emails.status, 'pending'),
            lte(emails.sendAfter, horizon),
            after === undefined
              ? undefined
              : or(gt(emails.sendAfter, after.sendAfter), and(eq(emails.sendAfter, after.sendAfter), gt(emails.id, after.id))),
          ),
        )
        .orderBy(asc(emails.sendAfter), asc(emails.id))
        .limit(limit);
      return rows.map((row) => ({ id: row.id, kind: row.kind as NotificationKind, sendAfter: row.sendAfter }));
    },

    /** For tests and operators: a booking's rows by status. */
    async forBooking(db: Db, bookingId: string) {
      return db
        .select({ id: emails.id, userId: emails.userId, kind: emails.kind, status: emails.status, sendAfter: emails.sendAfter, data: emails.data })
        .from(emails)
        .where(eq(emails.bookingId, bookingId))
        .orderBy(asc(emails.sendAfter), asc(emails.id));
    },

    async count(db: Db): Promise<number> {
      const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(emails);
      return row?.n ?? 0;
    },
  };
}

export type EmailRows = ReturnType<typeof createEmailRows>;
