import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '@timeslot/ports';
import { liveStatuses, type SchedulingTables } from '../tables';
import { epochMs } from './availability.repository';

/** A live booking as the slot engine sees it. All instants in epoch milliseconds. */
export interface BusyRow {
  /** The occupied range, buffers included. */
  readonly start: number;
  readonly end: number;
  readonly serviceId: string;
  readonly startsAt: number;
  readonly sessionKey: string;
}

/** The reads slot listing needs besides the (cached) profile, services and availability. */
export function createSlotsRepository(tables: SchedulingTables) {
  const { bookings } = tables;
  return {
    /**
     * Held and confirmed bookings of the provider whose occupied range overlaps [fromMs, toMs):
     * the same rows the `bookings_no_overlap` constraint compares a new booking with, found through
     * its GiST index. Never cached: bookings change with every sale.
     */
    async busy(db: Db, providerId: string, fromMs: number, toMs: number): Promise<BusyRow[]> {
      const window = sql`tstzrange(${new Date(fromMs).toISOString()}::timestamptz, ${new Date(toMs).toISOString()}::timestamptz, '[)')`;
      const rows = await db
        .select({
          start: epochMs(sql`lower(${bookings.occupied})`),
          end: epochMs(sql`upper(${bookings.occupied})`),
          serviceId: bookings.serviceId,
          startsAt: epochMs(sql`${bookings.startsAt}`),
          sessionKey: bookings.sessionKey,
        })
        .from(bookings)
        .where(and(eq(bookings.providerId, providerId), inArray(bookings.status, [...liveStatuses]), sql`${bookings.occupied} && ${window}`));
      // float8 arrives as a number from both drivers; Number() only guards against a driver that differs.
      return rows.map((row) => ({ ...row, start: Number(row.start), end: Number(row.end), startsAt: Number(row.startsAt) }));
    },
  };
}

export type SlotsRepository = ReturnType<typeof createSlotsRepository>;
