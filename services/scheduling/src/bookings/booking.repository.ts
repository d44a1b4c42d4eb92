import { and, asc, eq, gt, gte, inArray, lt, lte, ne, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '@timeslot/ports';
import type { BookingRow, BookingStatus, SchedulingTables } from '../tables';
import type { BookedService, BookingParties } from './booking.model';

export type NewBooking = Omit<BookingRow, 'createdAt' | 'updatedAt' | 'cancelReason' | 'cancelledBy'> & { createdAt: Date; updatedAt: Date };

export interface BookingWithService {
  readonly booking: BookingRow;
  readonly service: BookedService;
  /** The provider profile's user, for permission checks. */
  readonly providerUserId: string;
  /** Who and what the booking is with, as its events name them. */
  readonly parties: BookingParties;
}

export interface BookingListFilter {
  readonly clientId?: string;
  readonly providerId?: string;
  readonly status?: BookingStatus;
  readonly from?: Date;
  readonly to?: Date;
  readonly after?: { readonly startsAt: Date; readonly id: string };
  readonly limit: number;
}

/** Which of the two no-double-booking rules a failed write broke, if either. */
export type ConstraintViolation = 'overlap' | 'seat' | 'idempotency-key';

/**
 * The Postgres error inside whatever wrapped it (drizzle wraps driver errors in DrizzleQueryError,
 * with the driver's error as `cause`; node-postgres and PGlite both give `code` and `constraint`).
 */
export function pgErrorOf(error: unknown): { code: string; constraint?: string } | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth++) {
    const candidate = current as { code?: unknown; constraint?: unknown; cause?: unknown };
    if (typeof candidate.code === 'string' && /^[0-9A-Z]{5}$/.test(candidate.code)) {
      return { code: candidate.code, ...(typeof candidate.constraint === 'string' ? { constraint: candidate.constraint } : {}) };
    }
    current = candidate.cause;
  }
  return undefined;
}

export function violationOf(error: unknown): ConstraintViolation | undefined {
  const pgError = pgErrorOf(error);
  if (pgError === undefined) return undefined;
  if (pgError.code === '23P01' && pgError.constraint === 'bookings_no_overlap') return 'overlap';
  if (pgError.code === '23505' && pgError.constraint === 'bookings_live_seat') return 'seat';
  if (pgError.code === '23505' && pgError.constraint === 'idempotency_keys_pkey') return 'idempotency-key';
  return undefined;
}

/** Deadlock or serialization failure: the transaction did nothing and may simply run again. */
export function isRetryable(error: unknown): boolean {
  const code = pgErrorOf(error)?.code;
  return code === '40P01' || code === '40001';
}

/** All SQL about bookings. Every method takes the handle to use, so it works inside a transaction. */
export function createBookingRepository(tables: SchedulingTables) {
  const { bookings, services, providers } = tables;
  const serviceColumns = {
    id: services.id,
    name: services.name,
    durationMinutes: services.durationMinutes,
    priceAmount: services.priceAmount,
    currency: services.currency,
    cancellationWindowMinutes: services.cancellationWindowMinutes,
  };

  const partyColumns = {
    providerUserId: providers.userId,
    providerName: providers.displayName,
    providerTimeZone: providers.timeZone,
    serviceName: services.name,
    locationKind: services.locationKind,
    locationAddress: services.locationAddress,
  };

  function liveIn(sessionKey: string): SQL | undefined {
    return and(eq(bookings.sessionKey, sessionKey), inArray(bookings.status, ['pending_payment', 'confirmed']));
  }

  return {
    async providerOfService(db: Db, serviceId: string): Promise<string | undefined> {
      const rows = await db.select({ providerId: services.providerId }).from(services).where(eq(services.id, serviceId)).limit(1);
      return rows[0]?.providerId;
    },

    /**
     * The new row, or undefined when `bookings_no_overlap` or `bookings_live_seat` refused it.
     * ON CONFLICT DO NOTHING (which covers exclusion constraints too) rather than catching the
     * error: PostgreSQL then inserts speculatively, so concurrent inserts that conflict with each
     * other wait in turn instead of deadlocking, as plain inserts checked by an exclusion
     * constraint do under contention.
     */
    async insert(db: Db, booking: NewBooking): Promise<BookingRow | undefined> {
      const rows = await db.insert(bookings).values(booking).onConflictDoNothing().returning();
      return rows[0];
    },

    /** Whether a live booking of another session overlaps `occupied`: what the exclusion constraint refuses. */
    async clashes(db: Db, providerId: string, occupied: string, sessionKey: string): Promise<boolean> {
      const rows = await db
        .select({ id: bookings.id })
        .from(bookings)
        .where(
          and(
            eq(bookings.providerId, providerId),
            inArray(bookings.status, ['pending_payment', 'confirmed']),
            sql`${bookings.occupied} && ${occupied}::tstzrange`,
            ne(bookings.sessionKey, sessionKey),
          ),
        )
        .limit(1);
      return rows.length > 0;
    },

    /** Seats of a session held or confirmed right now (a hint only: the unique index decides). */
    async takenSeats(db: Db, sessionKey: string): Promise<Set<number>> {
      const rows = await db.select({ seat: bookings.seat }).from(bookings).where(liveIn(sessionKey));
      return new Set(rows.map((row) => row.seat));
    },

    async findById(db: Db, id: string, options: { forUpdate?: boolean } = {}): Promise<BookingWithService | undefined> {
      if (options.forUpdate) {
        // Only the booking row is locked (services and providers are read, not changed), and by
        // its own statement: PostgreSQL refuses the schema-qualified name drizzle writes in FOR UPDATE OF.
        const locked = await db.select({ id: bookings.id }).from(bookings).where(eq(bookings.id, id)).for('update');
        if (locked.length === 0) return undefined;
      }
      const rows = await db
        .select({ booking: bookings, service: serviceColumns, providerUserId: providers.userId, parties: partyColumns })
        .from(bookings)
        .innerJoin(services, eq(services.id, bookings.serviceId))
        .innerJoin(providers, eq(providers.id, bookings.providerId))
        .where(eq(bookings.id, id))
        .limit(1);
      return rows[0];
    },

    /** The booking after the change, or undefined when its status was no longer `from`. */
    async transition(
      db: Db,
      id: string,
      from: BookingStatus,
      changes: Partial<Pick<BookingRow, 'status' | 'holdExpiresAt' | 'cancelReason' | 'cancelledBy' | 'meetingStatus' | 'meetingUrl'>> & { updatedAt: Date },
    ): Promise<BookingRow | undefined> {
      const rows = await db
        .update(bookings)
        .set(changes)
        .where(and(eq(bookings.id, id), eq(bookings.status, from)))
        .returning();
      return rows[0];
    },

    async move(
      db: Db,
      id: string,
      changes: Pick<BookingRow, 'startsAt' | 'endsAt' | 'occupied' | 'sessionKey' | 'seat' | 'updatedAt'>,
    ): Promise<BookingRow | undefined> {
      const rows = await db.update(bookings).set(changes).where(eq(bookings.id, id)).returning();
      return rows[0];
    },

    /** Keyset page ordered by (starts_at, id). */
    async list(db: Db, filter: BookingListFilter): Promise<BookingWithService[]> {
      const conditions: (SQL | undefined)[] = [];
      if (filter.clientId !== undefined) conditions.push(eq(bookings.clientId, filter.clientId));
      if (filter.providerId !== undefined) conditions.push(eq(bookings.providerId, filter.providerId));
      if (filter.status !== undefined) conditions.push(eq(bookings.status, filter.status));
      if (filter.from !== undefined) conditions.push(gte(bookings.startsAt, filter.from));
      if (filter.to !== undefined) conditions.push(lt(bookings.startsAt, filter.to));
      if (filter.after !== undefined) {
        const { startsAt, id } = filter.after;
        conditions.push(or(gt(bookings.startsAt, startsAt), and(eq(bookings.startsAt, startsAt), gt(bookings.id, id))));
      }
      return db
        .select({ booking: bookings, service: serviceColumns, providerUserId: providers.userId, parties: partyColumns })
        .from(bookings)
        .innerJoin(services, eq(services.id, bookings.serviceId))
        .innerJoin(providers, eq(providers.id, bookings.providerId))
        .where(and(...conditions))
        .orderBy(asc(bookings.startsAt), asc(bookings.id))
        .limit(filter.limit);
    },

    /** Holds whose time is up, oldest first (for the sweep that backs up the per-hold jobs). */
    async overdueHolds(db: Db, now: Date, limit: number): Promise<string[]> {
      const rows = await db
        .select({ id: bookings.id })
        .from(bookings)
        .where(and(eq(bookings.status, 'pending_payment'), lte(bookings.holdExpiresAt, now)))
        .orderBy(asc(bookings.holdExpiresAt))
        .limit(limit);
      return rows.map((row) => row.id);
    },

    async pendingHolds(db: Db, limit: number): Promise<{ id: string; holdExpiresAt: Date | null }[]> {
      return db
        .select({ id: bookings.id, holdExpiresAt: bookings.holdExpiresAt })
        .from(bookings)
        .where(eq(bookings.status, 'pending_payment'))
        .orderBy(asc(bookings.holdExpiresAt))
        .limit(limit);
    },
  };
}

export type BookingRepository = ReturnType<typeof createBookingRepository>;
