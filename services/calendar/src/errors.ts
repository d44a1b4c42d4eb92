import { appErrorFactory } from '@timeslot/kernel';

/**
 * Every code the calendar service returns besides the common ones, with its HTTP status.
 * docs/errors.md lists the same codes (a test keeps them in step).
 */
export const calendarErrorCodes = {
  GOOGLE_NOT_CONFIGURED: 501,
  OAUTH_STATE_INVALID: 400,
  GOOGLE_CONSENT_DENIED: 400,
  GOOGLE_REFUSED: 502,
  CONNECTION_NOT_FOUND: 404,
  MEETING_CANCELLED: 409,
} as const;

export type CalendarErrorCode = keyof typeof calendarErrorCodes;

const calendarError = appErrorFactory(calendarErrorCodes);

export const calendarErrors = {
  googleNotConfigured: () =>
    calendarError('GOOGLE_NOT_CONFIGURED', 'This server has no Google Calendar integration (GOOGLE_CLIENT_ID and GOOGLE_CLIENT_SECRET are not set).'),
  stateInvalid: () =>
    calendarError('OAUTH_STATE_INVALID', 'This authorization is unknown, expired, already used or was started by another user: connect again.'),
  consentDenied: (reason: string) => calendarError('GOOGLE_CONSENT_DENIED', `Google did not grant access (${reason}): connect again to retry.`),
  googleRefused: (what: string, cause?: unknown) =>
    // Shown as is: it says which step Google refused, never a token or Google's raw answer.
    calendarError('GOOGLE_REFUSED', `Google refused or did not answer: ${what}.`, { expose: true, ...(cause === undefined ? {} : { cause }) }),
  connectionNotFound: () => calendarError('CONNECTION_NOT_FOUND', 'No such calendar connection.'),
  meetingCancelled: () => calendarError('MEETING_CANCELLED', 'The booking of this meeting was cancelled.'),
} as const;
