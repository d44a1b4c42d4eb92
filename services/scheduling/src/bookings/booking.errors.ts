import { appErrorFactory } from '@timeslot/kernel';

/**
 * Every code bookings, the waitlist and ICS feeds return besides the common ones, with its HTTP
 * status (an unknown service is the providers part's SERVICE_NOT_FOUND). docs/errors.md lists the
 * same codes.
 */
export const bookingErrorCodes = {
  ALREADY_ON_WAITLIST: 409,
  BOOKING_NOT_FOUND: 404,
  BOOKING_NOT_STARTED: 409,
  CANCELLATION_WINDOW_PASSED: 409,
  FEED_NOT_FOUND: 404,
  IDEMPOTENCY_KEY_REUSED: 422,
  INVALID_TRANSITION: 409,
  NOT_AN_OFFER: 409,
  SERVICE_INACTIVE: 409,
  SLOT_NOT_FULL: 409,
  SLOT_TAKEN: 409,
  SLOT_UNAVAILABLE: 409,
  WAITLIST_ENTRY_NOT_FOUND: 404,
} as const;

export type BookingErrorCode = keyof typeof bookingErrorCodes;

const bookingError = appErrorFactory(bookingErrorCodes);

export const bookingErrors = {
  notFound: () => bookingError('BOOKING_NOT_FOUND', 'No such booking.'),
  notStarted: () => bookingError('BOOKING_NOT_STARTED', 'The booking has not started yet.'),
  cancellationWindowPassed: (minutes: number) =>
    bookingError(
      'CANCELLATION_WINDOW_PASSED',
      `This booking can no longer be changed by the client: the limit is ${minutes} minutes before the start.`,
    ),
  feedNotFound: () => bookingError('FEED_NOT_FOUND', 'No such calendar feed.'),
  idempotencyKeyReused: () =>
    bookingError('IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was already used with a different request.'),
  invalidTransition: (from: string, to: string) =>
    bookingError('INVALID_TRANSITION', `A booking that is ${from} cannot become ${to}.`),
  notAnOffer: () => bookingError('NOT_AN_OFFER', 'This booking is not an open waitlist offer.'),
  serviceInactive: () => bookingError('SERVICE_INACTIVE', 'This service is not taking bookings.'),
  slotNotFull: () => bookingError('SLOT_NOT_FULL', 'This time still has room: book it instead of joining the waitlist.'),
  slotTaken: (cause?: unknown) => bookingError('SLOT_TAKEN', 'This time has just been taken.', cause === undefined ? {} : { cause }),
  slotUnavailable: () =>
    bookingError('SLOT_UNAVAILABLE', 'This is not a bookable time for this service (availability, notice or booking window).'),
  alreadyOnWaitlist: () => bookingError('ALREADY_ON_WAITLIST', 'You are already on the waitlist for this time.'),
  waitlistEntryNotFound: () => bookingError('WAITLIST_ENTRY_NOT_FOUND', 'No such waitlist entry.'),
} as const;
