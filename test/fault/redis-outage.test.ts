import { Queue } from 'bullmq';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startPrivateRedis, testServers, type PrivateRedis } from '@timeslot/testing';
import { call, figures, percentile, seed, slotStarts, startTopology, steadyLoad, type Topology } from './harness';

/**
 * Redis stopped under load (issue 8.1, 7.15): identity, scheduling and a gateway as real processes
 * on a Redis of this file's own. Redis is a cache and a job transport, never the source of truth,
 * so with it gone every request still answers from the database within 2 s, no booking is lost,
 * a hold's expiry job is armed once Redis is back, /readyz stays 200 (degraded), and the
 * processes log the outage in a few JSON lines.
 */
let redis: PrivateRedis;
let topology: Topology;
let data: Awaited<ReturnType<typeof seed>>;

beforeAll(async () => {
  redis = await startPrivateRedis();
  topology = await startTopology('redis-fault', { redis: redis.url, amqp: testServers.amqp });
  data = await seed(topology.gateway.url, topology.namespace);
}, 120_000);

afterAll(async () => {
  await topology?.close();
  await redis?.close();
}, 60_000);

const UP_MS = 3_000;
const DOWN_MS = 8_000;

it('keeps answering within 2 s with Redis stopped, loses no booking, and arms the hold expiry once it is back', async () => {
  const gateway = topology.gateway.url;
  const nextStart = slotStarts();
  const day = nextStart().slice(0, 10);
  let phase = 'up';
  const load = steadyLoad(
    {
      me: () => call(gateway, 'GET', '/api/v1/users/me', { token: data.clientToken }),
      slots: () =>
        call(gateway, 'GET', `/api/v1/providers/${data.providerId}/slots?serviceId=${data.free}&from=${day}T00:00:00Z&to=${day}T23:59:59Z`, { token: data.clientToken }),
      book: () => call(gateway, 'POST', '/api/v1/bookings', { token: data.clientToken, body: { serviceId: data.free, start: nextStart() } }),
    },
    () => phase,
  );
  const phaseStarted = { up: Date.now(), down: 0, back: 0 };
  await new Promise((resolve) => setTimeout(resolve, UP_MS));

  phase = 'down';
  await redis.stop();
  phaseStarted.down = Date.now();
  topology.markStderr();
  const stdoutBefore = { identity: topology.identity.output().length, scheduling: topology.scheduling.output().length, gateway: topology.gateway.output().length };
  // A paid booking while Redis is away: held, its expiry job cannot be enqueued now.
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  const paid = await call(gateway, 'POST', '/api/v1/bookings', { token: data.clientToken, body: { serviceId: data.paid, start: nextStart() } });
  // Sign-in and sign-up keep their brute-force budgets in Redis: with it away they count in each
  // process's memory instead, so they answer (neither 500 nor unlimited).
  const signIn = await Promise.all([
    call(gateway, 'POST', '/api/v1/auth/login', { body: { email: data.clientEmail, password: data.password } }),
    call(gateway, 'POST', '/api/v1/auth/login', { body: { email: data.clientEmail, password: 'wrong horse battery' } }),
    call(gateway, 'POST', '/api/v1/auth/register', { body: { email: `late.${topology.namespace}@example.com`, password: data.password, name: 'Late', role: 'client' } }),
  ]);
  const readyDuringOutage = await Promise.all([gateway, topology.scheduling.url, topology.identity.url].map((base) => call(base, 'GET', '/readyz')));
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, DOWN_MS - (Date.now() - phaseStarted.down))));
  const stderrDuringOutage = topology.stderrSinceMark();
  const stdoutDuringOutage = {
    identity: topology.identity.output().slice(stdoutBefore.identity),
    scheduling: topology.scheduling.output().slice(stdoutBefore.scheduling),
    gateway: topology.gateway.output().slice(stdoutBefore.gateway),
  };

  phase = 'back';
  await redis.start();
  phaseStarted.back = Date.now();
  await new Promise((resolve) => setTimeout(resolve, UP_MS));
  await load.stop();
  const ended = Date.now();

  const seconds = {
    up: (phaseStarted.down - phaseStarted.up) / 1000,
    down: (phaseStarted.back - phaseStarted.down) / 1000,
    back: (ended - phaseStarted.back) / 1000,
  };
  console.log(`Redis outage of ${seconds.down.toFixed(1)} s under a steady load of 3 sequential clients:\n${figures(load.samples, seconds)}`);

  // Every request answered, and fast, while Redis was down.
  const down = load.samples.filter((s) => s.phase === 'down');
  expect(down.filter((s) => s.kind === 'me').length).toBeGreaterThan(3);
  expect(down.filter((s) => s.kind === 'slots').length).toBeGreaterThan(3);
  expect(down.filter((s) => s.kind === 'book').length).toBeGreaterThan(3);
  for (const sample of down) {
    expect(sample.status, `${sample.kind} during the outage: ${JSON.stringify(sample.answer.body)}`).toBe(sample.kind === 'book' ? 201 : 200);
    expect(sample.ms, `${sample.kind} during the outage`).toBeLessThan(2_000);
  }
  expect(percentile(down.map((s) => s.ms), 99)).toBeLessThan(2_000);
  for (const sample of load.samples) expect([200, 201], `${sample.kind} in phase ${sample.phase}`).toContain(sample.status);

  // Nothing lost: every booking answered 201 is in the database.
  const created = load.samples.filter((s) => s.kind === 'book' && s.status === 201).map((s) => s.answer.body!.id as string);
  const stored = await topology.query<{ id: string }>('select id from scheduling.bookings where id = any($1::uuid[])', [created]);
  expect(stored.length).toBe(created.length);

  expect(signIn.map((answer) => answer.status)).toEqual([200, 401, 201]);

  // /readyz: degraded but ready, naming the dependency that is down.
  for (const ready of readyDuringOutage) {
    expect(ready.status).toBe(200);
    expect(ready.body!.status).toBe('degraded');
    expect(String(ready.body!.checks.redis)).toMatch(/^degraded: /);
  }

  // Output during the outage: JSON lines only, and few of them per process.
  for (const [name, text] of Object.entries({ ...prefixed('stderr', stderrDuringOutage), ...prefixed('stdout', stdoutDuringOutage) })) {
    const lines = text.split('\n').filter((line) => line.trim() !== '');
    for (const line of lines) expect(() => JSON.parse(line) as unknown, `${name}: ${line}`).not.toThrow();
    const aboutRedis = lines.filter((line) => /redis|job-queue/i.test(line));
    expect(aboutRedis.length, `${name} logged ${aboutRedis.length} lines about the outage:\n${aboutRedis.join('\n')}`).toBeLessThanOrEqual(8);
  }
  for (const text of Object.values(stderrDuringOutage)) expect(text).toBe('');

  // The paid booking was held without its expiry job; once Redis is back the sweep arms it.
  expect(paid.status, JSON.stringify(paid.body)).toBe(201);
  expect(paid.body!.status).toBe('pending_payment');
  const jobId = `hold-${paid.body!.id as string}-${Date.parse(paid.body!.holdExpiresAt as string)}`;
  const holds = new Queue('scheduling-holds', { connection: { host: '127.0.0.1', port: redis.port }, prefix: topology.namespace });
  try {
    const armedAfter = await waitFor(async () => (await holds.getJob(jobId)) !== undefined, 15_000);
    console.log(`hold expiry job armed ${((armedAfter - phaseStarted.back) / 1000).toFixed(1)} s after Redis returned`);
    const job = (await holds.getJob(jobId))!;
    expect(job.opts.delay).toBeGreaterThan(0);
    // Its delay is BOOKING_HOLD_MINUTES (at least a minute): move the deadline into the past and
    // run the job now, rather than wait; the handler re-reads the row, so only then does it expire.
    await topology.query(`update scheduling.bookings set hold_expires_at = now() - interval '1 second' where id = $1`, [paid.body!.id]);
    await job.promote();
    await waitFor(async () => (await holds.getJob(jobId))?.finishedOn !== undefined, 15_000);
    const [row] = await topology.query<{ status: string }>('select status from scheduling.bookings where id = $1', [paid.body!.id]);
    expect(row?.status).toBe('expired');
  } finally {
    await holds.close();
  }
}, 90_000);

function prefixed(stream: string, texts: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(texts).map(([name, text]) => [`${name} ${stream}`, text]));
}

async function waitFor(condition: () => Promise<boolean>, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return Date.now();
}
