import { randomUUID } from 'node:crypto';
import { createBullMqJobQueue, createMemoryCache, createMemoryEventBus, createPostgresDatabase, type BullMqJobQueue } from '@timeslot/adapters';
import { createLogger } from '@timeslot/kernel';
import type { Database, JobQueue } from '@timeslot/ports';
import { testServers, uniqueName } from '@timeslot/testing';

export { startSmtp, type Received, type TestSmtp, type Verdict } from '@timeslot/testing';
import type { NotificationsContext, NotificationsOptions } from '../../src/context';
import type { BookingSnapshot, EmailData } from '../../src/email/email.data';
import { createNotificationsService } from '../../src/index';
import type { NotificationKind } from '../../src/kinds';

export interface Recipient {
  readonly userId: string;
  readonly email: string;
  readonly name: string;
  readonly timeZone: string;
  readonly locale: string;
  readonly role?: 'client' | 'provider';
  readonly disabled?: boolean;
}

/** A confirmed video booking on 2030-01-07 09:00–09:30 UTC unless told otherwise. */
export function bookingSnapshot(overrides: Partial<BookingSnapshot> = {}): BookingSnapshot {
  return {
    bookingId: randomUUID(),
    providerId: randomUUID(),
    serviceId: randomUUID(),
    clientId: randomUUID(),
    status: 'confirmed',
    startsAt: '2030-01-07T09:00:00.000Z',
    endsAt: '2030-01-07T09:30:00.000Z',
    seat: 1,
    priceAmount: 4500,
    currency: 'EUR',
    holdExpiresAt: null,
    providerUserId: randomUUID(),
    providerName: 'Dr. Ada Lovelace',
    providerTimeZone: 'Europe/London',
    serviceName: 'Consultation',
    locationKind: 'video',
    locationAddress: null,
    meetingUrl: 'https://meet.example.com/abc-def',
    ...overrides,
  };
}

export interface EmailRow {
  readonly id?: string;
  readonly userId: string;
  readonly kind: NotificationKind;
  readonly bookingId?: string | null;
  readonly occurredAt?: Date;
  readonly sendAfter?: Date;
  readonly data: Omit<EmailData, 'kind' | 'eventId'> & { readonly eventId?: string };
}

/** Rows straight into the notifications schema, as the event consumer would write them. */
export function rows(database: Database, schema: string) {
  const s = `"${schema}"`;
  return {
    async recipient(recipient: Recipient): Promise<Recipient> {
      await database.query(
        `insert into ${s}.recipients (user_id, email, name, role, time_zone, locale, disabled) values ($1, $2, $3, $4, $5, $6, $7)
         on conflict (user_id) do update set email = excluded.email, name = excluded.name, time_zone = excluded.time_zone, locale = excluded.locale, disabled = excluded.disabled`,
        [recipient.userId, recipient.email, recipient.name, recipient.role ?? 'client', recipient.timeZone, recipient.locale, recipient.disabled ?? false],
      );
      return recipient;
    },
    async booking(snapshot: BookingSnapshot, status: string = snapshot.status, startsAt: string = snapshot.startsAt): Promise<void> {
      await database.query(
        `insert into ${s}.bookings (id, client_id, provider_user_id, status, starts_at, ends_at, snapshot, last_event_at) values ($1, $2, $3, $4, $5, $6, $7, now())
         on conflict (id) do update set status = excluded.status, starts_at = excluded.starts_at`,
        [snapshot.bookingId, snapshot.clientId, snapshot.providerUserId ?? null, status, startsAt, snapshot.endsAt, JSON.stringify(snapshot)],
      );
    },
    async email(row: EmailRow): Promise<string> {
      const eventId = row.data.eventId ?? randomUUID();
      const id = row.id ?? `email-${eventId}-${row.userId}`;
      const data: EmailData = { ...row.data, kind: row.kind, eventId };
      await database.query(
        `insert into ${s}.emails (id, user_id, kind, booking_id, occurred_at, send_after, data) values ($1, $2, $3, $4, $5, coalesce($6::timestamptz, now()), $7)`,
        [id, row.userId, row.kind, row.bookingId ?? row.data.booking?.bookingId ?? null, (row.occurredAt ?? new Date()).toISOString(), row.sendAfter?.toISOString() ?? null, JSON.stringify(data)],
      );
      return id;
    },
    async status(id: string): Promise<{ status: string; attempts: number; message_id: string | null; last_error: string | null; sent_at: Date | null }> {
      const found = await database.query<{ status: string; attempts: number; message_id: string | null; last_error: string | null; sent_at: Date | null }>(
        `select status, attempts, message_id, last_error, sent_at from ${s}.emails where id = $1`,
        [id],
      );
      if (found[0] === undefined) throw new Error(`no email ${id}`);
      return found[0];
    },
    async statuses(): Promise<Record<string, number>> {
      const found = await database.query<{ status: string; count: number }>(`select status, count(*)::int as count from ${s}.emails group by status`);
      return Object.fromEntries(found.map((row) => [row.status, row.count]));
    },
  };
}

export const quietLogger = () => createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });

export interface Setup {
  readonly database: Database;
  readonly schema: string;
  readonly jobs: JobQueue;
  readonly context: NotificationsContext;
  readonly rows: ReturnType<typeof rows>;
  close(): Promise<void>;
}

/** A BullMQ job queue on the shared Redis under a prefix of the test's own. */
export function bullmq(prefix: string): BullMqJobQueue {
  return createBullMqJobQueue({ url: testServers.redis, prefix, logger: { warn: () => undefined, info: () => undefined } });
}

/**
 * A notifications schema of its own on the test PostgreSQL, migrated by the service itself, and
 * the service's context on the job queue given: what `startEmailWorkers` runs on.
 */
export async function setup(jobs: JobQueue, options: NotificationsOptions = {}): Promise<Setup> {
  const schema = uniqueName('notif_email');
  const database = await createPostgresDatabase({ url: testServers.postgres, poolSize: 6 });
  const service = await createNotificationsService({
    database,
    cache: createMemoryCache(),
    bus: createMemoryEventBus(),
    jobs,
    logger: quietLogger(),
    options: { ...options, schema },
  });
  await service.migrate();
  return {
    database,
    schema,
    jobs,
    context: service.context,
    rows: rows(database, schema),
    async close() {
      await database.query(`drop schema if exists "${schema}" cascade`);
      await database.close();
    },
  };
}
