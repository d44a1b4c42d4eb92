import { randomBytes } from 'node:crypto';
import { createServer, type Socket } from 'node:net';
import { createPostgresDatabase } from '@timeslot/adapters';
import { toAppError } from '@timeslot/kernel';
import { Redis } from 'ioredis';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSigningKeysJson } from '@timeslot/identity';
import { deleteRedisKeys, freePort, startPrivatePostgres, startTimeslot, testServers, type PrivatePostgres, type RunningProcess } from '@timeslot/testing';

/*
 * Issue 8 item 5: a distributed process (gateway, identity, scheduling) on a PostgreSQL of the
 * test's own, stopped and started again under it. While it is down every request that needs it
 * answers 503 DATABASE_UNAVAILABLE with Retry-After, fast; once it is back the process recovers
 * without a restart. Redis and RabbitMQ are the shared servers, under a namespace of our own.
 */

const namespace = `pgout-${randomBytes(4).toString('hex')}`;
let postgres: PrivatePostgres;
let server: RunningProcess;
let token: string;

beforeAll(async () => {
  postgres = await startPrivatePostgres();
  server = await startTimeslot(
    ['start', '--services', 'gateway,identity,scheduling'],
    {
      DATABASE_URL: postgres.url,
      REDIS_URL: testServers.redis,
      AMQP_URL: testServers.amqp,
      NAMESPACE: namespace,
      SIGNING_KEYS: await generateSigningKeysJson(),
    },
    { port: await freePort(), timeoutMs: 60_000 },
  );
  const registered = await call('POST', '/api/v1/auth/register', { email: 'outage@example.com', password: 'a long passphrase', name: 'Out Age', role: 'provider' });
  expect(registered.status).toBe(201);
  token = registered.body.accessToken as string;
  expect((await call('POST', '/api/v1/providers', { displayName: 'Dr Outage', timeZone: 'UTC', published: true }, token)).status).toBe(201);
}, 120_000);

afterAll(async () => {
  await server?.stop();
  await postgres?.destroy();
  const redis = new Redis(testServers.redis);
  await deleteRedisKeys(redis, namespace).finally(() => redis.quit());
}, 60_000);

async function call(method: 'GET' | 'POST', pathName: string, body?: unknown, bearer?: string) {
  const started = performance.now();
  const res = await request(`${server.url}${pathName}`, {
    method,
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(bearer === undefined ? {} : { authorization: `Bearer ${bearer}` }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.body.text();
  return {
    status: res.statusCode,
    headers: res.headers,
    body: (text === '' ? {} : JSON.parse(text)) as Record<string, unknown>,
    ms: Math.round(performance.now() - started),
  };
}

describe('PostgreSQL outage', () => {
  it('answers 503 DATABASE_UNAVAILABLE with Retry-After within 2 s while it is down, and recovers alone', async () => {
    const requests: Array<[string, 'GET' | 'POST', string, unknown, string | undefined]> = [
      ['provider search', 'GET', '/api/v1/providers?q=outage', undefined, undefined],
      ['login', 'POST', '/api/v1/auth/login', { email: 'outage@example.com', password: 'a long passphrase' }, undefined],
      ['register', 'POST', '/api/v1/auth/register', { email: 'during@example.com', password: 'a long passphrase', name: 'During', role: 'client' }, undefined],
      ['my bookings', 'GET', '/api/v1/bookings', undefined, token],
    ];
    for (const [what, method, pathName, body, bearer] of requests) {
      const res = await call(method, pathName, body, bearer);
      expect(res.status, `${what} before the outage: ${JSON.stringify(res.body)}`).toBeLessThan(300);
    }

    await postgres.stop();
    const figures: string[] = [];
    // Twice: the first round meets the pool's broken connections, the second opens new ones.
    for (const round of [1, 2]) {
      for (const [what, method, pathName, body, bearer] of requests) {
        const res = await call(method, pathName, body, bearer);
        figures.push(`round ${round} ${what}: ${res.status} ${String(res.body.code)} in ${res.ms} ms`);
        expect(res.status, `${what}: ${JSON.stringify(res.body)}`).toBe(503);
        expect(res.body.code, what).toBe('DATABASE_UNAVAILABLE');
        expect(res.headers['content-type'], what).toContain('application/problem+json');
        expect(Number(res.headers['retry-after']), what).toBeGreaterThan(0);
        expect(res.ms, what).toBeLessThan(2_000);
      }
    }
    const ready = await call('GET', '/readyz');
    expect(ready.status).toBe(503);
    figures.push(`readyz during the outage: ${ready.status} in ${ready.ms} ms`);

    const downAt = performance.now();
    await postgres.start();
    const upAt = performance.now();
    let recovered: Awaited<ReturnType<typeof call>> | undefined;
    let attempts = 0;
    while (performance.now() - upAt < 15_000) {
      attempts += 1;
      recovered = await call('GET', '/api/v1/providers?q=outage');
      if (recovered.status === 200) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(recovered?.status).toBe(200);
    figures.push(`PostgreSQL restart took ${Math.round(upAt - downAt)} ms; first 200 after ${Math.round(performance.now() - upAt)} ms (${attempts} attempts)`);
    for (const [what, method, pathName, body, bearer] of requests.filter(([what]) => what !== 'register')) {
      const res = await call(method, pathName, body, bearer);
      expect(res.status, `${what} after recovery: ${JSON.stringify(res.body)}`).toBeLessThan(300);
    }
    expect((await call('GET', '/readyz')).status).toBe(200);
    console.log(`PostgreSQL outage figures:\n  ${figures.join('\n  ')}`);
  }, 90_000);
});

describe('a PostgreSQL that accepts connections but never answers', () => {
  it('fails a statement within about 2 s, as DATABASE_UNAVAILABLE', async () => {
    const sockets: Socket[] = [];
    const silent = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const address = silent.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    const database = await createPostgresDatabase({ url: `postgres://postgres@127.0.0.1:${port}/test`, logger: { error: () => undefined } });
    try {
      const started = performance.now();
      const error = await database.query('select 1').then(
        () => undefined,
        (failure: unknown) => failure,
      );
      const ms = Math.round(performance.now() - started);
      console.log(`silent PostgreSQL: the statement failed after ${ms} ms as ${toAppError(error).code}`);
      expect(toAppError(error).code).toBe('DATABASE_UNAVAILABLE');
      expect(ms).toBeLessThan(3_000);
    } finally {
      await database.close();
      for (const socket of sockets) socket.destroy();
      silent.close();
    }
  });
});
