import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { internalTokenHeader } from '@timeslot/ports';
import { commonErrors } from '../errors';

const digest = (text: string): Buffer => createHash('sha256').update(text).digest();

/**
 * An onRequest hook for internal routes (service to service, never routed by the gateway): the
 * request must carry the shared token, or it is refused with 401 SERVICE_TOKEN_INVALID. Compared
 * as digests: equal lengths for timingSafeEqual, and no timing hint of the token's length.
 */
export function requireInternalToken(token: string): (request: FastifyRequest) => Promise<void> {
  const expected = digest(token);
  return async (request) => {
    const presented = request.headers[internalTokenHeader];
    if (typeof presented !== 'string' || !timingSafeEqual(digest(presented), expected)) throw commonErrors.serviceTokenInvalid();
  };
}
