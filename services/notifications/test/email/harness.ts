import { randomUUID } from 'node:crypto';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import { createBullMqJobQueue, createMemoryCache, createMemoryEventBus, createPostgresDatabase, type BullMqJobQueue } from '@timeslot/adapters';
import { createLogger } from '@timeslot/kernel';
import type { Database, JobQueue } from '@timeslot/ports';
import { testServers, uniqueName } from '@timeslot/testing';
import type { NotificationsContext, NotificationsOptions } from '../../src/context';
import type { BookingSnapshot, EmailData } from '../../src/email/email.data';
import { createNotificationsService } from '../../src/index';
import type { NotificationKind } from '../../src/kinds';

/** A message as the SMTP server received it: envelope, parsed content, and when it arrived. */
export interface Received {
  readonly from: string;
  readonly to: readonly string[];
  readonly raw: Buffer;
  readonly mail: ParsedMail;
  readonly receivedAt: number;
}

/** What the server answers a message with: undefined accepts; an SMTP code refuses it. */
export type Verdict = { readonly code: number; readonly message: string } | undefined;

export interface TestSmtp {
  readonly url: string;
  readonly received: Received[];
  /** Every DATA the server saw, accepted or refused, by recipient. */
  readonly attempts: string[];
  /** Decides each message (default: accept all). */
  judge: (to: readonly string[], attempt: number) => Verdict;
  /** How long the server takes to answer each message's DATA (default 0): keeps messages in flight. */
  latencyMs: number;
  /** Called as each message's data has arrived whole, before the server answers it (with the count so far). */
  onData: (count: number) => void;
  /** Resolves once `count` messages have been accepted (rejects after `timeoutMs`). */
  waitFor(count: number, timeoutMs?: number): Promise<Received[]>;
  close(): Promise<void>;
}

/** A real SMTP server (the smtp-server package) on a free port, no TLS, no auth: what the mailer talks to. */
export async function startSmtp(): Promise<TestSmtp> {
  const received: Received[] = [];
  const attempts: string[] = [];
  let waiters: { count: number; resolve: () => void }[] = [];
  let parsing: Promise<void> = Promise.resolve();
  let dataCount = 0;
  const state: TestSmtp = {
    url: '',
    received,
    attempts,
    judge: () => undefined,
    latencyMs: 0,
    onData: () => undefined,
    async waitFor(count, timeoutMs = 20_000) {
      if (received.length >= count) return received;
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        new Promise<void>((resolve) => waiters.push({ count, resolve })),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`received ${received.length} of ${count} messages within ${timeoutMs} ms`)), timeoutMs);
        }),
      ]).finally(() => clearTimeout(timer));
      return received;
    },
    close: async () => undefined,
  };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    size: 10 * 1024 * 1024,
    onData(stream: SMTPServerDataStream, session: SMTPServerSession, callback: (error?: Error | null) => void) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        dataCount++;
        state.onData(dataCount);
        void answer();
      });
      const answer = async (): Promise<void> => {
        if (state.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, state.latencyMs));
        const to = session.envelope.rcptTo.map((address) => address.address);
        attempts.push(to.join(','));
        const verdict = state.judge(to, attempts.length);
        if (verdict !== undefined) {
          callback(Object.assign(new Error(verdict.message), { responseCode: verdict.code }));
          return;
        }
        const raw = Buffer.concat(chunks);
        const receivedAt = Date.now();
        const from = session.envelope.mailFrom === false ? '' : session.envelope.mailFrom.address;
        // One parse after another, so `received` keeps the order the server accepted them in.
        parsing = parsing.then(async () => {
          const mail = await simpleParser(raw);
          received.push({ from, to, raw, mail, receivedAt });
          waiters = waiters.filter((waiter) => {
            if (received.length < waiter.count) return true;
            waiter.resolve();
            return false;
          });
        });
        callback();
      };
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return Object.assign(state, {
    url: `smtp://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}

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
