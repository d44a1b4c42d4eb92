import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignJWT } from 'jose';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import type { App } from '@timeslot/kernel';
import { audience, countRows, createHarness, fieldPaths, issuer, registered, type Harness } from './harness';

let h: Harness;

beforeAll(async () => {
  h = await createHarness();
});

afterAll(async () => {
  await h.close();
});

const getMe = (app: App, token?: string) =>
  app.inject({ method: 'GET', url: '/api/v1/users/me', headers: token === undefined ? {} : { authorization: `Bearer ${token}` } });
const patchMe = (app: App, token: string, payload: unknown) =>
  app.inject({ method: 'PATCH', url: '/api/v1/users/me', headers: { authorization: `Bearer ${token}` }, payload: payload as object });

describe('GET /api/v1/users/me', () => {
  it('returns the signed-in user without any secret', async () => {
    const session = await registered(h.app, { name: 'Mary Somerville', role: 'provider' });
    const response = await getMe(h.app, session.accessToken);
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(Object.keys(body).sort()).toEqual(['createdAt', 'email', 'id', 'locale', 'name', 'role', 'timeZone', 'updatedAt']);
    expect(body).toMatchObject({ id: session.user.id, name: 'Mary Somerville', role: 'provider' });
  });

  it('answers 401 UNAUTHENTICATED without a token', async () => {
    const response = await getMe(h.app);
    expect(response.statusCode).toBe(401);
    expect(response.json().code).toBe('UNAUTHENTICATED');
  });

  it('answers 401 INVALID_TOKEN for a malformed or tampered token', async () => {
    const session = await registered(h.app);
    expect((await getMe(h.app, 'not.a.jwt')).json().code).toBe('INVALID_TOKEN');
    const [header, payload, signature] = session.accessToken.split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString());
    const forged = Buffer.from(JSON.stringify({ ...claims, role: 'admin' })).toString('base64url');
    const response = await getMe(h.app, `${header}.${forged}.${signature}`);
    expect(response.statusCode).toBe(401);
    expect(response.json().code).toBe('INVALID_TOKEN');
  });

  it('answers 401 for a well-formed token signed by a key it does not publish', async () => {
    const { privateKey } = generateKeyPairSync('ed25519');
    const kid = h.signingKeys.current.kid;
    const token = await new SignJWT({ role: 'admin' })
      .setProtectedHeader({ alg: 'EdDSA', kid })
      .setIssuer(issuer)
      .setAudience(audience)
      .setSubject(randomUUID())
      .setJti(randomUUID())
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(privateKey);
    const response = await getMe(h.app, token);
    expect(response.statusCode).toBe(401);
    expect(response.json().code).toBe('INVALID_TOKEN');
  });

  it('answers 401 ACCOUNT_NOT_FOUND when the token outlives its user, for reads and changes', async () => {
    const session = await registered(h.app);
    await h.database.query('delete from identity.users where id = $1', [session.user.id]);
    const response = await getMe(h.app, session.accessToken);
    expect(response.statusCode).toBe(401);
    expect(response.json().code).toBe('ACCOUNT_NOT_FOUND');
    const patched = await patchMe(h.app, session.accessToken, { name: 'Ghost' });
    expect(patched.statusCode).toBe(401);
    expect(patched.json().code).toBe('ACCOUNT_NOT_FOUND');
  });
});

describe('PATCH /api/v1/users/me', () => {
  it('changes the given fields, in canonical form, and bumps updatedAt', async () => {
    const session = await registered(h.app);
    const response = await patchMe(h.app, session.accessToken, { name: ' Sofia Kovalevskaya ', timeZone: 'asia/kolkata', locale: 'ru-ru' });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body).toMatchObject({ id: session.user.id, email: session.user.email, name: 'Sofia Kovalevskaya', locale: 'ru-RU', role: 'client' });
    expect(String(body.timeZone).toLowerCase()).toMatch(/^asia\/(kolkata|calcutta)$/);
    expect(Date.parse(body.updatedAt)).toBeGreaterThan(Date.parse(session.user.updatedAt));
    expect(body.createdAt).toBe(session.user.createdAt);

    const partial = await patchMe(h.app, session.accessToken, { timeZone: 'America/St_Johns' });
    expect(partial.json()).toMatchObject({ name: 'Sofia Kovalevskaya', locale: 'ru-RU', timeZone: 'America/St_Johns' });
  });

  it.each([
    ['an unknown time zone', { timeZone: 'Europe/Atlantis' }, 'body.timeZone'],
    ['an offset instead of a zone', { timeZone: '+05:30' }, 'body.timeZone'],
    ['a malformed locale', { locale: 'not a locale' }, 'body.locale'],
    ['an empty name', { name: '' }, 'body.name'],
    ['a field that cannot be changed here', { role: 'admin' }, 'body'],
    ['an empty body', {}, 'body'],
  ])('rejects %s with VALIDATION_FAILED and changes nothing', async (_label, payload, path) => {
    const session = await registered(h.app);
    const outboxBefore = await countRows(h.database, 'outbox');
    const response = await patchMe(h.app, session.accessToken, payload);
    expect(response.statusCode).toBe(400);
    const body = response.json();
    expect(body.code).toBe('VALIDATION_FAILED');
    expect(fieldPaths(response)).toContain(path);
    expect((await getMe(h.app, session.accessToken)).json()).toEqual(session.user);
    expect(await countRows(h.database, 'outbox')).toBe(outboxBefore);
  });

  it('answers 401 without a token', async () => {
    const response = await h.app.inject({ method: 'PATCH', url: '/api/v1/users/me', payload: { name: 'x' } });
    expect(response.statusCode).toBe(401);
  });
});

describe('profile cache', () => {
  it('serves reads from the cache and shows a change as soon as PATCH answers', async () => {
    const session = await registered(h.app, { name: 'Before' });
    expect((await getMe(h.app, session.accessToken)).json().name).toBe('Before');

    // A write behind the service's back is not seen: the profile comes from the cache.
    await h.database.query(`update identity.users set name = 'Behind the back' where id = $1`, [session.user.id]);
    expect((await getMe(h.app, session.accessToken)).json().name).toBe('Before');
    expect(await h.cache.get(`identity:user:${session.user.id}`)).toMatchObject({ name: 'Before' });

    const patched = await patchMe(h.app, session.accessToken, { name: 'After' });
    expect(patched.statusCode).toBe(200);
    expect((await getMe(h.app, session.accessToken)).json().name).toBe('After');
  });
});
