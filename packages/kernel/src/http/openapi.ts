import { z } from 'zod';
import { problemContentType } from './problem';
import { problemSchema } from './problem.schema';

/*
 * What every operation of the API may answer, whatever its route declares, added to the OpenAPI
 * document in one place so the document says what the server does: the error handler writes every
 * error as problem+json, a bad or expired bearer token is refused on every route (installAuth), a
 * body can be too large or not JSON, and a rate limiter (the gateway) or an upstream can refuse.
 */

/** What stands in front of the routes, and so what every operation may also answer. */
export interface OpenApiResponseOptions {
  /** A rate limiter runs before every route (the gateway): 429 everywhere. */
  readonly rateLimited?: boolean;
  /** The operation is proxied to another process (distributed gateway): 502 and 504 too. */
  readonly proxied?: boolean;
}

export interface OpenApiDocumentLike {
  openapi: string;
  paths?: Record<string, Record<string, unknown>>;
  components?: { schemas?: Record<string, unknown>; [key: string]: unknown };
  [key: string]: unknown;
}

interface MediaType {
  schema?: unknown;
  [key: string]: unknown;
}

interface ResponseObject {
  description: string;
  content?: Record<string, MediaType>;
  headers?: Record<string, unknown>;
  [key: string]: unknown;
}

interface Operation {
  operationId?: string;
  tags?: string[];
  parameters?: unknown[];
  requestBody?: unknown;
  security?: Record<string, unknown>[];
  responses?: Record<string, ResponseObject>;
  [key: string]: unknown;
}

export const problemSchemaName = 'Problem';
const problemRef = { $ref: `#/components/schemas/${problemSchemaName}` };

const methods = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

/** Why each error status happens; the codes are listed in docs/errors.md. */
const errorDescriptions: Readonly<Record<string, string>> = {
  400: 'The request is not valid: VALIDATION_FAILED (with the field errors) or BAD_REQUEST.',
  401: 'No valid bearer token: none where one is required (UNAUTHENTICATED), or one that is invalid or expired (INVALID_TOKEN, TOKEN_EXPIRED).',
  403: 'The caller may not do this (FORBIDDEN).',
  404: 'Not found.',
  409: 'Conflicts with the current state.',
  413: 'The request body is larger than the server accepts (PAYLOAD_TOO_LARGE).',
  415: 'The request body is not JSON (UNSUPPORTED_MEDIA_TYPE).',
  422: 'Understood but not acceptable.',
  429: 'Too many requests (RATE_LIMITED); Retry-After says when to try again.',
  502: 'An upstream service failed (UPSTREAM_FAILED).',
  503: 'A dependency is unavailable, or the server is shutting down (SERVICE_UNAVAILABLE).',
  504: 'An upstream service did not answer in time (UPSTREAM_TIMEOUT).',
};

const retryAfterHeader = { 'retry-after': { description: 'Seconds to wait before trying again.', schema: { type: 'string' } } };

/** The shared problem schema as JSON Schema 2020-12 (OpenAPI 3.1's dialect). */
export function problemJsonSchema(): Record<string, unknown> {
  const { $schema: _dialect, ...schema } = z.toJSONSchema(problemSchema, { target: 'draft-2020-12', io: 'output' });
  return schema;
}

function camel(words: readonly string[]): string {
  return words
    .map((word, index) => (index === 0 ? word.toLowerCase() : word.charAt(0).toUpperCase() + word.slice(1).toLowerCase()))
    .join('');
}

/**
 * A stable operationId for a route that declares none: the method and the path's words without
 * the /api/v1 prefix, path parameters as "By…" (GET /api/v1/users/me → getUsersMe).
 */
export function deriveOperationId(method: string, path: string): string {
  const words: string[] = [method];
  for (const segment of path.replace(/^\/api\/v\d+(?=\/)/, '').split('/')) {
    const parameter = /^[:{]([^}]+)}?$/.exec(segment);
    if (parameter?.[1]) words.push('by', ...parameter[1].split(/[^A-Za-z0-9]+/));
    else words.push(...segment.split(/[^A-Za-z0-9]+/));
  }
  return camel(words.filter((word) => word !== ''));
}

/** The first path word after /api/v1 (or the first word), as a tag for an untagged route. */
export function deriveTag(path: string): string {
  const segment = path
    .replace(/^\/api\/v\d+(?=\/)/, '')
    .split('/')
    .find((part) => part !== '' && !part.startsWith('{'));
  return segment?.replace(/^\./, '') ?? 'default';
}

function problemResponse(status: string, existing: ResponseObject | undefined): ResponseObject {
  const description =
    existing !== undefined && existing.description !== '' && existing.description !== 'Default Response'
      ? existing.description
      : (errorDescriptions[status] ?? 'Error.');
  return {
    ...existing,
    description,
    content: { [problemContentType]: { schema: problemRef } },
    ...(status === '429' || status === '503' ? { headers: { ...existing?.headers, ...retryAfterHeader } } : {}),
  };
}

/**
 * @fastify/swagger marks every declared body required, but a route whose body schema accepts null
 * (`body: schema.nullish()`) is also called without one.
 */
function markOptionalBody(operation: Operation): void {
  const body = operation.requestBody as { required?: boolean; content?: Record<string, MediaType> } | undefined;
  const schema = body?.content?.['application/json']?.schema as { anyOf?: { type?: unknown }[] } | undefined;
  if (body !== undefined && schema?.anyOf?.some((branch) => branch.type === 'null') === true) body.required = false;
}

/** Add what every operation may answer and document every error as problem+json. Changes `operation`. */
export function completeOperation(method: string, path: string, operation: Operation, options: OpenApiResponseOptions = {}): void {
  operation.operationId ??= deriveOperationId(method, path);
  if (operation.tags === undefined || operation.tags.length === 0) operation.tags = [deriveTag(path)];
  // installAuth verifies a bearer token on every route: a public route accepts one and refuses a bad one.
  operation.security ??= [{}, { bearerAuth: [] }];

  markOptionalBody(operation);

  const responses: Record<string, ResponseObject> = (operation.responses ??= {});
  const statuses = new Set(Object.keys(responses).filter((status) => Number(status) >= 400));
  const hasInput = (operation.parameters?.length ?? 0) > 0 || operation.requestBody !== undefined;
  if (hasInput) statuses.add('400');
  statuses.add('401');
  if (operation.requestBody !== undefined) {
    statuses.add('413');
    statuses.add('415');
  }
  if (options.rateLimited) statuses.add('429');
  if (options.proxied) {
    statuses.add('502');
    statuses.add('504');
  }
  statuses.add('503');
  for (const status of [...statuses].sort()) responses[status] = problemResponse(status, responses[status]);
  // Keep the responses in status order, as a reader expects them.
  operation.responses = Object.fromEntries(Object.entries(responses).sort(([a], [b]) => a.localeCompare(b)));
}

/** Complete every operation of `document` (see completeOperation) and add the Problem schema. */
export function completeOpenApiDocument<T extends OpenApiDocumentLike>(document: T, options: OpenApiResponseOptions = {}): T {
  const components = (document.components ??= {});
  const schemas = (components.schemas ??= {});
  schemas[problemSchemaName] = problemJsonSchema();
  for (const [path, item] of Object.entries(document.paths ?? {})) {
    for (const method of methods) {
      const operation = item[method] as Operation | undefined;
      if (operation !== undefined) completeOperation(method, path, operation, options);
    }
  }
  return document;
}
