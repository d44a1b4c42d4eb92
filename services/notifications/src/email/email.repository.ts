import type { Database } from '@timeslot/ports';
import type { NotificationKind } from '../kinds';
import type { EmailData } from './email.data';

/** An email row as the worker claimed it, with its recipient and booking as the projections know them now. */
export interface ClaimedEmail {
  readonly id: string;
  readonly userId: string;
  readonly kind: NotificationKind;
  readonly bookingId: string | null;
  readonly occurredAt: Date;
  readonly sendAfter: Date;
  readonly createdAt: Date;
  readonly data: EmailData;
  /** Send attempts so far, this one included. */
  readonly attempts: number;
  readonly recipient: { readonly email: string; readonly name: string; readonly timeZone: string; readonly locale: string; readonly disabled: boolean } | null;
  readonly booking: { readonly status: string; readonly startsAt: Date } | null;
}

/** Why a row could not be claimed now. */
export type Unclaimable =
  | { readonly reason: 'gone' }
  | { readonly reason: 'not_due'; readonly dueInMs: number }
  | { readonly reason: 'claimed'; readonly freeInMs: number }
  | { readonly reason: 'order' };

export interface Party {
  readonly userId: string;
  readonly email: string;
  readonly name: string;
}

/** The claim statement's row: the email, its recipient (r_*) and booking (b_*), both possibly absent. */
interface ClaimRow {
  readonly id: string;
  readonly user_id: string;
  readonly kind: string;
  readonly booking_id: string | null;
  readonly occurred_at: unknown;
  readonly send_after: unknown;
  readonly created_at: unknown;
  readonly data: unknown;
  readonly attempts: number;
  readonly r_email: string | null;
  readonly r_name: string | null;
  readonly r_time_zone: string | null;
  readonly r_locale: string | null;
  readonly r_disabled: boolean | null;
  readonly b_status: string | null;
  readonly b_starts_at: unknown;
}

const toDate = (value: unknown): Date => (value instanceof Date ? value : new Date(String(value)));

function quoted(schema: string): string {
  return `"${schema.replace(/"/g, '""')}"`;
}

/**
 * All SQL of email delivery. Every state change is one statement guarded by status = 'pending', so
 * two workers racing on one row cannot both mark it, and a finished row never changes again.
 */
export function createEmailRepository(database: Database, schema: string) {
  const s = quoted(schema);
  // A due, earlier (occurred_at, then id) email of the same booking for the same user still pending:
  // this one waits, so one booking's emails arrive in the order their events happened.
  const earlierPending = `exists (
    select 1 from ${s}.emails p
    where p.booking_id = e.booking_id and p.user_id = e.user_id and p.status = 'pending'
      and p.send_after <= $2 and (p.occurred_at, p.id) < (e.occurred_at, e.id))`;

  return {
    /**
     * Claims the row for `leaseMs` and counts an attempt, if it is pending, due, not claimed by a
     * live lease, and not waiting for an earlier email of its booking (unless it has waited past
     * `orderWaitLimitMs` since it was due: a lost predecessor must not hold it back for ever).
     */
    async claim(id: string, now: Date, leaseMs: number, orderWaitLimitMs: number): Promise<ClaimedEmail | undefined> {
      const rows = await database.query<ClaimRow>(
        `with claimed as (
           update ${s}.emails e
              set claimed_until = $2::timestamptz + $3::double precision * interval '1 millisecond', attempts = e.attempts + 1
            where e.id = $1 and e.status = 'pending' and e.send_after <= $2
              and (e.claimed_until is null or e.claimed_until <= $2)
              and (e.booking_id is null
                   or greatest(e.send_after, e.created_at) <= $2::timestamptz - $4::double precision * interval '1 millisecond'
                   or not ${earlierPending})
            returning e.*)
         select c.id, c.user_id, c.kind, c.booking_id, c.occurred_at, c.send_after, c.created_at, c.data, c.attempts,
                r.email as r_email, r.name as r_name, r.time_zone as r_time_zone, r.locale as r_locale, r.disabled as r_disabled,
                b.status as b_status, b.starts_at as b_starts_at
           from claimed c
           left join ${s}.recipients r on r.user_id = c.user_id
           left join ${s}.bookings b on b.id = c.booking_id`,
        [id, now.toISOString(), leaseMs, orderWaitLimitMs],
        { name: `email-claim-${schema}` },
      );
      const row = rows[0];
      if (row === undefined) return undefined;
      return {
        id: row.id,
        userId: row.user_id,
        kind: row.kind as NotificationKind,
        bookingId: row.booking_id,
        occurredAt: toDate(row.occurred_at),
        sendAfter: toDate(row.send_after),
        createdAt: toDate(row.created_at),
        data: (typeof row.data === 'string' ? JSON.parse(row.data) : row.data) as EmailData,
        attempts: Number(row.attempts),
        recipient:
          row.r_email === null
            ? null
            : { email: row.r_email, name: row.r_name ?? '', timeZone: row.r_time_zone ?? 'UTC', locale: row.r_locale ?? 'en', disabled: row.r_disabled === true },
        booking: row.b_status === null ? null : { status: row.b_status, startsAt: toDate(row.b_starts_at) },
      };
    },

    /** After a failed claim: why, so the job can finish, wait, or come back. */
    async whyUnclaimable(id: string, now: Date): Promise<Unclaimable> {
      const rows = await database.query<{ status: string; send_after: unknown; claimed_until: unknown; blocked: boolean }>(
        `select e.status, e.send_after, e.claimed_until, (e.booking_id is not null and ${earlierPending}) as blocked
           from ${s}.emails e where e.id = $1`,
        [id, now.toISOString()],
      );
      const row = rows[0];
      if (row === undefined || row.status !== 'pending') return { reason: 'gone' };
      const due = toDate(row.send_after).getTime();
      if (due > now.getTime()) return { reason: 'not_due', dueInMs: due - now.getTime() };
      if (row.claimed_until !== null && toDate(row.claimed_until).getTime() > now.getTime()) {
        return { reason: 'claimed', freeInMs: toDate(row.claimed_until).getTime() - now.getTime() };
      }
      // Blocked, or the blocker finished between the two statements: either way, look again soon.
      return { reason: 'order' };
    },

    /** Sent: message id and time in the same statement that ends the row's life. */
    async markSent(id: string, messageId: string, sentAt: Date): Promise<boolean> {
      const rows = await database.query(
        `update ${s}.emails set status = 'sent', message_id = $2, sent_at = $3, claimed_until = null, last_error = null
          where id = $1 and status = 'pending' returning id`,
        [id, messageId, sentAt.toISOString()],
        { name: `email-sent-${schema}` },
      );
      return rows.length === 1;
    },

    /** 'skipped' (nobody to tell, or the reminder is stale) or 'failed' (refused, or out of attempts), with why. */
    async finish(id: string, status: 'skipped' | 'failed', reason: string): Promise<boolean> {
      const rows = await database.query(
        `update ${s}.emails set status = $2, last_error = $3, claimed_until = null where id = $1 and status = 'pending' returning id`,
        [id, status, reason.slice(0, 1000)],
      );
      return rows.length === 1;
    },

    /** A transient failure: the lease ends now so the retry may claim the row at once. */
    async release(id: string, error: string): Promise<void> {
      await database.query(`update ${s}.emails set claimed_until = null, last_error = $2 where id = $1 and status = 'pending'`, [id, error.slice(0, 1000)]);
    },

    /** The two sides of a booking, for an invitation's ORGANIZER and ATTENDEE. */
    async parties(userIds: readonly string[]): Promise<Party[]> {
      if (userIds.length === 0) return [];
      const rows = await database.query<{ user_id: string; email: string; name: string }>(
        `select user_id, email, name from ${s}.recipients where user_id = any($1::uuid[])`,
        [userIds],
      );
      return rows.map((row) => ({ userId: String(row.user_id), email: row.email, name: row.name }));
    },

    /** Pending rows, oldest due first: the sweep enqueues their jobs again (deduplicated by id). */
    async pending(limit: number): Promise<{ id: string; kind: NotificationKind; sendAfter: Date }[]> {
      const rows = await database.query<{ id: string; kind: string; send_after: unknown }>(
        `select id, kind, send_after from ${s}.emails where status = 'pending' order by send_after limit $1`,
        [limit],
      );
      return rows.map((row) => ({ id: row.id, kind: row.kind as NotificationKind, sendAfter: toDate(row.send_after) }));
    },
  };
}

export type EmailRepository = ReturnType<typeof createEmailRepository>;
