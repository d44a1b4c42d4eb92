import { and, asc, eq, sql } from 'drizzle-orm';
import type { Db } from '@timeslot/ports';
import type { SchedulingTables, ServiceRow } from '../tables';

export type NewServiceRow = Omit<ServiceRow, 'createdAt' | 'updatedAt'>;
export type ServiceRowChanges = Partial<Omit<ServiceRow, 'id' | 'providerId' | 'createdAt' | 'updatedAt'>>;

/** All SQL about a provider's services (event types). */
export function createOfferingRepository(tables: SchedulingTables) {
  const { services } = tables;
  return {
    async insert(db: Db, row: NewServiceRow): Promise<ServiceRow> {
      const rows = await db.insert(services).values(row).returning();
      return rows[0]!;
    },

    /** Every service of the provider, active or not, oldest first. */
    async listByProvider(db: Db, providerId: string): Promise<ServiceRow[]> {
      return db.select().from(services).where(eq(services.providerId, providerId)).orderBy(asc(services.createdAt), asc(services.id));
    },

    async update(db: Db, providerId: string, id: string, changes: ServiceRowChanges): Promise<ServiceRow | undefined> {
      const rows = await db
        .update(services)
        .set({ ...changes, updatedAt: sql`now()` })
        .where(and(eq(services.id, id), eq(services.providerId, providerId)))
        .returning();
      return rows[0];
    },
  };
}

export type OfferingRepository = ReturnType<typeof createOfferingRepository>;
