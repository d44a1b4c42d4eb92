import { and, asc, eq, isNull, lt } from 'drizzle-orm';
import type { Db } from '@timeslot/ports';
import type { GatewayEventRow, PaymentsTables } from '../tables';

export type NewGatewayEvent = Omit<GatewayEventRow, 'processedAt' | 'outcome'>;

/** All SQL about stored gateway events (webhooks and callbacks). */
export function createGatewayEventRepository(tables: PaymentsTables) {
  const { gatewayEvents } = tables;

  return {
    /** Stores the event unless its (gateway, event id) is known; resolves with whether it was new. */
    async insertIfNew(db: Db, event: NewGatewayEvent): Promise<boolean> {
      const rows = await db.insert(gatewayEvents).values(event).onConflictDoNothing({ target: [gatewayEvents.gateway, gatewayEvents.eventId] }).returning({ id: gatewayEvents.id });
      return rows.length > 0;
    },

    async findByEventId(db: Db, gateway: GatewayEventRow['gateway'], eventId: string): Promise<GatewayEventRow | undefined> {
      const rows = await db
        .select()
        .from(gatewayEvents)
        .where(and(eq(gatewayEvents.gateway, gateway), eq(gatewayEvents.eventId, eventId)))
        .limit(1);
      return rows[0];
    },

    /** The event, locked, if it has not been applied yet. */
    async lockUnprocessed(db: Db, id: string): Promise<GatewayEventRow | undefined> {
      const rows = await db
        .select()
        .from(gatewayEvents)
        .where(and(eq(gatewayEvents.id, id), isNull(gatewayEvents.processedAt)))
        .limit(1)
        .for('update');
      return rows[0];
    },

    async markProcessed(db: Db, id: string, outcome: string, now: Date): Promise<void> {
      await db.update(gatewayEvents).set({ processedAt: now, outcome }).where(eq(gatewayEvents.id, id));
    },

    /** Events received before `before` and still not applied (their after-commit run was lost). */
    async stale(db: Db, before: Date, limit: number): Promise<string[]> {
      const rows = await db
        .select({ id: gatewayEvents.id })
        .from(gatewayEvents)
        .where(and(isNull(gatewayEvents.processedAt), lt(gatewayEvents.receivedAt, before)))
        .orderBy(asc(gatewayEvents.receivedAt))
        .limit(limit);
      return rows.map((row) => row.id);
    },
  };
}
