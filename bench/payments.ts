/**
 * Payments load with the simulator gateway, embedded (one process) and distributed (a gateway, an
 * identity process and a scheduling+payments process on PostgreSQL, Redis and RabbitMQ): booking
 * a paid slot (hold and payment order) next to booking a free one in the same run; gateway webhooks
 * per second, each signature-verified over its raw body, stored and applied (each one a first
 * capture that confirms its booking); and the delay from sending a webhook to its booking reading
 * confirmed.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type autocannon from 'autocannon';
import { Pool } from 'undici';
import { verifyTimestamped } from '@timeslot/payments/gateways/signatures';
import { cleanups, distributedEnv, duration, load, measureLoop, percentile, results, start, type Result } from './lib';

const password = 'benchmark password';
const DAY = 86_400_000;
const simulatorSecret = `bench-simulator-secret-${randomUUID()}`;

async function api<T>(base: string, method: string, url: string, body: unknown, token?: string): Promise<T> {
  const res = await fetch(`${base}${url}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token === undefined ? {} : { authorization: `Bearer ${token}` }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const json = (await res.json()) as T;
  if (res.status >= 300) throw new Error(`${method} ${url}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

async function user(base: string, role: 'client' | 'provider'): Promise<string> {
  const { accessToken } = await api<{ accessToken: string }>(base, 'POST', '/api/v1/auth/register', { email: `${role}.${randomUUID()}@example.com`, password, name: 'Bench', role });
  return accessToken;
}

/** A provider open around the clock with a free and a paid 5-minute service. */
async function setUp(base: string) {
  const owner = await user(base, 'provider');
  const { id } = await api<{ id: string }>(base, 'POST', '/api/v1/providers', { displayName: 'Dr Bench', timeZone: 'UTC', published: true }, owner);
  const weekly = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '00:00', end: '24:00' }));
  await api(base, 'PUT', `/api/v1/providers/${id}/availability`, { weekly }, owner);
  const service = (body: Record<string, unknown>) =>
    api<{ id: string }>(base, 'POST', `/api/v1/providers/${id}/services`, { name: 'Bench', durationMinutes: 5, slotIntervalMinutes: 5, bookingWindowDays: 730, location: { kind: 'phone' }, ...body }, owner);
  return { freeId: (await service({})).id, paidId: (await service({ priceAmount: 2500, currency: 'EUR' })).id, client: await user(base, 'client') };
}

function bookings(base: string, client: string, serviceId: string, from: number): autocannon.Options {
  let next = from;
  return {
    url: `${base}/api/v1/bookings`,
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${client}` },
    requests: [
      {
        setupRequest: (request) => {
          next += 5 * 60_000;
          return { ...request, body: JSON.stringify({ serviceId, start: new Date(next).toISOString() }) };
        },
      },
    ],
  };
}

interface Order {
  readonly id: string;
  readonly bookingId: string;
  readonly gatewayOrderId: string;
}

/** The client's unpaid orders (their receipts), page by page. */
async function unpaidOrders(base: string, client: string): Promise<Order[]> {
  const orders: Order[] = [];
  let cursor: string | null = null;
  do {
    const page: { items: { id: string; bookingId: string; gatewayOrderId: string | null; status: string }[]; nextCursor: string | null } = await api(
      base,
      'GET',
      `/api/v1/payments?role=client&status=created&limit=100${cursor === null ? '' : `&cursor=${cursor}`}`,
      undefined,
      client,
    );
    for (const item of page.items) if (item.gatewayOrderId !== null) orders.push({ id: item.id, bookingId: item.bookingId, gatewayOrderId: item.gatewayOrderId });
    cursor = page.nextCursor;
  } while (cursor !== null);
  return orders;
}

/** A capture webhook for `order`, signed now as the simulator signs it. */
function captureWebhook(order: Order): { body: string; signature: string } {
  const body = JSON.stringify({
    id: `evt_bench_${randomUUID()}`,
    type: 'payment.captured',
    created: Math.floor(Date.now() / 1000),
    data: { order_id: order.gatewayOrderId, payment_id: `pay_bench_${order.id}`, amount: 2500, currency: 'EUR' },
  });
  const t = Math.floor(Date.now() / 1000);
  return { body, signature: `t=${t},v1=${createHmac('sha256', simulatorSecret).update(`${t}.${body}`).digest('hex')}` };
}

/** One webhook at a time; each timed until its booking reads confirmed (polled back to back). */
async function webhookToConfirmed(mode: string, base: string, client: string, orders: readonly Order[]): Promise<Result> {
  const pool = new Pool(base, { connections: 2 });
  const delays: number[] = [];
  for (const order of orders) {
    const { body, signature } = captureWebhook(order);
    const began = performance.now();
    const sent = await pool.request({ method: 'POST', path: '/api/v1/payments/webhooks/simulator', headers: { 'content-type': 'application/json', 'x-simulator-signature': signature }, body });
    await sent.body.dump();
    if (sent.statusCode !== 200) throw new Error(`webhook answered ${sent.statusCode}`);
    for (;;) {
      const read = await pool.request({ method: 'GET', path: `/api/v1/bookings/${order.bookingId}`, headers: { authorization: `Bearer ${client}` } });
      const booking = (await read.body.json()) as { status: string };
      if (booking.status === 'confirmed') break;
    }
    delays.push(performance.now() - began);
  }
  await pool.close();
  delays.sort((a, b) => a - b);
  const result: Result = { scenario: `webhook → booking confirmed, one at a time, ${delays.length} payments (${mode})`, requestsPerSecond: 0, p50: percentile(delays, 0.5), p95: percentile(delays, 0.95), p99: percentile(delays, 0.99), max: delays.at(-1) ?? 0, errors: 0, non2xx: 0, unavailable: 0 };
  results.push(result);
  process.stderr.write(`${result.scenario}: p50 ${result.p50} ms, p95 ${result.p95} ms, p99 ${result.p99} ms\n`);
  return result;
}

async function scenariosFor(mode: string, base: string): Promise<void> {
  const { freeId, paidId, client } = await setUp(base);
  const firstDay = Math.ceil(Date.now() / DAY) * DAY + 7 * DAY;
  await load(`POST /bookings, free service, distinct slots (${mode})`, bookings(base, client, freeId, firstDay));
  await load(`POST /bookings, paid service (hold + payment order), distinct slots (${mode})`, bookings(base, client, paidId, firstDay + 200 * DAY));

  const orders = await unpaidOrders(base, client);
  const sample = orders.slice(0, 200);
  const rest = orders.slice(200);
  // Each request a first capture of another order (verified, stored, applied, its booking confirmed
  // after). A gateway sends a handful of webhooks at once, not 50: 10 connections.
  let next = 0;
  await load(`POST /payments/webhooks/simulator, signed captures of ${rest.length} orders, 10 connections (${mode})`, {
    url: `${base}/api/v1/payments/webhooks/simulator`,
    method: 'POST',
    connections: 10,
    requests: [
      {
        setupRequest: (request) => {
          const order = rest[next++ % Math.max(1, rest.length)]!;
          const { body, signature } = captureWebhook(order);
          return { ...request, body, headers: { 'content-type': 'application/json', 'x-simulator-signature': signature } };
        },
      },
    ],
  });
  await webhookToConfirmed(mode, base, client, sample);
}

export const paymentsScenarios = {
  async 'payments-embedded'() {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'timeslot-bench-'));
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
    // Holds outlast the run, so every order stays payable for the webhook runs.
    const server = await start(['start'], { DATA_DIR: dataDir, PAYMENTS_SIMULATOR_SECRET: simulatorSecret, BOOKING_HOLD_MINUTES: '600' });
    await scenariosFor('embedded', server.url);
    // The signature check alone, for scale: what verifying costs of each webhook above.
    const body = Buffer.from(captureWebhook({ id: randomUUID(), bookingId: randomUUID(), gatewayOrderId: 'sim_order_bench' }).body);
    await measureLoop('verify a simulator webhook signature alone (HMAC-SHA256 over the raw body, no I/O)', 'verifications', 1, async () => {
      const t = Math.floor(Date.now() / 1000);
      verifyTimestamped(simulatorSecret, `t=${t},v1=${createHmac('sha256', simulatorSecret).update(`${t}.`).update(body).digest('hex')}`, body, new Date());
    });
  },
  async 'payments-distributed'() {
    const env = { ...(await distributedEnv()), PAYMENTS_SIMULATOR_SECRET: simulatorSecret, PAYMENTS_ALLOW_SIMULATOR: 'true', BOOKING_HOLD_MINUTES: '600' };
    const identity = await start(['start', '--services', 'identity'], env);
    // Scheduling and payments in one process: scheduling asks payments in-process.
    const services = await start(['start', '--services', 'scheduling,payments'], { ...env, IDENTITY_URL: identity.url });
    const gateway = await start(['start', '--services', 'gateway'], {
      ...env,
      UPSTREAMS: `identity=${identity.url};scheduling=${services.url};payments=${services.url}`,
      IDENTITY_URL: identity.url,
    });
    await scenariosFor('distributed', gateway.url);
  },
};

export const paymentsSummary = (): string[] =>
  ['embedded', 'distributed'].map((mode) => {
    const find = (prefix: string) => results.find((r) => r.scenario.startsWith(prefix) && r.scenario.endsWith(`(${mode})`));
    const free = find('POST /bookings, free service');
    const paid = find('POST /bookings, paid service');
    return `paid/free bookings (${mode}):${' '.repeat(12 - mode.length)}${free && paid ? `${((paid.requestsPerSecond / free.requestsPerSecond) * 100).toFixed(1)}%` : 'n/a'}   (${duration} s each)`;
  });
