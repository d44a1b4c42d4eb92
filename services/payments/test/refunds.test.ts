import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '@timeslot/ports/contracts/wait';
import { expireHold } from '@timeslot/scheduling/bookings/booking.transitions';
import { createPaymentsHarness, type BookingBody, type PaidSetup, type PaymentsHarness } from './harness';
import { gatewayOrderIdOf, sendSimulatorWebhook } from './simulator-webhooks';

/*
 * Money going back: a payment that lands after its hold expired is refunded whole and confirms
 * nothing; a cancelled paid booking is refunded per the service's policy (late share 30% here);
 * admins and the booking's provider refund by hand, with Idempotency-Key.
 */

let h: PaymentsHarness;
let day = 10;

beforeAll(async () => {
  h = await createPaymentsHarness({ payments: { lateRefundSharePercent: 30 } });
});

afterAll(async () => {
  await h?.close();
});

/** A booking on its own day (so the clock can move without other tests' bookings in the way). */
async function book(setup: PaidSetup, hour = 10): Promise<BookingBody> {
  day += 1;
  return h.book(setup.client.token, setup.service.id, `2030-01-${String(day).padStart(2, '0')}T${hour}:00:00Z`);
}

async function pay(booking: BookingBody, paymentId = `pay_${randomUUID()}`): Promise<void> {
  const gatewayOrderId = await gatewayOrderIdOf(h, booking.payment!.orderId);
  const response = await sendSimulatorWebhook(h, { gatewayOrderId, amount: booking.payment!.amount, currency: booking.payment!.currency, paymentId });
  expect(response.statusCode, response.body).toBe(200);
}

async function confirmedBooking(setup: PaidSetup, hour = 10): Promise<BookingBody> {
  const booking = await book(setup, hour);
  await pay(booking);
  expect(await h.bookingStatus(booking.id, 'confirmed')).toBe('confirmed');
  // Payments hears of the confirmation (the refund policy depends on it).
  await eventually(
    () => h.sql<{ booking_status: string }>('select booking_status from payments.orders where id = $1', [booking.payment!.orderId]),
    (rows) => rows[0]?.booking_status === 'confirmed',
  );
  return booking;
}

async function refundsOf(orderId: string) {
  return h.sql<{ amount: number; reason: string; status: string }>('select amount::int, reason, status from payments.refunds where order_id = $1 order by created_at', [orderId]);
}

async function cancel(booking: BookingBody, token: string) {
  const response = await h.inject({ method: 'POST', url: `/api/v1/bookings/${booking.id}/cancel`, token, payload: {} });
  expect(response.statusCode, response.body).toBe(200);
}

describe('a payment after the hold expired', () => {
  it('is captured, refunded in full, recorded, and never confirms the slot', async () => {
    const setup = await h.paidSetup();
    const booking = await book(setup);
    const orderId = booking.payment!.orderId;
    const heldAt = h.clock.now();
    h.clock.advance(11 * 60_000);
    expect(await expireHold(h.scheduling.context, booking.id)).toBe('expired');
    expect(await h.orderStatus(orderId, 'cancelled')).toBe('cancelled');

    // Someone else takes the slot meanwhile.
    const other = await h.registerUser('client');
    const taken = await h.book(other.token, setup.service.id, `2030-01-${String(day).padStart(2, '0')}T10:00:00Z`);

    await pay(booking, 'pay_late');
    expect(await h.orderStatus(orderId, 'refunded')).toBe('refunded');
    await h.payments.settled();
    expect(await h.bookingStatus(booking.id, 'expired')).toBe('expired');
    expect(await h.bookingStatus(taken.id, 'pending_payment')).toBe('pending_payment');
    expect(await refundsOf(orderId)).toEqual([{ amount: 5000, reason: 'late_payment', status: 'succeeded' }]);
    expect(await h.outboxTypes('payments', booking.id)).toEqual(['payment.refunded']);
    expect(await h.outboxTypes('scheduling', booking.id)).toEqual(['booking.held', 'booking.expired']);
    expect(await h.orderBookingStatus(orderId, 'expired')).toBe('expired');
    const payment = (await h.inject({ method: 'GET', url: `/api/v1/payments/${orderId}`, token: setup.client.token })).json<{ transitions: { from: string | null; to: string }[] }>();
    expect(payment).toMatchObject({ status: 'refunded', refundedAmount: 5000, refundableAmount: 0, bookingStatus: 'expired' });
    expect(payment.transitions.map((t) => `${t.from}→${t.to}`)).toEqual(['null→created', 'created→cancelled', 'cancelled→captured', 'captured→refunded']);
    h.clock.set(heldAt.toISOString());
  });

  it('is refunded when it wins the race with the hold but the booking expired before scheduling confirmed it', async () => {
    const setup = await h.paidSetup();
    const booking = await book(setup);
    const orderId = booking.payment!.orderId;
    const heldAt = h.clock.now();
    // The hold runs out while the payment is on its way: captured here, expired there first.
    await h.scheduling.stop();
    await pay(booking, 'pay_racing');
    expect(await h.orderStatus(orderId, 'captured')).toBe('captured');
    h.clock.advance(11 * 60_000);
    expect(await expireHold(h.scheduling.context, booking.id)).toBe('expired');
    await h.scheduling.start();
    expect(await h.orderStatus(orderId, 'refunded')).toBe('refunded');
    expect(await h.bookingStatus(booking.id, 'expired')).toBe('expired');
    expect(await refundsOf(orderId)).toEqual([{ amount: 5000, reason: 'late_payment', status: 'succeeded' }]);
    h.clock.set(heldAt.toISOString());
  });
});

describe('cancelling a paid booking refunds per the policy', () => {
  it('in full when the client cancels before the cancellation window', async () => {
    const setup = await h.paidSetup();
    const booking = await confirmedBooking(setup);
    await cancel(booking, setup.client.token);
    expect(await h.orderStatus(booking.payment!.orderId, 'refunded')).toBe('refunded');
    expect(await refundsOf(booking.payment!.orderId)).toEqual([{ amount: 5000, reason: 'cancellation', status: 'succeeded' }]);
  });

  it('a 30% share when cancelled for the client after the window (by an admin), in full when the provider cancels', async () => {
    const setup = await h.paidSetup({ priceAmount: 3333 });
    const late = await confirmedBooking(setup, 10);
    const byProvider = await confirmedBooking(setup, 12);
    const saved = h.clock.now();
    // 30 minutes before the first start: inside the 60-minute window.
    h.clock.set(`2030-01-${String(day).padStart(2, '0')}T09:30:00Z`);
    const admin = await h.registerUser('admin');
    await cancel(late, admin.token);
    expect(await h.orderStatus(late.payment!.orderId, 'partially_refunded')).toBe('partially_refunded');
    // 30% of 3333, rounded down to a whole cent.
    expect(await refundsOf(late.payment!.orderId)).toEqual([{ amount: 999, reason: 'cancellation', status: 'succeeded' }]);
    h.clock.set(`2030-01-${String(day).padStart(2, '0')}T11:59:00Z`);
    await cancel(byProvider, setup.owner.token);
    expect(await h.orderStatus(byProvider.payment!.orderId, 'refunded')).toBe('refunded');
    expect(await refundsOf(byProvider.payment!.orderId)).toEqual([{ amount: 3333, reason: 'cancellation', status: 'succeeded' }]);
    h.clock.set(saved.toISOString());
    await h.payments.settled();
    const refunded = await h.sql<{ data: { refundAmount: number; refundedTotal: number; reason: string } }>(
      `select payload->'data' as data from payments.outbox where type = 'payment.refunded' and payload->'data'->>'orderId' = $1`,
      [late.payment!.orderId],
    );
    expect(refunded.map((row) => row.data)).toEqual([expect.objectContaining({ refundAmount: 999, refundedTotal: 999, reason: 'cancellation', amount: 3333 })]);
  });

  it('cancels an unpaid order when its hold is dropped, refunding nothing', async () => {
    const setup = await h.paidSetup();
    const booking = await book(setup);
    await cancel(booking, setup.client.token);
    expect(await h.orderStatus(booking.payment!.orderId, 'cancelled')).toBe('cancelled');
    await h.payments.settled();
    expect(await refundsOf(booking.payment!.orderId)).toEqual([]);
  });
});

describe('POST /api/v1/payments/:id/refund', () => {
  it('lets the booking’s provider refund part, then the rest, and replays a repeated Idempotency-Key', async () => {
    const setup = await h.paidSetup();
    const booking = await confirmedBooking(setup);
    const url = `/api/v1/payments/${booking.payment!.orderId}/refund`;
    const first = await h.inject({ method: 'POST', url, token: setup.owner.token, payload: { amount: 1500 }, headers: { 'idempotency-key': 'refund-1' } });
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json()).toMatchObject({ status: 'partially_refunded', refundedAmount: 1500, refundableAmount: 3500, refunds: [{ amount: 1500, reason: 'manual', status: 'succeeded' }] });
    const replay = await h.inject({ method: 'POST', url, token: setup.owner.token, payload: { amount: 1500 }, headers: { 'idempotency-key': 'refund-1' } });
    expect(replay.statusCode).toBe(201);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.json()).toMatchObject({ refundedAmount: 1500 });
    const reused = await h.inject({ method: 'POST', url, token: setup.owner.token, payload: { amount: 100 }, headers: { 'idempotency-key': 'refund-1' } });
    expect(reused.statusCode).toBe(422);
    expect(reused.json()).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
    const tooMuch = await h.inject({ method: 'POST', url, token: setup.owner.token, payload: { amount: 3501 } });
    expect(tooMuch.statusCode).toBe(409);
    expect(tooMuch.json()).toMatchObject({ code: 'REFUND_EXCEEDS_REFUNDABLE' });
    const rest = await h.inject({ method: 'POST', url, token: setup.owner.token });
    expect(rest.json()).toMatchObject({ status: 'refunded', refundedAmount: 5000, refundableAmount: 0 });
    const nothingLeft = await h.inject({ method: 'POST', url, token: setup.owner.token, payload: {} });
    expect(nothingLeft.statusCode).toBe(409);
    expect((await refundsOf(booking.payment!.orderId)).map((r) => r.amount)).toEqual([1500, 3500]);
  });

  it('is for admins and the provider only: the client 403, anyone else 404; unpaid payments 409', async () => {
    const setup = await h.paidSetup();
    const booking = await book(setup);
    const url = `/api/v1/payments/${booking.payment!.orderId}/refund`;
    expect((await h.inject({ method: 'POST', url, token: setup.client.token, payload: {} })).statusCode).toBe(403);
    const stranger = await h.registerUser('provider');
    const hidden = await h.inject({ method: 'POST', url, token: stranger.token, payload: {} });
    expect(hidden.statusCode).toBe(404);
    expect(hidden.json()).toMatchObject({ code: 'PAYMENT_NOT_FOUND' });
    const admin = await h.registerUser('admin');
    const unpaid = await h.inject({ method: 'POST', url, token: admin.token, payload: {} });
    expect(unpaid.statusCode).toBe(409);
    expect(unpaid.json()).toMatchObject({ code: 'PAYMENT_NOT_REFUNDABLE' });
    expect((await h.inject({ method: 'POST', url, token: admin.token, payload: { amount: 1.5 } })).statusCode).toBe(400);
    expect((await h.inject({ method: 'POST', url, token: admin.token, payload: { amount: -1 } })).statusCode).toBe(400);
    expect((await h.inject({ method: 'POST', url, token: admin.token, payload: {}, headers: { 'idempotency-key': 'has space' } })).statusCode).toBe(400);
    expect(await refundsOf(booking.payment!.orderId)).toEqual([]);
  });
});
