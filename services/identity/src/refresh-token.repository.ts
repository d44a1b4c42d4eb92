import { and, eq, inArray, isNull, lt, sql } from 'drizzle-orm';
import type { Db } from '@timeslot/ports';
import type { IdentityTables, RefreshTokenRow } from './tables';

export type NewRefreshToken = Pick<RefreshTokenRow, 'id' | 'tokenHash' | 'userId' | 'familyId' | 'expiresAt'>;

/** All SQL about refresh tokens. */
export function createRefreshTokenRepository(tables: IdentityTables) {
  const { refreshTokens } = tables;
  return {
    async insert(db: Db, token: NewRefreshToken): Promise<void> {
      await db.insert(refreshTokens).values(token);
    },

    /**
     * The row for a token hash, locked until the transaction ends, so that two requests presenting
     * the same token run one after the other and the second sees the first one's `used_at`.
     */
    async findByHashForUpdate(db: Db, tokenHash: string): Promise<RefreshTokenRow | undefined> {
      const rows = await db.select().from(refreshTokens).where(eq(refreshTokens.tokenHash, tokenHash)).limit(1).for('update');
      return rows[0];
    },

    async findByHash(db: Db, tokenHash: string): Promise<RefreshTokenRow | undefined> {
      const rows = await db.select().from(refreshTokens).where(eq(refreshTokens.tokenHash, tokenHash)).limit(1);
      return rows[0];
    },

    async markUsed(db: Db, id: string, at: Date): Promise<void> {
      await db.update(refreshTokens).set({ usedAt: at }).where(eq(refreshTokens.id, id));
    },

    /** Revoke every still-valid token of a family; already revoked rows keep their first date. */
    async revokeFamily(db: Db, familyId: string, at: Date): Promise<number> {
      const rows = await db
        .update(refreshTokens)
        .set({ revokedAt: at })
        .where(and(eq(refreshTokens.familyId, familyId), isNull(refreshTokens.revokedAt)))
        .returning({ id: refreshTokens.id });
      return rows.length;
    },

    /** Revoke every still-valid token of a user (every family): signs them out everywhere. */
    async revokeAllForUser(db: Db, userId: string, at: Date): Promise<number> {
      const rows = await db
        .update(refreshTokens)
        .set({ revokedAt: at })
        .where(and(eq(refreshTokens.userId, userId), isNull(refreshTokens.revokedAt)))
        .returning({ id: refreshTokens.id });
      return rows.length;
    },

    /** Revoke the family a token belongs to, in one statement; nothing happens for an unknown token. */
    async revokeFamilyOfToken(db: Db, tokenHash: string, at: Date): Promise<number> {
      const family = db.select({ familyId: refreshTokens.familyId }).from(refreshTokens).where(eq(refreshTokens.tokenHash, tokenHash));
      const rows = await db
        .update(refreshTokens)
        .set({ revokedAt: at })
        .where(and(inArray(refreshTokens.familyId, family), isNull(refreshTokens.revokedAt)))
        .returning({ id: refreshTokens.id });
      return rows.length;
    },

    /**
     * Deletes the tokens whose `expires_at` lies more than `retentionMs` in the past (by the
     * database's clock), `batchSize` per statement until one deletes fewer, so a large backlog is
     * many short transactions; resolves with how many went.
     *
     * Only expiry counts, not revocation or use, and only once the whole family is past it: a used
     * row is what tells a replayed (stolen) token from an unknown one and revokes its family, even
     * after the row itself expired, while later tokens of the family live on. So a family's rows
     * stay while any of its tokens could still be presented; once all expired more than the
     * retention ago, a replay is refused as unknown (401 either way) and nothing is left to revoke.
     */
    async deleteExpired(db: Db, options: { retentionMs: number; batchSize: number }): Promise<number> {
      const cutoff = sql`now() - make_interval(secs => ${options.retentionMs / 1000})`;
      let deleted = 0;
      for (;;) {
        // `skip locked`: a row a refresh has locked, or another replica is deleting, waits for the next run.
        const batch = db
          .select({ id: refreshTokens.id })
          .from(refreshTokens)
          .where(
            and(
              lt(refreshTokens.expiresAt, cutoff),
              // The outer row's family: no member of it expires later than the cutoff.
              sql`not exists (select 1 from ${refreshTokens} as member where member.family_id = ${refreshTokens.familyId} and member.expires_at >= ${cutoff})`,
            ),
          )
          .limit(options.batchSize)
          .for('update', { skipLocked: true });
        const rows = await db.delete(refreshTokens).where(inArray(refreshTokens.id, batch)).returning({ id: refreshTokens.id });
        deleted += rows.length;
        if (rows.length < options.batchSize) return deleted;
      }
    },
  };
}

export type RefreshTokenRepository = ReturnType<typeof createRefreshTokenRepository>;
