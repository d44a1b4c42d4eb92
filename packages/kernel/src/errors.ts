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
  INVALID_CHARACTER: 400,
  UNAUTHENTICATED: 401,
  INVALID_TOKEN: 401,
  SERVICE_TOKEN_INVALID: 401,
  TOKEN_EXPIRED: 401,
  TOKEN_REVOKED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  ROUTE_NOT_FOUND: 404,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  REQUEST_TIMEOUT: 408,
  HEADERS_TOO_LARGE: 431,
  INTERNAL: 500,
  UPSTREAM_FAILED: 502,
  SERVICE_UNAVAILABLE: 503,
  DATABASE_UNAVAILABLE: 503,
  SHUTTING_DOWN: 503,
  UPSTREAM_TIMEOUT: 504,
  DEADLINE_EXCEEDED: 504,
} as const;

/**
 * Codes shared by every service. Each service lists its own codes in its `errors.ts`; all codes
 * are documented in docs/errors.md, and a test keeps the two in step.
 */
export const commonErrors = {
  validation: (fieldErrors: readonly FieldError[]) =>
    new AppError('VALIDATION_FAILED', 400, 'The request is not valid.', { fieldErrors }),
  badRequest: (message: string) => new AppError('BAD_REQUEST', 400, message),
  invalidCharacter: (fieldErrors: readonly FieldError[]) =>
    new AppError('INVALID_CHARACTER', 400, 'The request contains the NUL character (U+0000), which no field accepts.', { fieldErrors }),
  unauthenticated: (message = 'Authentication is required.') => new AppError('UNAUTHENTICATED', 401, message),
  invalidToken: (message = 'The access token is invalid.') => new AppError('INVALID_TOKEN', 401, message),
  serviceTokenInvalid: () => new AppError('SERVICE_TOKEN_INVALID', 401, 'Only Timeslot services may call this route.'),
  tokenExpired: () => new AppError('TOKEN_EXPIRED', 401, 'The access token has expired.'),
  tokenRevoked: () =>
    new AppError('TOKEN_REVOKED', 401, 'The access token was revoked: its account has been disabled, or re-enabled since it was issued.'),
  forbidden: (message = 'You may not do this.') => new AppError('FORBIDDEN', 403, message),
  notFound: (message = 'Not found.') => new AppError('NOT_FOUND', 404, message),
  // The path is in the problem's `instance`; a detail never repeats what the client sent.
  routeNotFound: (method: string) => new AppError('ROUTE_NOT_FOUND', 404, `No route for ${method} on this path.`),
  payloadTooLarge: () => new AppError('PAYLOAD_TOO_LARGE', 413, 'The request body is too large.'),
  unsupportedMediaType: () => new AppError('UNSUPPORTED_MEDIA_TYPE', 415, 'The content type is not supported.'),
  rateLimited: (retryAfterSeconds: number) =>
    new AppError('RATE_LIMITED', 429, 'Too many requests; try again later.', {
      headers: { 'retry-after': String(retryAfterSeconds) },
    }),
  requestTimeout: () => new AppError('REQUEST_TIMEOUT', 408, 'The request was not received in time.'),
  headersTooLarge: () => new AppError('HEADERS_TOO_LARGE', 431, 'The request line or headers are too large.'),
  internal: (cause?: unknown) => new AppError('INTERNAL', 500, 'Internal server error.', { cause, expose: false }),
  badGateway: (cause?: unknown) =>
    new AppError('UPSTREAM_FAILED', 502, 'An upstream service failed.', { cause, expose: true }),
  unavailable: (message = 'The service is unavailable.', cause?: unknown) =>
    new AppError('SERVICE_UNAVAILABLE', 503, message, { cause, expose: true }),
  databaseUnavailable: (cause?: unknown) =>
    new AppError('DATABASE_UNAVAILABLE', 503, 'The database is unreachable; try again shortly.', {
      cause,
      expose: true,
      headers: { 'retry-after': '2' },
    }),
  shuttingDown: () =>
    new AppError('SHUTTING_DOWN', 503, 'This server is shutting down; send the request again.', {
      expose: true,
      headers: { 'retry-after': '1' },
    }),
  deadlineExceeded: () =>
    new AppError('DEADLINE_EXCEEDED', 504, 'The request ran past its deadline and was abandoned; nothing was saved.', { expose: true }),
  gatewayTimeout: (cause?: unknown) =>
    new AppError('UPSTREAM_TIMEOUT', 504, 'An upstream service did not answer in time.', { cause, expose: true }),
} as const;

/**
 * SQLSTATEs that mean "the database cannot be reached or will not take the work now", as opposed
 * to "this statement is wrong": class 08 (connection exception), 57P01–57P03 (admin or crash
 * shutdown, cannot connect now) and 53300 (too many connections).
 */
function isUnavailableSqlState(code: string): boolean {
  return code.startsWith('08') || code === '57P01' || code === '57P02' || code === '57P03' || code === '53300';
}

/**
 * True when `error` (or an error in its `cause` chain: drizzle wraps driver errors) says the
 * database is unreachable. The adapters normalise their connection failures to a class-08 SQLSTATE
 * (a refused or timed-out connect carries only an errno or a message from the driver); a few
 * driver messages are recognised here as well for errors raised on a connection already in use.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 6 && typeof current === 'object' && current !== null; depth++) {
    if (current instanceof AppError) return false;
    const { code, message, cause } = current as { code?: unknown; message?: unknown; cause?: unknown };
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) && isUnavailableSqlState(code)) return true;
    if (typeof message === 'string' && /^Connection terminated|^PGlite is closed/.test(message)) return true;
    current = cause;
  }
  return false;
}
