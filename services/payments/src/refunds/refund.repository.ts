import { and, asc, eq, inArray, isNull, lte, or, sql } from 'drizzle-orm';
import type { Db } from '@timeslot/ports';
import type { PaymentsTables, RefundRow } from '../tables';

export type NewRefund = Pick<RefundRow, 'id' | 'orderId' | 'gatewayPaymentId' | 'amount' | 'currency' | 'reason' | 'requestedBy' | 'idempotencyKey' | 'requestHash'> & { createdAt: Date };

/** All SQL about refunds. Every method takes the handle to use, so it works inside a transaction. */
export function createRefundRepository(tables: PaymentsTables) {
  const { refunds } = tables;

  return {
    async insert(db: Db, refund: NewRefund): Promise<RefundRow> {
      const rows = await db
        .insert(refunds)
        .values({ ...refund, status: 'pending', updatedAt: refund.createdAt, nextAttemptAt: refund.createdAt })
        .returning();
      const row = rows[0];
      if (row === undefined) throw new Error('refund insert returned nothing');
      return row;
    },

    async findById(db: Db, id: string, options: { forUpdate?: boolean } = {}): Promise<RefundRow | undefined> {
      const query = db.select().from(refunds).where(eq(refunds.id, id)).limit(1);
      const rows = options.forUpdate ? await query.for('update') : await query;
      return rows[0];
    },

    async findByKey(db: Db, orderId: string, requestedBy: string, key: string): Promise<RefundRow | undefined> {
      const rows = await db
        .select()
        .from(refunds)
        .where(and(eq(refunds.orderId, orderId), eq(refunds.requestedBy, requestedBy), eq(refunds.idempotencyKey, key)))
        .limit(1);
      return rows[0];
    },

    /** Minor units of the order's refunds still on their way to the gateway. */
    async pendingAmount(db: Db, orderId: string): Promise<number> {
      const rows = await db
        .select({ total: sql<string>`coalesce(sum(${refunds.amount}), 0)` })
        .from(refunds)
        .where(and(eq(refunds.orderId, orderId), eq(refunds.status, 'pending')));
      return Number(rows[0]?.total ?? 0);
    },

    ofOrder: (db: Db, orderId: string) => db.select().from(refunds).where(eq(refunds.orderId, orderId)).orderBy(asc(refunds.createdAt), asc(refunds.id)),

    /** The right to send this refund to the gateway for `leaseMs` (one sender at a time; a dead one's lease runs out). */
    async claim(db: Db, id: string, now: Date, leaseMs: number): Promise<RefundRow | undefined> {
      const rows = await db
        .update(refunds)
        .set({ nextAttemptAt: new Date(now.getTime() + leaseMs), attempts: sql`${refunds.attempts} + 1`, updatedAt: now })
        .where(and(eq(refunds.id, id), eq(refunds.status, 'pending'), or(isNull(refunds.nextAttemptAt), lte(refunds.nextAttemptAt, now))))
        .returning();
      return rows[0];
    },

    async succeeded(db: Db, id: string, gatewayRefundId: string, now: Date): Promise<RefundRow | undefined> {
      const rows = await db
        .update(refunds)
        .set({ status: 'succeeded', gatewayRefundId, nextAttemptAt: null, lastError: null, updatedAt: now })
        .where(and(eq(refunds.id, id), eq(refunds.status, 'pending')))
        .returning();
      return rows[0];
    },

    async attemptFailed(db: Db, id: string, error: string, retryAt: Date | null, now: Date): Promise<void> {
      await db
        .update(refunds)
        .set({ lastError: error.slice(0, 500), nextAttemptAt: retryAt, ...(retryAt === null ? { status: 'failed' as const } : {}), updatedAt: now })
        .where(and(eq(refunds.id, id), eq(refunds.status, 'pending')));
    },

    async due(db: Db, now: Date, limit: number): Promise<string[]> {
      const rows = await db
        .select({ id: refunds.id })
        .from(refunds)
        .where(and(inArray(refunds.status, ['pending']), lte(refunds.nextAttemptAt, now)))
        .orderBy(asc(refunds.nextAttemptAt))
        .limit(limit);
      return rows.map((row) => row.id);
    },
  };
}

export type RefundRepository = ReturnType<typeof createRefundRepository>;
