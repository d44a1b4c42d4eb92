import { appErrorFactory, type AppErrorOptions } from '@timeslot/kernel';

/**
 * Every code the identity service returns besides the common ones (VALIDATION_FAILED,
 * UNAUTHENTICATED, INVALID_TOKEN …), with its HTTP status. docs/errors.md lists the same codes.
 */
export const identityErrorCodes = {
  ACCOUNT_DISABLED: 403,
  ACCOUNT_NOT_FOUND: 401,
  CANNOT_DISABLE_SELF: 409,
  EMAIL_TAKEN: 409,
  INVALID_CREDENTIALS: 401,
  INVALID_REFRESH_TOKEN: 401,
  REFRESH_TOKEN_REUSED: 401,
  TOO_MANY_LOGIN_ATTEMPTS: 429,
  TOO_MANY_REGISTRATIONS: 429,
  USER_NOT_FOUND: 404,
} as const;

export type IdentityErrorCode = keyof typeof identityErrorCodes;

const identityError = appErrorFactory(identityErrorCodes);

function retryAfter(resetMs: number): AppErrorOptions {
  // Never 0: a client told "retry after 0 s" would hammer us until the window really resets.
  return { headers: { 'retry-after': String(Math.max(1, Math.ceil(resetMs / 1000))) } };
}

export const identityErrors = {
  emailTaken: () => identityError('EMAIL_TAKEN', 'An account with this email address already exists.'),
  invalidCredentials: () => identityError('INVALID_CREDENTIALS', 'The email address or password is wrong.'),
  invalidRefreshToken: () => identityError('INVALID_REFRESH_TOKEN', 'The refresh token is invalid, expired or revoked.'),
  refreshTokenReused: () =>
    identityError('REFRESH_TOKEN_REUSED', 'The refresh token was already used; every session it belonged to has been signed out.'),
  tooManyLoginAttempts: (resetMs: number) =>
    identityError('TOO_MANY_LOGIN_ATTEMPTS', 'Too many failed sign-in attempts; try again later.', retryAfter(resetMs)),
  tooManyRegistrations: (resetMs: number) =>
    identityError('TOO_MANY_REGISTRATIONS', 'Too many accounts were created from this address; try again later.', retryAfter(resetMs)),
  userNotFound: () => identityError('USER_NOT_FOUND', 'No user has this id.'),
  accountNotFound: () => identityError('ACCOUNT_NOT_FOUND', 'The account this access token was issued for no longer exists.'),
  accountDisabled: () => identityError('ACCOUNT_DISABLED', 'This account has been disabled by an administrator.'),
  cannotDisableSelf: () => identityError('CANNOT_DISABLE_SELF', 'Administrators cannot disable their own account.'),
} as const;
