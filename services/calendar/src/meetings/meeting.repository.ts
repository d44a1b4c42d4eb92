import { and, asc, eq, inArray, lt, lte } from 'drizzle-orm';
import type { Db } from '@timeslot/ports';
import type { CalendarTables, MeetingKind, MeetingRow, MeetingState } from '../tables';

export type NewMeeting = Pick<
  MeetingRow,
  'bookingId' | 'providerUserId' | 'clientId' | 'state' | 'serviceName' | 'providerName' | 'timeZone' | 'startsAt' | 'endsAt' | 'timesAsOf'
> &
  Partial<Pick<MeetingRow, 'kind' | 'url' | 'nextAttemptAt'>>;

/** All SQL about meetings. Every method takes the handle to use, so it works inside a transaction. */
export function createMeetingRepository(tables: CalendarTables) {
  const { meetings } = tables;

  async function find(db: Db, bookingId: string, options: { forUpdate?: boolean } = {}): Promise<MeetingRow | undefined> {
    const query = db.select().from(meetings).where(eq(meetings.bookingId, bookingId)).limit(1);
    const rows = options.forUpdate ? await query.for('update') : await query;
    return rows[0];
  }

  return {
    find,

    /** The row, or the one already there (a concurrent caller's). */
    async insert(db: Db, row: NewMeeting, now: Date): Promise<MeetingRow> {
      await db
        .insert(meetings)
        .values({ ...row, createdAt: now, updatedAt: now })
        .onConflictDoNothing();
      const found = await find(db, row.bookingId);
      if (found === undefined) throw new Error('meeting row vanished after insert');
      return found;
    },

    async update(
      db: Db,
      bookingId: string,
      changes: Partial<Omit<MeetingRow, 'bookingId'>> & { updatedAt: Date },
      where?: { state?: readonly MeetingState[]; generation?: number },
    ): Promise<MeetingRow | undefined> {
      const rows = await db
        .update(meetings)
        .set(changes)
        .where(
          and(
            eq(meetings.bookingId, bookingId),
            where?.state === undefined ? undefined : inArray(meetings.state, [...where.state]),
            where?.generation === undefined ? undefined : eq(meetings.generation, where.generation),
          ),
        )
        .returning();
      return rows[0];
    },

    /** Record a failed attempt at a pending meeting, and when the sweep tries again. */
    async recordFailure(db: Db, bookingId: string, error: string, nextAttemptAt: Date, now: Date): Promise<void> {
      const row = await find(db, bookingId);
      if (row === undefined) return;
      await db
        .update(meetings)
        .set({ attempts: row.attempts + 1, lastError: error.slice(0, 500), nextAttemptAt, updatedAt: now })
        .where(eq(meetings.bookingId, bookingId));
    },

    /** Pending meetings due for another attempt, claimed for `leaseMs` so other replicas skip them. */
    async claimPending(db: Db, now: Date, leaseMs: number, limit: number): Promise<string[]> {
      const due = db
        .select({ id: meetings.bookingId })
        .from(meetings)
        .where(and(eq(meetings.state, 'pending'), lte(meetings.nextAttemptAt, now)))
        .orderBy(asc(meetings.nextAttemptAt))
        .limit(limit)
        .for('update', { skipLocked: true });
      const rows = await db
        .update(meetings)
        .set({ nextAttemptAt: new Date(now.getTime() + leaseMs) })
        .where(inArray(meetings.bookingId, due))
        .returning({ id: meetings.bookingId });
      return rows.map((row) => row.id);
    },

    /** Meetings made in a booking request longer ago than `before` whose booking never confirmed: marked dropped. */
    async claimOrphans(db: Db, before: Date, now: Date, limit: number): Promise<MeetingRow[]> {
      const due = db
        .select({ id: meetings.bookingId })
        .from(meetings)
        .where(and(eq(meetings.state, 'unattached'), lt(meetings.createdAt, before)))
        .orderBy(asc(meetings.createdAt))
        .limit(limit)
        .for('update', { skipLocked: true });
      return db
        .update(meetings)
        .set({ state: 'dropped', updatedAt: now })
        .where(inArray(meetings.bookingId, due))
        .returning();
    },
  };
}

export type MeetingRepository = ReturnType<typeof createMeetingRepository>;
export type { MeetingKind };
