import { events, makeEvent, type Cache, type Database } from '@timeslot/ports';
import { identityErrors } from './errors';
import type { EventOutbox } from '@timeslot/adapters';
import { eventSource, toUser } from './user.model';
import type { UserRepository } from './user.repository';
import type { ProfileChanges, User } from './user.schemas';

export interface UserServiceDeps {
  readonly database: Database;
  readonly users: UserRepository;
  readonly cache: Cache;
  readonly outbox: EventOutbox;
  readonly cacheTtlMs: number;
}

export const userCacheKey = (userId: string): string => `identity:user:${userId}`;

export function createUserService(deps: UserServiceDeps) {
  const { database, users, cache, outbox } = deps;

  return {
    /** Cached: the profile is read on nearly every page and changes rarely. */
    async getProfile(userId: string): Promise<User> {
      return cache.getOrLoad(userCacheKey(userId), deps.cacheTtlMs, async () => {
        const row = await users.findById(database.db, userId);
        // Thrown, not returned, so that a missing user is never cached.
        if (row === undefined) throw identityErrors.userNotFound();
        return toUser(row);
      });
    },

    async updateProfile(userId: string, changes: ProfileChanges, requestId?: string): Promise<User> {
      const row = await database.db.transaction(async (tx) => {
        const updated = await users.update(tx, userId, changes);
        if (updated === undefined) return undefined;
        const data = { userId: updated.id, name: updated.name, timeZone: updated.timeZone, locale: updated.locale };
        await outbox.append(tx, [makeEvent(events.userUpdated, data, { source: eventSource, requestId })]);
        return updated;
      });
      if (row === undefined) throw identityErrors.userNotFound();
      // After the commit: invalidating earlier would let a concurrent read cache the old row again.
      await cache.delete(userCacheKey(userId));
      outbox.notify();
      return toUser(row);
    },
  };
}

export type UserService = ReturnType<typeof createUserService>;
