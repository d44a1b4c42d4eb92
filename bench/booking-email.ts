/**
 * Delay from a booking confirmed (the API's 201) to the confirmation email's acceptance by the SMTP
 * server, through the whole distributed path: the booking's outbox row, the relay, RabbitMQ, the
 * notifications consumer (inbox entry and email row), BullMQ, the email worker, SMTP. Every service
 * runs in this process on PostgreSQL, Redis and RabbitMQ, so the figure is the pipeline's own
 * latency, not the network's. Bookings are paced well below the email limit, so the delay is not
 * the limiter's queueing.
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { createLogger } from '@timeslot/kernel';
import { generateSigningKeysJson } from '@timeslot/identity';
import { buildTimeslot } from '@timeslot/server/app';
import { configSchema } from '@timeslot/server/config';
import { adminSql, deleteRedisKeys, freePort, startSmtp, testServers } from '@timeslot/testing';
import { percentile } from './lib';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface BookingEmailDelay {
  readonly bookings: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
}

export async function bookingToEmail(count = Number(process.env.BENCH_BOOKINGS ?? 60), perSecond = 4): Promise<BookingEmailDelay> {
  const namespace = `bench-${randomBytes(3).toString('hex')}`;
  const databaseName = `timeslot_${namespace.replace('-', '_')}`;
  const smtp = await startSmtp();
  await adminSql(`create database ${databaseName}`);
  const databaseUrl = new URL(testServers.postgres);
  databaseUrl.pathname = `/${databaseName}`;
  const config = configSchema.parse({
    DATABASE_URL: databaseUrl.toString(),
    REDIS_URL: testServers.redis,
    AMQP_URL: testServers.amqp,
    NAMESPACE: namespace,
    SIGNING_KEYS: await generateSigningKeysJson(),
    CALENDAR_TOKEN_KEY: randomBytes(32).toString('base64'),
    SMTP_URL: smtp.url,
    LOG_LEVEL: 'warn',
    RATE_LIMIT_USER_PER_SECOND: '1000',
    RATE_LIMIT_IP_PER_SECOND: '1000',
    RATE_LIMIT_AUTH_PER_MINUTE: '1000',
    REGISTRATIONS_PER_IP_PER_HOUR: '1000',
    PORT: String(await freePort()),
  });
  const timeslot = await buildTimeslot({
    config,
    mode: 'distributed',
    services: ['gateway', 'identity', 'scheduling', 'calendar', 'notifications', 'notifications-worker'],
    logger: createLogger({ level: 'warn' }),
  });
  try {
    await timeslot.migrate();
    const base = await timeslot.listen();
    const call = async (method: string, url: string, body?: unknown, token?: string): Promise<any> => {
      const headers: Record<string, string> = {};
      if (body !== undefined) headers['content-type'] = 'application/json';
      if (token !== undefined) headers.authorization = `Bearer ${token}`;
      const res = await fetch(`${base}${url}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
      const json: unknown = await res.json();
      if (res.status >= 300) throw new Error(`${method} ${url}: ${res.status} ${JSON.stringify(json)}`);
      return json;
    };
    const password = 'correct horse battery';
    const owner = await call('POST', '/api/v1/auth/register', { email: `dr@${namespace}.example`, password, name: 'Dr Ada', role: 'provider' });
    const provider = await call('POST', '/api/v1/providers', { displayName: 'Dr Ada', timeZone: 'UTC', published: true }, owner.accessToken);
    const service = await call(
      'POST',
      `/api/v1/providers/${provider.id}/services`,
      { name: 'Consultation', durationMinutes: 15, slotIntervalMinutes: 15, location: { kind: 'video' } },
      owner.accessToken,
    );
    await call(
      'PUT',
      `/api/v1/providers/${provider.id}/availability`,
      { weekly: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '00:00', end: '24:00' })), overrides: [], blocked: [] },
      owner.accessToken,
    );
    const clients: { email: string; token: string }[] = [];
    for (let i = 0; i < count; i++) {
      const email = `client${i}@${namespace}.example`;
      clients.push({ email, token: (await call('POST', '/api/v1/auth/register', { email, password, name: `Client ${i}`, role: 'client' })).accessToken });
    }
    // Welcome emails first, so they are not in the way of what is measured.
    await smtp.waitFor(count + 1, 60_000);

    const day = Date.parse(`${new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10)}T00:00:00Z`);
    const confirmedAt = new Map<string, number>();
    for (let i = 0; i < count; i++) {
      const client = clients[i]!;
      await call('POST', '/api/v1/bookings', { serviceId: service.id, start: new Date(day + i * 15 * 60_000).toISOString() }, client.token);
      confirmedAt.set(client.email, Date.now());
      await sleep(1000 / perSecond);
    }
    const deadline = Date.now() + 60_000;
    const delays: number[] = [];
    while (delays.length < count && Date.now() < deadline) {
      delays.length = 0;
      for (const mail of smtp.received) {
        const to = mail.to[0] ?? '';
        const at = confirmedAt.get(to);
        if (at !== undefined && /confirmed/i.test(mail.mail.subject ?? '')) delays.push(mail.receivedAt - at);
      }
      if (delays.length < count) await sleep(100);
    }
    if (delays.length < count) throw new Error(`only ${delays.length} of ${count} confirmations arrived`);
    delays.sort((a, b) => a - b);
    return { bookings: count, p50: percentile(delays, 0.5), p99: percentile(delays, 0.99), max: delays[delays.length - 1] ?? 0 };
  } finally {
    await timeslot.stop();
    await smtp.close();
    await adminSql(`drop database if exists ${databaseName} with (force)`);
    const redis = new Redis(testServers.redis);
    await deleteRedisKeys(redis, `${namespace}:`);
    redis.disconnect();
  }
}
