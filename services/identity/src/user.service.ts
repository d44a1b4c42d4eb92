import { events, makeEvent, type Cache, type Database } from '@timeslot/ports';
import { identityErrors } from './errors';
import type { EventOutbox } from '@timeslot/adapters';
import { eventSource, toUser } from './user.model';
import type { UserRepository } from './user.repository';
import type { UserRow } from './tables';
import type { ProfileChanges, User } from './user.schemas';

export interface UserServiceDeps {
  readonly database: Database;
  readonly users: UserRepository;
  readonly cache: Cache;
  readonly outbox: EventOutbox;
  readonly cacheTtlMs: number;
}

export const userCacheKey = (userId: string): string => `identity:user:${userId}`;

/**
 * The signed-in user's own row, or why there is none. Thrown, not returned, so that a missing or
 * disabled account is never cached. A token whose user is gone is a credential problem (401), not
 * a missing resource; a disabled account is known and refused (403).
 */
function usable(row: UserRow | undefined): UserRow {
  if (row === undefined) throw identityErrors.accountNotFound();
  if (row.disabledAt !== null) throw identityErrors.accountDisabled();
  return row;
}

export function createUserService(deps: UserServiceDeps) {
  const { database, users, cache, outbox } = deps;

  return {
    /** Cached: the profile is read on nearly every page and changes rarely. */
    async getProfile(userId: string): Promise<User> {
      return cache.getOrLoad(userCacheKey(userId), deps.cacheTtlMs, async () => toUser(usable(await users.findById(database.db, userId))));
    },

    async updateProfile(userId: string, changes: ProfileChanges, requestId?: string): Promise<User> {
      const row = await database.db.transaction(async (tx) => {
        usable(await users.findByIdForUpdate(tx, userId));
        const updated = await users.update(tx, userId, changes);
        if (updated === undefined) return undefined;
        const data = { userId: updated.id, name: updated.name, timeZone: updated.timeZone, locale: updated.locale };
        await outbox.append(tx, [makeEvent(events.userUpdated, data, { source: eventSource, requestId })]);
        return updated;
      });
      if (row === undefined) throw identityErrors.accountNotFound();
      // After the commit: invalidating earlier would let a concurrent read cache the old row again.
      await cache.delete(userCacheKey(userId));
      outbox.notify();
      return toUser(row);
    },
  };
}

export type UserService = ReturnType<typeof createUserService>;
