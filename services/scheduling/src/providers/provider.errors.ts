import { appErrorFactory } from '@timeslot/kernel';

/**
 * Codes of the providers part of scheduling (profiles, services, availability, slots) besides the
 * common ones, with their HTTP status. docs/errors.md lists the same codes.
 */
export const providerErrorCodes = {
  PROVIDER_NOT_FOUND: 404,
  PROVIDER_EXISTS: 409,
  NOT_A_PROVIDER: 403,
  NOT_PROVIDER_OWNER: 403,
  SERVICE_NOT_FOUND: 404,
  RANGE_TOO_LONG: 400,
} as const;

export type ProviderErrorCode = keyof typeof providerErrorCodes;

const providerError = appErrorFactory(providerErrorCodes);

export const providerErrors = {
  providerNotFound: () => providerError('PROVIDER_NOT_FOUND', 'No such provider.'),
  providerExists: () => providerError('PROVIDER_EXISTS', 'This account already has a provider profile.'),
  notAProvider: () => providerError('NOT_A_PROVIDER', 'Only provider accounts can have a provider profile.'),
  notProviderOwner: () => providerError('NOT_PROVIDER_OWNER', 'Only this provider or an administrator may change it.'),
  serviceNotFound: () => providerError('SERVICE_NOT_FOUND', 'No such service for this provider.'),
  rangeTooLong: (maxDays: number) =>
    providerError('RANGE_TOO_LONG', `The range from "from" to "to" may cover at most ${maxDays} days.`, {
      fieldErrors: [{ path: 'querystring.to', message: `must be at most ${maxDays} days after from` }],
    }),
} as const;
