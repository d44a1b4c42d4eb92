import type { EventOutbox } from '@timeslot/adapters';
import type { Logger } from '@timeslot/kernel';
import type { Database } from '@timeslot/ports';
import type { GoogleSettings } from './adapters/google';
import type { CalendarSecrets } from './secrets';
import type { CalendarTables } from './tables';

export interface CalendarOptions {
  /** Postgres schema (default 'calendar'; tests use a unique one). */
  readonly schema?: string;
  /** The calendar's key (CALENDAR_TOKEN_KEY): 32 bytes. */
  readonly tokenKey: Buffer;
  /** Built-in meeting links are this plus an unguessable token (default https://meet.jit.si/timeslot-). */
  readonly meetingBaseUrl?: string;
  /** Google Calendar; without it every meeting is a built-in link and nobody can connect Google. */
  readonly google?: GoogleSettings;
  /**
   * The shared secret other services present on the internal routes. Without it the internal
   * routes are not served (in-process callers need none).
   */
  readonly internalToken?: string;
  /** Time between background passes (sweep, due syncs, pending meetings) (default 30 s; 0: never, tests drive them). */
  readonly sweepIntervalMs?: number;
  /** A meeting made in a booking request whose booking was never confirmed is removed after this (default 1 hour). */
  readonly orphanAfterMs?: number;
  /** Busy times are re-read from Google this often (default 5 minutes). */
  readonly busyRefreshMs?: number;
  /** Busy times older than this are served as stale (and refreshed on demand) (default 15 minutes). */
  readonly busyStaleAfterMs?: number;
  /** How far ahead busy times are read (default 90 days). */
  readonly busyWindowDays?: number;
  /** The bus's retries of a booking event whose meeting work failed (default 8 attempts, from 1 s doubling). */
  readonly eventRetry?: { readonly maxAttempts?: number; readonly retryDelayMs?: number };
  /** The clock (tests move it). */
  readonly now?: () => Date;
}

export interface ResolvedCalendarOptions {
  readonly schema: string;
  readonly meetingBaseUrl: string;
  readonly google: GoogleSettings | undefined;
  readonly internalToken: string | undefined;
  readonly sweepIntervalMs: number;
  readonly orphanAfterMs: number;
  readonly busyRefreshMs: number;
  readonly busyStaleAfterMs: number;
  readonly busyWindowDays: number;
  readonly eventRetry: { readonly maxAttempts: number; readonly retryDelayMs: number };
  readonly now: () => Date;
}

export function resolveOptions(options: CalendarOptions): ResolvedCalendarOptions {
  return {
    schema: options.schema ?? 'calendar',
    meetingBaseUrl: options.meetingBaseUrl ?? 'https://meet.jit.si/timeslot-',
    google: options.google,
    internalToken: options.internalToken,
    sweepIntervalMs: options.sweepIntervalMs ?? 30_000,
    orphanAfterMs: options.orphanAfterMs ?? 3_600_000,
    busyRefreshMs: options.busyRefreshMs ?? 5 * 60_000,
    busyStaleAfterMs: options.busyStaleAfterMs ?? 15 * 60_000,
    busyWindowDays: options.busyWindowDays ?? 90,
    eventRetry: { maxAttempts: options.eventRetry?.maxAttempts ?? 8, retryDelayMs: options.eventRetry?.retryDelayMs ?? 1000 },
    now: options.now ?? (() => new Date()),
  };
}

/** Everything the calendar domain needs, built once by createCalendarService. */
export interface CalendarContext {
  readonly database: Database;
  readonly outbox: EventOutbox;
  readonly logger: Logger;
  readonly tables: CalendarTables;
  readonly secrets: CalendarSecrets;
  readonly options: ResolvedCalendarOptions;
}

/** Events name their publisher. */
export const eventSource = 'calendar';
