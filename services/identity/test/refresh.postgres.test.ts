import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresDatabase } from '@timeslot/adapters';
import type { Database } from '@timeslot/ports';
import { testServers, uniqueName } from '@timeslot/testing';
import { createHarness, registered, type Harness, type ProblemBody } from './harness';

// PGlite runs transactions one at a time; only PostgreSQL shows that the row lock, not luck,
// stops two concurrent refreshes with one token from both succeeding.
const schema = uniqueName('identity');
let database: Database;
let h: Harness;

beforeAll(async () => {
  database = await createPostgresDatabase({ url: testServers.postgres, poolSize: 8, applicationName: schema });
  h = await createHarness({ database, options: { schema } });
});

afterAll(async () => {
  await h?.close();
  await database?.query(`drop schema if exists "${schema}" cascade`);
  await database?.close();
});

describe('refresh on PostgreSQL', () => {
  it('lets exactly one of many concurrent refreshes with one token succeed and revokes the family', async () => {
    for (let round = 0; round < 3; round++) {
      const session = await registered(h.app);
      const results = await Promise.all(
        Array.from({ length: 6 }, () => h.app.inject({ method: 'POST', url: '/api/v1/auth/refresh', payload: { refreshToken: session.refreshToken } })),
      );
      const ok = results.filter((r) => r.statusCode === 200);
      expect(ok).toHaveLength(1);
      const refused = results.filter((r) => r.statusCode === 401).map((r) => r.json<ProblemBody>().code);
      expect(refused).toHaveLength(5);
      expect(refused).toContain('REFRESH_TOKEN_REUSED');
      // The winner's new token died with its family.
      const again = await h.app.inject({ method: 'POST', url: '/api/v1/auth/refresh', payload: { refreshToken: ok[0]!.json().refreshToken } });
      expect(again.statusCode).toBe(401);
      const live = await database.query<{ n: string }>(
        `select count(*)::text as n from "${schema}".refresh_tokens where user_id = $1 and revoked_at is null`,
        [session.user.id],
      );
      expect(live).toEqual([{ n: '0' }]);
    }
  });

  it('keeps emails unique across case on PostgreSQL too', async () => {
    const session = await registered(h.app);
    const response = await h.app.inject({
      method: 'POST',
      url: '/api/v1/auth/register',
      payload: { email: session.user.email.toUpperCase(), password: 'long enough password', name: 'Twin', role: 'client' },
    });
    expect(response.statusCode).toBe(409);
  });
});
