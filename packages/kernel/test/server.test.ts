import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AppError, createHttpServer, createLogger, type App } from '@timeslot/kernel';

const lines: Record<string, unknown>[] = [];
const sink = new Writable({
  write(chunk: Buffer, _enc, done) {
    for (const line of chunk.toString().split('\n')) if (line.trim() !== '') lines.push(JSON.parse(line));
    done();
  },
});

let app: App;
let dbUp = true;

beforeAll(async () => {
  app = await createHttpServer({
    service: 'test',
    logger: createLogger({ destination: sink, level: 'debug' }),
    readiness: {
      database: async () => {
        if (!dbUp) throw new Error('connection refused');
      },
    },
    bodyLimit: 1024,
  });
  app.post(
    '/api/v1/things/:id',
    {
      schema: {
        params: z.object({ id: z.uuid() }),
        body: z.object({ name: z.string().min(2), password: z.string() }),
        response: { 200: z.object({ id: z.string(), name: z.string() }) },
      },
    },
    async (request) => ({ id: request.params.id, name: request.body.name }),
  );
  app.get('/boom', async () => {
    throw new Error('select * from secrets failed at line 3');
  });
  app.get('/conflict', async () => {
    throw new AppError('SLOT_TAKEN', 409, 'That slot was just taken.');
  });
  await app.ready();
});

afterAll(async () => {
  await app.close();
});

const id = '4f1c1b9e-3a2b-4c5d-8e9f-0a1b2c3d4e5f';

describe('createHttpServer', () => {
  it('validates with zod and answers problem+json with field errors', async () => {
    const res = await app.inject({ method: 'POST', url: `/api/v1/things/${id}`, payload: { name: 'x', password: 'p' } });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    const body = res.json();
    expect(body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', title: 'Bad Request' });
    expect(body.type).toMatch(/^https:\/\//);
    expect(body.errors).toEqual([expect.objectContaining({ path: 'body.name' })]);
  });

  it('reports bad path parameters under params', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/v1/things/not-a-uuid', payload: { name: 'xx', password: 'p' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0].path).toBe('params.id');
  });

  it('refuses malformed JSON with 400 and a body over the limit with 413', async () => {
    const bad = await app.inject({ method: 'POST', url: `/api/v1/things/${id}`, headers: { 'content-type': 'application/json' }, payload: '{"name":' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().code).toBe('BAD_REQUEST');
    const big = await app.inject({ method: 'POST', url: `/api/v1/things/${id}`, payload: { name: 'x'.repeat(2000), password: 'p' } });
    expect(big.statusCode).toBe(413);
    expect(big.json().code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('hides the message of unexpected errors', async () => {
    const res = await app.inject({ method: 'GET', url: '/boom' });
    expect(res.statusCode).toBe(500);
    expect(res.json()).toMatchObject({ code: 'INTERNAL', title: 'Internal Server Error' });
    expect(res.json().detail).toBeUndefined();
    expect(res.body).not.toContain('secrets');
  });

  it('passes AppErrors through with their code', async () => {
    const res = await app.inject({ method: 'GET', url: '/conflict' });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ code: 'SLOT_TAKEN', detail: 'That slot was just taken.' });
  });

  it('answers unknown routes with a 404 problem', async () => {
    const res = await app.inject({ method: 'GET', url: '/nope?secret=1' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ code: 'ROUTE_NOT_FOUND', instance: '/nope' });
  });

  it('accepts a safe x-request-id, replaces an unsafe one, and logs one redacted line per request', async () => {
    lines.length = 0;
    const given = await app.inject({
      method: 'POST',
      url: `/api/v1/things/${id}`,
      headers: { 'x-request-id': 'abc-123', authorization: 'Bearer secret-token' },
      payload: { name: 'xy', password: 'hunter22' },
    });
    expect(given.headers['x-request-id']).toBe('abc-123');
    const unsafe = await app.inject({ method: 'GET', url: '/healthz', headers: { 'x-request-id': 'evil\nline' + 'x'.repeat(200) } });
    expect(unsafe.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const done = lines.filter((l) => l.msg === 'request completed');
    expect(done).toHaveLength(2);
    expect(done[0]).toMatchObject({ requestId: 'abc-123', method: 'POST', route: '/api/v1/things/:id', status: 200 });
    expect(typeof done[0]!.durationMs).toBe('number');
    const all = JSON.stringify(lines);
    expect(all).not.toContain('secret-token');
    expect(all).not.toContain('hunter22');
  });

  it('serves liveness, readiness that follows its dependencies, and metrics by route template', async () => {
    expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
    dbUp = false;
    const down = await app.inject({ method: 'GET', url: '/readyz' });
    expect(down.statusCode).toBe(503);
    expect(down.json().checks.database).toContain('connection refused');
    dbUp = true;
    await app.inject({ method: 'POST', url: `/api/v1/things/${id}`, payload: { name: 'xy', password: 'p' } });
    const metrics = (await app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metrics).toContain('http_requests_total{method="POST",route="/api/v1/things/:id",status_code="200",service="test"}');
    expect(metrics).toContain('http_request_duration_seconds_bucket');
    expect(metrics).toContain('http_requests_in_flight');
    expect(metrics).toContain('process_cpu_user_seconds_total');
    expect(metrics).not.toContain(id);
  });

  it('generates an OpenAPI 3.1 document from the zod schemas', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/openapi.json' })).json();
    expect(doc.openapi).toBe('3.1.0');
    const op = doc.paths['/api/v1/things/{id}'].post;
    expect(op.requestBody.content['application/json'].schema.properties.name).toMatchObject({ type: 'string', minLength: 2 });
    expect(doc.paths['/healthz']).toBeUndefined();
  });
});

describe('graceful shutdown', () => {
  it('finishes a request in flight, refuses new connections, then resolves close', async () => {
    const server = await createHttpServer({ service: 'shutdown', logger: createLogger({ level: 'silent' }) });
    let entered!: () => void;
    const inHandler = new Promise<void>((resolve) => (entered = resolve));
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    server.get('/slow', async () => {
      entered();
      await released;
      return { done: true };
    });
    const address = await server.listen({ host: '127.0.0.1', port: 0 });

    const inFlight = fetch(`${address}/slow`);
    await inHandler;
    const closed = server.close();
    const refused = await fetch(`${address}/healthz`).then(
      (res) => res.status,
      () => 'refused',
    );
    release();
    const res = await inFlight;
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ done: true });
    await closed;
    // A new connection after close began is refused (or, on a reused socket, answered 503).
    expect([503, 'refused']).toContain(refused);
  });
});
