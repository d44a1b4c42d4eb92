import { and, asc, eq, gt, gte, inArray, or, sql } from 'drizzle-orm';
import type { Db } from '@timeslot/ports';
import type { SchedulingTables, WaitlistRow } from '../tables';

export interface NewEntry {
  readonly id: string;
  readonly clientId: string;
  readonly providerId: string;
  readonly serviceId: string;
  readonly startsAt: Date | null;
  readonly date: string | null;
  readonly createdAt: Date;
}

/** What a waitlist entry waits for: one slot, or any slot of a provider-zone date. */
export type WaitTarget = { readonly startsAt: Date; readonly date?: undefined } | { readonly date: string; readonly startsAt?: undefined };

/** All SQL about waitlist entries. Every method takes the handle to use, so it works inside a transaction. */
export function createWaitlistRepository(tables: SchedulingTables) {
  const { waitlistEntries: entries } = tables;
  const live = inArray(entries.status, ['waiting', 'offered']);

  return {
    /**
     * Serialises every waitlist change of one service (joins, offers) until the transaction ends.
     * Strict arrival order needs this rather than `for update skip locked`: skipping a locked
     * entry would serve the second in line while the first is still being handled.
     */
    async lockService(db: Db, serviceId: string): Promise<void> {
      await db.execute(sql`select pg_advisory_xact_lock(hashtext(${`waitlist:${serviceId}`}))`);
    },

    async insert(db: Db, entry: NewEntry): Promise<WaitlistRow> {
      // position is `generated always as identity`: the database numbers arrivals.
      const rows = await db
        .insert(entries)
        .values({ ...entry, status: 'waiting', position: sql`default` })
        .returning();
      const row = rows[0];
      if (row === undefined) throw new Error('insert returned no row');
      return row;
    },

    async findLive(db: Db, clientId: string, serviceId: string, target: WaitTarget): Promise<WaitlistRow | undefined> {
      const matches = target.startsAt !== undefined ? eq(entries.startsAt, target.startsAt) : eq(entries.date, target.date);
      const rows = await db
        .select()
        .from(entries)
        .where(and(eq(entries.clientId, clientId), eq(entries.serviceId, serviceId), live, matches))
        .limit(1);
      return rows[0];
    },

    async findById(db: Db, id: string, options: { forUpdate?: boolean } = {}): Promise<WaitlistRow | undefined> {
      const query = db.select().from(entries).where(eq(entries.id, id)).limit(1);
      const rows = options.forUpdate ? await query.for('update') : await query;
      return rows[0];
    },

    async listByClient(db: Db, clientId: string, limit: number): Promise<WaitlistRow[]> {
      return db.select().from(entries).where(eq(entries.clientId, clientId)).orderBy(asc(entries.position)).limit(limit);
    },

    /** The first in line for a freed slot: waiting for that slot or for its date, by position. */
    async firstWaiting(db: Db, serviceId: string, startsAt: Date, date: string): Promise<WaitlistRow | undefined> {
      const rows = await db
        .select()
        .from(entries)
        .where(
          and(
            eq(entries.serviceId, serviceId),
            eq(entries.status, 'waiting'),
            or(eq(entries.startsAt, startsAt), eq(entries.date, date)),
          ),
        )
        .orderBy(asc(entries.position))
        .limit(1);
      return rows[0];
    },

    async markOffered(db: Db, id: string, bookingId: string, offerExpiresAt: Date): Promise<void> {
      await db
        .update(entries)
        .set({ status: 'offered', offeredBookingId: bookingId, offerExpiresAt })
        .where(and(eq(entries.id, id), eq(entries.status, 'waiting')));
    },

    async findOffer(db: Db, bookingId: string): Promise<WaitlistRow | undefined> {
      const rows = await db
        .select()
        .from(entries)
        .where(and(eq(entries.offeredBookingId, bookingId), eq(entries.status, 'offered')))
        .limit(1);
      return rows[0];
    },

    /** Close the open offer made with this booking, if any: claimed (booked) or missed (cancelled). */
    async settleOffer(db: Db, bookingId: string, status: 'booked' | 'cancelled'): Promise<WaitlistRow | undefined> {
      const rows = await db
        .update(entries)
        .set({ status })
        .where(and(eq(entries.offeredBookingId, bookingId), eq(entries.status, 'offered')))
        .returning();
      return rows[0];
    },

    async cancel(db: Db, id: string): Promise<WaitlistRow | undefined> {
      const rows = await db
        .update(entries)
        .set({ status: 'cancelled' })
        .where(and(eq(entries.id, id), live))
        .returning();
      return rows[0];
    },

    /** Services and targets someone still waits for, for re-checking them after a restart. */
    async waitingTargets(db: Db, now: Date, limit: number): Promise<{ serviceId: string; startsAt: Date | null; date: string | null }[]> {
      return db
        .selectDistinct({ serviceId: entries.serviceId, startsAt: entries.startsAt, date: entries.date })
        .from(entries)
        .where(and(eq(entries.status, 'waiting'), or(gt(entries.startsAt, now), gte(entries.date, new Date(now.getTime() - 86_400_000).toISOString().slice(0, 10)))))
        .limit(limit);
    },
  };
}

export type WaitlistRepository = ReturnType<typeof createWaitlistRepository>;
