import { randomBytes } from 'node:crypto';
import { createServer as createHttpServer } from 'node:http';
import { createServer as createNetServer, type AddressInfo, type Socket } from 'node:net';
import { Pool, request } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { registerProxy, type GatewayOptions, type ProxyRoute, type RegisterProxyOptions } from '../src';
import {
  buildGateway,
  closedPort,
  createTestKeys,
  silentLogger,
  startDroppingServer,
  startEchoServer,
  type EchoReply,
  type EchoServer,
  type TestGateway,
  type TestKeys,
} from './helpers';
import { neverConnected } from '../src/proxy';

let keys: TestKeys;
let alpha1: EchoServer;
let alpha2: EchoServer;
let beta: EchoServer;
const gateways: TestGateway[] = [];

const openapiOf = (service: string, path: string) => ({
  openapi: '3.1.0',
  info: { title: `Timeslot ${service}`, version: '1.0.0' },
  paths: { [path]: { get: { summary: `${service} operation`, responses: { 200: { description: 'ok' } } } } },
  components: { schemas: { [`${service}Thing`]: { type: 'object' } } },
});

beforeAll(async () => {
  keys = await createTestKeys();
  [alpha1, alpha2, beta] = await Promise.all([
    startEchoServer('alpha-1', { openapi: openapiOf('alpha', '/api/v1/alpha/things') }),
    startEchoServer('alpha-2', { openapi: openapiOf('alpha', '/api/v1/alpha/things') }),
    startEchoServer('beta', { openapi: openapiOf('beta', '/api/v1/beta') }),
  ]);
});

afterAll(async () => {
  await Promise.all([alpha1, alpha2, beta].map((server) => server.close()));
});

afterEach(async () => {
  await Promise.all(gateways.splice(0).map((gateway) => gateway.close()));
  for (const server of [alpha1, alpha2, beta]) server.received.length = 0;
});

async function proxyGateway(
  routes: readonly ProxyRoute[],
  options: GatewayOptions = {},
  proxy: Partial<RegisterProxyOptions> = {},
): Promise<TestGateway> {
  const gateway = await buildGateway(keys, options, {
    routes: (app) => registerProxy(app, { routes, logger: silentLogger, ...proxy }),
  });
  gateways.push(gateway);
  return gateway;
}

const standardRoutes = (): ProxyRoute[] => [
  { service: 'alpha', prefix: '/api/v1/alpha', upstreams: [alpha1.url, alpha2.url] },
  { service: 'beta', prefix: '/api/v1/beta', upstreams: [beta.url] },
];

describe('routing', () => {
  it('routes by prefix, keeps path and query, and answers unknown prefixes with a 404 problem', async () => {
    const { app } = await proxyGateway(standardRoutes());
    const toBeta = await app.inject({ url: '/api/v1/beta/items/42?sort=desc&x=%2F' });
    expect(toBeta.statusCode).toBe(200);
    expect(toBeta.json()).toMatchObject({ server: 'beta', method: 'GET', url: '/api/v1/beta/items/42?sort=desc&x=%2F' });
    expect((await app.inject({ url: '/api/v1/beta' })).json().server).toBe('beta');
    expect((await app.inject({ method: 'DELETE', url: '/api/v1/alpha/x' })).json().server).toMatch(/^alpha-/);

    for (const url of ['/api/v1/gamma/x', '/api/v1/betamax']) {
      const unknown = await app.inject({ url });
      expect(unknown.statusCode).toBe(404);
      expect(unknown.headers['content-type']).toContain('application/problem+json');
      expect(unknown.json().code).toBe('ROUTE_NOT_FOUND');
    }
    expect(beta.received).toHaveLength(2);
  });

  it('spreads requests round-robin over the replicas', async () => {
    const { app } = await proxyGateway(standardRoutes());
    const servers: string[] = [];
    for (let i = 0; i < 6; i++) servers.push((await app.inject({ url: '/api/v1/alpha/things' })).json().server);
    expect(servers.filter((s) => s === 'alpha-1')).toHaveLength(3);
    expect(servers.filter((s) => s === 'alpha-2')).toHaveLength(3);
    expect(servers[0]).not.toBe(servers[1]);
  });
});

describe('what passes through', () => {
  it('forwards bodies byte for byte, JSON or not', async () => {
    const { app } = await proxyGateway(standardRoutes());
    const json = '{ "name" :"Zoë",  "n": 1.50 }';
    const asJson = await app.inject({ method: 'POST', url: '/api/v1/beta', headers: { 'content-type': 'application/json' }, payload: json });
    expect(asJson.statusCode).toBe(200);
    expect(Buffer.from(asJson.json().body, 'base64').toString()).toBe(json);
    expect(asJson.json().headers['content-type']).toBe('application/json');

    const binary = randomBytes(4096);
    const asBinary = await app.inject({ method: 'PUT', url: '/api/v1/beta/file', headers: { 'content-type': 'application/octet-stream' }, payload: binary });
    expect(Buffer.from(asBinary.json().body, 'base64').equals(binary)).toBe(true);
    expect(asBinary.json().headers['content-length']).toBe('4096');

    const form = await app.inject({ method: 'PATCH', url: '/api/v1/beta', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'a=1&b=%20' });
    expect(Buffer.from(form.json().body, 'base64').toString()).toBe('a=1&b=%20');
  });

  it('refuses bodies over the limit with 413 before reaching the upstream', async () => {
    const { app } = await proxyGateway(standardRoutes(), { bodyLimit: 1024 });
    const response = await app.inject({ method: 'POST', url: '/api/v1/beta', headers: { 'content-type': 'text/plain' }, payload: 'x'.repeat(2048) });
    expect(response.statusCode).toBe(413);
    expect(response.json().code).toBe('PAYLOAD_TOO_LARGE');
    expect(beta.received).toHaveLength(0);
  });

  it('sends verified identity headers, never the client’s, and the bearer token for the service to verify', async () => {
    const { app } = await proxyGateway(standardRoutes());
    const forged = { 'x-user-id': '00000000-0000-4000-8000-000000000000', 'x-user-role': 'admin', 'x-token-id': 'forged' };
    const anonymous = (await app.inject({ url: '/api/v1/beta', headers: forged })).json<EchoReply>();
    expect(anonymous.headers['x-user-id']).toBeUndefined();
    expect(anonymous.headers['x-user-role']).toBeUndefined();
    expect(anonymous.headers['x-token-id']).toBeUndefined();

    const userId = crypto.randomUUID();
    const token = await keys.sign({ userId, role: 'provider' });
    const signedIn = (await app.inject({ url: '/api/v1/beta', headers: { ...forged, authorization: `Bearer ${token}` } })).json<EchoReply>();
    expect(signedIn.headers['x-user-id']).toBe(userId);
    expect(signedIn.headers['x-user-role']).toBe('provider');
    expect(signedIn.headers['x-token-id']).not.toBe('forged');
    expect(signedIn.headers.authorization).toBe(`Bearer ${token}`);
  });

  it('refuses an invalid token without calling the upstream', async () => {
    const { app } = await proxyGateway(standardRoutes());
    const response = await app.inject({ url: '/api/v1/beta', headers: { authorization: `Bearer ${await keys.sign({ key: 'other' })}` } });
    expect(response.statusCode).toBe(401);
    expect(response.json().code).toBe('INVALID_TOKEN');
    expect(beta.received).toHaveLength(0);
  });

  it('forwards the request id and forwarding headers, drops hop-by-hop headers both ways', async () => {
    const { app } = await proxyGateway(standardRoutes());
    const response = await app.inject({
      url: '/api/v1/beta',
      headers: { 'x-request-id': 'req-123', connection: 'x-secret', 'x-secret': 'hop', 'proxy-authorization': 'Basic x', host: 'api.example', 'x-custom': 'kept' },
      remoteAddress: '198.51.100.7',
    });
    expect(response.headers['x-request-id']).toBe('req-123');
    const seen = response.json<EchoReply>().headers;
    expect(seen['x-request-id']).toBe('req-123');
    expect(seen['x-forwarded-for']).toBe('198.51.100.7');
    expect(seen['x-forwarded-proto']).toBe('http');
    expect(seen['x-forwarded-host']).toBe('api.example');
    expect(seen.host).toBe(beta.url.replace('http://', ''));
    expect(seen['x-custom']).toBe('kept');
    expect(seen['x-secret']).toBeUndefined();
    expect(seen['proxy-authorization']).toBeUndefined();

    expect(response.headers['x-upstream']).toBe('beta');
    expect(response.headers['set-cookie']).toEqual(['a=1; Path=/', 'b=2; Path=/']);
    expect(response.headers['keep-alive']).toBeUndefined();
    expect(response.headers['x-content-type-options']).toBe('nosniff');

    const generated = await app.inject({ url: '/api/v1/beta' });
    expect(generated.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(generated.json<EchoReply>().headers['x-request-id']).toBe(generated.headers['x-request-id']);
  });

  it('passes upstream statuses through and answers HEAD without a body', async () => {
    const { app } = await proxyGateway(standardRoutes());
    const notFound = await app.inject({ url: '/api/v1/beta?status=404' });
    expect(notFound.statusCode).toBe(404);
    expect(notFound.json().server).toBe('beta');
    const head = await app.inject({ method: 'HEAD', url: '/api/v1/beta?bytes=1000' });
    expect(head.statusCode).toBe(200);
    expect(head.body).toBe('');
    expect(head.headers['content-length']).toBe('1000');
    expect(beta.received.at(-1)?.method).toBe('HEAD');
  });

  it('streams large responses over real sockets, and sets rate-limit headers on proxied responses', async () => {
    const { app } = await proxyGateway(standardRoutes(), { rateLimits: { ip: { max: 50, windowMs: 3_600_000 } } });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = app.server.address() as AddressInfo;
    const response = await request(`http://127.0.0.1:${port}/api/v1/beta/download?bytes=${5 * 1024 * 1024}`, {
      headers: { 'x-request-id': 'stream-1' },
    });
    const body = Buffer.from(await response.body.arrayBuffer());
    expect(response.statusCode).toBe(200);
    expect(body.length).toBe(5 * 1024 * 1024);
    expect(body.every((byte) => byte === 7)).toBe(true);
    expect(response.headers['x-request-id']).toBe('stream-1');
    expect(response.headers['ratelimit-limit']).toBe('50');
    expect(response.headers['ratelimit-remaining']).toBe('49');
  });
});

describe('live streams (Server-Sent Events)', () => {
  it('stay open across silences longer than the upstream timeout, and end when the gateway closes', async () => {
    const upstream = createHttpServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write('retry: 1000\n\n');
      // Undici checks body timeouts about once a second: a silence well past that, not just past 100 ms.
      const timer = setTimeout(() => response.write('data: after a silence\n\n'), 2_500);
      response.on('close', () => clearTimeout(timer));
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    const gateway = await buildGateway(keys, {}, {
      routes: (app) =>
        registerProxy(app, { routes: [{ service: 'live', prefix: '/api/v1/live', upstreams: [`http://127.0.0.1:${(upstream.address() as AddressInfo).port}`] }], logger: silentLogger, timeoutMs: 100 }),
    });
    try {
      await gateway.app.listen({ host: '127.0.0.1', port: 0 });
      const { port } = gateway.app.server.address() as AddressInfo;
      const response = await request(`http://127.0.0.1:${port}/api/v1/live/stream`, { headers: { accept: 'text/event-stream' } });
      expect(response.statusCode).toBe(200);
      let text = '';
      const reading = (async () => {
        try {
          for await (const chunk of response.body) text += (chunk as Buffer).toString('utf8');
        } catch {
          // The gateway cut the stream at shutdown.
        }
      })();
      const deadline = Date.now() + 5_000;
      while (!text.includes('after a silence') && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(text).toContain('data: after a silence');

      await gateway.close();
      await reading;
    } finally {
      upstream.closeAllConnections();
      await new Promise((resolve) => upstream.close(resolve));
    }
  });
});

describe('failures', () => {
  it('retries an idempotent request on the next replica when one refuses connections', async () => {
    const dead = `http://127.0.0.1:${await closedPort()}`;
    const { app } = await proxyGateway([{ service: 'alpha', prefix: '/api/v1/alpha', upstreams: [dead, alpha1.url] }]);
    for (const method of ['GET', 'PUT', 'DELETE', 'GET'] as const) {
      const response = await app.inject({ method, url: '/api/v1/alpha/things', payload: method === 'PUT' ? 'v' : undefined, headers: { 'content-type': 'text/plain' } });
      expect(response.statusCode).toBe(200);
      expect(response.json().server).toBe('alpha-1');
    }
    expect(alpha1.received).toHaveLength(4);
  });

  it('sends a POST or PATCH on to the next replica when one refuses connections, once, body and all', async () => {
    const dead = `http://127.0.0.1:${await closedPort()}`;
    const { app } = await proxyGateway([{ service: 'alpha', prefix: '/api/v1/alpha', upstreams: [dead, alpha1.url] }]);
    // Round robin starts the first and third requests on the dead replica, the second on the live one.
    const sent = [
      { method: 'POST', payload: '{"booking":1}' },
      { method: 'POST', payload: '{"booking":2}' },
      { method: 'PATCH', payload: '{"booking":3}' },
    ] as const;
    for (const { method, payload } of sent) {
      const response = await app.inject({ method, url: '/api/v1/alpha/things', headers: { 'content-type': 'application/json' }, payload });
      expect(response.statusCode).toBe(200);
      expect(response.json().server).toBe('alpha-1');
    }
    expect(alpha1.received.map((seen) => [seen.method, Buffer.from(seen.body ?? '', 'base64').toString()])).toEqual(
      sent.map(({ method, payload }) => [method, payload]),
    );
  });

  it('sends a POST on to the next replica when connecting times out, before any byte of it was written', async () => {
    const silent = await startSilentServer();
    try {
      const upstreams = [silent.url.replace('http:', 'https:'), alpha1.url];
      const { app } = await proxyGateway([{ service: 'alpha', prefix: '/api/v1/alpha', upstreams }], {}, { connectTimeoutMs: 100 });
      const response = await app.inject({ method: 'POST', url: '/api/v1/alpha/things', headers: { 'content-type': 'text/plain' }, payload: 'book it' });
      expect(response.statusCode).toBe(200);
      expect(response.json().server).toBe('alpha-1');
      expect(alpha1.received).toHaveLength(1);
      // The silent replica got the first record of a TLS handshake, never the request.
      expect(silent.received()[0]).toBe(0x16);
      expect(silent.received().includes('POST')).toBe(false);
    } finally {
      await silent.close();
    }
  });

  it('does not send a POST on once a replica received it and dropped the connection, even after one that refused it: 502', async () => {
    const dead = `http://127.0.0.1:${await closedPort()}`;
    for (const before of [[], [dead]]) {
      const dropping = await startDroppingServer();
      try {
        const { app } = await proxyGateway([{ service: 'alpha', prefix: '/api/v1/alpha', upstreams: [...before, dropping.url, alpha1.url] }]);
        const response = await app.inject({ method: 'POST', url: '/api/v1/alpha/things', headers: { 'content-type': 'text/plain' }, payload: 'book it' });
        expect(response.statusCode, `after ${before.length} refusing`).toBe(502);
        expect(response.headers['content-type']).toContain('application/problem+json');
        expect(response.json().code).toBe('UPSTREAM_FAILED');
        expect(dropping.accepted()).toBe(1);
        expect(alpha1.received).toHaveLength(0);
      } finally {
        await dropping.close();
      }
    }
  });

  it('answers 503 when every replica refuses connections, whatever the method', async () => {
    const upstreams = [`http://127.0.0.1:${await closedPort()}`, `http://127.0.0.1:${await closedPort()}`];
    const { app } = await proxyGateway([{ service: 'alpha', prefix: '/api/v1/alpha', upstreams }]);
    for (const method of ['GET', 'POST'] as const) {
      const payload = method === 'POST' ? 'book it' : undefined;
      const response = await app.inject({ method, url: '/api/v1/alpha/things', headers: { 'content-type': 'text/plain' }, payload });
      expect(response.statusCode).toBe(503);
      expect(response.headers['content-type']).toContain('application/problem+json');
      expect(response.json()).toMatchObject({ code: 'SERVICE_UNAVAILABLE', detail: 'The alpha service is unavailable.' });
    }
  });

  it('answers 502 when a replica drops the connection, after retrying a GET elsewhere', async () => {
    const dropping = await startDroppingServer();
    try {
      const { app } = await proxyGateway([
        { service: 'alpha', prefix: '/api/v1/alpha', upstreams: [dropping.url, alpha1.url] },
        { service: 'beta', prefix: '/api/v1/beta', upstreams: [dropping.url] },
      ]);
      const retried = await app.inject({ url: '/api/v1/alpha/things' });
      expect(retried.statusCode).toBe(200);
      expect(retried.json().server).toBe('alpha-1');
      const failed = await app.inject({ url: '/api/v1/beta' });
      expect(failed.statusCode).toBe(502);
      expect(failed.json().code).toBe('UPSTREAM_FAILED');
      expect(dropping.accepted()).toBeGreaterThanOrEqual(2);
    } finally {
      await dropping.close();
    }
  });

  it('abandons the upstream request when the client goes away', async () => {
    let received!: () => void;
    let abandoned!: () => void;
    const arrived = new Promise<void>((resolve) => (received = resolve));
    const closed = new Promise<void>((resolve) => (abandoned = resolve));
    // Never answers: only the gateway giving up on the request closes it.
    const hanging = createHttpServer((_request, response) => {
      response.on('close', () => abandoned());
      received();
    });
    await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
    try {
      const upstream = `http://127.0.0.1:${(hanging.address() as AddressInfo).port}`;
      // No readiness checks: one that timed out against this server would close its connections.
      const { app } = await proxyGateway([{ prefix: '/api/v1/hang', upstreams: [upstream] }], {}, { timeoutMs: 60_000, health: { checkIntervalMs: 0 } });
      const address = await app.listen({ host: '127.0.0.1', port: 0 });
      const client = new AbortController();
      const answered = request(`${address}/api/v1/hang`, { signal: client.signal }).then(
        () => 'answered',
        () => 'aborted',
      );
      await arrived;
      client.abort();
      expect(await answered).toBe('aborted');
      await closed;
    } finally {
      hanging.closeAllConnections();
      await new Promise((resolve) => hanging.close(resolve));
    }
  });

  it('answers 504 when the upstream is too slow', async () => {
    const { app } = await proxyGateway(standardRoutes(), {}, { timeoutMs: 100 });
    const started = Date.now();
    const response = await app.inject({ url: '/api/v1/beta?delayMs=2000' });
    expect(response.statusCode).toBe(504);
    expect(response.json().code).toBe('UPSTREAM_TIMEOUT');
    expect(Date.now() - started).toBeLessThan(1500);
  });
});

describe('neverConnected', () => {
  const systemError = (code: string, syscall: string) => Object.assign(new Error(`${syscall} ${code}`), { code, syscall });

  it('is true when every address tried refused the connection (happy eyeballs)', async () => {
    const port = await closedPort();
    const twoAddresses = (_host: string, _options: unknown, callback: (error: null, addresses: { address: string; family: number }[]) => void) =>
      callback(null, [{ address: '127.0.0.1', family: 4 }, { address: '::1', family: 6 }]);
    const pool = new Pool(`http://replica.test:${port}`, { connect: { lookup: twoAddresses, autoSelectFamily: true } });
    try {
      const error: unknown = await pool.request({ method: 'POST', path: '/', body: 'x' }).then(
        () => undefined,
        (rejected: unknown) => rejected,
      );
      expect(error).toBeInstanceOf(AggregateError);
      expect(neverConnected(error)).toBe(true);
    } finally {
      await pool.close();
    }
  });

  it('tells connect-phase failures from a connection that broke after the request went out', () => {
    expect(neverConnected(systemError('ECONNREFUSED', 'connect'))).toBe(true);
    expect(neverConnected(systemError('EAI_AGAIN', 'getaddrinfo'))).toBe(true);
    expect(neverConnected(new TypeError('fetch failed', { cause: systemError('ECONNREFUSED', 'connect') }))).toBe(true);
    // An established connection can end with the code of an unreachable host.
    expect(neverConnected(systemError('EHOSTUNREACH', 'read'))).toBe(false);
    expect(neverConnected(systemError('ECONNRESET', 'read'))).toBe(false);
    expect(neverConnected(Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }))).toBe(false);
    expect(neverConnected(new Error('no code'))).toBe(false);
  });
});

describe('merged OpenAPI document', () => {
  it('merges the services’ documents and refetches while one is missing', async () => {
    const port = await closedPort();
    const routes: ProxyRoute[] = [
      { service: 'alpha', prefix: '/api/v1/alpha', upstreams: [alpha1.url, alpha2.url] },
      { service: 'alpha', prefix: '/api/v1/alphas', upstreams: [alpha1.url, alpha2.url] },
      { service: 'gamma', prefix: '/api/v1/gamma', upstreams: [`http://127.0.0.1:${port}`] },
    ];
    const { app } = await proxyGateway(routes);
    const partial = (await app.inject({ url: '/openapi.json' })).json();
    expect(partial.openapi).toBe('3.1.0');
    expect(partial.info.title).toBe('Timeslot API');
    expect(partial.paths).toHaveProperty('/api/v1/alpha/things');
    expect(partial.components.schemas).toHaveProperty('alphaThing');
    expect(partial.components.securitySchemes).toHaveProperty('bearerAuth');
    expect(partial['x-missing-services']).toEqual(['gamma']);

    const gamma = await startEchoServer('gamma', { port, openapi: openapiOf('gamma', '/api/v1/gamma/things') });
    try {
      const full = (await app.inject({ url: '/openapi.json' })).json();
      expect(full.paths).toHaveProperty('/api/v1/gamma/things');
      expect(full.paths).toHaveProperty('/api/v1/alpha/things');
      expect(full['x-missing-services']).toBeUndefined();
      await gamma.close();
      // Complete documents are cached: gamma going away does not change the answer.
      expect((await app.inject({ url: '/openapi.json' })).json().paths).toHaveProperty('/api/v1/gamma/things');
    } finally {
      await gamma.close().catch(() => {});
    }
  });
});

/** A TCP server that accepts connections and never answers: a TLS handshake with it never ends. */
async function startSilentServer(): Promise<{ url: string; received: () => Buffer; close(): Promise<void> }> {
  const chunks: Buffer[] = [];
  const sockets = new Set<Socket>();
  const server = createNetServer((socket) => {
    sockets.add(socket);
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received: () => Buffer.concat(chunks),
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
