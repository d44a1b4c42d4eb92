import { AppError } from '@timeslot/kernel';

/** Codes only the gateway returns, with their status; docs/errors.md lists the same. */
export const gatewayErrorCodes = {
  // nginx's convention: nobody receives it (the client has gone), but logs and metrics show it.
  CLIENT_CLOSED_REQUEST: 499,
} as const;

export const gatewayErrors = {
  clientClosedRequest: (cause: unknown) =>
    new AppError('CLIENT_CLOSED_REQUEST', gatewayErrorCodes.CLIENT_CLOSED_REQUEST, 'The client closed the request.', { cause }),
} as const;
