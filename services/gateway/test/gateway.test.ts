import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createMemoryRateLimitStore } from '@timeslot/adapters/rate-limit/memory';
import type { RateLimitStore } from '@timeslot/ports';
import type { GatewayOptions } from '../src';
import { buildGateway, createTestKeys, unsignedToken, type TestGateway, type TestKeys } from './helpers';

// Windows are aligned on the epoch: long ones keep a test from straddling a reset.
const hour = 3_600_000;
let keys: TestKeys;
const open: TestGateway[] = [];

beforeAll(async () => {
  keys = await createTestKeys();
});

afterEach(async () => {
  await Promise.all(open.splice(0).map((gateway) => gateway.close()));
});

/** A gateway with one embedded-style route that shows what a service behind it would see. */
async function gateway(options: GatewayOptions = {}, store?: RateLimitStore): Promise<TestGateway> {
  const built = await buildGateway(keys, options, {
    ...(store === undefined ? {} : { store }),
    routes: (app) => {
      app.get('/api/v1/whoami', async (request) => ({ headers: request.headers, identity: request.identity }));
      app.post('/api/v1/auth/login', async () => ({ ok: true }));
      app.get('/api/v1/auth/login', async () => ({ ok: true }));
      app.post('/api/v1/things', { schema: { body: z.object({ name: z.string() }) } }, async (request) => request.body);
    },
  });
  open.push(built);
  return built;
}

describe('identity headers', () => {
  it('strips identity headers a client sends, with or without a token', async () => {
    const { app } = await gateway();
    const forged = { 'x-user-id': 'ffffffff-0000-4000-8000-000000000000', 'x-user-role': 'admin', 'x-token-id': 'forged' };
    const anonymous = await app.inject({ url: '/api/v1/whoami', headers: forged });
    expect(anonymous.statusCode).toBe(200);
    expect(anonymous.json().identity).toBeNull();
    expect(anonymous.json().headers).not.toHaveProperty('x-user-id');
    expect(anonymous.json().headers).not.toHaveProperty('x-user-role');
    expect(anonymous.json().headers).not.toHaveProperty('x-token-id');

    const userId = crypto.randomUUID();
    const token = await keys.sign({ userId, role: 'client' });
    const signedIn = await app.inject({ url: '/api/v1/whoami', headers: { ...forged, authorization: `Bearer ${token}` } });
    expect(signedIn.statusCode).toBe(200);
    expect(signedIn.json().headers['x-user-id']).toBe(userId);
    expect(signedIn.json().headers['x-user-role']).toBe('client');
    expect(signedIn.json().headers['x-token-id']).toBe(signedIn.json().identity.tokenId);
  });
});

describe('token verification', () => {
  const now = () => Math.floor(Date.now() / 1000);
  const cases: [string, () => Promise<string>, string][] = [
    ['garbage', async () => 'not.a.token', 'INVALID_TOKEN'],
    ['expired', () => keys.sign({ issuedAt: now() - 600, expiresAt: now() - 60 }), 'TOKEN_EXPIRED'],
    ['alg none', async () => unsignedToken(), 'INVALID_TOKEN'],
    ['wrong audience', () => keys.sign({ audience: 'someone-else' }), 'INVALID_TOKEN'],
    ['wrong key', () => keys.sign({ key: 'other' }), 'INVALID_TOKEN'],
    ['unknown role', () => keys.sign({ role: 'root' }), 'INVALID_TOKEN'],
  ];
  it.each(cases)('refuses a %s token with 401 problem+json', async (_name, token, code) => {
    const { app } = await gateway();
    const response = await app.inject({ url: '/api/v1/whoami', headers: { authorization: `Bearer ${await token()}` } });
    expect(response.statusCode).toBe(401);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.json()).toMatchObject({ status: 401, code });
  });

  it('refuses a malformed Authorization header', async () => {
    const { app } = await gateway();
    const response = await app.inject({ url: '/api/v1/whoami', headers: { authorization: 'Basic dXNlcjpwYXNz' } });
    expect(response.statusCode).toBe(401);
    expect(response.json().code).toBe('INVALID_TOKEN');
  });
});

describe('rate limits', () => {
  const limits = (overrides: NonNullable<GatewayOptions['rateLimits']>): GatewayOptions => ({
    rateLimits: { ip: { max: 1000, windowMs: hour }, user: { max: 1000, windowMs: hour }, ...overrides },
  });

  it('limits each client IP, with RateLimit headers and Retry-After on refusal', async () => {
    const { app } = await gateway(limits({ ip: { max: 3, windowMs: hour } }));
    const remaining: string[] = [];
    for (let i = 0; i < 3; i++) {
      const response = await app.inject({ url: '/api/v1/whoami' });
      expect(response.statusCode).toBe(200);
      expect(response.headers['ratelimit-limit']).toBe('3');
      remaining.push(String(response.headers['ratelimit-remaining']));
    }
    expect(remaining).toEqual(['2', '1', '0']);
    const refused = await app.inject({ url: '/api/v1/whoami' });
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(refused.json()).toMatchObject({ status: 429, code: 'RATE_LIMITED' });
    const retryAfter = Number(refused.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(3600);
    expect(refused.headers['ratelimit-remaining']).toBe('0');
    expect(Number(refused.headers['ratelimit-reset'])).toBe(retryAfter);

    const otherClient = await app.inject({ url: '/api/v1/whoami', remoteAddress: '10.0.0.9' });
    expect(otherClient.statusCode).toBe(200);
  });

  it('counts X-Forwarded-For only when trustProxy says so', async () => {
    const trusting = await gateway({ ...limits({ ip: { max: 1, windowMs: hour } }), trustProxy: true });
    expect((await trusting.app.inject({ url: '/api/v1/whoami', headers: { 'x-forwarded-for': '203.0.113.1' } })).statusCode).toBe(200);
    expect((await trusting.app.inject({ url: '/api/v1/whoami', headers: { 'x-forwarded-for': '203.0.113.2' } })).statusCode).toBe(200);
    expect((await trusting.app.inject({ url: '/api/v1/whoami', headers: { 'x-forwarded-for': '203.0.113.1' } })).statusCode).toBe(429);

    const direct = await gateway(limits({ ip: { max: 1, windowMs: hour } }));
    expect((await direct.app.inject({ url: '/api/v1/whoami', headers: { 'x-forwarded-for': '203.0.113.1' } })).statusCode).toBe(200);
    expect((await direct.app.inject({ url: '/api/v1/whoami', headers: { 'x-forwarded-for': '203.0.113.2' } })).statusCode).toBe(429);
  });

  it('limits credential routes more tightly, per method and path, and reports the tightest limit', async () => {
    const { app } = await gateway(limits({ ip: { max: 10, windowMs: hour }, auth: { max: 2, windowMs: hour, routes: ['POST /api/v1/auth/login'] } }));
    const first = await app.inject({ method: 'POST', url: '/api/v1/auth/login' });
    expect(first.statusCode).toBe(200);
    expect(first.headers['ratelimit-limit']).toBe('2');
    expect(first.headers['ratelimit-remaining']).toBe('1');
    expect((await app.inject({ method: 'POST', url: '/api/v1/auth/login?x=1' })).statusCode).toBe(200);
    const refused = await app.inject({ method: 'POST', url: '/api/v1/auth/login' });
    expect(refused.statusCode).toBe(429);
    expect(refused.json().code).toBe('RATE_LIMITED');

    // Other methods and routes only count against the IP limit (4 of 10 used by now).
    const get = await app.inject({ url: '/api/v1/auth/login' });
    expect(get.statusCode).toBe(200);
    expect(get.headers['ratelimit-limit']).toBe('10');
    expect(get.headers['ratelimit-remaining']).toBe('6');
  });

  it('reports the tightest limit that applies, whichever stage set it', async () => {
    const { app } = await gateway(limits({ ip: { max: 2, windowMs: hour }, auth: { max: 20, windowMs: hour, routes: ['/api/v1/auth'] } }));
    const login = await app.inject({ method: 'POST', url: '/api/v1/auth/login', headers: { authorization: `Bearer ${await keys.sign()}` } });
    expect(login.statusCode).toBe(200);
    expect(login.headers['ratelimit-limit']).toBe('2');
    expect(login.headers['ratelimit-remaining']).toBe('1');
    expect((await app.inject({ method: 'POST', url: '/api/v1/auth/login' })).statusCode).toBe(200);
    expect((await app.inject({ method: 'POST', url: '/api/v1/auth/login' })).statusCode).toBe(429);
  });

  it('limits each authenticated user, whatever their address', async () => {
    const { app } = await gateway(limits({ user: { max: 2, windowMs: hour } }));
    const alice = `Bearer ${await keys.sign()}`;
    const bob = `Bearer ${await keys.sign()}`;
    expect((await app.inject({ url: '/api/v1/whoami', headers: { authorization: alice }, remoteAddress: '10.0.0.1' })).statusCode).toBe(200);
    const second = await app.inject({ url: '/api/v1/whoami', headers: { authorization: alice }, remoteAddress: '10.0.0.2' });
    expect(second.statusCode).toBe(200);
    expect(second.headers['ratelimit-limit']).toBe('2');
    expect(second.headers['ratelimit-remaining']).toBe('0');
    const refused = await app.inject({ url: '/api/v1/whoami', headers: { authorization: alice }, remoteAddress: '10.0.0.3' });
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['retry-after']).toBeDefined();
    expect((await app.inject({ url: '/api/v1/whoami', headers: { authorization: bob }, remoteAddress: '10.0.0.1' })).statusCode).toBe(200);
  });

  it('never limits health, readiness and metrics', async () => {
    const { app } = await gateway(limits({ ip: { max: 1, windowMs: hour } }));
    for (let i = 0; i < 5; i++) {
      for (const url of ['/healthz', '/readyz', '/metrics']) {
        const response = await app.inject({ url });
        expect(response.statusCode).toBe(200);
        expect(response.headers['ratelimit-limit']).toBeUndefined();
      }
    }
    expect((await app.inject({ url: '/api/v1/whoami' })).statusCode).toBe(200);
    expect((await app.inject({ url: '/api/v1/whoami' })).statusCode).toBe(429);
  });

  it('fails open when the store fails or hangs, and counts it', async () => {
    const broken: RateLimitStore = {
      hit: async (key) => {
        if (key.startsWith('rl:ip:')) throw new Error('redis is down');
        return new Promise(() => {});
      },
      peek: async () => {
        throw new Error('redis is down');
      },
      release: async () => {},
      reset: async () => {},
      ping: async () => {},
      close: async () => {},
    };
    const { app } = await gateway({ rateLimits: { ip: { max: 1, windowMs: hour }, storeTimeoutMs: 50 } }, broken);
    const token = `Bearer ${await keys.sign()}`;
    for (let i = 0; i < 3; i++) {
      const response = await app.inject({ url: '/api/v1/whoami', headers: { authorization: token } });
      expect(response.statusCode).toBe(200);
      expect(response.headers['ratelimit-limit']).toBeUndefined();
    }
    const metrics = (await app.inject({ url: '/metrics' })).body;
    expect(metrics).toMatch(/gateway_rate_limit_store_failures_total\{[^}]*\} 6/);
  });

  it('takes a decision the store makes from memory without asking it again, and asks when it cannot decide', async () => {
    const memory = createMemoryRateLimitStore();
    const asked: string[] = [];
    // Decides the per-IP limits from memory, never a user's; its asynchronous path must only be
    // taken for what hitLocally leaves undecided.
    const store: RateLimitStore = {
      ...memory,
      hitLocally: (key, limit, windowMs) => (key.startsWith('rl:user:') ? undefined : memory.hitLocally?.(key, limit, windowMs)),
      hit: (key, limit, windowMs) => {
        asked.push(key);
        return memory.hit(key, limit, windowMs);
      },
    };
    const { app } = await gateway(limits({ ip: { max: 2, windowMs: hour }, user: { max: 1, windowMs: hour } }), store);
    const token = `Bearer ${await keys.sign()}`;
    expect((await app.inject({ url: '/api/v1/whoami', headers: { authorization: token } })).statusCode).toBe(200);
    expect((await app.inject({ url: '/api/v1/whoami', headers: { authorization: token }, remoteAddress: '10.0.0.2' })).statusCode).toBe(429);
    expect((await app.inject({ url: '/api/v1/whoami' })).statusCode).toBe(200);
    const refused = await app.inject({ url: '/api/v1/whoami' });
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['ratelimit-limit']).toBe('2');
    expect(asked.map((key) => key.split(':').slice(0, 2).join(':'))).toEqual(['rl:user', 'rl:user']);
  });

  it('fails open when deciding from memory throws, and counts it', async () => {
    const memory = createMemoryRateLimitStore();
    const store: RateLimitStore = {
      ...memory,
      hitLocally: () => {
        throw new RangeError('no such limit');
      },
    };
    const { app } = await gateway(limits({ ip: { max: 1, windowMs: hour } }), store);
    for (let i = 0; i < 2; i++) expect((await app.inject({ url: '/api/v1/whoami' })).statusCode).toBe(200);
    expect((await app.inject({ url: '/metrics' })).body).toMatch(/gateway_rate_limit_store_failures_total\{[^}]*\} 2/);
  });
});

describe('HTTP edge', () => {
  it('sets security headers', async () => {
    const { app } = await gateway();
    const response = await app.inject({ url: '/healthz' });
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['strict-transport-security']).toContain('max-age=');
    expect(response.headers['x-frame-options']).toBe('SAMEORIGIN');
    const csp = String(response.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('upgrade-insecure-requests');
  });

  it('answers CORS preflights for allowed origins and refuses others', async () => {
    const { app } = await gateway({ corsOrigins: ['https://app.example'] });
    const preflight = (origin: string) =>
      app.inject({
        method: 'OPTIONS',
        url: '/api/v1/things',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,authorization' },
      });
    const allowed = await preflight('https://app.example');
    expect(allowed.statusCode).toBe(204);
    expect(allowed.headers['access-control-allow-origin']).toBe('https://app.example');
    expect(String(allowed.headers['access-control-allow-methods'])).toContain('POST');

    const refused = await preflight('https://evil.example');
    expect(refused.statusCode).toBe(403);
    expect(refused.headers['access-control-allow-origin']).toBeUndefined();
    expect(refused.json().code).toBe('FORBIDDEN');

    const simple = await app.inject({ url: '/api/v1/whoami', headers: { origin: 'https://app.example' } });
    expect(simple.headers['access-control-allow-origin']).toBe('https://app.example');
    expect(String(simple.headers['access-control-expose-headers'])).toContain('ratelimit-remaining');
    const foreign = await app.inject({ url: '/api/v1/whoami', headers: { origin: 'https://evil.example' } });
    expect(foreign.statusCode).toBe(200);
    expect(foreign.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('allows no cross-origin browser calls by default, and any origin only when "*" is configured', async () => {
    const preflight = { method: 'OPTIONS' as const, url: '/api/v1/things', headers: { origin: 'https://app.example', 'access-control-request-method': 'POST' } };
    const closed = await gateway();
    expect((await closed.app.inject(preflight)).statusCode).toBe(403);
    const wide = await gateway({ corsOrigins: ['*'] });
    const response = await wide.app.inject(preflight);
    expect(response.statusCode).toBe(204);
    expect(response.headers['access-control-allow-origin']).toBe('*');
  });

  it('refuses bodies over the limit with 413 problem+json', async () => {
    const { app } = await gateway({ bodyLimit: 1024 });
    const small = await app.inject({ method: 'POST', url: '/api/v1/things', payload: { name: 'x' } });
    expect(small.statusCode).toBe(200);
    const large = await app.inject({ method: 'POST', url: '/api/v1/things', payload: { name: 'x'.repeat(2000) } });
    expect(large.statusCode).toBe(413);
    expect(large.headers['content-type']).toContain('application/problem+json');
    expect(large.json().code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('serves Swagger UI at /docs over the /openapi.json document', async () => {
    const { app } = await gateway();
    const page = await app.inject({ url: '/docs' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.body).toContain('swagger-ui');
    const json = await app.inject({ url: '/docs/json' });
    expect(json.statusCode).toBe(302);
    expect(json.headers.location).toBe('/openapi.json');
    const document = (await app.inject({ url: '/openapi.json' })).json();
    expect(document.openapi).toBe('3.1.0');
    expect(document.paths).toHaveProperty('/api/v1/things');
  });

  it('leaves /docs out when disabled', async () => {
    const { app } = await gateway({ docs: false });
    expect((await app.inject({ url: '/docs' })).statusCode).toBe(404);
  });
});
