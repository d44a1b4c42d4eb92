import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { deleteRedisKeys, privateRabbitMqAvailable, startPrivateRabbitMq, testServers, type PrivateRabbitMq } from '@timeslot/testing';
import { call, figures, seed, slotStarts, startTopology, steadyLoad, type Topology } from './harness';

/**
 * RabbitMQ stopped under load (issue 8.4): identity, scheduling and a gateway as real processes on
 * a RabbitMQ node of this file's own. Bookings keep being accepted (their events wait in the
 * outbox), and once the broker is back the backlog is published within 5 s: the relay resumes on
 * the bus's reconnect signal instead of sleeping out the backoff the outage built up.
 */
let rabbit: PrivateRabbitMq;
let topology: Topology;
let data: Awaited<ReturnType<typeof seed>>;

beforeAll(async () => {
  if (!privateRabbitMqAvailable()) throw new Error('rabbitmq-server is not installed under /usr/lib/rabbitmq/bin');
  rabbit = await startPrivateRabbitMq({ startTimeoutMs: 120_000 });
  topology = await startTopology('amqp-fault', { redis: testServers.redis, amqp: rabbit.url });
  data = await seed(topology.gateway.url, topology.namespace);
}, 240_000);

afterAll(async () => {
  await topology?.close();
  await rabbit?.close();
  if (topology) {
    const redis = new Redis(testServers.redis);
    await deleteRedisKeys(redis, `${topology.namespace}:`);
    redis.disconnect();
  }
}, 90_000);

const OUTAGE_MS = 10_000;

async function unsent(): Promise<number> {
  const [row] = await topology.query<{ n: number }>('select count(*)::int as n from scheduling.outbox where sent_at is null');
  return row?.n ?? 0;
}

async function outboxLagMetric(): Promise<number> {
  const text = (await call(topology.scheduling.url, 'GET', '/metrics')).body?.text as string;
  const match = /^outbox_oldest_unsent_age_seconds\{[^}]*outbox="scheduling"[^}]*\} ([\d.e+-]+)$/m.exec(text);
  return match ? Number(match[1]) : NaN;
}

it('accepts bookings with RabbitMQ stopped and publishes the backlog within 5 s of its return', async () => {
  const gateway = topology.gateway.url;
  const nextStart = slotStarts();
  let phase = 'up';
  const load = steadyLoad({ book: () => call(gateway, 'POST', '/api/v1/bookings', { token: data.clientToken, body: { serviceId: data.free, start: nextStart() } }) }, () => phase);
  const started = { up: Date.now(), down: 0, back: 0 };
  await new Promise((resolve) => setTimeout(resolve, 2_000));

  phase = 'down';
  const stopping = Date.now();
  await rabbit.stop();
  started.down = Date.now();
  const stopSeconds = (started.down - stopping) / 1000;
  // Long enough for the relay's backoff to grow past 5 s (1, 2, 4, 8 s...).
  await new Promise((resolve) => setTimeout(resolve, OUTAGE_MS));
  const backlog = await unsent();
  const lagDuringOutage = await outboxLagMetric();

  await rabbit.start();
  started.back = Date.now();
  phase = 'back';
  let drainedAt = 0;
  const deadline = Date.now() + 20_000;
  // Bookings keep coming, so "drained" is the backlog of the outage gone: nothing older than its end.
  for (;;) {
    const [row] = await topology.query<{ n: number }>(`select count(*)::int as n from scheduling.outbox where sent_at is null and created_at <= to_timestamp($1 / 1000.0)`, [started.back]);
    if ((row?.n ?? 0) === 0) {
      drainedAt = Date.now();
      break;
    }
    if (Date.now() > deadline) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  await load.stop();
  const ended = Date.now();

  const drainSeconds = drainedAt === 0 ? Infinity : (drainedAt - started.back) / 1000;
  console.log(
    [
      `RabbitMQ port closed for ${((started.back - started.down) / 1000).toFixed(1)} s (stop_app took ${stopSeconds.toFixed(1)} s more) under one sequential booking client:`,
      figures(load.samples, { up: 2, down: (started.back - started.down) / 1000, back: (ended - started.back) / 1000 }),
      `outbox backlog at the end of the outage: ${backlog} events, oldest ${lagDuringOutage.toFixed(1)} s old (outbox_oldest_unsent_age_seconds)`,
      `backlog published ${drainSeconds.toFixed(2)} s after the broker's port reopened`,
    ].join('\n'),
  );

  const down = load.samples.filter((s) => s.phase === 'down');
  expect(down.length).toBeGreaterThan(3);
  for (const sample of load.samples) expect(sample.status, `${sample.phase}: ${JSON.stringify(sample.answer.body)}`).toBe(201);
  expect(backlog).toBeGreaterThan(0);
  expect(lagDuringOutage).toBeGreaterThan(1);
  expect(drainSeconds).toBeLessThanOrEqual(5);
  // Every booking's event made it out, and the gauge says so.
  await expect.poll(unsent, { timeout: 10_000 }).toBe(0);
  await expect.poll(outboxLagMetric, { timeout: 5_000 }).toBe(0);
}, 90_000);
