import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type * as passwords from '../src/passwords';
import { verifyPassword } from '../src/passwords';
import { createHarness, fieldPaths, login, password, registered, stable, uniqueEmail, type Harness } from './harness';

// The real Argon2 verification, observed: the test counts verifications instead of timing them.
vi.mock('../src/passwords', async (importOriginal) => {
  const original = await importOriginal<typeof passwords>();
  return { ...original, verifyPassword: vi.fn(original.verifyPassword) };
});

let h: Harness;

beforeAll(async () => {
  h = await createHarness({
    options: {
      loginLimits: { perAccount: { max: 3, windowMs: 60_000 }, perIp: { max: 5, windowMs: 60_000 } },
    },
  });
});

afterAll(async () => {
  await h.close();
});

// Each test signs in from its own address, so the per-IP budget of one test does not leak into another.
let ipCounter = 0;
const nextIp = () => `10.1.0.${++ipCounter}`;

describe('POST /api/v1/auth/login', () => {
  it('signs in with the right password, whatever the letter case of the email', async () => {
    const { user } = await registered(h.app, { email: uniqueEmail('MixedCase') });
    const response = await login(h.app, `  ${user.email.toLowerCase()} `, password, nextIp());
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.user).toEqual(user);
    expect(body.expiresIn).toBe(900);
    const me = await h.app.inject({ method: 'GET', url: '/api/v1/users/me', headers: { authorization: `Bearer ${body.accessToken}` } });
    expect(me.json().id).toBe(user.id);
  });

  it('answers an unknown email exactly like a wrong password', async () => {
    const { user } = await registered(h.app);
    const ip = nextIp();
    const wrongPassword = await login(h.app, user.email, 'not the password', ip);
    const unknownEmail = await login(h.app, uniqueEmail('nobody'), 'not the password', ip);
    expect(wrongPassword.statusCode).toBe(401);
    expect(unknownEmail.statusCode).toBe(401);
    expect(wrongPassword.json().code).toBe('INVALID_CREDENTIALS');
    expect(stable(unknownEmail.json())).toEqual(stable(wrongPassword.json()));
    const headersOf = (r: typeof wrongPassword) => Object.keys(r.headers).filter((name) => name !== 'date' && name !== 'x-request-id').sort();
    expect(headersOf(unknownEmail)).toEqual(headersOf(wrongPassword));
  });

  it('spends a password hash on an unknown email too, so timing does not tell', async () => {
    const { user } = await registered(h.app);
    const verifications = async (email: string) => {
      vi.mocked(verifyPassword).mockClear();
      const response = await login(h.app, email, 'not the password', nextIp());
      expect(response.statusCode).toBe(401);
      return vi.mocked(verifyPassword).mock.calls.map(([hash]) => hash.split('$').slice(0, 4).join('$'));
    };
    const unknown = await verifications(uniqueEmail('ghost'));
    const wrong = await verifications(user.email);
    // One Argon2id verification each, with the same parameters: the same work, whether or not the account exists.
    expect(unknown).toHaveLength(1);
    expect(unknown).toEqual(wrong);
    expect(unknown[0]).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1$/);
  });

  it('locks an account after too many failures, even for the right password, with Retry-After', async () => {
    const { user } = await registered(h.app);
    for (let i = 0; i < 3; i++) expect((await login(h.app, user.email, `wrong ${i}`, nextIp())).statusCode).toBe(401);
    const locked = await login(h.app, user.email.toUpperCase(), password, nextIp());
    expect(locked.statusCode).toBe(429);
    expect(locked.json().code).toBe('TOO_MANY_LOGIN_ATTEMPTS');
    const retryAfter = Number(locked.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    // Another account is not affected.
    const other = await registered(h.app);
    expect((await login(h.app, other.user.email, password, nextIp())).statusCode).toBe(200);
  });

  it('locks unknown emails the same way, so a lockout does not reveal that an account exists', async () => {
    const email = uniqueEmail('ghost');
    for (let i = 0; i < 3; i++) expect((await login(h.app, email, 'guess', nextIp())).statusCode).toBe(401);
    const locked = await login(h.app, email, 'guess', nextIp());
    expect(locked.statusCode).toBe(429);
    expect(locked.json().code).toBe('TOO_MANY_LOGIN_ATTEMPTS');
  });

  it('limits failures per client IP across accounts', async () => {
    const ip = nextIp();
    // Five different emails, one failure each: under every account limit, at the IP limit.
    for (let i = 0; i < 5; i++) expect((await login(h.app, uniqueEmail('spray'), 'guess', ip)).statusCode).toBe(401);
    const { user } = await registered(h.app);
    const blocked = await login(h.app, user.email, password, ip);
    expect(blocked.statusCode).toBe(429);
    expect(blocked.json().code).toBe('TOO_MANY_LOGIN_ATTEMPTS');
    expect((await login(h.app, user.email, password, nextIp())).statusCode).toBe(200);
  });

  it('does not count successful logins against the limits', async () => {
    const { user } = await registered(h.app);
    const ip = nextIp();
    for (let i = 0; i < 6; i++) expect((await login(h.app, user.email, password, ip)).statusCode).toBe(200);
  });

  it.each([
    ['a missing password', { email: 'a@example.com' }, 'body.password'],
    ['an empty email', { email: '', password: 'x' }, 'body.email'],
    ['a non-string email', { email: 42, password: 'x' }, 'body.email'],
  ])('rejects %s with VALIDATION_FAILED', async (_label, payload, path) => {
    const response = await h.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload, remoteAddress: nextIp() });
    expect(response.statusCode).toBe(400);
    expect(response.json().code).toBe('VALIDATION_FAILED');
    expect(fieldPaths(response)).toContain(path);
  });
});
