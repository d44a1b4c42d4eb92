import type { EventOutbox } from '@timeslot/adapters';
import type { Logger } from '@timeslot/kernel';
import type { Cache, CalendarClient, Database, JobQueue, PaymentsClient } from '@timeslot/ports';
import type { SlotCache } from './providers/slots.cache';
import type { SlotsPageMeta } from './providers/slots.service';
import type { SchedulingTables } from './tables';

export interface SchedulingOptions {
  /** Postgres schema (default 'scheduling'; tests use a unique one). */
  readonly schema?: string;
  /** How long a paid booking's hold lasts before a job releases it (default 10 minutes). */
  readonly holdMinutes?: number;
  /** How long a waitlist offer (a hold for the next in line) lasts (default 15 minutes). */
  readonly waitlistOfferMinutes?: number;
  /** TTL of cached profiles, services and availability (default 5 minutes). */
  readonly cacheTtlMs?: number;
  /** Idempotency keys are kept this long (default 24 hours). */
  readonly idempotencyTtlHours?: number;
  /**
   * How long a booking request waits for its meeting link before confirming without it (meeting
   * pending; the link follows through meeting.ready) (default 1500 ms).
   */
  readonly meetingTimeoutMs?: number;
  /** How long a slot computation or a booking waits for a provider's external busy times (default 500 ms). */
  readonly busyTimesTimeoutMs?: number;
  /** How long a paid booking request waits for its payment order before answering without it (default 2000 ms). */
  readonly paymentTimeoutMs?: number;
  /** The clock (tests move it). */
  readonly now?: () => Date;
}

export type ResolvedSchedulingOptions = Required<SchedulingOptions>;

/** Everything the scheduling domain needs, built once by createSchedulingService. */
export interface SchedulingContext {
  readonly database: Database;
  readonly cache: Cache;
  readonly jobs: JobQueue;
  readonly outbox: EventOutbox;
  readonly logger: Logger;
  readonly tables: SchedulingTables;
  readonly options: ResolvedSchedulingOptions;
  /** Computed slot pages; every write that changes a provider's slots calls `changed` after commit. */
  readonly slotCache: SlotCache<SlotsPageMeta>;
  /**
   * The calendar service (meeting links, external busy times), in-process or over HTTP; undefined
   * when none is configured: bookings then get no meetings and slots no external busy times.
   */
  readonly calendar: CalendarClient | undefined;
  /**
   * The payments service (payment orders of held bookings), in-process or over HTTP; undefined
   * when none is configured: paid bookings are then held without an order (confirmed by an admin).
   */
  readonly payments: PaymentsClient | undefined;
}

export function resolveOptions(options: SchedulingOptions = {}): ResolvedSchedulingOptions {
  return {
    schema: options.schema ?? 'scheduling',
    holdMinutes: options.holdMinutes ?? 10,
    waitlistOfferMinutes: options.waitlistOfferMinutes ?? 15,
    cacheTtlMs: options.cacheTtlMs ?? 5 * 60_000,
    idempotencyTtlHours: options.idempotencyTtlHours ?? 24,
    meetingTimeoutMs: options.meetingTimeoutMs ?? 1500,
    busyTimesTimeoutMs: options.busyTimesTimeoutMs ?? 500,
    paymentTimeoutMs: options.paymentTimeoutMs ?? 2000,
    now: options.now ?? (() => new Date()),
  };
}

/** Cache keys in one place, so every writer invalidates what every reader caches. */
export const cacheKeys = {
  provider: (providerId: string) => `scheduling:provider:${providerId}`,
  services: (providerId: string) => `scheduling:services:${providerId}`,
  availability: (providerId: string) => `scheduling:availability:${providerId}`,
} as const;
