import { STATUS_CODES } from 'node:http';
import type { FastifyError } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { AppError, commonErrors, type FieldError } from '../errors';

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
  if (typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500) {
    return new AppError('BAD_REQUEST', error.statusCode, error.message);
  }
  return undefined;
}

/** Turn anything thrown into an AppError; unknown errors become a 500 that hides its message. */
export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
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
