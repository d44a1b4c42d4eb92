import type { UserRow } from './tables';
import type { AdminUser, User } from './user.schemas';

export const eventSource = 'identity';

/** The user as API responses, the cache and create-admin show it: never the password hash. */
export function toUser(row: UserRow): User {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role,
    timeZone: row.timeZone,
    locale: row.locale,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** The user as an administrator sees it: with the account's status. */
export function toAdminUser(row: UserRow): AdminUser {
  return { ...toUser(row), disabledAt: row.disabledAt?.toISOString() ?? null, disabledReason: row.disabledReason };
}
