import type { FastifyRequest } from 'fastify';
import { requestTimeoutHeader } from '@timeslot/ports';
import { commonErrors } from '../errors';

/** Longer budgets are ignored, as if none was given (a day: no request legitimately waits longer). */
const maxTimeoutMs = 24 * 3600_000;

/**
 * The absolute deadline (epoch ms) of a request that arrived at `receivedAt`, from its
 * timeout header; undefined when the header is absent or not a positive whole number.
 */
export function deadlineFrom(header: string | string[] | undefined, receivedAt: number): number | undefined {
  if (typeof header !== 'string' || !/^[0-9]{1,9}$/.test(header.trim())) return undefined;
  const ms = Number(header.trim());
  if (ms <= 0 || ms > maxTimeoutMs) return undefined;
  return receivedAt + ms;
}

/**
 * Throw DEADLINE_EXCEEDED (504) when `deadline` has passed. Call it right before the statement that
 * commits: work whose caller has given up (the gateway answered 504) must not be saved behind its back.
 */
export function assertBeforeDeadline(deadline: number | undefined, now: number = Date.now()): void {
  if (deadline !== undefined && now >= deadline) throw commonErrors.deadlineExceeded();
}

declare module 'fastify' {
  interface FastifyRequest {
    /** When the caller stops waiting (epoch ms), from the x-request-timeout-ms header; undefined: no deadline. */
    deadline: number | undefined;
  }
}

/** onRequest: fix the deadline from the moment the request arrived. */
export function readDeadline(request: FastifyRequest): void {
  request.deadline = deadlineFrom(request.headers[requestTimeoutHeader], Date.now());
}
