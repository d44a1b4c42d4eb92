import { connect, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpServer, type App } from '@timeslot/kernel';
import { registerProxy, type GatewayOptions } from '../src';
import { buildGateway, createTestKeys, silentLogger, type TestGateway, type TestKeys } from './helpers';

// Windows are aligned on the epoch: long ones keep a test from straddling a reset.
const hour = 3_600_000;
const authBudget = 20;

/** What the identity service's credential routes look like to a router: three static POST routes. */
function credentialRoutes(hits: Map<string, number>) {
  return (app: App): void => {
    for (const name of ['login', 'register', 'refresh']) {
      app.post(`/api/v1/auth/${name}`, async () => {
        hits.set(name, (hits.get(name) ?? 0) + 1);
        return { ok: true };
      });
    }
  };
}

/**
 * Request targets that a router, a service behind a path-normalising load balancer, or a lenient
 * one could take for a credential route. Each must draw on the same 20-a-minute budget as the
 * plain path, whatever the router then makes of it.
 */
const variants = [
  '/api/v1/auth/login',
  '/api/v1/auth/%6cogin',
  '/api/v1/auth/%72efresh',
  '/api/v1/%61uth/%72egister',
  '/api/v1/auth/%6C%6F%67%69%6E',
  '/api/v1/auth//login',
  '//api/v1/auth/login',
  '/api/v1/auth/login/',
  '/api/v1/auth/login//',
  '/api/v1/auth/LOGIN',
  '/API/V1/AUTH/Refresh',
  '/api/v1/auth/./login',
  '/api/v1/auth/x/../login',
  '/api/v1/auth/login?next=1',
  '/api/v1/auth/login#fragment',
  'http://gateway.test/api/v1/auth/login',
];

/** One raw HTTP/1.1 request, so no client normalises the target on the way. */
async function rawPost(port: number, target: string, clientAddress: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    let response = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      response += chunk;
      const status = /^HTTP\/1\.1 (\d{3})/.exec(response);
      if (status?.[1]) {
        socket.destroy();
        resolve(Number(status[1]));
      }
    });
    socket.on('error', reject);
    socket.on('close', () => reject(new Error(`no status line for ${target}: ${response}`)));
    socket.write(
      `POST ${target} HTTP/1.1\r\nHost: gateway.test\r\nX-Forwarded-For: ${clientAddress}\r\n` +
        'Content-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}',
    );
  });
}

const options: GatewayOptions = {
  trustProxy: true,
  rateLimits: {
    ip: { max: 10_000, windowMs: hour },
    // The composition root's routes: any method on these prefixes.
    auth: { max: authBudget, windowMs: hour, routes: ['/api/v1/auth/login', '/api/v1/auth/register', '/api/v1/auth/refresh'] },
    user: { max: 10_000, windowMs: hour },
  },
};

let keys: TestKeys;
let embedded: TestGateway;
let distributed: TestGateway;
let upstream: App;
const embeddedHits = new Map<string, number>();
const upstreamHits = new Map<string, number>();
const portOf = (app: App) => (app.server.address() as AddressInfo).port;

beforeAll(async () => {
  keys = await createTestKeys();
  // Embedded: the service's routes mounted on the gateway app itself.
  embedded = await buildGateway(keys, options, { routes: credentialRoutes(embeddedHits) });
  // Distributed: the same routes on a service app built by the kernel, behind the proxy.
  upstream = await createHttpServer({ service: 'identity', logger: silentLogger });
  credentialRoutes(upstreamHits)(upstream);
  await upstream.listen({ host: '127.0.0.1', port: 0 });
  distributed = await buildGateway(keys, options, {
    routes: (app) =>
      registerProxy(app, {
        logger: silentLogger,
        routes: [{ service: 'identity', prefix: '/api/v1/auth', upstreams: [`http://127.0.0.1:${portOf(upstream)}`] }],
      }),
  });
  await Promise.all([embedded.app.listen({ host: '127.0.0.1', port: 0 }), distributed.app.listen({ host: '127.0.0.1', port: 0 })]);
});

afterAll(async () => {
  await Promise.all([embedded?.close(), distributed?.close(), upstream?.close()]);
});

describe.each([
  ['embedded (routes mounted on the gateway)', () => embedded, embeddedHits],
  ['distributed (proxied to a service)', () => distributed, upstreamHits],
] as const)('the credential-route limit, %s', (mode, gatewayOf, hits) => {
  it.each(variants.map((target, index) => [target, index] as const))('gives %s the auth budget, then 429', async (target, index) => {
    const port = portOf(gatewayOf().app);
    const client = `198.51.100.${index + 1}`;
    const before = [...hits.values()].reduce((sum, n) => sum + n, 0);
    const statuses: number[] = [];
    for (let i = 0; i < authBudget; i++) statuses.push(await rawPost(port, target, client));
    const reached = [...hits.values()].reduce((sum, n) => sum + n, 0) - before;
    expect(statuses.filter((status) => status === 429)).toEqual([]);
    expect(await rawPost(port, target, client), `attempt ${authBudget + 1} of ${target}`).toBe(429);
    console.log(`[${mode}] ${target}: the route answered ${reached}/${authBudget} attempts (${[...new Set(statuses)].join(', ')}), attempt ${authBudget + 1} → 429`);
  });
});

describe('paths never limited', () => {
  it('are matched by the route the router resolved: an encoded /healthz is exempt, a look-alike is not', async () => {
    const gateway = await buildGateway(keys, { rateLimits: { ip: { max: 2, windowMs: hour } } });
    try {
      for (let i = 0; i < 4; i++) {
        const response = await gateway.app.inject({ url: '/%68ealthz' });
        expect(response.statusCode).toBe(200);
        expect(response.headers['ratelimit-limit']).toBeUndefined();
      }
      const statuses: number[] = [];
      for (const url of ['/healthz/', '/HEALTHZ', '/metrics/x']) statuses.push((await gateway.app.inject({ url })).statusCode);
      expect(statuses).toEqual([404, 404, 429]);
    } finally {
      await gateway.close();
    }
  });
});
