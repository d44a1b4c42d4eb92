/**
 * One error base for the whole code base. Domain code throws AppErrors (never HTTP exceptions);
 * only the HTTP layer turns them into RFC 9457 problem+json responses (see http/problem.ts).
 */
export interface FieldError {
  /** JSON pointer-ish path of the offending field, e.g. "body.email" or "query.cursor". */
  readonly path: string;
  readonly message: string;
}

export interface AppErrorOptions {
  readonly cause?: unknown;
  /** Shown to the caller as `detail`. Defaults to the message when `expose` is true. */
  readonly detail?: string;
  /** Whether the message may be shown to the caller (false for 5xx: they get a generic text). */
  readonly expose?: boolean;
  readonly fieldErrors?: readonly FieldError[];
  /** Extra response headers, e.g. Retry-After for 429. */
  readonly headers?: Readonly<Record<string, string>>;
}

export class AppError extends Error {
  readonly code: string;
  readonly status: number;
  readonly expose: boolean;
  readonly detail: string | undefined;
  readonly fieldErrors: readonly FieldError[] | undefined;
  readonly headers: Readonly<Record<string, string>> | undefined;

  constructor(code: string, status: number, message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.status = status;
    this.expose = options.expose ?? status < 500;
    this.detail = options.detail ?? (this.expose ? message : undefined);
    this.fieldErrors = options.fieldErrors;
    this.headers = options.headers;
  }
}

/**
 * The factory behind a service's error list: `const fail = appErrorFactory(codes)` then
 * `fail('SLOT_TAKEN', 'That time was just taken.')` takes the status from the one list.
 */
export function appErrorFactory<Codes extends Readonly<Record<string, number>>>(codes: Codes) {
  return (code: keyof Codes & string, message: string, options?: AppErrorOptions): AppError =>
    new AppError(code, codes[code] as number, message, options);
}

/** Every code `commonErrors` produces, with its status (docs/errors.md lists the same). */
export const commonErrorCodes = {
  VALIDATION_FAILED: 400,
  BAD_REQUEST: 400,
  UNAUTHENTICATED: 401,
  INVALID_TOKEN: 401,
  TOKEN_EXPIRED: 401,
  TOKEN_REVOKED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  ROUTE_NOT_FOUND: 404,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  UPSTREAM_FAILED: 502,
  SERVICE_UNAVAILABLE: 503,
  UPSTREAM_TIMEOUT: 504,
} as const;

/**
 * Codes shared by every service. Each service lists its own codes in its `errors.ts`; all codes
 * are documented in docs/errors.md, and a test keeps the two in step.
 */
export const commonErrors = {
  validation: (fieldErrors: readonly FieldError[]) =>
    new AppError('VALIDATION_FAILED', 400, 'The request is not valid.', { fieldErrors }),
  badRequest: (message: string) => new AppError('BAD_REQUEST', 400, message),
  unauthenticated: (message = 'Authentication is required.') => new AppError('UNAUTHENTICATED', 401, message),
  invalidToken: (message = 'The access token is invalid.') => new AppError('INVALID_TOKEN', 401, message),
  tokenExpired: () => new AppError('TOKEN_EXPIRED', 401, 'The access token has expired.'),
  tokenRevoked: () =>
    new AppError('TOKEN_REVOKED', 401, 'The access token was revoked: its account has been disabled, or re-enabled since it was issued.'),
  forbidden: (message = 'You may not do this.') => new AppError('FORBIDDEN', 403, message),
  notFound: (message = 'Not found.') => new AppError('NOT_FOUND', 404, message),
  routeNotFound: (method: string, url: string) => new AppError('ROUTE_NOT_FOUND', 404, `No route for ${method} ${url}.`),
  payloadTooLarge: () => new AppError('PAYLOAD_TOO_LARGE', 413, 'The request body is too large.'),
  unsupportedMediaType: () => new AppError('UNSUPPORTED_MEDIA_TYPE', 415, 'The content type is not supported.'),
  rateLimited: (retryAfterSeconds: number) =>
    new AppError('RATE_LIMITED', 429, 'Too many requests; try again later.', {
      headers: { 'retry-after': String(retryAfterSeconds) },
    }),
  internal: (cause?: unknown) => new AppError('INTERNAL', 500, 'Internal server error.', { cause, expose: false }),
  badGateway: (cause?: unknown) =>
    new AppError('UPSTREAM_FAILED', 502, 'An upstream service failed.', { cause, expose: true }),
  unavailable: (message = 'The service is unavailable.', cause?: unknown) =>
    new AppError('SERVICE_UNAVAILABLE', 503, message, { cause, expose: true }),
  gatewayTimeout: (cause?: unknown) =>
    new AppError('UPSTREAM_TIMEOUT', 504, 'An upstream service did not answer in time.', { cause, expose: true }),
} as const;
