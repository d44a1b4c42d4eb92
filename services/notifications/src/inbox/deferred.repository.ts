import { eq } from 'drizzle-orm';
import type { Db } from '@timeslot/ports';
import type { NotificationsTables } from '../tables';
import type { Delivery } from './delivery.model';

/** Deliveries waiting for their recipient's user.registered. */
export function createDeferredDeliveries(tables: NotificationsTables) {
  const { deferredDeliveries: deferred } = tables;
  return {
    async add(db: Db, delivery: Delivery): Promise<void> {
      await db.insert(deferred).values({ eventId: delivery.eventId, userId: delivery.userId, delivery }).onConflictDoNothing();
    },

    /** Removes and returns the user's waiting deliveries, oldest event first. */
    async take(db: Db, userId: string): Promise<Delivery[]> {
      const rows = await db.delete(deferred).where(eq(deferred.userId, userId)).returning({ delivery: deferred.delivery });
      return rows.map((row) => row.delivery).sort((a, b) => a.occurredAt.localeCompare(b.occurredAt));
    },
  };
}
