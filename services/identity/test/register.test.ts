import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countRows, createHarness, fieldPaths, register, uniqueEmail, type Harness } from './harness';

let h: Harness;

beforeAll(async () => {
  h = await createHarness({ options: { registrationLimit: { max: 3, windowMs: 60_000 } } });
});

afterAll(async () => {
  await h.close();
});

// Each test registers from its own address, so the per-IP registration budget is per test.
let ipCounter = 0;
const nextIp = () => `10.0.0.${++ipCounter}`;

describe('POST /api/v1/auth/register', () => {
  it('creates the account and signs it in', async () => {
    const email = `  ${uniqueEmail('Ada')}  `;
    const response = await register(h.app, { email, name: ' Ada Lovelace ', role: 'provider' }, nextIp());
    expect(response.statusCode).toBe(201);
    const body = response.json();
    expect(body).toEqual({
      user: {
        id: expect.any(String),
        email: email.trim(),
        name: 'Ada Lovelace',
        role: 'provider',
        timeZone: 'UTC',
        locale: 'en',
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
      },
      accessToken: expect.any(String),
      refreshToken: expect.any(String),
      expiresIn: 900,
    });
    expect(body.refreshToken).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const me = await h.app.inject({ method: 'GET', url: '/api/v1/users/me', headers: { authorization: `Bearer ${body.accessToken}` } });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toEqual(body.user);

    const [row] = await h.database.query<{ email: string; password_hash: string }>('select email, password_hash from identity.users where id = $1', [
      body.user.id,
    ]);
    expect(row?.email).toBe(email.trim());
    expect(row?.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    // Only the hash of the refresh token is stored.
    const tokens = await h.database.query<{ token_hash: string }>('select token_hash from identity.refresh_tokens where user_id = $1', [body.user.id]);
    expect(tokens).toHaveLength(1);
    expect(tokens[0]?.token_hash).not.toBe(body.refreshToken);
  });

  it('stores the time zone and locale in canonical form', async () => {
    const response = await register(h.app, { email: uniqueEmail(), timeZone: 'europe/paris', locale: 'EN-us' }, nextIp());
    expect(response.statusCode).toBe(201);
    expect(response.json().user).toMatchObject({ timeZone: 'Europe/Paris', locale: 'en-US' });
  });

  it('refuses to let anyone make themselves an admin, and writes nothing', async () => {
    const before = await countRows(h.database, 'users');
    const response = await register(h.app, { email: uniqueEmail(), role: 'admin' }, nextIp());
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.json()).toMatchObject({ code: 'VALIDATION_FAILED', errors: [expect.objectContaining({ path: 'body.role' })] });
    expect(await countRows(h.database, 'users')).toBe(before);
  });

  it.each([
    ['an invalid email', { email: 'not-an-email' }, 'body.email'],
    ['a 7-character password', { password: 'short77' }, 'body.password'],
    ['a 129-character password', { password: 'x'.repeat(129) }, 'body.password'],
    ['an empty name', { name: '   ' }, 'body.name'],
    ['a 101-character name', { name: 'n'.repeat(101) }, 'body.name'],
    ['an unknown time zone', { timeZone: 'Mars/Olympus' }, 'body.timeZone'],
    ['a malformed locale', { locale: 'fr_FR' }, 'body.locale'],
    ['an unknown field', { isAdmin: true }, 'body'],
  ])('rejects %s with a field error and writes nothing', async (_label, override, path) => {
    const before = await countRows(h.database, 'users');
    const response = await register(h.app, { email: uniqueEmail(), ...override }, nextIp());
    expect(response.statusCode).toBe(400);
    const body = response.json();
    expect(body.code).toBe('VALIDATION_FAILED');
    expect(fieldPaths(response)).toContain(path);
    expect(await countRows(h.database, 'users')).toBe(before);
    expect(await countRows(h.database, 'outbox')).toBe(await countRows(h.database, 'users'));
  });

  it('accepts passwords of exactly 8 and 128 characters', async () => {
    const ip = nextIp();
    expect((await register(h.app, { email: uniqueEmail(), password: '12345678' }, ip)).statusCode).toBe(201);
    expect((await register(h.app, { email: uniqueEmail(), password: 'p'.repeat(128) }, ip)).statusCode).toBe(201);
  });

  it('refuses an email already used in another letter case with 409 EMAIL_TAKEN', async () => {
    const email = uniqueEmail('Grace');
    const ip = nextIp();
    expect((await register(h.app, { email }, ip)).statusCode).toBe(201);
    const before = await countRows(h.database, 'users');
    const response = await register(h.app, { email: email.toUpperCase() }, ip);
    expect(response.statusCode).toBe(409);
    expect(response.json()).toMatchObject({ code: 'EMAIL_TAKEN', status: 409 });
    expect(await countRows(h.database, 'users')).toBe(before);
  });

  it('lets only one of two simultaneous sign-ups with one address succeed', async () => {
    const email = uniqueEmail();
    const ip = nextIp();
    const results = await Promise.all([register(h.app, { email }, ip), register(h.app, { email: email.toUpperCase() }, ip)]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([201, 409]);
  });

  it('limits registrations per client IP with 429 and Retry-After', async () => {
    const ip = nextIp();
    for (let i = 0; i < 3; i++) expect((await register(h.app, { email: uniqueEmail() }, ip)).statusCode).toBe(201);
    const refused = await register(h.app, { email: uniqueEmail() }, ip);
    expect(refused.statusCode).toBe(429);
    expect(refused.json().code).toBe('TOO_MANY_REGISTRATIONS');
    const retryAfter = Number(refused.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    // Another address is unaffected.
    expect((await register(h.app, { email: uniqueEmail() }, nextIp())).statusCode).toBe(201);
  });
});

describe('OpenAPI', () => {
  it('documents every identity route with its body and responses', async () => {
    const response = await h.app.inject({ method: 'GET', url: '/openapi.json' });
    expect(response.statusCode).toBe(200);
    const doc = response.json();
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/api/v1/auth/register', '/api/v1/auth/login', '/api/v1/auth/refresh', '/api/v1/auth/logout', '/api/v1/users/me', '/.well-known/jwks.json']),
    );
    const registerOp = doc.paths['/api/v1/auth/register'].post;
    expect(registerOp.requestBody.content['application/json'].schema.properties.role.enum).toEqual(['client', 'provider']);
    expect(registerOp.requestBody.content['application/json'].schema.properties.email).toMatchObject({ type: 'string', format: 'email', maxLength: 254 });
  });

  it('declares exactly the statuses each identity operation answers', async () => {
    const doc = (await h.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    // Every route answers 401 to a bad bearer token (installAuth refuses one even on public routes)
    // and 503 while its database is away; a body may be too large (413) or not JSON (415). The
    // kernel's OpenAPI transform adds those; identity declares the rest.
    const expected: Record<string, Record<string, string[]>> = {
      '/api/v1/auth/register': { post: ['201', '400', '401', '409', '413', '415', '429', '503'] },
      '/api/v1/auth/login': { post: ['200', '400', '401', '403', '413', '415', '429', '503'] },
      '/api/v1/auth/refresh': { post: ['200', '400', '401', '403', '413', '415', '503'] },
      '/api/v1/auth/logout': { post: ['204', '400', '401', '413', '415', '503'] },
      '/api/v1/users/me': { get: ['200', '401', '403', '503'], patch: ['200', '400', '401', '403', '413', '415', '503'] },
      '/api/v1/users/{id}/disable': { post: ['200', '400', '401', '403', '404', '409', '413', '415', '503'] },
      '/api/v1/users/{id}/enable': { post: ['200', '400', '401', '403', '404', '503'] },
      '/.well-known/jwks.json': { get: ['200', '401', '503'] },
    };
    for (const [path, operations] of Object.entries(expected)) {
      for (const [method, statuses] of Object.entries(operations)) {
        expect(Object.keys(doc.paths[path][method].responses).sort(), `${method} ${path}`).toEqual(statuses);
      }
    }
    const disable = doc.paths['/api/v1/users/{id}/disable'].post;
    expect(disable.parameters).toEqual([expect.objectContaining({ in: 'path', name: 'id', required: true, schema: expect.objectContaining({ format: 'uuid' }) })]);
  });

  it('answers a bad bearer token on a public route with the 401 it declares', async () => {
    const response = await h.app.inject({ method: 'GET', url: '/.well-known/jwks.json', headers: { authorization: 'Bearer not.a.token' } });
    expect(response.statusCode).toBe(401);
    expect(response.json().code).toBe('INVALID_TOKEN');
  });
});
