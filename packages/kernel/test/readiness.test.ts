import { Writable } from 'node:stream';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createHttpServer, createLogger, type App } from '@timeslot/kernel';

let app: App;
const up = { database: true, redis: true };

beforeAll(async () => {
  app = await createHttpServer({
    service: 'test',
    logger: createLogger({ destination: new Writable({ write: (_chunk, _enc, done) => done() }) }),
    readiness: {
      database: async () => {
        if (!up.database) throw new Error('connection refused');
      },
      // A dependency the process can work without (a cache): reported, never a 503.
      redis: {
        critical: false,
        check: async () => {
          if (!up.redis) throw new Error('Redis unreachable (connection reconnecting, circuit open)');
        },
      },
    },
  });
});

afterAll(async () => {
  await app.close();
});

it('answers 200 "degraded" and names the dependency while a non-critical check fails, 503 only for a critical one', async () => {
  const ready = await app.inject({ method: 'GET', url: '/readyz' });
  expect(ready.statusCode).toBe(200);
  expect(ready.json()).toEqual({ status: 'ready', checks: { database: 'ok', redis: 'ok' } });

  up.redis = false;
  const degraded = await app.inject({ method: 'GET', url: '/readyz' });
  expect(degraded.statusCode).toBe(200);
  expect(degraded.json()).toEqual({
    status: 'degraded',
    checks: { database: 'ok', redis: 'degraded: Redis unreachable (connection reconnecting, circuit open)' },
  });

  up.database = false;
  const down = await app.inject({ method: 'GET', url: '/readyz' });
  expect(down.statusCode).toBe(503);
  expect(down.json()).toMatchObject({ detail: 'Not ready: database unreachable.', checks: { database: 'connection refused', redis: expect.stringMatching(/^degraded: /) } });
  up.database = true;
  up.redis = true;
});
