import { and, eq, inArray, isNull, lt, lte, sql } from 'drizzle-orm';
import type { Db } from '@timeslot/ports';
import type { CalendarTables, ConnectionRow } from '../tables';

export type NewConnection = Pick<ConnectionRow, 'userId' | 'accountEmail' | 'refreshToken' | 'accessToken' | 'accessTokenExpiresAt' | 'scopes'>;

/** All SQL about Google connections and OAuth states. Every method takes the handle to use. */
export function createConnectionRepository(tables: CalendarTables) {
  const { googleConnections: connections, busyPeriods, oauthStates } = tables;
  return {
    async find(db: Db, userId: string): Promise<ConnectionRow | undefined> {
      const rows = await db.select().from(connections).where(eq(connections.userId, userId)).limit(1);
      return rows[0];
    },

    /** Connect, or reconnect: new tokens, and busy times start over (synced at once). */
    async upsert(db: Db, row: NewConnection, now: Date): Promise<ConnectionRow> {
      const fresh = {
        ...row,
        brokenAt: null,
        syncedAt: null,
        syncFailedAt: null,
        syncError: null,
        nextSyncAt: now,
        busyDigest: null,
        busyUntil: null,
        updatedAt: now,
      };
      await db.delete(busyPeriods).where(eq(busyPeriods.userId, row.userId));
      const [saved] = await db
        .insert(connections)
        .values({ ...fresh, connectedAt: now })
        .onConflictDoUpdate({ target: connections.userId, set: fresh })
        .returning();
      if (saved === undefined) throw new Error('upsert returned no row');
      return saved;
    },

    async remove(db: Db, userId: string): Promise<ConnectionRow | undefined> {
      const rows = await db.delete(connections).where(eq(connections.userId, userId)).returning();
      return rows[0];
    },

    async saveAccessToken(db: Db, userId: string, tokens: { accessToken: string; expiresAt: Date | null; refreshToken?: string }, now: Date): Promise<void> {
      await db
        .update(connections)
        .set({
          accessToken: tokens.accessToken,
          accessTokenExpiresAt: tokens.expiresAt,
          ...(tokens.refreshToken === undefined ? {} : { refreshToken: tokens.refreshToken }),
          updatedAt: now,
        })
        .where(eq(connections.userId, userId));
    },

    async markBroken(db: Db, userId: string, now: Date): Promise<void> {
      await db.update(connections).set({ brokenAt: now, updatedAt: now }).where(eq(connections.userId, userId));
    },

    async insertState(db: Db, state: { stateHash: string; userId: string; codeVerifier: string; expiresAt: Date }, now: Date): Promise<void> {
      await db.insert(oauthStates).values({ ...state, createdAt: now });
    },

    /** The state, removed in the same statement: whoever takes it first is the only one who gets it. */
    async takeState(db: Db, stateHash: string): Promise<{ userId: string; codeVerifier: string; expiresAt: Date } | undefined> {
      const rows = await db
        .delete(oauthStates)
        .where(eq(oauthStates.stateHash, stateHash))
        .returning({ userId: oauthStates.userId, codeVerifier: oauthStates.codeVerifier, expiresAt: oauthStates.expiresAt });
      return rows[0];
    },

    async pruneStates(db: Db, now: Date): Promise<number> {
      const rows = await db.delete(oauthStates).where(lt(oauthStates.expiresAt, now)).returning({ one: sql<number>`1` });
      return rows.length;
    },

    /** Connections whose busy-time sync is due, claimed for `leaseMs` so other replicas skip them. */
    async claimDueSyncs(db: Db, now: Date, leaseMs: number, limit: number): Promise<string[]> {
      const due = db
        .select({ userId: connections.userId })
        .from(connections)
        .where(and(isNull(connections.brokenAt), lte(connections.nextSyncAt, now)))
        .orderBy(connections.nextSyncAt)
        .limit(limit)
        .for('update', { skipLocked: true });
      const rows = await db
        .update(connections)
        .set({ nextSyncAt: new Date(now.getTime() + leaseMs) })
        .where(inArray(connections.userId, due))
        .returning({ userId: connections.userId });
      return rows.map((row) => row.userId);
    },
  };
}

export type ConnectionRepository = ReturnType<typeof createConnectionRepository>;
