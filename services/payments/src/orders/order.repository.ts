import { createHash } from 'node:crypto';
import { and, asc, desc, eq, gt, inArray, isNull, lt, lte, or, sql, type SQL } from 'drizzle-orm';
import { quoteIdentifier } from '@timeslot/adapters';
import type { Database, Db, PaymentStatus } from '@timeslot/ports';
import type { OrderRow, PaymentsTables, TransitionRow } from '../tables';
import { canTransition } from './order.model';

export type NewOrder = Omit<OrderRow, 'refundedAmount' | 'lastError' | 'gatewayPaymentId' | 'checkoutUrl' | 'clientSecret' | 'gatewayOrderId'>;

/** What a status change records besides the status: why, the gateway's reference, the amount. */
export interface TransitionNote {
  readonly reason: string;
  readonly gatewayRef?: string | null;
  readonly amount?: number | null;
}

export type OrderChanges = Partial<Pick<OrderRow, 'gatewayPaymentId' | 'refundedAmount' | 'bookingStatus' | 'holdExpiresAt' | 'startsAt' | 'providerUserId'>>;

export interface OrderListFilter {
  readonly clientId?: string;
  readonly providerUserId?: string;
  readonly status?: PaymentStatus;
  readonly after?: { readonly createdAt: Date; readonly id: string };
  readonly limit: number;
}

/** The statement per schema, text and prepared-statement name, built once. */
const insertBySchema = new Map<string, { text: string; name: string }>();

function insertStatement(schema: string): { text: string; name: string } {
  let statement = insertBySchema.get(schema);
  if (statement === undefined) {
    const s = quoteIdentifier(schema);
    // Data-modifying CTEs all run: the transition row exists exactly when the order does.
    const text = `with o as (
        insert into ${s}.orders (id, booking_id, client_id, provider_id, provider_user_id, service_id, description, amount, currency, status, gateway,
          booking_status, starts_at, hold_expires_at, cancellation_window_minutes, attempts, next_attempt_at, created_at, updated_at)
        values ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'created', $10, 'pending_payment', $11, $12, $13, $14, $15, $16, $16)
        on conflict (booking_id) do nothing
        returning id, created_at),
      t as (insert into ${s}.transitions (order_id, from_status, to_status, reason, at) select id, null, 'created', 'order created', created_at from o)
      select count(*)::int as inserted from o`;
    statement = { text, name: `order_insert_${createHash('sha1').update(schema).digest('hex').slice(0, 16)}` };
    insertBySchema.set(schema, statement);
  }
  return statement;
}

/**
 * A new order (status created) and its first transition in one statement, unless the booking has
 * an order already (one per booking, by its unique index): the hot path of every paid booking.
 * Resolves with the row when it was inserted.
 */
export async function insertNewOrder(database: Database, schema: string, order: NewOrder): Promise<OrderRow | undefined> {
  const statement = insertStatement(schema);
  const rows = await database.query<{ inserted: number }>(
    statement.text,
    [
      order.id,
      order.bookingId,
      order.clientId,
      order.providerId,
      order.providerUserId,
      order.serviceId,
      order.description,
      order.amount,
      order.currency,
      order.gateway,
      order.startsAt.toISOString(),
      order.holdExpiresAt?.toISOString() ?? null,
      order.cancellationWindowMinutes,
      order.attempts,
      order.nextAttemptAt?.toISOString() ?? null,
      order.createdAt.toISOString(),
    ],
    { name: statement.name },
  );
  if (rows[0]?.inserted !== 1) return undefined;
  return { ...order, status: 'created', bookingStatus: 'pending_payment', refundedAmount: 0, lastError: null, gatewayOrderId: null, gatewayPaymentId: null, checkoutUrl: null, clientSecret: null };
}

/** All SQL about orders and their transitions. Every method takes the handle to use, so it works inside a transaction. */
export function createOrderRepository(tables: PaymentsTables) {
  const { orders, transitions } = tables;

  async function findOne(db: Db, condition: SQL | undefined, forUpdate: boolean): Promise<OrderRow | undefined> {
    const query = db.select().from(orders).where(condition).limit(1);
    const rows = forUpdate ? await query.for('update') : await query;
    return rows[0];
  }

  return {
    /** The order, unless the booking has one already (one order per booking, by its unique index). */
    async insertIfAbsent(db: Db, order: Omit<NewOrder, 'attempts'>): Promise<boolean> {
      const rows = await db.insert(orders).values(order).onConflictDoNothing({ target: orders.bookingId }).returning({ id: orders.id });
      if (rows.length > 0) {
        await db.insert(transitions).values({ orderId: order.id, fromStatus: null, toStatus: order.status, reason: order.status === 'created' ? 'order created' : 'booking gone before its order', at: order.createdAt });
      }
      return rows.length > 0;
    },

    findById: (db: Db, id: string, options: { forUpdate?: boolean } = {}) => findOne(db, eq(orders.id, id), options.forUpdate ?? false),
    findByBooking: (db: Db, bookingId: string, options: { forUpdate?: boolean } = {}) => findOne(db, eq(orders.bookingId, bookingId), options.forUpdate ?? false),
    findByGatewayOrder: (db: Db, gateway: OrderRow['gateway'], gatewayOrderId: string) =>
      findOne(db, and(eq(orders.gateway, gateway), eq(orders.gatewayOrderId, gatewayOrderId)), false),

    /**
     * Take the right to make the order's gateway order for `leaseMs`: only one caller at a time
     * talks to the gateway about it (the booking request or the sweep); a caller that dies
     * holding it leaves the order due again when the lease ends.
     */
    async claimPlacement(db: Db, id: string, now: Date, leaseMs: number): Promise<OrderRow | undefined> {
      const rows = await db
        .update(orders)
        .set({ nextAttemptAt: new Date(now.getTime() + leaseMs), attempts: sql`${orders.attempts} + 1`, updatedAt: now })
        // Attempt 0 is an order the held event recorded: the booking request may claim it at once.
        .where(and(eq(orders.id, id), isNull(orders.gatewayOrderId), eq(orders.status, 'created'), or(eq(orders.attempts, 0), isNull(orders.nextAttemptAt), lte(orders.nextAttemptAt, now))))
        .returning();
      return rows[0];
    },

    async storeGatewayOrder(db: Db, id: string, placed: { gatewayOrderId: string; checkoutUrl: string | null; clientSecret: string | null }, now: Date): Promise<OrderRow | undefined> {
      const rows = await db
        .update(orders)
        .set({ ...placed, nextAttemptAt: null, lastError: null, updatedAt: now })
        .where(and(eq(orders.id, id), isNull(orders.gatewayOrderId)))
        .returning();
      return rows[0];
    },

    async placementFailed(db: Db, id: string, error: string, retryAt: Date, now: Date): Promise<void> {
      await db.update(orders).set({ lastError: error.slice(0, 500), nextAttemptAt: retryAt, updatedAt: now }).where(and(eq(orders.id, id), isNull(orders.gatewayOrderId)));
    },

    /** Orders of live holds still without their gateway order and due for an attempt, oldest first. */
    async dueForPlacement(db: Db, now: Date, limit: number): Promise<string[]> {
      const rows = await db
        .select({ id: orders.id })
        .from(orders)
        .where(and(isNull(orders.gatewayOrderId), eq(orders.status, 'created'), lte(orders.nextAttemptAt, now), or(isNull(orders.holdExpiresAt), gt(orders.holdExpiresAt, now))))
        .orderBy(asc(orders.nextAttemptAt))
        .limit(limit);
      return rows.map((row) => row.id);
    },

    /**
     * Move the order (locked by the caller) from its status to `to`, with the transition recorded.
     * Throws when the state machine forbids it: callers decide first, this only guards.
     */
    async change(db: Db, order: OrderRow, to: PaymentStatus, changes: OrderChanges, note: TransitionNote, now: Date): Promise<OrderRow> {
      if (!canTransition(order.status, to)) throw new Error(`payment ${order.id}: ${order.status} → ${to} is not a transition`);
      const rows = await db
        .update(orders)
        .set({ ...changes, status: to, updatedAt: now })
        .where(and(eq(orders.id, order.id), eq(orders.status, order.status)))
        .returning();
      const row = rows[0];
      // Unreachable while the row is locked FOR UPDATE; kept so a lost race can never pass silently.
      if (row === undefined) throw new Error(`payment ${order.id} changed under a lock`);
      await db.insert(transitions).values({ orderId: order.id, fromStatus: order.status, toStatus: to, gatewayRef: note.gatewayRef ?? null, amount: note.amount ?? null, reason: note.reason, at: now });
      return row;
    },

    /** A claimed waitlist offer is held again, for longer: the order follows (never shorter). */
    async extendHold(db: Db, bookingId: string, holdExpiresAt: Date, now: Date): Promise<void> {
      await db
        .update(orders)
        .set({ holdExpiresAt, updatedAt: now })
        .where(and(eq(orders.bookingId, bookingId), or(isNull(orders.holdExpiresAt), lt(orders.holdExpiresAt, holdExpiresAt))));
    },

    /** Changes that are not a status change (what payments knows of the booking). */
    async update(db: Db, id: string, changes: OrderChanges, now: Date): Promise<void> {
      await db.update(orders).set({ ...changes, updatedAt: now }).where(eq(orders.id, id));
    },

    async transitionsOf(db: Db, orderId: string): Promise<TransitionRow[]> {
      return db.select().from(transitions).where(eq(transitions.orderId, orderId)).orderBy(asc(transitions.id));
    },

    /** Keyset page, newest first, ordered by (created_at, id). */
    async list(db: Db, filter: OrderListFilter): Promise<OrderRow[]> {
      const conditions: (SQL | undefined)[] = [];
      if (filter.clientId !== undefined) conditions.push(eq(orders.clientId, filter.clientId));
      if (filter.providerUserId !== undefined) conditions.push(eq(orders.providerUserId, filter.providerUserId));
      if (filter.status !== undefined) conditions.push(eq(orders.status, filter.status));
      if (filter.after !== undefined) {
        const { createdAt, id } = filter.after;
        conditions.push(or(lt(orders.createdAt, createdAt), and(eq(orders.createdAt, createdAt), lt(orders.id, id))));
      }
      return db
        .select()
        .from(orders)
        .where(and(...conditions))
        .orderBy(desc(orders.createdAt), desc(orders.id))
        .limit(filter.limit);
    },

    /** Per currency, for a provider: money captured, refunded, and the difference (their payout due). */
    async payouts(db: Db, providerUserId: string): Promise<{ currency: string; captured: number; refunded: number }[]> {
      const rows = await db
        .select({
          currency: orders.currency,
          captured: sql<string>`coalesce(sum(${orders.amount}), 0)`,
          refunded: sql<string>`coalesce(sum(${orders.refundedAmount}), 0)`,
        })
        .from(orders)
        .where(and(eq(orders.providerUserId, providerUserId), inArray(orders.status, ['captured', 'partially_refunded', 'refunded'])))
        .groupBy(orders.currency)
        .orderBy(asc(orders.currency));
      // Sums of bigints come back as text; they stay far below 2^53 for any real set of bookings.
      return rows.map((row) => ({ currency: row.currency, captured: Number(row.captured), refunded: Number(row.refunded) }));
    },
  };
}

export type OrderRepository = ReturnType<typeof createOrderRepository>;
