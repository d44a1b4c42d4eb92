import { and, asc, eq, sql, type SQL } from 'drizzle-orm';
import type { Db } from '@timeslot/ports';
import type { ProviderRow, SchedulingTables } from '../tables';
import type { SearchCursor } from './provider.schemas';

export type NewProviderRow = Omit<ProviderRow, 'createdAt' | 'updatedAt'>;
export type ProviderRowChanges = Partial<Pick<ProviderRow, 'displayName' | 'title' | 'specialty' | 'bio' | 'timeZone' | 'photoUrl' | 'published'>>;

export interface ProviderSearch {
  readonly q?: string | undefined;
  readonly specialty?: string | undefined;
  readonly after?: SearchCursor | undefined;
  readonly limit: number;
}

/** `%` and `_` typed by a user are literal characters, not wildcards. */
function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** All SQL about provider profiles. Every method takes the handle to use, so it works inside a transaction. */
export function createProviderRepository(tables: SchedulingTables) {
  const { providers } = tables;
  return {
    /** The new row, or undefined when the user already has a profile. */
    async insert(db: Db, row: NewProviderRow): Promise<ProviderRow | undefined> {
      // The unique user_id, not a prior lookup, decides: two concurrent creations cannot both pass.
      const rows = await db.insert(providers).values(row).onConflictDoNothing({ target: providers.userId }).returning();
      return rows[0];
    },

    async findById(db: Db, id: string): Promise<ProviderRow | undefined> {
      const rows = await db.select().from(providers).where(eq(providers.id, id)).limit(1);
      return rows[0];
    },

    async findByUserId(db: Db, userId: string): Promise<ProviderRow | undefined> {
      const rows = await db.select().from(providers).where(eq(providers.userId, userId)).limit(1);
      return rows[0];
    },

    async update(db: Db, id: string, changes: ProviderRowChanges): Promise<ProviderRow | undefined> {
      const rows = await db
        .update(providers)
        .set({ ...changes, updatedAt: sql`now()` })
        .where(eq(providers.id, id))
        .returning();
      return rows[0];
    },

    /** Published profiles ordered by (display_name, id), the keyset the partial index serves. */
    async search(db: Db, search: ProviderSearch): Promise<ProviderRow[]> {
      const conditions: SQL[] = [eq(providers.published, true)];
      if (search.q !== undefined && search.q !== '') {
        const pattern = likePattern(search.q);
        conditions.push(
          sql`(${providers.displayName} ilike ${pattern} or ${providers.title} ilike ${pattern} or ${providers.specialty} ilike ${pattern})`,
        );
      }
      if (search.specialty !== undefined) conditions.push(sql`lower(${providers.specialty}) = lower(${search.specialty})`);
      if (search.after !== undefined) {
        conditions.push(sql`(${providers.displayName}, ${providers.id}) > (${search.after.displayName}, ${search.after.id}::uuid)`);
      }
      return db
        .select()
        .from(providers)
        .where(and(...conditions))
        .orderBy(asc(providers.displayName), asc(providers.id))
        .limit(search.limit);
    },
  };
}

export type ProviderRepository = ReturnType<typeof createProviderRepository>;
