import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createHttpServer, createLogger, type App } from '@timeslot/kernel';
import { responseJsonSchema } from '../src/http/serializer';

const lines: Record<string, unknown>[] = [];
const sink = new Writable({
  write(chunk: Buffer, _enc, done) {
    for (const line of chunk.toString().split('\n')) if (line.trim() !== '') lines.push(JSON.parse(line));
    done();
  },
});

const account = z.object({ id: z.string(), email: z.string(), createdAt: z.iso.datetime() });
const shape = z.union([z.object({ kind: z.literal('circle'), radius: z.number() }), z.object({ kind: z.literal('square'), side: z.number() })]);
const stamped = z.object({ at: z.codec(z.iso.datetime(), z.date(), { decode: (text) => new Date(text), encode: (date) => date.toISOString() }) });

let app: App;

beforeAll(async () => {
  app = await createHttpServer({ service: 'test', logger: createLogger({ destination: sink, level: 'info' }) });
  app.get('/account', { schema: { response: { 200: account } } }, async () => ({
    id: 'a1',
    email: 'ada@example.com',
    createdAt: '2030-01-07T08:00:00.000Z',
    passwordHash: '$argon2id$secret',
  }));
  app.get('/shape', { schema: { response: { 200: shape } } }, async () => ({ kind: 'square' as const, side: 2, secret: 'x' }));
  app.get('/stamped', { schema: { response: { 200: stamped } } }, async () => ({ at: new Date('2030-01-07T08:00:00.000Z') }));
  app.get('/feeds/:token.ics', async (request) => {
    request.log.info({ password: 'hunter22' }, 'feed read');
    return 'BEGIN:VCALENDAR';
  });
  await app.ready();
});

afterAll(async () => {
  await app.close();
});

describe('response serialisation', () => {
  it('writes only the fields the response schema declares', async () => {
    const res = await app.inject({ method: 'GET', url: '/account' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ id: 'a1', email: 'ada@example.com', createdAt: '2030-01-07T08:00:00.000Z' });
    expect(res.body).not.toContain('argon2id');
  });

  it('picks the union branch of a value with undeclared fields and drops them, as zod does', async () => {
    const res = await app.inject({ method: 'GET', url: '/shape' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ kind: 'square', side: 2 });
  });

  it('keeps zod for a schema JSON Schema cannot describe (a codec encodes the Date)', async () => {
    expect(responseJsonSchema(stamped)).toBeUndefined();
    expect(responseJsonSchema(z.object({ n: z.string().transform((text) => text.length) }))).toBeUndefined();
    expect(responseJsonSchema(account)).toMatchObject({ type: 'object', required: ['id', 'email', 'createdAt'] });
    const res = await app.inject({ method: 'GET', url: '/stamped' });
    expect(res.json()).toEqual({ at: '2030-01-07T08:00:00.000Z' });
  });

  it('leaves the OpenAPI document generated from the zod schemas', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/openapi.json' })).json();
    const schema = doc.paths['/account'].get.responses['200'].content['application/json'].schema;
    expect(schema).toMatchObject({ type: 'object', properties: { id: { type: 'string' }, createdAt: { format: 'date-time' } }, additionalProperties: false });
  });
});

describe('request logging', () => {
  it('logs a secret path parameter as its template, and redacts what a route logs itself', async () => {
    lines.length = 0;
    const token = 'A'.repeat(43);
    const res = await app.inject({ method: 'GET', url: `/feeds/${token}.ics`, headers: { 'x-request-id': 'feed-1', authorization: 'Bearer secret-token' } });
    expect(res.statusCode).toBe(200);
    const line = lines.find((l) => l.msg === 'request completed');
    expect(line).toMatchObject({ requestId: 'feed-1', route: '/feeds/:token.ics', path: '/feeds/:token.ics', status: 200 });
    expect(lines.find((l) => l.msg === 'feed read')).toMatchObject({ requestId: 'feed-1', password: '[redacted]' });
    const all = JSON.stringify(lines);
    expect(all).not.toContain(token);
    expect(all).not.toContain('hunter22');
    expect(all).not.toContain('secret-token');
    expect(typeof line!.time).toBe('string');
    expect(Number.isNaN(Date.parse(line!.time as string))).toBe(false);
  });

  it('logs the path of other routes without its query', async () => {
    lines.length = 0;
    await app.inject({ method: 'GET', url: '/account?access_token=secret' });
    expect(lines.find((l) => l.msg === 'request completed')).toMatchObject({ route: '/account', path: '/account' });
    expect(JSON.stringify(lines)).not.toContain('secret');
  });
});

describe('request metrics', () => {
  it('counts every answered request across scrapes, and nothing in flight once answered', async () => {
    const total = async () => {
      const text = (await app.inject({ method: 'GET', url: '/metrics' })).body;
      const count = /http_requests_total\{method="GET",route="\/account",status_code="200",service="test"\} (\d+)/.exec(text);
      const inFlight = /http_requests_in_flight\{method="GET",route="\/account",service="test"\} (-?\d+)/.exec(text);
      return { count: Number(count?.[1] ?? 0), inFlight: Number(inFlight?.[1]) };
    };
    const before = await total();
    await app.inject({ method: 'GET', url: '/account' });
    await app.inject({ method: 'GET', url: '/account' });
    expect(await total()).toEqual({ count: before.count + 2, inFlight: 0 });
    await app.inject({ method: 'GET', url: '/account' });
    expect((await total()).count).toBe(before.count + 3);
  });
});
