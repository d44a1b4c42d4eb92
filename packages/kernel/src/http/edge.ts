import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { requestIdHeader } from '@timeslot/ports';
import { commonErrors, type AppError, type FieldError } from '../errors';
import { problemContentType, toAppError, toProblem } from './problem';

/*
 * What happens at the edge of every app, before or outside the routes: refusing the NUL character,
 * and answering the errors Fastify and Node's HTTP parser raise before any hook runs, with the
 * same problem+json, request id and response headers as every other answer.
 */

const maxReported = 10;

/** Paths (e.g. "query.q", "body.items.0.name") of strings, or object keys, holding U+0000. */
export function nulCharacterPaths(value: unknown, path: string, found: string[] = []): string[] {
  if (found.length >= maxReported) return found;
  if (typeof value === 'string') {
    if (value.includes('\u0000')) found.push(path);
  } else if (Array.isArray(value)) {
    value.forEach((item, index) => nulCharacterPaths(item, `${path}.${index}`, found));
  } else if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      // The key's path without the NUL itself, which a log or a terminal would choke on.
      const keyPath = `${path}.${key.replaceAll('\u0000', '\\u0000')}`;
      if (key.includes('\u0000')) found.push(keyPath);
      nulCharacterPaths(item, keyPath, found);
    }
  }
  return found;
}

/**
 * PostgreSQL refuses U+0000 in text (and in jsonb), so a string holding it would fail deep in a
 * query as a 500. One check for every route, on the decoded params, query and parsed body.
 */
export async function refuseNulCharacters(request: FastifyRequest): Promise<void> {
  const paths = [
    ...nulCharacterPaths(request.params, 'params'),
    ...nulCharacterPaths(request.query, 'query'),
    ...nulCharacterPaths(request.body, 'body'),
  ];
  if (paths.length === 0) return;
  const fieldErrors: FieldError[] = paths.map((path) => ({ path, message: 'must not contain the NUL character (U+0000)' }));
  throw commonErrors.invalidCharacter(fieldErrors);
}

/** Errors Fastify raises while routing, before hooks: the raw URL is never echoed back. */
function frameworkAppError(error: FastifyError): AppError {
  switch (error.code) {
    case 'FST_ERR_BAD_URL':
      return commonErrors.badRequest('The URL is not valid: check its percent-encoding.');
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return commonErrors.badRequest('A path segment is too long.');
    default:
      return toAppError(error);
  }
}

/** Fastify's `frameworkErrors` option: no hook has run, so everything a reply carries is set here. */
export function frameworkErrorHandler(responseHeaders: Readonly<Record<string, string>>) {
  return (error: FastifyError, request: FastifyRequest, reply: FastifyReply): void => {
    const appError = frameworkAppError(error);
    request.log.debug({ code: appError.code }, 'request rejected before routing');
    void reply
      .headers(responseHeaders)
      .header(requestIdHeader, request.id)
      .status(appError.status)
      .type(problemContentType)
      .send(toProblem(appError, undefined, request.id));
  };
}

function clientAppError(error: NodeJS.ErrnoException): AppError {
  if (error.code === 'HPE_HEADER_OVERFLOW') return commonErrors.headersTooLarge();
  if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') return commonErrors.requestTimeout();
  return commonErrors.badRequest('The request is not valid HTTP.');
}

/**
 * Fastify's `clientErrorHandler`: Node's HTTP parser refused the bytes (headers or URL over the
 * 16 KB limit, malformed request line), so there is no request object and the answer is written
 * to the socket by hand, then the connection is closed.
 */
export function clientErrorHandler(responseHeaders: Readonly<Record<string, string>>) {
  return (error: NodeJS.ErrnoException, socket: Socket): void => {
    if (error.code === 'ECONNRESET' || socket.destroyed) return;
    const appError = clientAppError(error);
    const requestId = randomUUID();
    const body = JSON.stringify(toProblem(appError, undefined, requestId));
    const headers: Record<string, string> = {
      ...responseHeaders,
      'content-type': problemContentType,
      'content-length': String(Buffer.byteLength(body)),
      [requestIdHeader]: requestId,
      connection: 'close',
    };
    const head = Object.entries(headers)
      .map(([name, value]) => `${name}: ${value}\r\n`)
      .join('');
    // Only when no response has started on this socket (as Node's own default handler checks).
    const inFlight = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
    if (socket.writable && inFlight?.headersSent !== true) {
      socket.end(`HTTP/1.1 ${appError.status} ${STATUS_CODES[appError.status] ?? 'Error'}\r\n${head}\r\n${body}`);
    } else {
      socket.destroy();
    }
  };
}
