import { bigint, boolean, integer, jsonb, pgSchema, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import type { EmailData } from './email/email.data';
import type { Delivery } from './inbox/delivery.model';

/**
 * Drizzle definitions of the tables migrations/0001_init.sql creates, for typed queries only: the
 * SQL file is the source of truth. The schema name is a parameter so a test can isolate itself.
 */
export function notificationsTables(schemaName: string) {
  const schema = pgSchema(schemaName);
  const instant = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

  const recipients = schema.table('recipients', {
    userId: uuid('user_id').primaryKey(),
    email: text('email').notNull(),
    name: text('name').notNull(),
    role: text('role').notNull(),
    timeZone: text('time_zone').notNull(),
    locale: text('locale').notNull(),
    disabled: boolean('disabled').notNull().default(false),
    updatedAt: instant('updated_at').notNull().defaultNow(),
  });

  const bookings = schema.table('bookings', {
    id: uuid('id').primaryKey(),
    clientId: uuid('client_id').notNull(),
    providerUserId: uuid('provider_user_id'),
    status: text('status').notNull(),
    startsAt: instant('starts_at').notNull(),
    endsAt: instant('ends_at').notNull(),
    snapshot: jsonb('snapshot').notNull(),
    lastEventAt: instant('last_event_at').notNull(),
  });

  const notifications = schema.table('notifications', {
    id: uuid('id').primaryKey(),
    seq: bigint('seq', { mode: 'number' }).generatedAlwaysAsIdentity(),
    userId: uuid('user_id').notNull(),
    kind: text('kind').notNull(),
    title: text('title').notNull(),
    body: text('body').notNull(),
    data: jsonb('data').$type<Record<string, unknown>>().notNull(),
    eventId: uuid('event_id').notNull(),
    createdAt: instant('created_at').notNull().defaultNow(),
    readAt: instant('read_at'),
  });

  const deferredDeliveries = schema.table(
    'deferred_deliveries',
    {
      eventId: uuid('event_id').notNull(),
      userId: uuid('user_id').notNull(),
      delivery: jsonb('delivery').$type<Delivery>().notNull(),
      createdAt: instant('created_at').notNull().defaultNow(),
    },
    (table) => [primaryKey({ columns: [table.eventId, table.userId] })],
  );

  const preferences = schema.table(
    'preferences',
    {
      userId: uuid('user_id').notNull(),
      kind: text('kind').notNull(),
      channel: text('channel', { enum: ['email', 'in_app', 'off'] }).notNull(),
      updatedAt: instant('updated_at').notNull().defaultNow(),
    },
    (table) => [primaryKey({ columns: [table.userId, table.kind] })],
  );

  const emails = schema.table('emails', {
    id: text('id').primaryKey(),
    userId: uuid('user_id').notNull(),
    kind: text('kind').notNull(),
    bookingId: uuid('booking_id'),
    occurredAt: instant('occurred_at').notNull(),
    sendAfter: instant('send_after').notNull().defaultNow(),
    data: jsonb('data').$type<EmailData>().notNull(),
    status: text('status', { enum: ['pending', 'sent', 'failed', 'skipped'] }).notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    messageId: text('message_id'),
    lastError: text('last_error'),
    createdAt: instant('created_at').notNull().defaultNow(),
    sentAt: instant('sent_at'),
  });

  return { recipients, bookings, notifications, deferredDeliveries, preferences, emails };
}

export type NotificationsTables = ReturnType<typeof notificationsTables>;
