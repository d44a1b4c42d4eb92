import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Razorpay from 'razorpay';
import { sendRefund } from '../src/refunds/refund.service';
import { FakeRazorpay } from './fake-razorpay';
import { createPaymentsHarness, type PaidSetup, type PaymentsHarness } from './harness';

/*
 * The Razorpay adapter through the official client, against a local fake of api.razorpay.com:
 * orders with our order id as receipt, the Checkout callback signature, webhooks signed over the
 * raw body, and our own dedupe where Razorpay takes no idempotency key.
 */

const keyId = 'rzp_test_fake_key';
const keySecret = 'rzp_fake_key_secret_0123456789';
const webhookSecret = 'rzp_fake_webhook_secret_0123456789';
let fake: FakeRazorpay;
let h: PaymentsHarness;
let setup: PaidSetup;
let hour = 8;

beforeAll(async () => {
  fake = new FakeRazorpay(keyId, keySecret, webhookSecret);
  await fake.start();
  h = await createPaymentsHarness({ gateway: () => ({ kind: 'razorpay', keyId, keySecret, webhookSecret, apiUrl: fake.url, timeoutMs: 2000 }) });
  fake.webhookUrl = `${h.url}/api/v1/payments/webhooks/razorpay`;
  setup = await h.paidSetup({ priceAmount: 49_900, currency: 'INR' });
}, 60_000);

afterAll(async () => {
  await h?.close();
  await fake?.stop();
});

const nextSlot = () => `2030-01-08T${String(++hour).padStart(2, '0')}:00:00Z`;

async function gatewayOrderOf(orderId: string): Promise<string> {
  const rows = await h.sql<{ gateway_order_id: string | null }>('select gateway_order_id from payments.orders where id = $1', [orderId]);
  return rows[0]?.gateway_order_id ?? '';
}

describe('Razorpay orders', () => {
  it('makes one order per booking (receipt = our order id), gives the client the order id, confirms on the signed webhook', async () => {
    const booking = await h.book(setup.client.token, setup.service.id, nextSlot());
    const rzpOrder = await gatewayOrderOf(booking.payment!.orderId);
    expect(booking.payment).toMatchObject({ gateway: 'razorpay', status: 'created', amount: 49_900, currency: 'INR', clientSecret: rzpOrder, checkoutUrl: null });
    expect(fake.orders.get(rzpOrder)).toMatchObject({ amount: 49_900, currency: 'INR', receipt: booking.payment!.orderId });

    const { webhookStatus } = await fake.pay(rzpOrder);
    expect(webhookStatus).toBe(200);
    expect(await h.bookingStatus(booking.id, 'confirmed')).toBe('confirmed');
  });

  it('finds the order a timed-out attempt made instead of making a second one', async () => {
    const booking = await h.book(setup.client.token, setup.service.id, nextSlot());
    const before = fake.orders.size;
    const again = await h.payments.context.gateway.createOrder({ id: booking.payment!.orderId, bookingId: booking.id, amount: 49_900, currency: 'INR', description: 'retry' });
    expect(again.gatewayOrderId).toBe(await gatewayOrderOf(booking.payment!.orderId));
    expect(fake.orders.size).toBe(before);
  });

  it('verifies the Checkout callback signature (HMAC of order|payment with the key secret), then asks Razorpay for the payment', async () => {
    const booking = await h.book(setup.client.token, setup.service.id, nextSlot());
    const rzpOrder = await gatewayOrderOf(booking.payment!.orderId);
    const { paymentId, signature } = await fake.pay(rzpOrder, { sendWebhook: false });
    // The official client's own check agrees with the signature the fake's Checkout gave.
    const { validatePaymentVerification } = await import('razorpay/dist/utils/razorpay-utils.js');
    expect(validatePaymentVerification({ order_id: rzpOrder, payment_id: paymentId }, signature, keySecret)).toBe(true);
    const url = `/api/v1/payments/${booking.payment!.orderId}/verify`;
    const forged = await h.inject({ method: 'POST', url, token: setup.client.token, payload: { gatewayPaymentId: paymentId, signature: signature.replace(/^./, signature.startsWith('a') ? 'b' : 'a') } });
    expect(forged.statusCode).toBe(400);
    expect(forged.json()).toMatchObject({ code: 'CALLBACK_SIGNATURE_INVALID' });
    const verified = await h.inject({ method: 'POST', url, token: setup.client.token, payload: { gatewayPaymentId: paymentId, signature } });
    expect(verified.statusCode, verified.body).toBe(200);
    expect(verified.json()).toMatchObject({ status: 'captured', gatewayPaymentId: paymentId });
    expect(await h.bookingStatus(booking.id, 'confirmed')).toBe('confirmed');
    // The webhook arriving afterwards changes nothing.
    expect(await fake.sendWebhook('payment.captured', fake.payments.get(paymentId)!)).toBe(200);
    await h.payments.settled();
    const outcomes = await h.sql<{ outcome: string }>('select outcome from payments.gateway_events where order_id = $1 order by received_at', [booking.payment!.orderId]);
    expect(outcomes.map((row) => row.outcome)).toEqual(['captured', 'duplicate']);
  });

  it('refuses webhooks signed with another secret or for another amount', async () => {
    const booking = await h.book(setup.client.token, setup.service.id, nextSlot());
    const rzpOrder = await gatewayOrderOf(booking.payment!.orderId);
    const { paymentId } = await fake.pay(rzpOrder, { sendWebhook: false });
    const payment = fake.payments.get(paymentId)!;
    expect(await fake.sendWebhook('payment.captured', payment, { secret: 'not-the-webhook-secret' })).toBe(400);
    expect(await fake.sendWebhook('payment.captured', { ...payment, amount: 100 })).toBe(400);
    expect(await h.orderStatus(booking.payment!.orderId, 'created')).toBe('created');
    expect(Razorpay.validateWebhookSignature('{}', 'x', webhookSecret)).toBe(false);
  });

  it('refunds once though the refund is sent twice (receipt = our refund id)', async () => {
    const booking = await h.book(setup.client.token, setup.service.id, nextSlot());
    const rzpOrder = await gatewayOrderOf(booking.payment!.orderId);
    const { paymentId } = await fake.pay(rzpOrder);
    expect(await h.bookingStatus(booking.id, 'confirmed')).toBe('confirmed');
    const refund = await h.inject({ method: 'POST', url: `/api/v1/payments/${booking.payment!.orderId}/refund`, token: setup.owner.token, payload: { amount: 10_000 } });
    expect(refund.statusCode, refund.body).toBe(201);
    expect(refund.json()).toMatchObject({ status: 'partially_refunded', refundedAmount: 10_000 });
    const [row] = await h.sql<{ id: string; gateway_refund_id: string }>('select id, gateway_refund_id from payments.refunds where order_id = $1', [booking.payment!.orderId]);
    // As a retry after a lost answer would: the gateway is asked again for the same refund.
    const again = await h.payments.context.gateway.refund({ refundId: row!.id, orderId: booking.payment!.orderId, gatewayOrderId: rzpOrder, gatewayPaymentId: paymentId, amount: 10_000, currency: 'INR' });
    expect(again.gatewayRefundId).toBe(row!.gateway_refund_id);
    expect([...fake.refunds.values()].filter((r) => r.payment_id === paymentId)).toEqual([expect.objectContaining({ amount: 10_000, receipt: row!.id })]);
    expect(await sendRefund(h.payments.context, row!.id)).toBe('skipped');
  });
});
