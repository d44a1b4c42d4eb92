import { appErrorFactory } from '@timeslot/kernel';

/**
 * Every code the notifications service returns besides the common ones, with its HTTP status.
 * docs/errors.md lists the same codes.
 */
export const notificationsErrorCodes = {
  NOTIFICATION_NOT_FOUND: 404,
  TOO_MANY_STREAMS: 429,
} as const;

const notificationsError = appErrorFactory(notificationsErrorCodes);

export const notificationsErrors = {
  notFound: () => notificationsError('NOTIFICATION_NOT_FOUND', 'No such notification.'),
  tooManyStreams: (max: number) =>
    notificationsError('TOO_MANY_STREAMS', `At most ${max} live notification streams per user may be open on one server; close one first.`, {
      headers: { 'retry-after': '5' },
    }),
} as const;
