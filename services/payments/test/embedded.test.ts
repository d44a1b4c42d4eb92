import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '@timeslot/ports/contracts/wait';
import { freePort, startTimeslot, type RunningProcess } from '@timeslot/testing';

/*
 * `npm start` with nothing configured: a real process, real sockets. A client books a paid slot,
 * follows the checkout link in the response, presses pay; the simulator's webhook reaches the
 * server over HTTP and the booking is confirmed.
 */

let dataDir: string;
let server: RunningProcess;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'timeslot-payments-'));
  server = await startTimeslot(['start'], { DATA_DIR: dataDir }, { port: await freePort(), timeoutMs: 60_000 });
}, 90_000);

afterAll(async () => {
  expect(await server?.stop()).toBe(0);
  await rm(dataDir, { recursive: true, force: true });
});

async function api<T>(method: string, url: string, body?: unknown, token?: string): Promise<{ status: number; body: T }> {
  const response = await fetch(`${server.url}${url}`, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(token === undefined ? {} : { authorization: `Bearer ${token}` }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as T };
}

async function register(role: string, name: string): Promise<string> {
  const { status, body } = await api<{ accessToken: string }>('POST', '/api/v1/auth/register', { email: `${name}@example.com`, password: 'a long passphrase', name, role });
  expect(status).toBe(201);
  return body.accessToken;
}

describe('embedded mode: the simulator’s paid flow over HTTP', () => {
  it('books, pays on the checkout page, and confirms', async () => {
    const provider = await register('provider', 'paula');
    const client = await register('client', 'carl');
    const profile = await api<{ id: string }>('POST', '/api/v1/providers', { displayName: 'Paula', timeZone: 'UTC', published: true }, provider);
    const weekly = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '00:00', end: '24:00' }));
    expect((await api('PUT', `/api/v1/providers/${profile.body.id}/availability`, { weekly }, provider)).status).toBe(200);
    const service = await api<{ id: string }>('POST', `/api/v1/providers/${profile.body.id}/services`, { name: 'Paid session', durationMinutes: 30, priceAmount: 2500, currency: 'EUR', location: { kind: 'phone' } }, provider);
    expect(service.status).toBe(201);
    const start = new Date(Math.ceil((Date.now() + 3 * 86_400_000) / 3_600_000) * 3_600_000).toISOString();

    const booked = await api<{ id: string; status: string; payment: { orderId: string; checkoutUrl: string; status: string; amount: number } }>('POST', '/api/v1/bookings', { serviceId: service.body.id, start }, client);
    expect(booked.status).toBe(201);
    expect(booked.body.status).toBe('pending_payment');
    expect(booked.body.payment).toMatchObject({ status: 'created', amount: 2500 });
    expect(booked.body.payment.checkoutUrl.startsWith(`${server.url}/api/v1/payments/simulator/checkout/`)).toBe(true);

    const page = await fetch(booked.body.payment.checkoutUrl);
    expect(page.status).toBe(200);
    // The gateway's security headers: the page runs no script and posts only to itself.
    expect(page.headers.get('content-security-policy')).toContain("form-action 'self'");
    const html = await page.text();
    const token = /name="token" value="([0-9a-f]+)"/.exec(html)?.[1];
    expect(token).toBeDefined();
    const paid = await fetch(new URL(booked.body.payment.checkoutUrl).origin + new URL(booked.body.payment.checkoutUrl).pathname, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'same-origin' },
      body: new URLSearchParams({ token: token!, outcome: 'pay' }).toString(),
    });
    expect(paid.status).toBe(200);
    expect(await paid.text()).toContain('Payment accepted');

    const confirmed = await eventually(
      () => api<{ status: string }>('GET', `/api/v1/bookings/${booked.body.id}`, undefined, client),
      (read) => read.body.status === 'confirmed',
      10_000,
    );
    expect(confirmed.body.status).toBe('confirmed');
    const receipts = await api<{ items: { id: string; status: string }[] }>('GET', '/api/v1/payments', undefined, client);
    expect(receipts.body.items).toEqual([expect.objectContaining({ id: booked.body.payment.orderId, status: 'captured' })]);
    const payouts = await api<{ payouts: unknown }>('GET', '/api/v1/payments', undefined, provider);
    expect(payouts.body.payouts).toEqual([{ currency: 'EUR', captured: 2500, refunded: 0, due: 2500 }]);
  });
});
