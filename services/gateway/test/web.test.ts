import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryRateLimitStore } from '@timeslot/adapters/rate-limit/memory';
import { createLogger, type App } from '@timeslot/kernel';
import { createGatewayApp, registerProxy, type GatewayOptions } from '../src';
import { acceptsHtml } from '../src/web';
import { buildGateway, createTestKeys, silentLogger, startEchoServer, type EchoServer, type TestGateway, type TestKeys } from './helpers';

const indexHtml = '<!doctype html><html><head><script type="module" src="/assets/app-abc123.js"></script></head><body><div id="root"></div></body></html>\n';
const appJs = 'console.log("timeslot web");\n';
const favicon = '<svg xmlns="http://www.w3.org/2000/svg"/>\n';
// Next to the web root, where a traversal would land.
const secret = 'SECRET-OUTSIDE-THE-WEB-ROOT';

const browserAccept = 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8';
const immutable = 'public, max-age=31536000, immutable';

let keys: TestKeys;
let work: string;
/** A fake `vite build` output. */
let built: string;
/** A directory without index.html: the web app was never built. */
let unbuilt: string;
const open: TestGateway[] = [];

beforeAll(async () => {
  keys = await createTestKeys();
  work = await mkdtemp(path.join(tmpdir(), 'timeslot-web-'));
  built = path.join(work, 'dist');
  unbuilt = path.join(work, 'empty');
  await mkdir(path.join(built, 'assets'), { recursive: true });
  await mkdir(unbuilt);
  await writeFile(path.join(built, 'index.html'), indexHtml);
  await writeFile(path.join(built, 'assets', 'app-abc123.js'), appJs);
  await writeFile(path.join(built, 'favicon.svg'), favicon);
  await writeFile(path.join(built, '.env'), secret);
  await writeFile(path.join(work, 'secret.txt'), secret);
  await writeFile(path.join(work, 'package.json'), secret);
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

afterEach(async () => {
  await Promise.all(open.splice(0).map((gateway) => gateway.close()));
});

/** An embedded-style gateway: a service's routes mounted on the gateway's app, and the web app. */
async function embedded(options: GatewayOptions = { web: { root: built } }): Promise<TestGateway> {
  const gateway = await buildGateway(keys, options, {
    routes: (app) => {
      app.get('/api/v1/providers/:id', async (request) => ({ id: (request.params as { id: string }).id }));
      app.post('/api/v1/things', async () => ({ ok: true }));
    },
  });
  open.push(gateway);
  return gateway;
}

function expectProblem404(response: { statusCode: number; headers: Record<string, unknown>; json: () => unknown }, what?: string): void {
  expect(response.statusCode, what).toBe(404);
  expect(response.headers['content-type']).toContain('application/problem+json');
  expect(response.json()).toMatchObject({ status: 404, code: 'ROUTE_NOT_FOUND' });
  expect(response.headers['cache-control']).toBeUndefined();
}

describe('the web app at /', () => {
  it('answers / and client-side routes with index.html, revalidated on every use', async () => {
    const { app } = await embedded();
    for (const url of ['/', '/providers/abc', '/bookings/123/reschedule?from=email', '/providers/abc/']) {
      const response = await app.inject({ url, headers: { accept: browserAccept } });
      expect(response.statusCode, url).toBe(200);
      expect(response.headers['content-type'], url).toBe('text/html; charset=utf-8');
      expect(response.headers['cache-control'], url).toBe('no-cache');
      expect(response.headers.etag, url).toBeDefined();
      expect(response.headers.vary, url).toContain('Accept');
      expect(response.body, url).toBe(indexHtml);
    }
  });

  it('treats a missing Accept header and */* as allowing HTML', async () => {
    const { app } = await embedded();
    const bare = await app.inject({ url: '/providers/abc' });
    expect(bare.statusCode).toBe(200);
    expect(bare.body).toBe(indexHtml);
    const any = await app.inject({ url: '/providers/abc', headers: { accept: '*/*' } });
    expect(any.statusCode).toBe(200);
    expect(any.body).toBe(indexHtml);
  });

  it('serves hashed assets for a year, immutable, and other files revalidated', async () => {
    const { app } = await embedded();
    const js = await app.inject({ url: '/assets/app-abc123.js', headers: { accept: '*/*' } });
    expect(js.statusCode).toBe(200);
    expect(js.headers['content-type']).toMatch(/^(text|application)\/javascript/);
    expect(js.headers['cache-control']).toBe(immutable);
    expect(js.body).toBe(appJs);

    const icon = await app.inject({ url: '/favicon.svg', headers: { accept: 'image/*' } });
    expect(icon.statusCode).toBe(200);
    expect(icon.headers['content-type']).toContain('image/svg+xml');
    expect(icon.headers['cache-control']).toBe('no-cache');
    expect(icon.body).toBe(favicon);

    const direct = await app.inject({ url: '/index.html', headers: { accept: browserAccept } });
    expect(direct.headers['cache-control']).toBe('no-cache');
    expect(direct.body).toBe(indexHtml);
  });

  it('revalidates: a request with the ETag gets 304 without a body', async () => {
    const { app } = await embedded();
    const first = await app.inject({ url: '/', headers: { accept: browserAccept } });
    const again = await app.inject({ url: '/', headers: { accept: browserAccept, 'if-none-match': String(first.headers.etag) } });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
  });

  it('answers HEAD like GET, without the body', async () => {
    const { app } = await embedded();
    for (const [url, accept] of [
      ['/', browserAccept],
      ['/providers/abc', browserAccept],
      ['/assets/app-abc123.js', '*/*'],
    ] as const) {
      const get = await app.inject({ url, headers: { accept } });
      const head = await app.inject({ method: 'HEAD', url, headers: { accept } });
      expect(head.statusCode, url).toBe(200);
      expect(head.headers['content-type'], url).toBe(get.headers['content-type']);
      expect(head.headers['cache-control'], url).toBe(get.headers['cache-control']);
      expect(head.body, url).toBe('');
    }
    const missing = await app.inject({ method: 'HEAD', url: '/assets/missing.js' });
    expect(missing.statusCode).toBe(404);
    expect(missing.headers['content-type']).toContain('application/problem+json');
  });

  it('answers a missing asset with a 404 problem, never index.html', async () => {
    const { app } = await embedded();
    for (const url of ['/assets/missing.js', '/assets/', '/assets', '/assets/sub/missing.css']) {
      expectProblem404(await app.inject({ url, headers: { accept: browserAccept } }));
    }
  });

  it('answers a client route a browser did not ask HTML for with a 404 problem', async () => {
    const { app } = await embedded();
    for (const accept of ['application/json', 'text/html;q=0, application/json', 'image/*']) {
      const response = await app.inject({ url: '/providers/abc', headers: { accept } });
      expectProblem404(response);
      expect(response.headers.vary).toContain('Accept');
    }
    // Only GET and HEAD are pages.
    expectProblem404(await app.inject({ method: 'POST', url: '/providers/abc', headers: { accept: browserAccept } }));
  });

  it('leaves the API alone: its routes answer, and its unknown paths are 404 problems whatever Accept says', async () => {
    const { app } = await embedded();
    const provider = await app.inject({ url: '/api/v1/providers/abc', headers: { accept: browserAccept } });
    expect(provider.statusCode).toBe(200);
    expect(provider.json()).toEqual({ id: 'abc' });
    for (const url of [
      '/api',
      '/api/v1/nope',
      '/api/v1/providers/abc/nope',
      '/API/v1/nope',
      '//api/v1/nope',
      '/api/v1/%6eope',
      '/docs/nope',
      '/healthz/nope',
      '/metrics/x',
      '/admin/queues',
      '/admin/queues/api/queues',
      '/.well-known/jwks.json',
      '/dev/mail',
      '/dev/mail/x.eml',
    ]) {
      expectProblem404(await app.inject({ url, headers: { accept: browserAccept } }), url);
    }
    for (const url of ['/healthz', '/openapi.json', '/metrics']) {
      expect((await app.inject({ url, headers: { accept: browserAccept } })).statusCode, url).toBe(200);
    }
    const docs = await app.inject({ url: '/docs/', headers: { accept: browserAccept } });
    expect(docs.statusCode).toBe(200);
    expect(docs.body).toContain('swagger');
    // The router's 400 for an over-long parametric segment stays, though it now backtracks to the catch-all.
    const long = await app.inject({ url: `/api/v1/providers/${'x'.repeat(300)}`, headers: { accept: browserAccept } });
    expect(long.statusCode).toBe(400);
    expect(long.json()).toMatchObject({ code: 'BAD_REQUEST', detail: 'A path segment is too long.' });
    expect(long.headers['content-security-policy']).toBeTypeOf('string');
    expect((await app.inject({ url: `/providers/${'x'.repeat(300)}`, headers: { accept: browserAccept } })).body).toBe(indexHtml);
    // A page path that merely starts like an API one is a page.
    expect((await app.inject({ url: '/apiary', headers: { accept: browserAccept } })).body).toBe(indexHtml);
    expect((await app.inject({ url: '/admin/users', headers: { accept: browserAccept } })).body).toBe(indexHtml);
  });

  it("sends the gateway's security headers with files, index.html and 404s, and lets images come from https hosts", async () => {
    const { app } = await embedded();
    const answers = [
      await app.inject({ url: '/', headers: { accept: browserAccept } }),
      await app.inject({ url: '/providers/abc', headers: { accept: browserAccept } }),
      await app.inject({ url: '/assets/app-abc123.js' }),
      await app.inject({ url: '/assets/missing.js' }),
    ];
    for (const response of answers) {
      const csp = String(response.headers['content-security-policy']);
      expect(csp).toContain("img-src 'self' data: https:");
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("object-src 'none'");
      expect(csp).not.toContain('upgrade-insecure-requests');
      expect(response.headers['x-content-type-options']).toBe('nosniff');
      expect(response.headers['x-frame-options']).toBe('SAMEORIGIN');
      expect(response.headers['strict-transport-security']).toBeDefined();
      expect(response.headers['x-request-id']).toBeDefined();
    }
  });

  it('never serves a dot file of the root', async () => {
    const { app } = await embedded();
    const response = await app.inject({ url: '/.env', headers: { accept: '*/*' } });
    expect(response.body).not.toContain(secret);
    expect(response.statusCode).toBeLessThan(500);
  });

  it('counts web requests under the per-IP limit', async () => {
    const { app } = await embedded({ web: { root: built }, rateLimits: { ip: { max: 2, windowMs: 3_600_000 } } });
    expect((await app.inject({ url: '/', headers: { accept: browserAccept } })).statusCode).toBe(200);
    expect((await app.inject({ url: '/assets/app-abc123.js' })).statusCode).toBe(200);
    expect((await app.inject({ url: '/favicon.svg' })).statusCode).toBe(429);
  });

  it('is not there without the option: / is the 404 problem of today', async () => {
    const { app } = await embedded({});
    expectProblem404(await app.inject({ url: '/', headers: { accept: browserAccept } }));
    expectProblem404(await app.inject({ url: '/providers/abc', headers: { accept: browserAccept } }));
  });
});

/** One raw HTTP/1.1 request over a socket: the target goes out byte for byte, unnormalised. */
async function rawRequest(port: number, target: string, accept = browserAccept): Promise<{ status: number; body: string }> {
  const socket = connect(port, '127.0.0.1');
  const chunks: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => chunks.push(chunk));
  socket.write(`GET ${target} HTTP/1.1\r\nHost: localhost\r\nAccept: ${accept}\r\nConnection: close\r\n\r\n`);
  await new Promise<void>((resolve, reject) => {
    socket.once('close', () => resolve());
    socket.once('error', reject);
  });
  const text = Buffer.concat(chunks).toString('utf8');
  const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1]);
  return { status, body: text.slice(text.indexOf('\r\n\r\n') + 4) };
}

describe('path traversal', () => {
  it('never leaves the root and never fails with a 5xx, however the path is spelled', async () => {
    const { app } = await embedded();
    await app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = app.server.address() as AddressInfo;
    const targets = [
      '/..%2f..%2fetc/passwd',
      '/..%2fsecret.txt',
      '/assets/..%2f..%2fpackage.json',
      '/assets/%2e%2e/%2e%2e/package.json',
      '/assets/%2E%2E%2F%2E%2E%2Fpackage.json',
      '/%2e%2e/secret.txt',
      '/../secret.txt',
      '/assets/../../secret.txt',
      '/..%5csecret.txt',
      '/assets/..%5c..%5cpackage.json',
      '/..%252fsecret.txt',
      '/assets/app-abc123.js%00',
      '/assets/app-abc123.js%00.html',
      '/%00',
      '/%c0%ae%c0%ae/secret.txt',
      '/%',
      '/.%2e/secret.txt',
      `/${'x'.repeat(300)}`,
    ];
    for (const target of targets) {
      for (const accept of [browserAccept, '*/*', 'application/json']) {
        const response = await rawRequest(port, target, accept);
        expect(response.status, `${target} (${accept})`).toBeGreaterThanOrEqual(200);
        expect(response.status, `${target} (${accept})`).toBeLessThan(500);
        expect(response.body, `${target} (${accept})`).not.toContain(secret);
        expect(response.body, `${target} (${accept})`).not.toContain('root:');
      }
    }
    // A real file still comes through the same socket path.
    expect((await rawRequest(port, '/assets/app-abc123.js', '*/*')).body).toBe(appJs);
    // Traversal spellings under /assets are plain 404s.
    expect((await rawRequest(port, '/assets/..%2f..%2fpackage.json')).status).toBe(404);
    expect((await rawRequest(port, '/..%2f..%2fetc/passwd')).status).toBe(404);
  });
});

describe('the web app not built', () => {
  it('starts, warns once naming the directory and the build command, and answers / with a page saying so', async () => {
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
        done();
      },
    });
    const logger = createLogger({ level: 'info', destination });
    const store = createMemoryRateLimitStore();
    for (const root of [unbuilt, path.join(work, 'nowhere'), path.join(built, 'index.html')]) {
      lines.length = 0;
      const app: App = await createGatewayApp({ logger, rateLimits: store, verify: keys.verify, options: { web: { root } } });
      try {
        await app.ready();
        const warnings = lines.map((line) => JSON.parse(line) as { level: number; msg: string }).filter((line) => line.level === 40);
        expect(warnings, root).toHaveLength(1);
        expect(warnings[0]?.msg).toContain(root);
        expect(warnings[0]?.msg).toContain('npm run build -w @timeslot/web');

        for (const url of ['/', '/providers/abc']) {
          const page = await app.inject({ url, headers: { accept: browserAccept } });
          expect(page.statusCode, url).toBe(200);
          expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
          expect(page.headers['cache-control']).toBe('no-cache');
          expect(page.headers['content-security-policy']).toContain("default-src 'self'");
          expect(page.body).toContain('not built');
          expect(page.body).toContain('npm run build -w @timeslot/web');
          expect(page.body).toContain('href="/docs"');
          expect(page.body).not.toContain(work);
        }
        expectProblem404(await app.inject({ url: '/assets/app-abc123.js' }));
        expectProblem404(await app.inject({ url: '/api/v1/nope', headers: { accept: browserAccept } }));
        expect((await app.inject({ url: '/healthz' })).statusCode).toBe(200);
      } finally {
        await app.close();
      }
    }
    await store.close();
  });

  it('serves the app once it is built, without a restart', async () => {
    const root = path.join(work, 'later');
    await mkdir(root);
    const { app } = await embedded({ web: { root } });
    expect((await app.inject({ url: '/' })).body).toContain('not built');
    await writeFile(path.join(root, 'index.html'), indexHtml);
    expect((await app.inject({ url: '/' })).body).toBe(indexHtml);
  });
});

describe('distributed: the web app behind the proxy', () => {
  let upstream: EchoServer;

  beforeAll(async () => {
    upstream = await startEchoServer('scheduling');
  });

  afterAll(async () => {
    await upstream.close();
  });

  it('never shadows a proxied route, and unknown API paths stay 404 problems', async () => {
    const gateway = await buildGateway(
      keys,
      { web: { root: built } },
      { routes: (app) => registerProxy(app, { routes: [{ service: 'scheduling', prefix: '/api/v1/providers', upstreams: [upstream.url] }], logger: silentLogger, mergedOpenApi: false }) },
    );
    open.push(gateway);
    const { app } = gateway;
    for (const url of ['/api/v1/providers', '/api/v1/providers/abc', '/api/v1/providers/abc/services/1']) {
      for (const method of ['GET', 'HEAD'] as const) {
        const response = await app.inject({ method, url, headers: { accept: browserAccept } });
        expect(response.statusCode, `${method} ${url}`).toBe(200);
        expect(response.headers['x-upstream'], `${method} ${url}`).toBe('scheduling');
      }
    }
    expect(upstream.received.map((request) => request.url)).toContain('/api/v1/providers/abc/services/1');

    for (const url of ['/api/v1/nope', '/api/v1/bookings/1', '/api', '/api/v1/providersx']) {
      expectProblem404(await app.inject({ url, headers: { accept: browserAccept } }));
    }
    const page = await app.inject({ url: '/providers/abc', headers: { accept: browserAccept } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toBe(indexHtml);
    expect((await app.inject({ url: '/assets/app-abc123.js' })).headers['cache-control']).toBe(immutable);
  });
});

describe('acceptsHtml', () => {
  it.each([
    [undefined, true],
    ['', true],
    ['*/*', true],
    [browserAccept, true],
    ['text/*', true],
    ['TEXT/HTML', true],
    ['application/json', false],
    ['application/json, text/html;q=0', false],
    ['text/html;q=0, */*', false],
    ['*/*;q=0', false],
    ['application/json, */*;q=0.1', true],
    ['image/webp,image/*', false],
  ])('%j → %s', (accept, expected) => {
    expect(acceptsHtml(accept)).toBe(expected);
  });
});
