import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkoutOf, createPaymentsHarness, type PaymentsHarness } from './harness';

/*
 * The paid flow with the built-in simulator, as a client lives it: book a paid slot (held, with
 * its order in the response), open the checkout link, pay; the simulator posts a signed webhook
 * to our endpoint over a real socket, and the booking is confirmed once.
 */

let h: PaymentsHarness;

beforeAll(async () => {
  h = await createPaymentsHarness();
});

afterAll(async () => {
  await h?.close();
});

/** POST the checkout form over a real socket, as a browser would. */
async function submitCheckout(path: string, fields: Record<string, string>, headers: Record<string, string> = {}) {
  const response = await fetch(`${h.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(fields).toString(),
  });
  return { status: response.status, type: response.headers.get('content-type') ?? '', text: await response.text() };
}

describe('a paid booking with the simulator', () => {
  it('is held with its order in the response, paid on the checkout page, and confirmed exactly once', async () => {
    const { client, owner, service } = await h.paidSetup();
    const booking = await h.book(client.token, service.id, '2030-01-08T10:00:00Z');
    expect(booking.status).toBe('pending_payment');
    expect(booking.payment).toMatchObject({ bookingId: booking.id, status: 'created', amount: 5000, currency: 'EUR', gateway: 'simulator', clientSecret: null });
    expect(booking.payment?.checkoutUrl).toContain(`${h.url}/api/v1/payments/simulator/checkout/${booking.payment?.orderId}?token=`);

    const { path, token } = checkoutOf(booking.payment!);
    const page = await fetch(`${h.url}${path}?token=${token}`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(page.headers.get('cache-control')).toBe('no-store');
    const html = await page.text();
    expect(html).toContain('50.00 EUR');
    expect(html).toContain(`name="token" value="${token}"`);

    const paid = await submitCheckout(path, { token, outcome: 'pay' });
    expect(paid.status, paid.text).toBe(200);
    expect(paid.text).toContain('Payment accepted');

    expect(await h.bookingStatus(booking.id, 'confirmed')).toBe('confirmed');
    expect(await h.orderStatus(booking.payment!.orderId, 'captured')).toBe('captured');
    // Pressing pay again is refused (nothing left to pay), and nothing is confirmed twice.
    expect((await submitCheckout(path, { token, outcome: 'pay' })).status).toBe(409);
    await h.payments.settled();
    expect(await h.outboxTypes('scheduling', booking.id)).toEqual(['booking.held', 'booking.confirmed']);
    expect(await h.outboxTypes('payments', booking.id)).toEqual(['payment.captured']);

    expect(await h.orderBookingStatus(booking.payment!.orderId, 'confirmed')).toBe('confirmed');
    const payment = await h.inject({ method: 'GET', url: `/api/v1/payments/${booking.payment!.orderId}`, token: client.token });
    expect(payment.statusCode).toBe(200);
    expect(payment.json()).toMatchObject({
      status: 'captured',
      bookingStatus: 'confirmed',
      refundableAmount: 5000,
      checkoutUrl: null,
      transitions: [
        { from: null, to: 'created' },
        { from: 'created', to: 'captured', gatewayRef: expect.stringMatching(/^pay_sim_/), amount: 5000 },
      ],
    });
    const asProvider = await h.inject({ method: 'GET', url: `/api/v1/bookings/${booking.id}/payment`, token: owner.token });
    expect(asProvider.json()).toMatchObject({ status: 'captured', checkoutUrl: null });
  });

  it('records a failed attempt and lets the client pay afterwards', async () => {
    const { client, service } = await h.paidSetup({ priceAmount: 1234, currency: 'USD' });
    const booking = await h.book(client.token, service.id, '2030-01-08T11:00:00Z');
    const { path, token } = checkoutOf(booking.payment!);
    const failed = await submitCheckout(path, { token, outcome: 'fail' });
    expect(failed.status).toBe(200);
    expect(failed.text).toContain('The payment failed');
    expect(await h.orderStatus(booking.payment!.orderId, 'failed')).toBe('failed');
    expect(await h.bookingStatus(booking.id, 'pending_payment')).toBe('pending_payment');

    const again = await h.inject({ method: 'GET', url: `/api/v1/bookings/${booking.id}/payment`, token: client.token });
    expect(again.json()).toMatchObject({ status: 'failed', checkoutUrl: booking.payment!.checkoutUrl });
    expect((await submitCheckout(path, { token, outcome: 'pay' })).status).toBe(200);
    expect(await h.bookingStatus(booking.id, 'confirmed')).toBe('confirmed');
    await h.payments.settled();
    expect(await h.outboxTypes('payments', booking.id)).toEqual(['payment.failed', 'payment.captured']);
  });

  it('confirms through the checkout callback (POST /verify) when the webhook never comes', async () => {
    const { client, service } = await h.paidSetup();
    const booking = await h.book(client.token, service.id, '2030-01-08T12:00:00Z');
    const orderId = booking.payment!.orderId;
    const gatewayOrderId = (await h.sql<{ gateway_order_id: string }>('select gateway_order_id from payments.orders where id = $1', [orderId]))[0]!.gateway_order_id;
    const { createHmac } = await import('node:crypto');
    const gatewayPaymentId = 'pay_callback_only';
    const signature = createHmac('sha256', 'simulator-secret-for-tests-only-0123456789').update(`${gatewayOrderId}|${gatewayPaymentId}`).digest('hex');

    const forged = await h.inject({ method: 'POST', url: `/api/v1/payments/${orderId}/verify`, token: client.token, payload: { gatewayPaymentId, signature: '0'.repeat(64) } });
    expect(forged.statusCode).toBe(400);
    expect(forged.json()).toMatchObject({ code: 'CALLBACK_SIGNATURE_INVALID' });
    const stranger = await h.registerUser('client');
    expect((await h.inject({ method: 'POST', url: `/api/v1/payments/${orderId}/verify`, token: stranger.token, payload: { gatewayPaymentId, signature } })).statusCode).toBe(404);

    const verified = await h.inject({ method: 'POST', url: `/api/v1/payments/${orderId}/verify`, token: client.token, payload: { gatewayPaymentId, signature } });
    expect(verified.statusCode, verified.body).toBe(200);
    expect(verified.json()).toMatchObject({ status: 'captured', gatewayPaymentId });
    expect(await h.bookingStatus(booking.id, 'confirmed')).toBe('confirmed');
    // The same callback again changes nothing.
    expect((await h.inject({ method: 'POST', url: `/api/v1/payments/${orderId}/verify`, token: client.token, payload: { gatewayPaymentId, signature } })).json()).toMatchObject({ status: 'captured' });
    await h.payments.settled();
    expect(await h.outboxTypes('payments', booking.id)).toEqual(['payment.captured']);
  });

  it('escapes what providers write on the checkout page', async () => {
    const { client, service } = await h.paidSetup({ name: '<script>alert("x")</script> & co' });
    const booking = await h.book(client.token, service.id, '2030-01-08T13:00:00Z');
    const { path, token } = checkoutOf(booking.payment!);
    const html = await (await fetch(`${h.url}${path}?token=${token}`)).text();
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co');
  });

  it('refuses a tampered link, a cross-site form and an unpayable order', async () => {
    const { client, service } = await h.paidSetup();
    const booking = await h.book(client.token, service.id, '2030-01-08T14:00:00Z');
    const { path, token } = checkoutOf(booking.payment!);
    const tampered = `${token.slice(0, -1)}${token.endsWith('0') ? '1' : '0'}`;
    const badLink = await fetch(`${h.url}${path}?token=${tampered}`);
    expect(badLink.status).toBe(404);
    expect(await badLink.json()).toMatchObject({ code: 'CHECKOUT_LINK_INVALID' });
    expect((await fetch(`${h.url}${path}?token=short`)).status).toBe(400);
    expect((await submitCheckout(path, { token: tampered, outcome: 'pay' })).status).toBe(404);
    const crossSite = await submitCheckout(path, { token, outcome: 'pay' }, { 'sec-fetch-site': 'cross-site' });
    expect(crossSite.status).toBe(403);
    expect((await submitCheckout(path, { token, outcome: 'steal' })).status).toBe(400);
    expect(await h.orderStatus(booking.payment!.orderId, 'created')).toBe('created');

    // Once the hold is over, the page says so and the form is refused.
    h.clock.advance(11 * 60_000);
    await h.scheduling.context.jobs.enqueue('scheduling-holds', 'expire', { bookingId: booking.id });
    expect(await h.bookingStatus(booking.id, 'expired')).toBe('expired');
    expect(await h.orderStatus(booking.payment!.orderId, 'cancelled')).toBe('cancelled');
    const closed = await (await fetch(`${h.url}${path}?token=${token}`)).text();
    expect(closed).toContain('hold has ended');
    expect(closed).not.toContain('<form');
    const late = await submitCheckout(path, { token, outcome: 'pay' });
    expect(late.status).toBe(409);
    expect(JSON.parse(late.text)).toMatchObject({ code: 'PAYMENT_NOT_PAYABLE' });
    h.clock.set('2030-01-07T08:00:00.000Z');
  });
});

describe('GET /api/v1/bookings/:id/payment', () => {
  it('shows the order to the client with its checkout, to the provider without, and to nobody else', async () => {
    const { client, owner, service } = await h.paidSetup();
    const booking = await h.book(client.token, service.id, '2030-01-08T15:00:00Z');
    const asClient = await h.inject({ method: 'GET', url: `/api/v1/bookings/${booking.id}/payment`, token: client.token });
    expect(asClient.statusCode).toBe(200);
    expect(asClient.json()).toEqual(booking.payment);
    const asProvider = await h.inject({ method: 'GET', url: `/api/v1/bookings/${booking.id}/payment`, token: owner.token });
    expect(asProvider.json()).toEqual({ ...booking.payment, checkoutUrl: null, clientSecret: null });
    const stranger = await h.registerUser('client');
    const hidden = await h.inject({ method: 'GET', url: `/api/v1/bookings/${booking.id}/payment`, token: stranger.token });
    expect(hidden.statusCode).toBe(404);
    expect(hidden.json()).toMatchObject({ code: 'BOOKING_NOT_FOUND' });
    expect((await h.inject({ method: 'GET', url: `/api/v1/bookings/${booking.id}/payment` })).statusCode).toBe(401);
  });

  it('answers PAYMENT_NOT_FOUND for a free booking', async () => {
    const { client, service } = await h.paidSetup({ priceAmount: 0 });
    const booking = await h.book(client.token, service.id, '2030-01-08T16:00:00Z');
    expect(booking.status).toBe('confirmed');
    expect(booking).not.toHaveProperty('payment');
    const response = await h.inject({ method: 'GET', url: `/api/v1/bookings/${booking.id}/payment`, token: client.token });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ code: 'PAYMENT_NOT_FOUND' });
  });

  it('replays the same order for a repeated Idempotency-Key', async () => {
    const { client, service } = await h.paidSetup();
    const first = await h.book(client.token, service.id, '2030-01-08T09:00:00Z', { 'idempotency-key': 'pay-once' });
    const again = await h.book(client.token, service.id, '2030-01-08T09:00:00Z', { 'idempotency-key': 'pay-once' });
    expect(again.id).toBe(first.id);
    expect(again.payment).toEqual(first.payment);
    expect((await h.sql('select id from payments.orders where booking_id = $1', [first.id])).length).toBe(1);
  });
});
