import { startPeriodic } from '@timeslot/kernel';
import type { PaymentsContext } from './context';
import { describeError } from './describe-error';
import { createOrderRepository } from './orders/order.repository';
import { placeOrder } from './orders/order.service';
import { createRefundRepository } from './refunds/refund.repository';
import { sendRefund } from './refunds/refund.service';
import { createGatewayEventRepository } from './webhooks/gateway-event.repository';
import { applyGatewayEvent } from './webhooks/gateway-event.service';

/*
 * The payments service's background pass, run by every replica; each piece of work is claimed in
 * the database (a lease on orders and refunds, a row lock on events), so replicas share it.
 * - orders of live holds whose gateway order is still not made (the gateway was down, or the
 *   booking request never asked): placed;
 * - gateway events stored but not applied (the replica that received them stopped first): applied;
 * - refunds not yet accepted by the gateway: sent again (same idempotency key).
 */

const BATCH = 50;

export interface SweepResult {
  readonly placed: number;
  readonly applied: number;
  readonly refunded: number;
}

export async function sweep(ctx: PaymentsContext): Promise<SweepResult> {
  const db = ctx.database.db;
  const now = ctx.options.now();
  let placed = 0;
  for (const id of await createOrderRepository(ctx.tables).dueForPlacement(db, now, BATCH)) {
    try {
      if ((await placeOrder(ctx, id))?.gatewayOrderId != null) placed++;
    } catch {
      // Logged and rescheduled by placeOrder; the gateway is likely down for the rest as well.
      break;
    }
  }
  let applied = 0;
  for (const id of await createGatewayEventRepository(ctx.tables).stale(db, new Date(now.getTime() - ctx.options.staleEventMs), BATCH)) {
    if ((await applyGatewayEvent(ctx, id)) !== undefined) applied++;
  }
  let refunded = 0;
  for (const id of await createRefundRepository(ctx.tables).due(db, now, BATCH)) {
    if ((await sendRefund(ctx, id)) === 'succeeded') refunded++;
  }
  return { placed, applied, refunded };
}

/** Runs `sweep` every `sweepIntervalMs` until the returned stop is called (which waits for a pass in progress). */
export function startSweeper(ctx: PaymentsContext): () => Promise<void> {
  return startPeriodic(() => sweep(ctx), { intervalMs: ctx.options.sweepIntervalMs, logger: ctx.logger, what: 'payments sweep', describe: (error) => ({ error: describeError(error) }) });
}
