import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPaymentsHarness, type BookingBody, type PaidSetup, type PaymentsHarness, type TestUser } from './harness';
import { gatewayOrderIdOf, sendSimulatorWebhook } from './simulator-webhooks';

/*
 * Who sees which payment: a client their receipts, a provider the payments for their bookings and
 * what is due to them, an admin everything; anyone else gets 404, as if it did not exist.
 */

let h: PaymentsHarness;
let setup: PaidSetup;
let secondClient: TestUser;
let bookings: BookingBody[];

beforeAll(async () => {
  h = await createPaymentsHarness();
  setup = await h.paidSetup({ priceAmount: 4000, currency: 'EUR' });
  secondClient = await h.registerUser('client');
  bookings = [];
  for (const [token, hour] of [
    [setup.client.token, 9],
    [setup.client.token, 10],
    [setup.client.token, 11],
    [secondClient.token, 12],
  ] as const) {
    // A second apart, so "newest first" has an order to show.
    h.clock.advance(1000);
    bookings.push(await h.book(token, setup.service.id, `2030-01-09T${String(hour).padStart(2, '0')}:00:00Z`));
  }
  // Two paid (one then partly refunded), the others left unpaid.
  for (const booking of bookings.slice(0, 2)) {
    await sendSimulatorWebhook(h, { gatewayOrderId: await gatewayOrderIdOf(h, booking.payment!.orderId), amount: 4000, currency: 'EUR' });
    await h.orderStatus(booking.payment!.orderId, 'captured');
  }
  const refund = await h.inject({ method: 'POST', url: `/api/v1/payments/${bookings[1]!.payment!.orderId}/refund`, token: setup.owner.token, payload: { amount: 1000 } });
  expect(refund.statusCode, refund.body).toBe(201);
}, 60_000);

afterAll(async () => {
  await h?.close();
});

type Page = { items: { id: string; clientId: string; checkoutUrl: string | null; status: string }[]; nextCursor: string | null; payouts: unknown };

async function list(token: string, query = ''): Promise<Page> {
  const response = await h.inject({ method: 'GET', url: `/api/v1/payments${query}`, token });
  expect(response.statusCode, response.body).toBe(200);
  return response.json<Page>();
}

describe('GET /api/v1/payments', () => {
  it('shows a client their own receipts, newest first, with the checkout of unpaid ones', async () => {
    const page = await list(setup.client.token);
    expect(page.items.map((item) => item.id)).toEqual(bookings.slice(0, 3).map((b) => b.payment!.orderId).reverse());
    expect(page.items.every((item) => item.clientId === setup.client.userId)).toBe(true);
    expect(page.items.map((item) => item.status)).toEqual(['created', 'partially_refunded', 'captured']);
    expect(page.items[0]!.checkoutUrl).toBe(bookings[2]!.payment!.checkoutUrl);
    expect(page.payouts).toBeNull();
    expect((await list(secondClient.token)).items.map((item) => item.id)).toEqual([bookings[3]!.payment!.orderId]);
  });

  it('shows the provider every payment for their bookings, without paying details, and the payouts due', async () => {
    const page = await list(setup.owner.token);
    expect(page.items).toHaveLength(4);
    expect(page.items.every((item) => item.checkoutUrl === null)).toBe(true);
    expect(page.payouts).toEqual([{ currency: 'EUR', captured: 8000, refunded: 1000, due: 7000 }]);
    const other = await h.registerUser('provider');
    expect(await list(other.token)).toEqual({ items: [], nextCursor: null, payouts: [] });
  });

  it('shows an admin everything, filters by status and pages with a cursor', async () => {
    const admin = await h.registerUser('admin');
    const first = await list(admin.token, '?limit=3');
    expect(first.items).toHaveLength(3);
    expect(first.nextCursor).not.toBeNull();
    const second = await list(admin.token, `?limit=3&cursor=${first.nextCursor}`);
    expect(second.nextCursor).toBeNull();
    expect([...first.items, ...second.items].map((item) => item.id).sort()).toEqual(bookings.map((b) => b.payment!.orderId).sort());
    expect((await list(admin.token, '?status=captured')).items.map((item) => item.id)).toEqual([bookings[0]!.payment!.orderId]);
    expect(first.payouts).toBeNull();
  });

  it('refuses a forged cursor, a bad limit and an unknown status with 400, and needs a token', async () => {
    for (const query of ['?cursor=nonsense', `?cursor=${Buffer.from('[1e300,"x"]').toString('base64url')}`, '?limit=0', '?limit=101', '?status=paid', '?role=admin']) {
      const response = await h.inject({ method: 'GET', url: `/api/v1/payments${query}`, token: setup.client.token });
      expect(response.statusCode, query).toBe(400);
      expect(response.json()).toMatchObject({ code: 'VALIDATION_FAILED' });
    }
    expect((await h.inject({ method: 'GET', url: '/api/v1/payments' })).statusCode).toBe(401);
  });
});

describe('GET /api/v1/payments/:id', () => {
  it('shows a payment to its client, its provider and admins; another user gets 404', async () => {
    const url = `/api/v1/payments/${bookings[3]!.payment!.orderId}`;
    expect((await h.inject({ method: 'GET', url, token: secondClient.token })).statusCode).toBe(200);
    expect((await h.inject({ method: 'GET', url, token: setup.owner.token })).statusCode).toBe(200);
    const other = await h.inject({ method: 'GET', url, token: setup.client.token });
    expect(other.statusCode).toBe(404);
    expect(other.json()).toMatchObject({ code: 'PAYMENT_NOT_FOUND' });
    const otherProvider = await h.registerUser('provider');
    expect((await h.inject({ method: 'GET', url, token: otherProvider.token })).statusCode).toBe(404);
    expect((await h.inject({ method: 'GET', url: '/api/v1/payments/not-a-uuid', token: secondClient.token })).statusCode).toBe(400);
  });
});
