import { and, asc, eq, gt, lt } from 'drizzle-orm';
import type { BusyPeriod, Db } from '@timeslot/ports';
import type { CalendarTables } from '../tables';

/** The last known busy periods of each connected calendar. */
export function createBusyRepository(tables: CalendarTables) {
  const { busyPeriods } = tables;
  return {
    async overlapping(db: Db, userId: string, from: Date, to: Date): Promise<BusyPeriod[]> {
      const rows = await db
        .select({ start: busyPeriods.startsAt, end: busyPeriods.endsAt })
        .from(busyPeriods)
        .where(and(eq(busyPeriods.userId, userId), lt(busyPeriods.startsAt, to), gt(busyPeriods.endsAt, from)))
        .orderBy(asc(busyPeriods.startsAt));
      return rows.map((row) => ({ start: row.start.toISOString(), end: row.end.toISOString() }));
    },

    async replace(db: Db, userId: string, periods: readonly BusyPeriod[]): Promise<void> {
      await db.delete(busyPeriods).where(eq(busyPeriods.userId, userId));
      if (periods.length === 0) return;
      await db.insert(busyPeriods).values(periods.map((period) => ({ userId, startsAt: new Date(period.start), endsAt: new Date(period.end) })));
    },
  };
}
