import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPgliteDatabase, createPostgresDatabase } from '@timeslot/adapters';
import type { App } from '@timeslot/kernel';
import type { Database } from '@timeslot/ports';
import { testServers, uniqueName } from '@timeslot/testing';
import { createRefreshTokenRepository } from '../src/refresh-token.repository';
import { identityTables } from '../src/tables';
import { createHarness, registered, type Harness, type SessionBody } from './harness';

const week = 7 * 24 * 3_600_000;

const refresh = (app: App, refreshToken: string) => app.inject({ method: 'POST', url: '/api/v1/auth/refresh', payload: { refreshToken } });
const logout = (app: App, refreshToken: string) => app.inject({ method: 'POST', url: '/api/v1/auth/logout', payload: { refreshToken } });

function retentionSuite(name: string, make: () => Promise<Database>): void {
  describe(`refresh token retention: ${name}`, () => {
    let database: Database;
    const made: { h: Harness; schema: string }[] = [];

    beforeAll(async () => {
      database = await make();
    });

    afterAll(async () => {
      for (const { h, schema } of made) {
        await h.close();
        await database.query(`drop schema if exists "${schema}" cascade`);
      }
      await database.close();
    });

    /** The service on its own schema of the shared database, so counts are this test's alone. */
    async function harness(): Promise<{ h: Harness; schema: string }> {
      const schema = uniqueName('identity_retention');
      const h = await createHarness({ database, options: { schema } });
      made.push({ h, schema });
      return { h, schema };
    }

    async function backdate(schema: string, user: SessionBody, column: 'expires_at' | 'revoked_at', ago: string, where = 'true'): Promise<void> {
      await database.query(`update "${schema}".refresh_tokens set ${column} = now() - $2::interval where user_id = $1 and ${where}`, [user.user.id, ago]);
    }

    async function tokensOf(schema: string, user: SessionBody): Promise<number> {
      const rows = await database.query<{ n: number }>(`select count(*)::int as n from "${schema}".refresh_tokens where user_id = $1`, [user.user.id]);
      return rows[0]?.n ?? 0;
    }

    it('deletes tokens expired more than the retention ago, batch after batch, and keeps every other', async () => {
      const { h, schema } = await harness();
      const expired = await registered(h.app);
      await backdate(schema, expired, 'expires_at', '8 days');
      const revokedAndExpired = await registered(h.app);
      await logout(h.app, revokedAndExpired.refreshToken);
      await backdate(schema, revokedAndExpired, 'revoked_at', '40 days');
      await backdate(schema, revokedAndExpired, 'expires_at', '9 days');
      const longExpired = await registered(h.app);
      await backdate(schema, longExpired, 'expires_at', '300 days');
      // Rotated, and expired within the retention: a replay must still revoke the family.
      const rotated = await registered(h.app);
      await refresh(h.app, rotated.refreshToken);
      await backdate(schema, rotated, 'expires_at', '6 days', 'used_at is not null');
      // Rotated, the used token long expired but its successor live: the family keeps both rows,
      // so a replay of the old token still revokes the family.
      const stolen = await registered(h.app);
      await refresh(h.app, stolen.refreshToken);
      await backdate(schema, stolen, 'expires_at', '30 days', 'used_at is not null');
      // Revoked long ago but not expired: kept until it expires.
      const revoked = await registered(h.app);
      await logout(h.app, revoked.refreshToken);
      await backdate(schema, revoked, 'revoked_at', '30 days');
      const live = await registered(h.app);

      const repository = createRefreshTokenRepository(identityTables(schema));
      expect(await repository.deleteExpired(database.db, { retentionMs: week, batchSize: 2 })).toBe(3);

      expect(await Promise.all([expired, revokedAndExpired, longExpired, rotated, stolen, revoked, live].map((user) => tokensOf(schema, user)))).toEqual([
        0, 0, 0, 2, 2, 1, 1,
      ]);
      expect(await repository.deleteExpired(database.db, { retentionMs: week, batchSize: 2 })).toBe(0);
      const replay = await refresh(h.app, rotated.refreshToken);
      expect(replay.statusCode).toBe(401);
      expect(replay.json().code).toBe('REFRESH_TOKEN_REUSED');
      const stolenReplay = await refresh(h.app, stolen.refreshToken);
      expect(stolenReplay.json().code).toBe('REFRESH_TOKEN_REUSED');
      expect((await refresh(h.app, live.refreshToken)).statusCode).toBe(200);
    });

    it('deletes expired tokens soon after start()', async () => {
      const { h, schema } = await harness();
      const expired = await registered(h.app);
      await backdate(schema, expired, 'expires_at', '8 days');
      const live = await registered(h.app);

      await h.service.start();
      try {
        for (let tries = 0; (await tokensOf(schema, expired)) > 0; tries++) {
          if (tries > 300) throw new Error('start() did not delete the expired token');
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
      } finally {
        await h.service.stop();
      }
      expect(await tokensOf(schema, live)).toBe(1);
    });
  });
}

retentionSuite('PGlite', () => createPgliteDatabase());
retentionSuite('PostgreSQL', () => createPostgresDatabase({ url: testServers.postgres, poolSize: 4, applicationName: uniqueName('identity_retention') }));
