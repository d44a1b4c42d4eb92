import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '@timeslot/ports';
import { defaultChannels, type Channel, type NotificationKind } from '../kinds';
import type { NotificationsTables } from '../tables';

/** A user's channel per kind; kinds without a row take their default. */
export function createPreferenceRepository(tables: NotificationsTables) {
  const { preferences } = tables;
  return {
    async channel(db: Db, userId: string, kind: NotificationKind): Promise<Channel> {
      const [row] = await db
        .select({ channel: preferences.channel })
        .from(preferences)
        .where(and(eq(preferences.userId, userId), eq(preferences.kind, kind)));
      return row?.channel ?? defaultChannels[kind];
    },

    async all(db: Db, userId: string): Promise<Record<NotificationKind, Channel>> {
      const rows = await db.select({ kind: preferences.kind, channel: preferences.channel }).from(preferences).where(eq(preferences.userId, userId));
      const chosen: Record<NotificationKind, Channel> = { ...defaultChannels };
      // A kind retired since its row was written is simply not shown.
      for (const row of rows) if (row.kind in chosen) chosen[row.kind as NotificationKind] = row.channel;
      return chosen;
    },

    async set(db: Db, userId: string, changes: ReadonlyArray<readonly [NotificationKind, Channel]>): Promise<void> {
      if (changes.length === 0) return;
      await db
        .insert(preferences)
        .values(changes.map(([kind, channel]) => ({ userId, kind, channel })))
        .onConflictDoUpdate({
          target: [preferences.userId, preferences.kind],
          set: { channel: sql`excluded.channel`, updatedAt: sql`now()` },
        });
    },
  };
}

export type PreferenceRepository = ReturnType<typeof createPreferenceRepository>;
