import createClient from 'openapi-fetch';
import { session } from '../auth/session';
import { toApiError } from './problem';
import type { paths } from './schema';

/*
 * One typed client for the whole API (types generated from the server's OpenAPI document). Every
 * request goes through `send`, which:
 * - adds the access token (refreshed first when it is about to expire);
 * - on 401 TOKEN_EXPIRED refreshes once and repeats the request;
 * - repeats a request that a gateway answered 502/504, or 503 with a short Retry-After, when
 *   repeating it is safe: GET, HEAD, PUT and DELETE, and POSTs that carry an Idempotency-Key (the
 *   server answers a repeated key with the first outcome instead of doing the work twice).
 */

const retryStatuses = new Set([502, 503, 504]);
const maxAttempts = 3;

function repeatable(request: Request): boolean {
  return ['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS'].includes(request.method) || request.headers.has('idempotency-key');
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function backoffMs(attempt: number, response: Response | null): number | null {
  const header = response?.headers.get('retry-after');
  if (header !== null && header !== undefined) {
    const seconds = Number(header);
    if (!Number.isFinite(seconds) || seconds > 5) return null; // a long outage: tell the person instead
    return seconds * 1000;
  }
  // 250 ms, 750 ms, with jitter so many tabs do not come back in step.
  return 250 * 3 ** (attempt - 1) * (0.75 + Math.random() * 0.5);
}

async function send(input: Request): Promise<Response> {
  let refreshed = false;
  for (let attempt = 1; ; attempt += 1) {
    const request = input.clone();
    const token = await session.accessToken();
    if (token !== null && !request.headers.has('authorization')) request.headers.set('authorization', `Bearer ${token}`);
    let response: Response | null = null;
    try {
      response = await fetch(request);
    } catch (error) {
      // A network failure: the request may or may not have reached the server.
      if (!repeatable(input) || attempt >= maxAttempts) throw error;
    }
    if (response !== null) {
      if (response.status === 401 && token !== null && !refreshed) {
        const code = await response
          .clone()
          .json()
          .then((body: { code?: string }) => body.code)
          .catch(() => undefined);
        if (code === 'TOKEN_EXPIRED') {
          refreshed = true;
          if (await session.refresh()) continue;
        } else if (code === 'TOKEN_REVOKED') {
          session.signedOut();
        }
        return response;
      }
      if (!retryStatuses.has(response.status) || !repeatable(input) || attempt >= maxAttempts) return response;
      if (response.status === 503 && response.headers.get('retry-after') === null) return response;
    }
    const wait = backoffMs(attempt, response);
    if (wait === null && response !== null) return response;
    await pause(wait ?? 0);
  }
}

export const api = createClient<paths>({ baseUrl: globalThis.location?.origin ?? '', fetch: send });

/**
 * The data of an openapi-fetch result, or the ApiError its problem describes: query and mutation
 * functions `return data(await api.GET(...))` so TanStack Query sees failures as errors.
 */
export function data<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.response.ok) return result.data as T;
  throw toApiError(result.response, result.error);
}

/** A fresh key for one booking attempt: the same attempt retried keeps it. */
export function newIdempotencyKey(): string {
  return crypto.randomUUID();
}
