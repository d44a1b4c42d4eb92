import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createBullMqJobQueue, type BullMqJobQueue } from '@timeslot/adapters/job-queue/bullmq';
import { createMemoryRateLimitStore } from '@timeslot/adapters/rate-limit/memory';
import { createGatewayApp } from '@timeslot/gateway';
import { createHttpServer, installAuth, type App } from '@timeslot/kernel';
import { testServers, uniqueName } from '@timeslot/testing';
import { queueBoardCookie, registerQueueBoard, type QueueBoardOptions } from '../../src/admin/board';
import { bearer, createTestKeys, silentLogger, type TestKeys } from './harness';

let keys: TestKeys;
let admin: string;
let jobs: BullMqJobQueue;

beforeAll(async () => {
  keys = await createTestKeys();
  admin = await keys.sign('admin');
  jobs = createBullMqJobQueue({ url: testServers.redis, prefix: uniqueName('test-board'), logger: { warn: () => undefined } });
  await jobs.enqueue('email', 'send', { to: 'ada@example.com' });
  await jobs.enqueue('email', 'send', { to: 'bob@example.com' });
  await jobs.enqueue('reminders', 'remind', { to: 'ada@example.com' }, { delayMs: 60_000 });
});

afterAll(async () => {
  for (const queue of jobs.queues()) await queue.obliterate({ force: true });
  await jobs.close();
});

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function boardApp(options: Partial<QueueBoardOptions> & { trustProxy?: boolean; auth?: boolean } = {}): Promise<App> {
  const app = await createHttpServer({ service: 'notifications', logger: silentLogger, trustProxy: options.trustProxy ?? false });
  if (options.auth ?? true) installAuth(app, keys.verify);
  await registerQueueBoard(app, { queues: [jobs.queue('email'), jobs.queue('reminders')], verify: keys.verify, ...options });
  await app.ready();
  cleanups.push(() => app.close());
  return app;
}

const problemCode = (res: { statusCode: number; headers: Record<string, unknown>; json<T>(): T }) => {
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  return `${res.statusCode} ${res.json<{ code: string }>().code}`;
};

/** The page's scripts, stylesheets and icons: what a browser loads after the HTML. */
function pageResources(html: string): { scripts: string[]; inlineScripts: string[]; links: string[] } {
  const scripts: string[] = [];
  const inlineScripts: string[] = [];
  for (const [, attributes = '', body = ''] of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)) {
    const src = /\bsrc="([^"]+)"/.exec(attributes)?.[1];
    if (src !== undefined) scripts.push(src);
    // A JSON data block is never executed, so CSP does not apply to it.
    else if (!/\btype="application\/json"/.test(attributes) && body.trim() !== '') inlineScripts.push(body);
  }
  const links = [...html.matchAll(/<link\b[^>]*\bhref="([^"]+)"/g)].map((m) => m[1] ?? '');
  return { scripts, inlineScripts, links };
}

describe('Bull Board at /admin/queues', () => {
  it('401 without a token, 403 for a client, the page for an admin', async () => {
    const app = await boardApp();
    const client = await keys.sign('client');

    expect(problemCode(await app.inject({ url: '/admin/queues' }))).toBe('401 UNAUTHENTICATED');
    expect(problemCode(await app.inject({ url: '/admin/queues', headers: bearer(client) }))).toBe('403 FORBIDDEN');
    expect(problemCode(await app.inject({ url: '/admin/queues', headers: { authorization: 'Bearer not-a-token' } }))).toBe('401 INVALID_TOKEN');
    expect(problemCode(await app.inject({ url: '/admin/queues', headers: { authorization: 'Basic YWRtaW46YWRtaW4=' } }))).toBe('401 INVALID_TOKEN');

    const page = await app.inject({ url: '/admin/queues', headers: bearer(admin) });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.body).toContain('<base href="/admin/queues/" />');
  });

  it('guards the static files and the JSON API too; the API lists each queue with its counts', async () => {
    const app = await boardApp();
    const { scripts } = pageResources((await app.inject({ url: '/admin/queues', headers: bearer(admin) })).body);
    const script = `/admin/queues/${scripts[0]}`;
    for (const url of [script, '/admin/queues/api/queues', '/admin/queues/queue/email']) {
      expect(problemCode(await app.inject({ url })), url).toBe('401 UNAUTHENTICATED');
    }

    expect((await app.inject({ url: script, headers: bearer(admin) })).statusCode).toBe(200);
    const api = await app.inject({ url: '/admin/queues/api/queues', headers: bearer(admin) });
    expect(api.statusCode).toBe(200);
    const queues = api.json<{ queues: { name: string; counts: Record<string, number> }[] }>().queues;
    expect(queues.map((queue) => [queue.name, queue.counts.waiting, queue.counts.delayed])).toEqual([
      ['email', 2, 0],
      ['reminders', 0, 1],
    ]);
  });

  it('opened with ?token=, keeps the token in a strict HttpOnly cookie for its path and drops it from the address', async () => {
    const app = await boardApp();
    const link = await app.inject({ url: `/admin/queues/queue/email?status=failed&token=${admin}` });

    expect(link.statusCode).toBe(303);
    expect(link.headers.location).toBe('/admin/queues/queue/email?status=failed');
    const cookie = String(link.headers['set-cookie']);
    expect(cookie).toMatch(new RegExp(`^${queueBoardCookie}=${admin.replaceAll('.', '\\.')}; `));
    const attributes = cookie.split('; ').slice(1);
    expect(attributes).toEqual(expect.arrayContaining(['Path=/admin/queues', 'HttpOnly', 'SameSite=Strict']));
    expect(attributes).not.toContain('Secure');
    // As long as the token lives (300 s), give or take the second the test took.
    expect(Number(attributes.find((a) => a.startsWith('Max-Age='))?.slice(8))).toBeGreaterThan(290);

    const withCookie = { cookie: `theme=dark; ${queueBoardCookie}=${admin}` };
    expect((await app.inject({ url: '/admin/queues', headers: withCookie })).statusCode).toBe(200);
    const api = await app.inject({ url: '/admin/queues/api/queues', headers: withCookie });
    expect(api.json<{ queues: { name: string }[] }>().queues.map((queue) => queue.name)).toEqual(['email', 'reminders']);
  });

  it('sets the cookie Secure when the request came over https', async () => {
    const app = await boardApp({ trustProxy: true });
    const link = await app.inject({ url: `/admin/queues?token=${admin}`, headers: { 'x-forwarded-proto': 'https' } });
    expect(link.statusCode).toBe(303);
    expect(String(link.headers['set-cookie']).split('; ')).toContain('Secure');
  });

  it('refuses a link or cookie with a bad, expired or non-admin token, and sets no cookie', async () => {
    const app = await boardApp();
    const expired = await keys.sign('admin', { expiresInSeconds: -10 });
    const client = await keys.sign('client');

    for (const [token, expected] of [
      [expired, '401 TOKEN_EXPIRED'],
      [client, '403 FORBIDDEN'],
      ['garbage', '401 INVALID_TOKEN'],
    ] as const) {
      const link = await app.inject({ url: `/admin/queues?token=${token}` });
      expect(problemCode(link), token).toBe(expected);
      expect(link.headers['set-cookie']).toBeUndefined();
      const cookie = await app.inject({ url: '/admin/queues/api/queues', headers: { cookie: `${queueBoardCookie}=${token}` } });
      expect(problemCode(cookie), token).toBe(expected);
    }
  });

  it('lets an admin act through the board’s API with the cookie, unless the board is read-only', async () => {
    const app = await boardApp();
    const cookie = { cookie: `${queueBoardCookie}=${admin}` };
    const pause = await app.inject({ method: 'PUT', url: '/admin/queues/api/queues/reminders/pause', headers: cookie });
    expect(pause.statusCode).toBe(200);
    expect(await jobs.queue('reminders').isPaused()).toBe(true);
    const resume = await app.inject({ method: 'PUT', url: '/admin/queues/api/queues/reminders/resume', headers: cookie });
    expect(resume.statusCode).toBe(200);
    expect(await jobs.queue('reminders').isPaused()).toBe(false);
    expect(problemCode(await app.inject({ method: 'PUT', url: '/admin/queues/api/queues/reminders/pause' }))).toBe('401 UNAUTHENTICATED');

    const readOnly = await boardApp({ readOnly: true });
    const refused = await readOnly.inject({ method: 'PUT', url: '/admin/queues/api/queues/reminders/pause', headers: cookie });
    expect(refused.statusCode).toBe(405);
    expect(await jobs.queue('reminders').isPaused()).toBe(false);
  });

  it('verifies the bearer header itself on an app without installAuth', async () => {
    const app = await boardApp({ auth: false });
    expect((await app.inject({ url: '/admin/queues', headers: bearer(admin) })).statusCode).toBe(200);
    expect(problemCode(await app.inject({ url: '/admin/queues', headers: bearer(await keys.sign('provider')) }))).toBe('403 FORBIDDEN');
    expect(problemCode(await app.inject({ url: '/admin/queues', headers: { authorization: 'Bearer x y' } }))).toBe('401 INVALID_TOKEN');
  });

  it('loads under the gateway’s security headers: every script same-origin, its styles and fonts allowed by the CSP', async () => {
    const rateLimits = createMemoryRateLimitStore();
    cleanups.push(() => rateLimits.close());
    const app = await createGatewayApp({ logger: silentLogger, rateLimits, verify: keys.verify, options: { docs: false } });
    cleanups.push(() => app.close());
    await registerQueueBoard(app, { queues: [jobs.queue('email')], verify: keys.verify });
    await app.ready();
    const cookie = { cookie: `${queueBoardCookie}=${admin}` };

    const page = await app.inject({ url: '/admin/queues/', headers: cookie });
    expect(page.statusCode).toBe(200);
    const csp = new Map(
      String(page.headers['content-security-policy'])
        .split(';')
        .map((directive) => directive.trim().split(/\s+/))
        .map(([name = '', ...values]) => [name, values]),
    );
    const allows = (directive: string, source: string) => (csp.get(directive) ?? csp.get('default-src') ?? []).includes(source);
    // Scripts (and the highlight worker, which falls back to script-src), the API calls, images.
    expect(allows('script-src', "'self'") && allows('connect-src', "'self'") && allows('img-src', "'self'")).toBe(true);
    // Inline style attributes and the Google Fonts stylesheet and fonts.
    expect(allows('style-src', "'unsafe-inline'") && allows('style-src', 'https:') && allows('font-src', 'https:')).toBe(true);

    const { scripts, inlineScripts, links } = pageResources(page.body);
    expect(inlineScripts).toEqual([]);
    expect(scripts.length).toBeGreaterThan(0);
    for (const src of [...scripts, ...links.filter((href) => !href.startsWith('https://'))]) {
      expect(src, src).not.toMatch(/^(?:[a-z]+:)?\/\//i);
      const asset = await app.inject({ url: `/admin/queues/${src}`, headers: cookie });
      expect(asset.statusCode, src).toBe(200);
    }
    expect(links.filter((href) => href.startsWith('https://')).every((href) => href.startsWith('https://fonts.googleapis.com/'))).toBe(true);
  });
});
