import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '@timeslot/kernel';
import { decodeJwt } from 'jose';
import { countRows, createHarness, login, registered, uniqueEmail, type Harness, type SessionBody } from './harness';

let h: Harness;

beforeAll(async () => {
  h = await createHarness();
});

afterAll(async () => {
  await h.close();
});

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof AppError)) throw new Error(`expected an AppError, got ${String(error)}`);
  return error;
}

describe('createAdmin (timeslot create-admin)', () => {
  it('creates an administrator who can sign in with the admin role', async () => {
    const email = uniqueEmail('Root');
    const admin = await h.service.createAdmin({ email, password: 'admin password 1', name: 'Operator' });
    expect(admin).toMatchObject({ id: expect.any(String), email, name: 'Operator', role: 'admin' });

    const session = await login(h.app, email, 'admin password 1');
    expect(session.statusCode).toBe(200);
    expect(session.json().user.role).toBe('admin');
    const claims = decodeJwt(session.json<SessionBody>().accessToken);
    expect(claims.role).toBe('admin');

    const [outbox] = await h.database.query<{ role: string }>(
      `select payload->'data'->>'role' as role from identity.outbox where type = 'user.registered' and payload->'data'->>'userId' = $1`,
      [admin.id],
    );
    expect(outbox?.role).toBe('admin');
  });

  it('returns the existing administrator when run again, changing nothing', async () => {
    const email = uniqueEmail();
    const first = await h.service.createAdmin({ email, password: 'admin password 1', name: 'Operator' });
    const users = await countRows(h.database, 'users');
    const second = await h.service.createAdmin({ email: email.toUpperCase(), password: 'another password', name: 'Other' });
    expect(second).toEqual(first);
    expect(await countRows(h.database, 'users')).toBe(users);
    // The original password still works: a second run does not reset it.
    expect((await login(h.app, email, 'admin password 1')).statusCode).toBe(200);
  });

  it('refuses an address that belongs to a non-admin with EMAIL_TAKEN, and does not promote them', async () => {
    const client = await registered(h.app);
    const error = await rejection(h.service.createAdmin({ email: client.user.email, password: 'admin password 1', name: 'X' }));
    expect(error.code).toBe('EMAIL_TAKEN');
    const [row] = await h.database.query<{ role: string }>('select role from identity.users where id = $1', [client.user.id]);
    expect(row?.role).toBe('client');
  });

  it('validates its input like registration does', async () => {
    const error = await rejection(h.service.createAdmin({ email: 'nope', password: 'short', name: '' }));
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.fieldErrors?.map((f) => f.path).sort()).toEqual(['email', 'name', 'password']);
  });
});
