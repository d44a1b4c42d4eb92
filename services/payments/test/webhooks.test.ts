import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPaymentsHarness, type BookingBody, type PaymentsHarness } from './harness';
import { gatewayOrderIdOf, paymentsState, sendSimulatorWebhook } from './simulator-webhooks';

/*
 * Webhooks as an attacker or a confused gateway would send them: each refusal is a 400 (or 404)
 * with its code, and leaves the order, its history, the stored events and the outbox as they were.
 * The same event id twice is applied once.
 */

let h: PaymentsHarness;
let slot = 0;

beforeAll(async () => {
  h = await createPaymentsHarness();
});

afterAll(async () => {
  await h?.close();
});

async function heldBooking(): Promise<{ booking: BookingBody; orderId: string; gatewayOrderId: string }> {
  const { client, service } = await h.paidSetup({ priceAmount: 2500, currency: 'EUR' });
  const hour = 9 + (slot++ % 8);
  const booking = await h.book(client.token, service.id, `2030-01-${String(10 + Math.floor(slot / 8)).padStart(2, '0')}T${String(hour).padStart(2, '0')}:00:00Z`);
  const orderId = booking.payment!.orderId;
  return { booking, orderId, gatewayOrderId: await gatewayOrderIdOf(h, orderId) };
}

describe('refused webhooks change nothing', () => {
  it('refuses a forged signature, a tampered body, a missing header and another secret', async () => {
    const { orderId, gatewayOrderId } = await heldBooking();
    const before = await paymentsState(h, orderId);
    const cases = [
      await sendSimulatorWebhook(h, { gatewayOrderId, amount: 2500, currency: 'EUR', secret: 'not-the-simulator-secret' }),
      await sendSimulatorWebhook(h, { gatewayOrderId, amount: 2500, currency: 'EUR', tamper: (body) => body.replace('2500', '2501') }),
      await h.inject({ method: 'POST', url: '/api/v1/payments/webhooks/simulator', headers: { 'content-type': 'application/json' }, payload: '{}' }),
      await h.inject({ method: 'POST', url: '/api/v1/payments/webhooks/simulator', headers: { 'content-type': 'application/json', 'x-simulator-signature': 't=1,v1=zz' }, payload: '{}' }),
    ];
    for (const response of cases) {
      expect(response.statusCode, response.body).toBe(400);
      expect(response.json()).toMatchObject({ code: 'WEBHOOK_SIGNATURE_INVALID' });
    }
    expect(await paymentsState(h, orderId)).toEqual(before);
  });

  it('refuses a correctly signed webhook older (or newer) than 300 seconds', async () => {
    const { orderId, gatewayOrderId } = await heldBooking();
    const before = await paymentsState(h, orderId);
    const now = Math.floor(h.clock.now().getTime() / 1000);
    for (const signedAt of [now - 301, now + 301]) {
      const response = await sendSimulatorWebhook(h, { gatewayOrderId, amount: 2500, currency: 'EUR', signedAt });
      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({ code: 'WEBHOOK_TIMESTAMP_STALE' });
    }
    // Within the tolerance it is taken.
    const edge = await sendSimulatorWebhook(h, { gatewayOrderId, amount: 2500, currency: 'EUR', signedAt: now - 299, type: 'payment.failed' });
    expect(edge.statusCode).toBe(200);
    expect(before).not.toEqual(await paymentsState(h, orderId));
  });

  it('refuses an unknown order, another amount and another currency', async () => {
    const { orderId, gatewayOrderId } = await heldBooking();
    const before = await paymentsState(h, orderId);
    const unknown = await sendSimulatorWebhook(h, { gatewayOrderId: `sim_order_${randomUUID().replaceAll('-', '')}`, amount: 2500, currency: 'EUR' });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json()).toMatchObject({ code: 'WEBHOOK_ORDER_UNKNOWN' });
    for (const [amount, currency] of [
      [2499, 'EUR'],
      [2500, 'USD'],
    ] as const) {
      const response = await sendSimulatorWebhook(h, { gatewayOrderId, amount, currency });
      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({ code: 'WEBHOOK_AMOUNT_MISMATCH' });
    }
    expect(await paymentsState(h, orderId)).toEqual(before);
  });

  it('refuses a signed body that is not an event, and a gateway this server does not use', async () => {
    const { orderId, gatewayOrderId } = await heldBooking();
    const before = await paymentsState(h, orderId);
    const { signTimestamped } = await import('../src/gateways/signatures');
    const { simulatorSecret } = await import('./harness');
    const now = Math.floor(h.clock.now().getTime() / 1000);
    for (const body of ['[1,2]', 'not json', JSON.stringify({ id: 'evt_1', type: 'payment.captured', data: { order_id: gatewayOrderId, amount: 2500.5, currency: 'EUR', payment_id: 'p' } }),
      // Text PostgreSQL cannot store, and ids no gateway sends.
      JSON.stringify({ id: 'evt_2', type: 'payment.captured', data: { order_id: gatewayOrderId, amount: 2500, currency: 'EUR', payment_id: 'p\u0000x' } }),
      JSON.stringify({ id: 'e'.repeat(201), type: 'payment.captured', data: { order_id: gatewayOrderId, amount: 2500, currency: 'EUR', payment_id: 'p' } })]) {
      const response = await h.inject({
        method: 'POST',
        url: '/api/v1/payments/webhooks/simulator',
        headers: { 'content-type': 'application/json', 'x-simulator-signature': signTimestamped(simulatorSecret, body, now) },
        payload: body,
      });
      expect(response.statusCode, body).toBe(400);
      expect(response.json()).toMatchObject({ code: 'WEBHOOK_MALFORMED' });
    }
    const stripe = await h.inject({ method: 'POST', url: '/api/v1/payments/webhooks/stripe', headers: { 'content-type': 'application/json' }, payload: '{}' });
    expect(stripe.statusCode).toBe(404);
    expect(stripe.json()).toMatchObject({ code: 'WEBHOOK_GATEWAY_UNKNOWN' });
    expect(await paymentsState(h, orderId)).toEqual(before);
  });

  it('acknowledges event types it does not act on, changing nothing', async () => {
    const { orderId, gatewayOrderId } = await heldBooking();
    const before = await paymentsState(h, orderId);
    const response = await sendSimulatorWebhook(h, { gatewayOrderId, amount: 2500, currency: 'EUR', type: 'payout.paid' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ received: true, duplicate: false, ignored: true });
    expect(await paymentsState(h, orderId)).toEqual(before);
  });
});

describe('accepted webhooks', () => {
  it('applies the same event id once, however often it comes', async () => {
    const { booking, orderId, gatewayOrderId } = await heldBooking();
    const eventId = `evt_same_${randomUUID()}`;
    const paymentId = `pay_same_${randomUUID()}`;
    const answers = await Promise.all(Array.from({ length: 10 }, () => sendSimulatorWebhook(h, { gatewayOrderId, amount: 2500, currency: 'EUR', eventId, paymentId })));
    expect(answers.map((response) => response.statusCode)).toEqual(Array(10).fill(200));
    expect(answers.filter((response) => response.json<{ duplicate: boolean }>().duplicate === false)).toHaveLength(1);
    expect(await h.bookingStatus(booking.id, 'confirmed')).toBe('confirmed');
    await h.payments.settled();
    // Another event about the same payment (a retry with a new id) is stored, and changes nothing.
    const retry = await sendSimulatorWebhook(h, { gatewayOrderId, amount: 2500, currency: 'EUR', paymentId });
    expect(retry.json()).toMatchObject({ duplicate: false });
    await h.payments.settled();
    const stored = await h.sql<{ outcome: string }>('select outcome from payments.gateway_events where order_id = $1 order by received_at', [orderId]);
    expect(stored.map((row) => row.outcome)).toEqual(['captured', 'duplicate']);
    expect(await h.outboxTypes('payments', booking.id)).toEqual(['payment.captured']);
    expect(await h.outboxTypes('scheduling', booking.id)).toEqual(['booking.held', 'booking.confirmed']);
  });

  it('answers before applying: an event whose run was lost is applied by the sweep', async () => {
    const { booking, orderId, gatewayOrderId } = await heldBooking();
    // Stored as a replica would store it before dying: received, never applied.
    await h.sql(
      `insert into payments.gateway_events (id, gateway, event_id, order_id, kind, gateway_payment_id, amount, currency, source, received_at)
       values ($1, 'simulator', $2, $3, 'captured', 'pay_lost', 2500, 'EUR', 'webhook', $4)`,
      [randomUUID(), `evt_lost_${randomUUID()}`, orderId, new Date(h.clock.now().getTime() - 60_000)],
    );
    expect(gatewayOrderId).toMatch(/^sim_order_/);
    expect(await h.payments.sweep()).toMatchObject({ applied: 1 });
    expect(await h.orderStatus(orderId, 'captured')).toBe('captured');
    expect(await h.bookingStatus(booking.id, 'confirmed')).toBe('confirmed');
    expect(await h.payments.sweep()).toMatchObject({ applied: 0 });
  });
});
