import { appErrorFactory } from '@timeslot/kernel';

/** Codes only the gateway returns, with their status; docs/errors.md lists the same. */
export const gatewayErrorCodes = {
  // nginx's convention: nobody receives it (the client has gone), but logs and metrics show it.
  CLIENT_CLOSED_REQUEST: 499,
} as const;

const gatewayError = appErrorFactory(gatewayErrorCodes);

export const gatewayErrors = {
  clientClosedRequest: (cause: unknown) => gatewayError('CLIENT_CLOSED_REQUEST', 'The client closed the request.', { cause }),
} as const;
