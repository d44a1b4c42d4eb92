import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Stripe from 'stripe';
import { eventually } from '@timeslot/ports/contracts/wait';
import { signTimestamped } from '../src/gateways/signatures';
import { FakeStripe } from './fake-stripe';
import { createPaymentsHarness, type PaidSetup, type PaymentsHarness } from './harness';

/*
 * The Stripe adapter through the official client, against a local fake of api.stripe.com: payment
 * intents made with our order id as the idempotency key, webhooks signed by Stripe's own helper,
 * refunds with refund-<id> keys, and Stripe going down in the middle of a booking.
 */

const secretKey = 'sk_test_payments_fake_0123456789';
const webhookSecret = 'whsec_test_payments_fake_0123456789';
let fake: FakeStripe;
let h: PaymentsHarness;
let setup: PaidSetup;
let hour = 8;
/** Every log line the services wrote. */
const logs: string[] = [];

beforeAll(async () => {
  fake = new FakeStripe(secretKey, webhookSecret);
  await fake.start();
  const sink = new PassThrough();
  sink.on('data', (chunk: Buffer) => logs.push(...chunk.toString('utf8').split('\n').filter((line) => line !== '')));
  h = await createPaymentsHarness({
    logDestination: sink,
    gateway: () => ({ kind: 'stripe', secretKey, webhookSecret, apiUrl: fake.url, timeoutMs: 2000 }),
    payments: { gatewayTimeoutMs: 2000 },
  });
  fake.webhookUrl = `${h.url}/api/v1/payments/webhooks/stripe`;
  fake.now = () => h.clock.now().getTime();
  setup = await h.paidSetup({ priceAmount: 4200, currency: 'EUR' });
}, 60_000);

afterAll(async () => {
  await h?.close();
  await fake?.stop();
});

const nextSlot = () => `2030-01-08T${String(++hour).padStart(2, '0')}:00:00Z`;

async function intentOf(orderId: string): Promise<string> {
  const rows = await h.sql<{ gateway_order_id: string | null }>('select gateway_order_id from payments.orders where id = $1', [orderId]);
  return rows[0]?.gateway_order_id ?? '';
}

describe('Stripe payment intents', () => {
  it('makes one intent per order with the order id as idempotency key, hands the client its secret, confirms on the signed webhook', async () => {
    const booking = await h.book(setup.client.token, setup.service.id, nextSlot());
    expect(booking.payment).toMatchObject({ gateway: 'stripe', status: 'created', amount: 4200, currency: 'EUR', checkoutUrl: null });
    const intentId = await intentOf(booking.payment!.orderId);
    expect(booking.payment!.clientSecret).toBe(fake.intents.get(intentId)!.client_secret);
    const created = fake.calls('POST', '/v1/payment_intents').filter((call) => (call.params.metadata as Record<string, string>).orderId === booking.payment!.orderId);
    expect(created).toEqual([expect.objectContaining({ idempotencyKey: `order-${booking.payment!.orderId}`, params: expect.objectContaining({ amount: '4200', currency: 'eur' }) })]);

    expect(await fake.succeed(intentId)).toBe(200);
    expect(await h.bookingStatus(booking.id, 'confirmed')).toBe('confirmed');
    expect(await h.orderStatus(booking.payment!.orderId, 'captured')).toBe('captured');
  });

  it('verifies Stripe-Signature exactly as Stripe signs: our scheme matches the official helper, other secrets and stale times are refused', async () => {
    const body = '{"id":"evt_x","type":"ping"}';
    const stripe = new Stripe('sk_test_only_for_signing');
    expect(signTimestamped(webhookSecret, body, 1_900_000_000)).toBe(stripe.webhooks.generateTestHeaderString({ payload: body, secret: webhookSecret, timestamp: 1_900_000_000 }));
    const booking = await h.book(setup.client.token, setup.service.id, nextSlot());
    const intent = fake.intents.get(await intentOf(booking.payment!.orderId))!;
    const stale = await fake.sendWebhook('payment_intent.succeeded', { ...intent, status: 'succeeded', amount_received: intent.amount }, { timestamp: Math.floor(h.clock.now().getTime() / 1000) - 301 });
    expect(stale).toBe(400);
    const signedElsewhere = new FakeStripe(secretKey, 'whsec_someone_else');
    signedElsewhere.webhookUrl = fake.webhookUrl;
    signedElsewhere.now = fake.now;
    expect(await signedElsewhere.sendWebhook('payment_intent.succeeded', { ...intent, status: 'succeeded', amount_received: intent.amount })).toBe(400);
    const cheaper = await fake.sendWebhook('payment_intent.succeeded', { ...intent, status: 'succeeded', amount: 100, amount_received: 100 });
    expect(cheaper).toBe(400);
    expect(await h.orderStatus(booking.payment!.orderId, 'created')).toBe('created');
    // Types we do not act on are acknowledged.
    expect(await fake.sendWebhook('charge.updated', { id: 'ch_1' })).toBe(200);
  });

  it('confirms through the callback by asking Stripe for the intent', async () => {
    const booking = await h.book(setup.client.token, setup.service.id, nextSlot());
    const intentId = await intentOf(booking.payment!.orderId);
    const url = `/api/v1/payments/${booking.payment!.orderId}/verify`;
    const early = await h.inject({ method: 'POST', url, token: setup.client.token, payload: { gatewayPaymentId: intentId } });
    expect(early.statusCode).toBe(409);
    expect(early.json()).toMatchObject({ code: 'PAYMENT_NOT_COMPLETED' });
    await fake.succeed(intentId, { sendWebhook: false });
    expect((await h.inject({ method: 'POST', url, token: setup.client.token, payload: { gatewayPaymentId: 'pi_not_this_one' } })).statusCode).toBe(400);
    const verified = await h.inject({ method: 'POST', url, token: setup.client.token, payload: { gatewayPaymentId: intentId } });
    expect(verified.statusCode, verified.body).toBe(200);
    expect(verified.json()).toMatchObject({ status: 'captured', gatewayPaymentId: intentId });
    expect(await h.bookingStatus(booking.id, 'confirmed')).toBe('confirmed');
  });

  it('refunds a cancellation through Stripe with the refund id as idempotency key, and cancels the intent of an expired hold', async () => {
    const paid = await h.book(setup.client.token, setup.service.id, nextSlot());
    const intentId = await intentOf(paid.payment!.orderId);
    await fake.succeed(intentId);
    expect(await h.bookingStatus(paid.id, 'confirmed')).toBe('confirmed');
    const cancelled = await h.inject({ method: 'POST', url: `/api/v1/bookings/${paid.id}/cancel`, token: setup.owner.token, payload: {} });
    expect(cancelled.statusCode).toBe(200);
    expect(await h.orderStatus(paid.payment!.orderId, 'refunded')).toBe('refunded');
    const [refund] = await h.sql<{ id: string; gateway_refund_id: string }>('select id, gateway_refund_id from payments.refunds where order_id = $1', [paid.payment!.orderId]);
    expect(fake.calls('POST', '/v1/refunds').filter((call) => call.params.payment_intent === intentId)).toEqual([
      expect.objectContaining({ idempotencyKey: `refund-${refund!.id}`, params: expect.objectContaining({ amount: '4200' }) }),
    ]);
    expect(fake.refunds.get(refund!.gateway_refund_id)).toMatchObject({ amount: 4200, payment_intent: intentId });

    const unpaid = await h.book(setup.client.token, setup.service.id, nextSlot());
    const dropped = await h.inject({ method: 'POST', url: `/api/v1/bookings/${unpaid.id}/cancel`, token: setup.client.token, payload: {} });
    expect(dropped.statusCode).toBe(200);
    expect(await h.orderStatus(unpaid.payment!.orderId, 'cancelled')).toBe('cancelled');
    await h.payments.settled();
    expect(fake.intents.get(await intentOf(unpaid.payment!.orderId))!.status).toBe('canceled');
  });
});

describe('Stripe down during a payment', () => {
  it('leaves the booking held (not confirmed, not lost), makes the intent once Stripe is back, and sends a refund that failed meanwhile', async () => {
    await fake.stop();
    const booking = await h.book(setup.client.token, setup.service.id, nextSlot());
    expect(booking.status).toBe('pending_payment');
    expect(booking.payment).toBeNull();
    const read = await h.inject({ method: 'GET', url: `/api/v1/bookings/${booking.id}/payment`, token: setup.client.token });
    expect(read.json()).toMatchObject({ status: 'created', clientSecret: null });
    expect(await h.payments.sweep()).toMatchObject({ placed: 0 });
    expect(await h.bookingStatus(booking.id, 'pending_payment')).toBe('pending_payment');

    await fake.start();
    // The sweep waits out the retry delay; the intent is made with the same idempotency key.
    h.clock.advance(5_000);
    expect(await h.payments.sweep()).toMatchObject({ placed: 1 });
    const orderId = read.json<{ orderId: string }>().orderId;
    const intentId = await intentOf(orderId);
    expect(fake.calls('POST', '/v1/payment_intents').filter((call) => call.idempotencyKey === `order-${orderId}`)).toHaveLength(1);
    const ready = await h.inject({ method: 'GET', url: `/api/v1/bookings/${booking.id}/payment`, token: setup.client.token });
    expect(ready.json()).toMatchObject({ status: 'created', clientSecret: fake.intents.get(intentId)!.client_secret });
    await fake.succeed(intentId);
    expect(await h.bookingStatus(booking.id, 'confirmed')).toBe('confirmed');

    // Down again while the provider cancels: the refund waits, pending, and goes through after.
    await fake.stop();
    expect((await h.inject({ method: 'POST', url: `/api/v1/bookings/${booking.id}/cancel`, token: setup.owner.token, payload: {} })).statusCode).toBe(200);
    const pending = await eventually(
      () => h.sql<{ status: string; attempts: number }>('select status, attempts from payments.refunds where order_id = $1', [orderId]),
      (rows) => rows.length > 0 && rows[0]!.attempts > 0,
    );
    await h.payments.settled();
    expect(pending).toEqual([expect.objectContaining({ status: 'pending' })]);
    expect(await h.orderStatus(orderId, 'captured')).toBe('captured');
    await fake.start();
    h.clock.advance(5_000);
    expect(await h.payments.sweep()).toMatchObject({ refunded: 1 });
    expect(await h.orderStatus(orderId, 'refunded')).toBe('refunded');
    expect(fake.refunds.size).toBeGreaterThan(0);
  });
});

describe('logs', () => {
  it('record every refused webhook with its code, and never a key or secret', () => {
    const refused = logs.map((line) => JSON.parse(line) as { msg?: string; code?: string }).filter((entry) => entry.msg === 'gateway webhook refused');
    expect(refused.map((entry) => entry.code)).toEqual(expect.arrayContaining(['WEBHOOK_TIMESTAMP_STALE', 'WEBHOOK_SIGNATURE_INVALID', 'WEBHOOK_AMOUNT_MISMATCH']));
    // Stripe was down for a while: the failures were logged, without what they were called with.
    expect(logs.some((line) => line.includes('could not make the order'))).toBe(true);
    expect(logs.some((line) => line.includes('could not refund'))).toBe(true);
    expect(logs.filter((line) => line.includes(secretKey) || line.includes(webhookSecret))).toEqual([]);
  });
});
