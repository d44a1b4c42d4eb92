import { eq, gt, or, sql } from 'drizzle-orm';
import type { Db } from '@timeslot/ports';
import type { IdentityTables, UserRow } from './tables';

export type NewUser = Omit<UserRow, 'createdAt' | 'updatedAt' | 'disabledAt' | 'disabledReason' | 'tokensValidAfter'>;
export type UserChanges = Partial<Pick<UserRow, 'name' | 'timeZone' | 'locale'>>;

/** All SQL about users. Every method takes the handle to use, so it works inside a transaction. */
export function createUserRepository(tables: IdentityTables) {
  const { users } = tables;
  return {
    /** The new row, or undefined when the email (in any case) is taken. */
    async insert(db: Db, user: NewUser): Promise<UserRow | undefined> {
      // The unique index on lower(email), not a prior lookup, decides: two concurrent sign-ups
      // with one address cannot both pass.
      const rows = await db.insert(users).values(user).onConflictDoNothing().returning();
      return rows[0];
    },

    async findByEmail(db: Db, email: string): Promise<UserRow | undefined> {
      const rows = await db
        .select()
        .from(users)
        .where(sql`lower(${users.email}) = lower(${email})`)
        .limit(1);
      return rows[0];
    },

    async findById(db: Db, id: string): Promise<UserRow | undefined> {
      const rows = await db.select().from(users).where(eq(users.id, id)).limit(1);
      return rows[0];
    },

    /** The row, locked until the transaction ends: account-status changes of one user run one at a time. */
    async findByIdForUpdate(db: Db, id: string): Promise<UserRow | undefined> {
      const rows = await db.select().from(users).where(eq(users.id, id)).limit(1).for('update');
      return rows[0];
    },

    async setDisabled(db: Db, id: string, at: Date, reason: string | null): Promise<UserRow | undefined> {
      const rows = await db
        .update(users)
        .set({ disabledAt: at, disabledReason: reason, updatedAt: sql`now()` })
        .where(eq(users.id, id))
        .returning();
      return rows[0];
    },

    /** Enables the account; `tokensValidAfter` is when it had been disabled. */
    async setEnabled(db: Db, id: string, tokensValidAfter: Date): Promise<UserRow | undefined> {
      const rows = await db
        .update(users)
        .set({ disabledAt: null, disabledReason: null, tokensValidAfter, updatedAt: sql`now()` })
        .where(eq(users.id, id))
        .returning();
      return rows[0];
    },

    /**
     * Accounts disabled after `since`, or re-enabled after being disabled then, share-locked until the transaction ends, so
     * no status change of theirs can commit (and write its own cache entry) while this
     * transaction re-writes what it read.
     */
    async statusChangedSinceForShare(db: Db, since: Date): Promise<Array<Pick<UserRow, 'id' | 'disabledAt' | 'tokensValidAfter'>>> {
      return db
        .select({ id: users.id, disabledAt: users.disabledAt, tokensValidAfter: users.tokensValidAfter })
        .from(users)
        .where(or(gt(users.disabledAt, since), gt(users.tokensValidAfter, since)))
        .for('share');
    },

    async update(db: Db, id: string, changes: UserChanges): Promise<UserRow | undefined> {
      const rows = await db
        .update(users)
        .set({ ...changes, updatedAt: sql`now()` })
        .where(eq(users.id, id))
        .returning();
      return rows[0];
    },

    async setPasswordHash(db: Db, id: string, passwordHash: string): Promise<void> {
      await db.update(users).set({ passwordHash }).where(eq(users.id, id));
    },
  };
}

export type UserRepository = ReturnType<typeof createUserRepository>;
