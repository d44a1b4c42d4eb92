import type { BookingStatus } from '../tables';
import { bookingErrors } from './booking.errors';

/**
 * The booking state machine, in one place. Every status change goes through `assertTransition`,
 * and every UPDATE also names the status it expects (`where status = from`), so two concurrent
 * transitions of one booking cannot both win.
 */
const transitions: Readonly<Record<BookingStatus, readonly BookingStatus[]>> = {
  pending_payment: ['confirmed', 'expired', 'cancelled'],
  confirmed: ['cancelled', 'completed', 'no_show'],
  expired: [],
  cancelled: [],
  completed: [],
  no_show: [],
};

export function canTransition(from: BookingStatus, to: BookingStatus): boolean {
  return transitions[from].includes(to);
}

/** 409 INVALID_TRANSITION unless `from → to` is allowed. */
export function assertTransition(from: BookingStatus, to: BookingStatus): void {
  if (!canTransition(from, to)) throw bookingErrors.invalidTransition(from, to);
}

/** Held or confirmed: the statuses that occupy the provider's time (the exclusion constraint's). */
export function isLive(status: BookingStatus): boolean {
  return status === 'pending_payment' || status === 'confirmed';
}
