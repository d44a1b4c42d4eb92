import { bigint, boolean, customType, date, integer, jsonb, pgSchema, smallint, text, time, timestamp, uuid } from 'drizzle-orm/pg-core';

/**
 * Drizzle definitions of the tables migrations/0001_init.sql creates, for typed queries only: the
 * SQL file is the source of truth (constraints, indexes, the exclusion constraint). The schema name
 * is a parameter so a test can isolate itself in a uniquely named schema.
 */

/** A tstzrange as text, e.g. `["2030-01-01 10:00:00+00","2030-01-01 11:00:00+00")`. */
export const tstzrange = customType<{ data: string; driverData: string }>({
  dataType: () => 'tstzrange',
});

const timestamps = {
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
};

export const bookingStatuses = ['pending_payment', 'confirmed', 'expired', 'cancelled', 'completed', 'no_show'] as const;
export type BookingStatus = (typeof bookingStatuses)[number];
export const liveStatuses: readonly BookingStatus[] = ['pending_payment', 'confirmed'];
export const locationKinds = ['video', 'in_person', 'phone'] as const;
export const meetingStatuses = ['none', 'pending', 'ready'] as const;
export type MeetingStatus = (typeof meetingStatuses)[number];
export const waitlistStatuses = ['waiting', 'offered', 'booked', 'cancelled'] as const;

export function schedulingTables(schemaName: string) {
  const schema = pgSchema(schemaName);

  const providers = schema.table('providers', {
    id: uuid('id').primaryKey(),
    userId: uuid('user_id').notNull(),
    displayName: text('display_name').notNull(),
    title: text('title').notNull().default(''),
    specialty: text('specialty'),
    bio: text('bio').notNull().default(''),
    timeZone: text('time_zone').notNull(),
    photoUrl: text('photo_url'),
    published: boolean('published').notNull().default(false),
    ...timestamps,
  });

  const services = schema.table('services', {
    id: uuid('id').primaryKey(),
    providerId: uuid('provider_id').notNull(),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    durationMinutes: integer('duration_minutes').notNull(),
    slotIntervalMinutes: integer('slot_interval_minutes').notNull(),
    bufferBeforeMinutes: integer('buffer_before_minutes').notNull().default(0),
    bufferAfterMinutes: integer('buffer_after_minutes').notNull().default(0),
    minNoticeMinutes: integer('min_notice_minutes').notNull().default(0),
    bookingWindowDays: integer('booking_window_days').notNull().default(60),
    capacity: integer('capacity').notNull().default(1),
    priceAmount: bigint('price_amount', { mode: 'number' }).notNull().default(0),
    currency: text('currency').notNull().default('USD'),
    locationKind: text('location_kind', { enum: locationKinds }).notNull(),
    locationAddress: text('location_address'),
    cancellationWindowMinutes: integer('cancellation_window_minutes').notNull().default(0),
    active: boolean('active').notNull().default(true),
    ...timestamps,
  });

  const availabilityRules = schema.table('availability_rules', {
    providerId: uuid('provider_id').notNull(),
    /** ISO weekday: 1 = Monday … 7 = Sunday. */
    weekday: smallint('weekday').notNull(),
    /** "HH:MM:SS" wall-clock time in the provider's zone. */
    startTime: time('start_time').notNull(),
    endTime: time('end_time').notNull(),
  });

  const availabilityOverrides = schema.table('availability_overrides', {
    providerId: uuid('provider_id').notNull(),
    /** "YYYY-MM-DD" in the provider's zone. */
    date: date('date', { mode: 'string' }).notNull(),
    /** Both null: closed all day. */
    startTime: time('start_time'),
    endTime: time('end_time'),
  });

  const blockedPeriods = schema.table('blocked_periods', {
    id: uuid('id').primaryKey(),
    providerId: uuid('provider_id').notNull(),
    period: tstzrange('period').notNull(),
    reason: text('reason').notNull().default(''),
  });

  const bookings = schema.table('bookings', {
    id: uuid('id').primaryKey(),
    providerId: uuid('provider_id').notNull(),
    serviceId: uuid('service_id').notNull(),
    clientId: uuid('client_id').notNull(),
    status: text('status', { enum: bookingStatuses }).notNull(),
    startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
    endsAt: timestamp('ends_at', { withTimezone: true }).notNull(),
    /** [starts_at - buffer_before, ends_at + buffer_after): the provider's occupied time. */
    occupied: tstzrange('occupied').notNull(),
    /** One-to-one: the booking id. Seated: `<service id>@<start ISO>`, shared by the session's seats. */
    sessionKey: text('session_key').notNull(),
    capacity: integer('capacity').notNull(),
    seat: integer('seat').notNull(),
    notes: text('notes'),
    holdExpiresAt: timestamp('hold_expires_at', { withTimezone: true }),
    cancelReason: text('cancel_reason'),
    cancelledBy: uuid('cancelled_by'),
    /** See migrations/0002_meetings.sql. */
    meetingStatus: text('meeting_status', { enum: meetingStatuses }).notNull().default('none'),
    meetingUrl: text('meeting_url'),
    ...timestamps,
  });

  const idempotencyKeys = schema.table('idempotency_keys', {
    clientId: uuid('client_id').notNull(),
    key: text('key').notNull(),
    requestHash: text('request_hash').notNull(),
    statusCode: integer('status_code').notNull(),
    response: jsonb('response').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  });

  const waitlistEntries = schema.table('waitlist_entries', {
    id: uuid('id').primaryKey(),
    /** Arrival order, assigned by the database (generated always as identity). */
    position: bigint('position', { mode: 'number' }).notNull(),
    clientId: uuid('client_id').notNull(),
    providerId: uuid('provider_id').notNull(),
    serviceId: uuid('service_id').notNull(),
    startsAt: timestamp('starts_at', { withTimezone: true }),
    date: date('date', { mode: 'string' }),
    status: text('status', { enum: waitlistStatuses }).notNull(),
    offeredBookingId: uuid('offered_booking_id'),
    offerExpiresAt: timestamp('offer_expires_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  });

  const icsFeeds = schema.table('ics_feeds', {
    providerId: uuid('provider_id').primaryKey(),
    tokenHash: text('token_hash').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  });

  return {
    schemaName,
    providers,
    services,
    availabilityRules,
    availabilityOverrides,
    blockedPeriods,
    bookings,
    idempotencyKeys,
    waitlistEntries,
    icsFeeds,
  };
}

export type SchedulingTables = ReturnType<typeof schedulingTables>;
export type ProviderRow = SchedulingTables['providers']['$inferSelect'];
export type ServiceRow = SchedulingTables['services']['$inferSelect'];
export type BookingRow = SchedulingTables['bookings']['$inferSelect'];
export type WaitlistRow = SchedulingTables['waitlistEntries']['$inferSelect'];
