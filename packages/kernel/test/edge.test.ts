import { connect } from 'node:net';
import { Writable } from 'node:stream';
import { Client, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { assertBeforeDeadline, createHttpServer, createLogger, type App } from '@timeslot/kernel';

/*
 * The answers no route writes: errors raised before routing or by Node's HTTP parser, the NUL
 * character, bodiless statuses, outages, deadlines and draining. Over a real socket, since several
 * of these never reach what `inject()` exercises.
 */

const lines: Record<string, unknown>[] = [];
const sink = new Writable({
  write(chunk: Buffer, _enc, done) {
    for (const line of chunk.toString().split('\n')) if (line.trim() !== '') lines.push(JSON.parse(line));
    done();
  },
});

const securityHeaders = { 'x-content-type-options': 'nosniff', 'x-frame-options': 'SAMEORIGIN' };
let app: App;
let base: string;
let port: number;

beforeAll(async () => {
  app = await createHttpServer({ service: 'edge', logger: createLogger({ destination: sink, level: 'info' }), responseHeaders: securityHeaders });
  app.get('/api/v1/things/:id', { schema: { params: z.object({ id: z.string() }), querystring: z.object({ q: z.string().optional() }) } }, async (req) => ({
    id: req.params.id,
    q: req.query.q ?? null,
  }));
  app.post('/api/v1/things', { schema: { body: z.record(z.string(), z.unknown()) } }, async (req) => req.body);
  app.get('/api/v1/cached', async (_req, reply) => reply.status(304).send(null));
  app.delete('/api/v1/things/:id', async (_req, reply) => reply.status(204).send());
  app.get('/api/v1/outage', async () => {
    // What drizzle throws when the pg adapter failed to connect: the driver error as the cause.
    throw new Error('Failed query: select 1', { cause: Object.assign(new Error('PostgreSQL is unreachable: connect ECONNREFUSED'), { code: '08001' }) });
  });
  app.get('/api/v1/terminated', async () => {
    throw new Error('Connection terminated unexpectedly');
  });
  app.get('/api/v1/plugin-refusal', async () => {
    throw Object.assign(new Error("'/api/v1/plugin-refusal%00.js' is not allowed"), { status: 400 });
  });
  app.post('/api/v1/commit', async (req) => {
    // Past its deadline by the time it would commit (the timeout header gave it 1 ms).
    while (req.deadline !== undefined && Date.now() < req.deadline) await new Promise((resolve) => setImmediate(resolve));
    assertBeforeDeadline(req.deadline);
    return { committed: true };
  });
  base = await app.listen({ host: '127.0.0.1', port: 0 });
  port = Number(new URL(base).port);
});

afterAll(async () => {
  await app.close();
});

/** Send raw bytes and read the whole answer (the server closes the connection after it). */
function raw(bytes: string): Promise<{ status: number; headers: Record<string, string>; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let data = '';
    socket.on('data', (chunk: Buffer) => (data += chunk.toString('latin1')));
    socket.on('error', reject);
    socket.on('close', () => {
      const [head = '', body = ''] = data.split('\r\n\r\n');
      const [statusLine = '', ...headerLines] = head.split('\r\n');
      const headers = Object.fromEntries(headerLines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]));
      resolve({ status: Number(statusLine.split(' ')[1]), headers, body });
    });
    socket.write(bytes);
  });
}

function expectProblem(res: { headers: Record<string, string | string[] | undefined> }, problem: object, code: string): void {
  const body = problem as { code?: unknown; requestId?: unknown };
  expect(res.headers['content-type']).toContain('application/problem+json');
  expect(body.code).toBe(code);
  expect(res.headers['x-request-id']).toBeTypeOf('string');
  expect(body.requestId).toBe(res.headers['x-request-id']);
  expect(res.headers['x-content-type-options']).toBe('nosniff');
  expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
}

describe('errors raised before routing', () => {
  it('answers a bad percent-encoding with a 400 problem that does not echo the URL', async () => {
    const res = await request(`${base}/api/v1/things/%E0%A4%A<b>`);
    const body = (await res.body.json()) as Record<string, unknown>;
    expect(res.statusCode).toBe(400);
    expectProblem(res, body, 'BAD_REQUEST');
    expect(JSON.stringify(body)).not.toContain('%E0');
    expect(JSON.stringify(body)).not.toContain('<b>');
  });

  it('answers an over-long path parameter with 400 (not 414)', async () => {
    const res = await request(`${base}/api/v1/things/${'a'.repeat(500)}`);
    const body = (await res.body.json()) as Record<string, unknown>;
    expect(res.statusCode).toBe(400);
    expectProblem(res, body, 'BAD_REQUEST');
    expect(JSON.stringify(body)).not.toContain('aaaa');
  });

  it('answers headers over 16 KB with a 431 problem, request id and security headers', async () => {
    const res = await raw(`GET /api/v1/things/1 HTTP/1.1\r\nHost: x\r\nX-Big: ${'b'.repeat(20_000)}\r\n\r\n`);
    expect(res.status).toBe(431);
    expectProblem(res, JSON.parse(res.body), 'HEADERS_TOO_LARGE');
  });

  it('answers a URL over 16 KB with a 431 problem', async () => {
    const res = await raw(`GET /api/v1/things/1?q=${'u'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`);
    expect(res.status).toBe(431);
    expectProblem(res, JSON.parse(res.body), 'HEADERS_TOO_LARGE');
    expect(res.body).not.toContain('uuuu');
  });

  it('answers bytes that are not HTTP with a 400 problem', async () => {
    const res = await raw('GET /a b c HTTP/9\r\n\r\n');
    expect(res.status).toBe(400);
    expectProblem(res, JSON.parse(res.body), 'BAD_REQUEST');
  });

  it('does not repeat an unknown path in the 404 detail', async () => {
    const res = await request(`${base}/nowhere/%3Cscript%3E`);
    const body = (await res.body.json()) as Record<string, unknown>;
    expect(res.statusCode).toBe(404);
    expectProblem(res, body, 'ROUTE_NOT_FOUND');
    expect(String(body.detail)).not.toContain('script');
  });

  it("keeps a plugin's 4xx a 4xx, without its message", async () => {
    const res = await request(`${base}/api/v1/plugin-refusal`);
    const body = (await res.body.json()) as Record<string, unknown>;
    expect(res.statusCode).toBe(400);
    expectProblem(res, body, 'BAD_REQUEST');
    expect(JSON.stringify(body)).not.toContain('%00');
  });
});

describe('the NUL character', () => {
  it('is refused in the query, path parameters, body values and body keys, with the field path', async () => {
    const query = await request(`${base}/api/v1/things/1?q=a%00b`);
    const queryBody = (await query.body.json()) as { errors: { path: string }[] };
    expect(query.statusCode).toBe(400);
    expectProblem(query, queryBody, 'INVALID_CHARACTER');
    expect(queryBody.errors.map((e) => e.path)).toEqual(['query.q']);

    const param = await request(`${base}/api/v1/things/a%00b`);
    expect(param.statusCode).toBe(400);
    expect(((await param.body.json()) as { errors: { path: string }[] }).errors.map((e) => e.path)).toEqual(['params.id']);

    const body = await request(`${base}/api/v1/things`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'ok', nested: { list: ['fine', 'bad\u0000'] }, 'key\u0000': 1 }),
    });
    expect(body.statusCode).toBe(400);
    const paths = ((await body.body.json()) as { errors: { path: string }[] }).errors.map((e) => e.path);
    expect(paths).toEqual(['body.nested.list.1', 'body.key\\u0000']);
  });

  it('lets everything else through', async () => {
    const res = await request(`${base}/api/v1/things/a%01b?q=%C3%A9`);
    expect(res.statusCode).toBe(200);
    expect(await res.body.json()).toEqual({ id: 'a\u0001b', q: 'é' });
  });
});

describe('bodiless statuses', () => {
  it('sends 304 and 204 without content, length or type, and the socket stays usable', async () => {
    const client = new Client(base, { pipelining: 1 });
    try {
      for (const [method, path, status] of [
        ['GET', '/api/v1/cached', 304],
        ['DELETE', '/api/v1/things/1', 204],
        ['GET', '/api/v1/cached', 304],
      ] as const) {
        const res = await client.request({ method, path });
        expect(res.statusCode).toBe(status);
        expect(res.headers['content-type']).toBeUndefined();
        expect(Number(res.headers['content-length'] ?? 0)).toBe(0);
        expect(await res.body.text()).toBe('');
      }
      const after = await client.request({ method: 'GET', path: '/api/v1/things/1' });
      expect(after.statusCode).toBe(200);
      await after.body.json();
    } finally {
      await client.close();
    }
  });
});

describe('database outages', () => {
  it('answer 503 DATABASE_UNAVAILABLE with Retry-After, whatever wraps the driver error', async () => {
    for (const path of ['/api/v1/outage', '/api/v1/terminated']) {
      const res = await request(`${base}${path}`);
      const body = (await res.body.json()) as Record<string, unknown>;
      expect(res.statusCode, path).toBe(503);
      expectProblem(res, body, 'DATABASE_UNAVAILABLE');
      expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    }
  });
});

describe('deadlines', () => {
  it('abandons work past the x-request-timeout-ms budget with 504 DEADLINE_EXCEEDED, logged as abandoned', async () => {
    const res = await request(`${base}/api/v1/commit`, { method: 'POST', headers: { 'x-request-timeout-ms': '1' } });
    const body = (await res.body.json()) as Record<string, unknown>;
    expect(res.statusCode).toBe(504);
    expectProblem(res, body, 'DEADLINE_EXCEEDED');
    const line = lines.find((l) => l.requestId === body.requestId && l.msg === 'request completed');
    expect(line).toMatchObject({ outcome: 'abandoned', status: 504 });
  });

  it('ignores an absent or invalid budget', async () => {
    for (const value of [undefined, 'abc', '-5', '0', '1e3']) {
      const res = await request(`${base}/api/v1/commit`, { method: 'POST', headers: value === undefined ? {} : { 'x-request-timeout-ms': value } });
      expect(res.statusCode, String(value)).toBe(200);
      await res.body.json();
    }
  });
});

describe('draining', () => {
  it('turns /readyz and new requests away with 503 and Connection: close once draining', async () => {
    const drained = await createHttpServer({ service: 'drain', logger: createLogger({ level: 'silent' }), responseHeaders: securityHeaders });
    drained.get('/api/v1/ping', async () => ({ ok: true }));
    const url = await drained.listen({ host: '127.0.0.1', port: 0 });
    const client = new Client(url);
    try {
      const before = await client.request({ method: 'GET', path: '/api/v1/ping' });
      expect(before.statusCode).toBe(200);
      expect(before.headers.connection).toBe('keep-alive');
      await before.body.json();

      drained.beginDrain();
      const ready = await request(`${url}/readyz`);
      expect(ready.statusCode).toBe(503);
      expect(ready.headers.connection).toBe('close');
      await ready.body.json();

      const turnedAway = await client.request({ method: 'GET', path: '/api/v1/ping' });
      const body = (await turnedAway.body.json()) as Record<string, unknown>;
      expect(turnedAway.statusCode).toBe(503);
      expectProblem(turnedAway, body, 'SHUTTING_DOWN');
      expect(turnedAway.headers.connection).toBe('close');
      expect(turnedAway.headers['retry-after']).toBe('1');

      const alive = await request(`${url}/healthz`);
      expect(alive.statusCode).toBe(200);
      expect(alive.headers.connection).toBe('close');
      await alive.body.json();
    } finally {
      await client.close();
      await drained.close();
    }
  });
});
