import { pgSchema, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { roles } from '@timeslot/ports';

/**
 * Drizzle definitions of the tables migrations/*.sql create, for typed queries only: the SQL files
 * are the source of truth for the schema (indexes, constraints). The schema name is a parameter
 * so a test can isolate itself in a uniquely named schema on a shared PostgreSQL server.
 */
export function identityTables(schemaName: string) {
  const schema = pgSchema(schemaName);

  const users = schema.table('users', {
    id: uuid('id').primaryKey(),
    email: text('email').notNull(),
    name: text('name').notNull(),
    role: text('role', { enum: roles }).notNull(),
    passwordHash: text('password_hash').notNull(),
    timeZone: text('time_zone').notNull(),
    locale: text('locale').notNull(),
    disabledAt: timestamp('disabled_at', { withTimezone: true }),
    disabledReason: text('disabled_reason'),
    /**
     * Access tokens issued until then stay refused: set on re-enabling, to when the account had
     * been disabled, and by a sign-out everywhere, to its instant.
     */
    tokensValidAfter: timestamp('tokens_valid_after', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  });

  const refreshTokens = schema.table('refresh_tokens', {
    id: uuid('id').primaryKey(),
    tokenHash: text('token_hash').notNull(),
    userId: uuid('user_id').notNull(),
    familyId: uuid('family_id').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  });

  return { schemaName, users, refreshTokens };
}

export type IdentityTables = ReturnType<typeof identityTables>;
export type UserRow = IdentityTables['users']['$inferSelect'];
export type RefreshTokenRow = IdentityTables['refreshTokens']['$inferSelect'];
