import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, login, password, register, uniqueEmail, type Harness } from './harness';

let h: Harness;

beforeAll(async () => {
  h = await createHarness();
});

afterAll(async () => {
  await h.close();
});

type Response = Awaited<ReturnType<typeof login>>;

function expectNotStored(response: Response, name: string): void {
  expect(response.headers['cache-control'], name).toBe('no-store');
  expect(response.headers.pragma, name).toBe('no-cache');
}

describe('token responses (RFC 6749 §5.1)', () => {
  it('are never stored: register, login and refresh answer Cache-Control: no-store and Pragma: no-cache', async () => {
    const email = uniqueEmail();
    const registered = await register(h.app, { email });
    expect(registered.statusCode).toBe(201);
    expectNotStored(registered, 'register');
    const signedIn = await login(h.app, email, password);
    expect(signedIn.statusCode).toBe(200);
    expectNotStored(signedIn, 'login');
    const refreshed = await h.app.inject({ method: 'POST', url: '/api/v1/auth/refresh', payload: { refreshToken: signedIn.json().refreshToken } });
    expect(refreshed.statusCode).toBe(200);
    expectNotStored(refreshed, 'refresh');
  });

  it('and neither are their refusals', async () => {
    const wrong = await login(h.app, uniqueEmail('nobody'), 'not the password');
    expect(wrong.statusCode).toBe(401);
    expectNotStored(wrong, 'failed login');
    const refused = await h.app.inject({ method: 'POST', url: '/api/v1/auth/refresh', payload: { refreshToken: 'unknown' } });
    expect(refused.statusCode).toBe(401);
    expectNotStored(refused, 'failed refresh');
  });
});
