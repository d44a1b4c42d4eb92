import type { UserRow } from './tables';
import type { User } from './user.schemas';

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
