import { appErrorFactory } from '@timeslot/kernel';

/**
 * The codes of the inbox, preferences and live stream, with their HTTP status (the service's whole
 * list, `notificationsErrorCodes`, adds the queue admin's). docs/errors.md lists the same codes.
 */
export const inboxErrorCodes = {
  NOTIFICATION_NOT_FOUND: 404,
  TOO_MANY_STREAMS: 429,
} as const;

const notificationsError = appErrorFactory(inboxErrorCodes);

export const notificationsErrors = {
  notFound: () => notificationsError('NOTIFICATION_NOT_FOUND', 'No such notification.'),
  tooManyStreams: (max: number) =>
    notificationsError('TOO_MANY_STREAMS', `At most ${max} live notification streams per user may be open on one server; close one first.`, {
      headers: { 'retry-after': '5' },
    }),
} as const;
