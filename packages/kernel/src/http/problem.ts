import { STATUS_CODES } from 'node:http';
import type { FastifyError } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { AppError, commonErrors, commonErrorCodes, isDatabaseUnavailable, type FieldError } from '../errors';

/** RFC 9457 problem details, plus our stable `code` and field errors. */
export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail?: string;
  readonly code: string;
  readonly instance?: string;
  readonly requestId?: string;
  readonly errors?: readonly FieldError[];
}

export const problemContentType = 'application/problem+json';

/** Where each code is documented; `type` is a stable URI per code. */
export function problemType(code: string): string {
  return `https://timeslot.dev/problems/${code.toLowerCase().replaceAll('_', '-')}`;
}

function fastifyErrorToAppError(error: FastifyError): AppError | undefined {
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return commonErrors.payloadTooLarge();
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return commonErrors.unsupportedMediaType();
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return commonErrors.badRequest('The request body is empty but its content type is JSON.');
    default:
      break;
  }
  if (error instanceof SyntaxError || error.code === 'FST_ERR_CTP_INVALID_JSON_BODY') {
    return commonErrors.badRequest('The request body is not valid JSON.');
  }
  return clientErrorOf(error);
}

/** A 4xx a plugin raised (@fastify/static, swagger-ui …): its status kept, its text not (it may echo the URL). */
function clientErrorOf(error: object): AppError | undefined {
  const { statusCode, status } = error as { statusCode?: unknown; status?: unknown };
  const code = typeof statusCode === 'number' ? statusCode : status;
  if (typeof code !== 'number' || code < 400 || code >= 500) return undefined;
  if (code === 404) return commonErrors.notFound();
  if (code === commonErrorCodes.PAYLOAD_TOO_LARGE) return commonErrors.payloadTooLarge();
  if (code === commonErrorCodes.UNSUPPORTED_MEDIA_TYPE) return commonErrors.unsupportedMediaType();
  return new AppError('BAD_REQUEST', code, `The request was refused: ${(STATUS_CODES[code] ?? 'bad request').toLowerCase()}.`);
}

/** Turn anything thrown into an AppError; unknown errors become a 500 that hides its message. */
export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (isDatabaseUnavailable(error)) return commonErrors.databaseUnavailable(error);
  if (typeof error === 'object' && error !== null && hasZodFastifySchemaValidationErrors(error)) {
    const context = (error as { validationContext?: string }).validationContext ?? 'body';
    const fieldErrors = error.validation.map((issue) => {
      const pointer = issue.instancePath.replace(/^\//, '').replaceAll('/', '.');
      return { path: pointer === '' ? context : `${context}.${pointer}`, message: issue.message ?? 'is invalid' };
    });
    return commonErrors.validation(fieldErrors);
  }
  if (isResponseSerializationError(error)) return commonErrors.internal(error);
  if (error instanceof Error && 'code' in error && typeof (error as FastifyError).code === 'string') {
    return fastifyErrorToAppError(error as FastifyError) ?? commonErrors.internal(error);
  }
  if (error instanceof SyntaxError) return commonErrors.badRequest('The request body is not valid JSON.');
  if (typeof error === 'object' && error !== null) return clientErrorOf(error) ?? commonErrors.internal(error);
  return commonErrors.internal(error);
}

export function toProblem(error: AppError, instance?: string, requestId?: string): Problem {
  return {
    type: problemType(error.code),
    title: STATUS_CODES[error.status] ?? 'Error',
    status: error.status,
    ...(error.detail === undefined ? {} : { detail: error.detail }),
    code: error.code,
    ...(instance === undefined ? {} : { instance }),
    ...(requestId === undefined ? {} : { requestId }),
    ...(error.fieldErrors === undefined ? {} : { errors: error.fieldErrors }),
  };
}
