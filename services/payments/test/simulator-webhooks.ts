import { randomUUID } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { signTimestamped } from '../src/gateways/signatures';
import { simulatorSecret, type PaymentsHarness } from './harness';

/** What the simulator (any gateway) would send about one order, signed unless told otherwise. */
export interface SimulatedWebhook {
  readonly type?: string;
  readonly eventId?: string;
  readonly gatewayOrderId: string;
  readonly paymentId?: string;
  readonly amount: number;
  readonly currency: string;
  /** Unix seconds of the signature (default: the harness clock). */
  readonly signedAt?: number;
  readonly secret?: string;
  /** Replace the body after signing (a tampered body). */
  readonly tamper?: (body: string) => string;
}

export function webhookBody(webhook: SimulatedWebhook): string {
  return JSON.stringify({
    id: webhook.eventId ?? `evt_test_${randomUUID()}`,
    type: webhook.type ?? 'payment.captured',
    created: webhook.signedAt ?? 0,
    data: { order_id: webhook.gatewayOrderId, payment_id: webhook.paymentId ?? `pay_test_${randomUUID()}`, amount: webhook.amount, currency: webhook.currency },
  });
}

export async function sendSimulatorWebhook(h: PaymentsHarness, webhook: SimulatedWebhook): Promise<LightMyRequestResponse> {
  const signedAt = webhook.signedAt ?? Math.floor(h.clock.now().getTime() / 1000);
  const body = webhookBody({ ...webhook, signedAt });
  const signature = signTimestamped(webhook.secret ?? simulatorSecret, body, signedAt);
  return h.inject({
    method: 'POST',
    url: '/api/v1/payments/webhooks/simulator',
    headers: { 'content-type': 'application/json', 'x-simulator-signature': signature },
    payload: webhook.tamper === undefined ? body : webhook.tamper(body),
  });
}

/** The gateway order id of an order (what webhooks name). */
export async function gatewayOrderIdOf(h: PaymentsHarness, orderId: string): Promise<string> {
  const rows = await h.sql<{ gateway_order_id: string | null }>('select gateway_order_id from payments.orders where id = $1', [orderId]);
  const id = rows[0]?.gateway_order_id;
  if (id == null) throw new Error(`order ${orderId} has no gateway order`);
  return id;
}

/** Everything a refused webhook must leave as it was: the order row, its transitions, stored events, the outbox. */
export async function paymentsState(h: PaymentsHarness, orderId: string): Promise<unknown> {
  const [order] = await h.sql('select status, refunded_amount, gateway_payment_id, updated_at from payments.orders where id = $1', [orderId]);
  const transitions = await h.sql('select count(*)::int as n from payments.transitions where order_id = $1', [orderId]);
  const events = await h.sql('select count(*)::int as n from payments.gateway_events where order_id = $1', [orderId]);
  const outbox = await h.sql('select count(*)::int as n from payments.outbox');
  return { order, transitions, events, outbox };
}
