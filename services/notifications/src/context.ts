import type { EventOutbox } from '@timeslot/adapters';
import type { Logger } from '@timeslot/kernel';
import type { Cache, Database, EventBus, JobQueue } from '@timeslot/ports';

export interface NotificationsOptions {
  /** Postgres schema (default 'notifications'; tests use a unique one). */
  readonly schema?: string;
  /** Where links in messages point (the web front end), e.g. https://book.example.com. */
  readonly publicUrl?: string;
  /** The From header of every email. */
  readonly emailFrom?: string;
  /**
   * SMTP server (smtp:// or smtps://, credentials in the URL). Without it messages are written as
   * .eml files under `mailDir` (embedded mode's default).
   */
  readonly smtpUrl?: string;
  /** Where .eml files go without SMTP (default data/mail). */
  readonly mailDir?: string;
  /** Emails started per minute across every worker of every process (default 300). */
  readonly emailRatePerMinute?: number;
  /** Emails sent at once per worker process (default 4). */
  readonly emailConcurrency?: number;
  /** Reminder offsets before the start, in minutes (default 24 h and 1 h). */
  readonly reminderOffsetsMinutes?: readonly number[];
  /** The clock (tests move it). */
  readonly now?: () => Date;
}

export type ResolvedNotificationsOptions = Required<Omit<NotificationsOptions, 'smtpUrl'>> & { readonly smtpUrl: string | undefined };

export function resolveOptions(options: NotificationsOptions = {}): ResolvedNotificationsOptions {
  return {
    schema: options.schema ?? 'notifications',
    publicUrl: options.publicUrl ?? 'http://127.0.0.1:8080',
    emailFrom: options.emailFrom ?? 'Timeslot <no-reply@timeslot.invalid>',
    smtpUrl: options.smtpUrl,
    mailDir: options.mailDir ?? 'data/mail',
    emailRatePerMinute: options.emailRatePerMinute ?? 300,
    emailConcurrency: options.emailConcurrency ?? 4,
    reminderOffsetsMinutes: options.reminderOffsetsMinutes ?? [24 * 60, 60],
    now: options.now ?? (() => new Date()),
  };
}

/** Everything the notifications domain needs, built once by createNotificationsService. */
export interface NotificationsContext {
  readonly database: Database;
  readonly cache: Cache;
  readonly bus: EventBus;
  readonly jobs: JobQueue;
  readonly outbox: EventOutbox;
  readonly logger: Logger;
  readonly options: ResolvedNotificationsOptions;
}

/** Queue names, in one place: the admin API and the metrics list them. */
export const emailQueue = 'notifications-email';
