import { eq, sql, type SQL } from 'drizzle-orm';
import type { Db } from '@timeslot/ports';
import type { BookingSnapshot } from '../email/email.data';
import type { NotificationsTables } from '../tables';

/**
 * How far along its life a status is: between two events of the same instant, the later state
 * wins (a cancellation and the confirmation it undid can share a millisecond).
 */
const rank = (status: SQL) => sql`case ${status} when 'pending_payment' then 0 when 'confirmed' then 1 else 2 end`;

/**
 * The `bookings` projection: each booking as its latest event described it. Events can arrive
 * out of order (retries, several handlers at once), so a write only lands when its event is newer
 * than the one recorded (`last_event_at`); the row lock of the upsert serialises concurrent ones.
 */
export function createBookingProjection(tables: NotificationsTables) {
  const { bookings } = tables;
  return {
    /** Records the event's view of the booking; true when it is now the latest one. */
    async apply(db: Db, snapshot: BookingSnapshot, at: Date): Promise<boolean> {
      const values = {
        id: snapshot.bookingId,
        clientId: snapshot.clientId,
        providerUserId: snapshot.providerUserId ?? null,
        status: snapshot.status,
        startsAt: new Date(snapshot.startsAt),
        endsAt: new Date(snapshot.endsAt),
        snapshot,
        lastEventAt: at,
      };
      const applied = await db
        .insert(bookings)
        .values(values)
        .onConflictDoUpdate({
          target: bookings.id,
          set: {
            clientId: sql`excluded.client_id`,
            providerUserId: sql`coalesce(excluded.provider_user_id, ${bookings.providerUserId})`,
            status: sql`excluded.status`,
            startsAt: sql`excluded.starts_at`,
            endsAt: sql`excluded.ends_at`,
            snapshot: sql`excluded.snapshot`,
            lastEventAt: sql`excluded.last_event_at`,
          },
          setWhere: sql`${bookings.lastEventAt} < excluded.last_event_at or (${bookings.lastEventAt} = excluded.last_event_at and ${rank(sql`excluded.status`)} >= ${rank(sql`${bookings.status}`)})`,
        })
        .returning({ id: bookings.id });
      return applied.length > 0;
    },

    /**
     * Records a meeting link made after the booking's event (meeting.ready). Not a state of the
     * booking: `last_event_at` stays, so the booking events keep their order among themselves.
     */
    async setMeetingUrl(db: Db, bookingId: string, meetingUrl: string): Promise<void> {
      await db
        .update(bookings)
        .set({ snapshot: sql`${bookings.snapshot} || jsonb_build_object('meetingUrl', ${meetingUrl}::text, 'meetingStatus', 'ready')` })
        .where(eq(bookings.id, bookingId));
    },

    async find(db: Db, bookingId: string): Promise<{ snapshot: BookingSnapshot; status: string; lastEventAt: Date } | undefined> {
      const [row] = await db
        .select({ snapshot: bookings.snapshot, status: bookings.status, lastEventAt: bookings.lastEventAt })
        .from(bookings)
        .where(eq(bookings.id, bookingId));
      return row === undefined ? undefined : { snapshot: row.snapshot as BookingSnapshot, status: row.status, lastEventAt: row.lastEventAt };
    },
  };
}

export type BookingProjection = ReturnType<typeof createBookingProjection>;
