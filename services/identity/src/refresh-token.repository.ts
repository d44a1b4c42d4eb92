import { and, eq, inArray, isNull } from 'drizzle-orm';
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
  };
}

export type RefreshTokenRepository = ReturnType<typeof createRefreshTokenRepository>;
