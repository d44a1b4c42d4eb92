import { appErrorFactory } from '@timeslot/kernel';

/**
 * Codes the queue admin routes return besides the common ones (UNAUTHENTICATED, FORBIDDEN,
 * VALIDATION_FAILED, SERVICE_UNAVAILABLE …), with their statuses. The notifications service adds
 * them to its own list; docs/errors.md lists the same codes.
 */
export const queueAdminErrorCodes = {
  QUEUE_NOT_FOUND: 404,
  JOB_NOT_FOUND: 404,
} as const;

export type QueueAdminErrorCode = keyof typeof queueAdminErrorCodes;

const queueAdminError = appErrorFactory(queueAdminErrorCodes);

export const queueAdminErrors = {
  // Neither message repeats the name or id sent: the problem's `instance` has the path.
  queueNotFound: () => queueAdminError('QUEUE_NOT_FOUND', 'This service has no job queue of that name.'),
  jobNotFound: () => queueAdminError('JOB_NOT_FOUND', 'The queue holds no failed job with this id.'),
} as const;
