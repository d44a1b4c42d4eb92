import { integer, pgSchema, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/**
 * Drizzle definitions of the tables migrations/0001_init.sql creates, for typed queries only: the
 * SQL file is the source of truth. The schema name is a parameter so tests can isolate themselves.
 */

export const meetingStates = ['unattached', 'pending', 'ready', 'cancelled', 'dropped'] as const;
export type MeetingState = (typeof meetingStates)[number];
export const meetingKinds = ['builtin', 'google'] as const;
export type MeetingKind = (typeof meetingKinds)[number];

const at = (name: string) => timestamp(name, { withTimezone: true });

export function calendarTables(schemaName: string) {
  const schema = pgSchema(schemaName);

  const meetings = schema.table('meetings', {
    bookingId: uuid('booking_id').primaryKey(),
    providerUserId: uuid('provider_user_id').notNull(),
    clientId: uuid('client_id').notNull(),
    state: text('state', { enum: meetingStates }).notNull(),
    kind: text('kind', { enum: meetingKinds }),
    url: text('url'),
    generation: integer('generation').notNull().default(0),
    googleEventId: text('google_event_id'),
    serviceName: text('service_name').notNull(),
    providerName: text('provider_name').notNull(),
    timeZone: text('time_zone').notNull(),
    startsAt: at('starts_at').notNull(),
    endsAt: at('ends_at').notNull(),
    timesAsOf: at('times_as_of').notNull(),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: at('next_attempt_at'),
    lastError: text('last_error'),
    createdAt: at('created_at').notNull().defaultNow(),
    updatedAt: at('updated_at').notNull().defaultNow(),
  });

  const googleConnections = schema.table('google_connections', {
    userId: uuid('user_id').primaryKey(),
    accountEmail: text('account_email'),
    calendarId: text('calendar_id').notNull().default('primary'),
    refreshToken: text('refresh_token').notNull(),
    accessToken: text('access_token'),
    accessTokenExpiresAt: at('access_token_expires_at'),
    scopes: text('scopes').notNull(),
    brokenAt: at('broken_at'),
    syncedAt: at('synced_at'),
    syncFailedAt: at('sync_failed_at'),
    syncError: text('sync_error'),
    nextSyncAt: at('next_sync_at').notNull().defaultNow(),
    busyDigest: text('busy_digest'),
    busyUntil: at('busy_until'),
    connectedAt: at('connected_at').notNull().defaultNow(),
    updatedAt: at('updated_at').notNull().defaultNow(),
  });

  const busyPeriods = schema.table('busy_periods', {
    userId: uuid('user_id').notNull(),
    startsAt: at('starts_at').notNull(),
    endsAt: at('ends_at').notNull(),
  });

  const oauthStates = schema.table('oauth_states', {
    stateHash: text('state_hash').primaryKey(),
    userId: uuid('user_id').notNull(),
    codeVerifier: text('code_verifier').notNull(),
    expiresAt: at('expires_at').notNull(),
    createdAt: at('created_at').notNull().defaultNow(),
  });

  return { schemaName, meetings, googleConnections, busyPeriods, oauthStates };
}

export type CalendarTables = ReturnType<typeof calendarTables>;
export type MeetingRow = CalendarTables['meetings']['$inferSelect'];
export type ConnectionRow = CalendarTables['googleConnections']['$inferSelect'];
