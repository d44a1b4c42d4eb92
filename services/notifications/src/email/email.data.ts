import type { EventData, events } from '@timeslot/ports';
import type { NotificationKind } from '../kinds';

/** A booking as its events describe it (packages/ports/src/events.ts). */
export type BookingSnapshot = EventData<typeof events.bookingConfirmed>;

/**
 * What an `emails` row's `data` holds: everything its template needs besides the recipient, who is
 * read from `recipients` at send time (so a changed address or language is honoured). Written by
 * the event consumer, read by the email worker; rows outlive deployments, so fields are only ever
 * added, as optional.
 */
export interface EmailData {
  readonly kind: NotificationKind;
  /** Which side of the booking the recipient is on ('user' for account emails such as welcome). */
  readonly audience: 'client' | 'provider' | 'user';
  /** The event that asked for the email. */
  readonly eventId: string;
  readonly booking?: BookingSnapshot;
  /** The other side's display name (the client's name in the provider's email, and back). */
  readonly counterpartName?: string;
  /** booking_rescheduled: where it was before. */
  readonly previous?: { readonly startsAt: string; readonly endsAt: string };
  /** booking_cancelled: why, and by which side. */
  readonly cancellation?: { readonly reason: string | null; readonly by: 'client' | 'provider' | 'admin' };
  /** waitlist_offer: claim before this instant. */
  readonly offer?: { readonly offerExpiresAt: string };
  /** booking_reminder: how long before the start it goes out. */
  readonly reminder?: { readonly offsetMinutes: number };
  /** payment_receipt (the payments work fills it). */
  readonly payment?: { readonly amount: number; readonly currency: string; readonly paymentId: string; readonly paidAt: string };
}

/** The job each email's row gets; its job id is the row's id. */
export interface EmailJob {
  readonly emailId: string;
}
