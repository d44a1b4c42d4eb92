/** An RFC 9457 problem as the API sends it (application/problem+json), with its stable code. */
export interface Problem {
  readonly type?: string;
  readonly title?: string;
  readonly status: number;
  readonly code: string;
  readonly detail?: string;
  readonly instance?: string;
  readonly requestId?: string;
  readonly errors?: readonly { readonly path?: string; readonly message?: string }[];
}

/** A refused or failed API call, thrown by `call` so TanStack Query sees it as an error. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly problem: Problem | undefined;
  /** Seconds from the Retry-After header (429, 503), when the server sent one. */
  readonly retryAfterSeconds: number | undefined;

  constructor(status: number, problem: Problem | undefined, retryAfterSeconds: number | undefined) {
    super(problem?.detail ?? problem?.title ?? `The server answered ${status}.`);
    this.name = 'ApiError';
    this.status = status;
    this.code = problem?.code ?? (status === 0 ? 'NETWORK' : `HTTP_${status}`);
    this.problem = problem;
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

function isProblem(value: unknown): value is Problem {
  return typeof value === 'object' && value !== null && typeof (value as { code?: unknown }).code === 'string';
}

export function retryAfterSeconds(response: Response): number | undefined {
  const value = response.headers.get('retry-after');
  if (value === null) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, Math.ceil(seconds));
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}

export function toApiError(response: Response, body: unknown): ApiError {
  return new ApiError(response.status, isProblem(body) ? body : undefined, retryAfterSeconds(response));
}

/**
 * What to tell a person about an error: the server's own sentence when it has one, with the few
 * cases where a person needs more than the sentence (when to retry, what to do next).
 */
export function describeError(error: unknown): string {
  if (!(error instanceof ApiError)) return error instanceof Error ? error.message : 'Something went wrong.';
  if (error.status === 0) return 'The server cannot be reached. Check your connection and try again.';
  if (error.status === 429) {
    const wait = error.retryAfterSeconds;
    return wait === undefined ? 'Too many requests. Please wait a moment and try again.' : `Too many requests. Try again in ${formatWait(wait)}.`;
  }
  switch (error.code) {
    case 'SLOT_TAKEN':
      return 'That time was just taken — pick another.';
    case 'TOKEN_EXPIRED':
    case 'TOKEN_REVOKED':
    case 'UNAUTHENTICATED':
      return 'Your session has ended. Please sign in again.';
    default:
      break;
  }
  if (error.status >= 500) {
    const wait = error.retryAfterSeconds;
    return wait === undefined ? 'The service is having trouble. Please try again shortly.' : `The service is busy. Try again in ${formatWait(wait)}.`;
  }
  return error.message;
}

function formatWait(seconds: number): string {
  if (seconds < 60) return seconds <= 1 ? '1 second' : `${seconds} seconds`;
  const minutes = Math.ceil(seconds / 60);
  return minutes === 1 ? '1 minute' : `${minutes} minutes`;
}

/** Field errors of a 400 problem, by path ("email", "body/password"), for forms. */
export function fieldErrors(error: unknown): Record<string, string> {
  if (!(error instanceof ApiError) || error.problem?.errors === undefined) return {};
  const fields: Record<string, string> = {};
  for (const item of error.problem.errors) {
    const key = (item.path ?? '').replace(/^(body|query|params)(?=[./]|$)/, '').replace(/^[./]+/, '').replace(/\//g, '.');
    if (key !== '' && item.message !== undefined && fields[key] === undefined) fields[key] = item.message;
  }
  return fields;
}
