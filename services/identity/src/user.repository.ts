import { and, desc, eq, gt, isNotNull, isNull, or, sql, type SQL } from 'drizzle-orm';
import type { Db, Role } from '@timeslot/ports';
import type { IdentityTables, UserRow } from './tables';
import type { UserCursor, UserStatus } from './user.schemas';

export type NewUser = Omit<UserRow, 'createdAt' | 'updatedAt' | 'disabledAt' | 'disabledReason' | 'tokensValidAfter'>;
export type UserChanges = Partial<Pick<UserRow, 'name' | 'timeZone' | 'locale'>>;

export interface UserListFilter {
  readonly q?: string | undefined;
  readonly role?: Role | undefined;
  readonly status?: UserStatus | undefined;
  readonly after?: UserCursor | undefined;
  readonly limit: number;
}

/** `%`, `_` and `\` typed by an administrator are literal characters, not wildcards. */
function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

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
     * Accounts disabled after `since`, or re-enabled after being disabled then, or signed out
     * everywhere then (both set tokens_valid_after), share-locked until the transaction ends, so
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

    /**
     * Accounts newest first, ordered by (created_at, id) descending, the keyset the
     * users_created_at_id_idx index serves. Each row comes with its `position`: created_at to the
     * microsecond, as text, for the next page's cursor.
     */
    async list(db: Db, filter: UserListFilter): Promise<Array<{ row: UserRow; position: string }>> {
      const conditions: SQL[] = [];
      if (filter.q !== undefined && filter.q !== '') {
        const pattern = likePattern(filter.q);
        conditions.push(sql`(${users.email} ilike ${pattern} or ${users.name} ilike ${pattern})`);
      }
      if (filter.role !== undefined) conditions.push(eq(users.role, filter.role));
      if (filter.status === 'active') conditions.push(isNull(users.disabledAt));
      if (filter.status === 'disabled') conditions.push(isNotNull(users.disabledAt));
      if (filter.after !== undefined) {
        conditions.push(sql`(${users.createdAt}, ${users.id}) < (${filter.after.createdAt}::timestamptz, ${filter.after.id}::uuid)`);
      }
      return db
        .select({ row: users, position: sql<string>`to_char(${users.createdAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')` })
        .from(users)
        .where(and(...conditions))
        .orderBy(desc(users.createdAt), desc(users.id))
        .limit(filter.limit);
    },

    /** Sets `tokensValidAfter` to `at` unless it is already later: access tokens issued until then are refused. */
    async setTokensValidAfter(db: Db, id: string, at: Date): Promise<UserRow | undefined> {
      const rows = await db
        .update(users)
        .set({ tokensValidAfter: sql`greatest(${users.tokensValidAfter}, ${at.toISOString()}::timestamptz)`, updatedAt: sql`now()` })
        .where(eq(users.id, id))
        .returning();
      return rows[0];
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
