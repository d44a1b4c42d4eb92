import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { requestIdHeader } from '@timeslot/ports';

const safeRequestId = /^[A-Za-z0-9._:-]{1,128}$/;

/** Accept the caller's request id when it is short and safe to log; otherwise make one. */
export function requestIdFrom(req: IncomingMessage): string {
  const given = req.headers[requestIdHeader];
  if (typeof given === 'string' && safeRequestId.test(given)) return given;
  return randomUUID();
}
