import { isDeepStrictEqual } from 'node:util';
import { request as httpRequest } from 'undici';
import { completeOpenApiDocument, type App, type Logger } from '@timeslot/kernel';
import type { ProxyRoute } from './options';

/** The parts of an OpenAPI 3.1 document the merge touches; everything else is carried as is. */
export interface OpenApiDocument {
  openapi: string;
  info: { title: string; version: string; [key: string]: unknown };
  paths?: Record<string, Record<string, unknown>>;
  components?: { schemas?: Record<string, unknown>; securitySchemes?: Record<string, unknown>; [key: string]: unknown };
  tags?: { name: string; [key: string]: unknown }[];
  [key: string]: unknown;
}

export interface MergedOpenApi {
  readonly document: OpenApiDocument;
  /** Services none of whose replicas served a document; the merge is incomplete when non-empty. */
  readonly missing: readonly string[];
}

export interface FetchMergedOpenApiOptions {
  /** The gateway's own document: its info, security schemes and routes come first. */
  readonly base?: OpenApiDocument;
  /** Per replica (default 3000 ms). */
  readonly timeoutMs?: number;
  readonly logger?: Logger;
}

const defaultBase: OpenApiDocument = { openapi: '3.1.0', info: { title: 'Timeslot API', version: '1.0.0' }, paths: {} };

function isDocument(value: unknown): value is OpenApiDocument {
  return typeof value === 'object' && value !== null && typeof (value as { openapi?: unknown }).openapi === 'string';
}

async function fetchDocument(upstreams: readonly string[], timeoutMs: number, logger: Logger | undefined): Promise<OpenApiDocument | undefined> {
  for (const base of upstreams) {
    const url = `${base.replace(/\/+$/, '')}/openapi.json`;
    try {
      const response = await httpRequest(url, {
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
        signal: AbortSignal.timeout(timeoutMs),
      });
      if (response.statusCode !== 200) {
        await response.body.dump();
        throw new Error(`GET ${url} answered ${response.statusCode}`);
      }
      const body: unknown = await response.body.json();
      if (!isDocument(body)) throw new Error(`GET ${url} did not return an OpenAPI document`);
      return body;
    } catch (error) {
      logger?.warn({ err: error, url }, 'could not fetch an OpenAPI document');
    }
  }
  return undefined;
}

function mergeInto(target: Record<string, unknown>, source: Record<string, unknown> | undefined, what: string, logger: Logger | undefined) {
  for (const [key, value] of Object.entries(source ?? {})) {
    if (!(key in target)) target[key] = value;
    else if (!isDeepStrictEqual(target[key], value)) logger?.warn({ key }, `two services define the same ${what} differently; keeping the first`);
  }
}

const httpMethods = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']);

interface OperationLike {
  operationId?: string;
  [key: string]: unknown;
}

function isOperation(value: unknown): value is OperationLike {
  return typeof value === 'object' && value !== null;
}

function operationIdsOf(document: OpenApiDocument): string[] {
  const ids: string[] = [];
  for (const item of Object.values(document.paths ?? {})) {
    for (const [method, operation] of Object.entries(item)) {
      if (httpMethods.has(method) && isOperation(operation) && typeof operation.operationId === 'string') ids.push(operation.operationId);
    }
  }
  return ids;
}

/** operationIds must be unique in a document (OpenAPI 3.1 §4.8.10): a clash is renamed after its service. */
function uniqueOperationId(operation: OperationLike, service: string, known: Set<string>, logger: Logger | undefined): void {
  const id = operation.operationId;
  if (id === undefined) return;
  if (known.has(id)) {
    let renamed = `${id}_${service.replace(/[^A-Za-z0-9]+/g, '_')}`;
    for (let n = 2; known.has(renamed); n += 1) renamed = `${id}_${service.replace(/[^A-Za-z0-9]+/g, '_')}_${n}`;
    logger?.warn({ operationId: id, renamed, service }, 'two services use the same operationId; renaming the second');
    operation.operationId = renamed;
  }
  known.add(operation.operationId ?? id);
}

/**
 * GET each service's /openapi.json (first replica that answers) and merge paths, schemas,
 * security schemes and tags into one 3.1 document with the gateway's info. Never rejects: a
 * service that cannot be reached is listed in `missing` (and in the document's
 * `x-missing-services`), so the caller can retry later.
 */
export async function fetchMergedOpenApi(routes: readonly ProxyRoute[], options: FetchMergedOpenApiOptions = {}): Promise<MergedOpenApi> {
  const timeoutMs = options.timeoutMs ?? 3000;
  const services = new Map<string, readonly string[]>();
  // Several prefixes usually belong to one service: fetch its document once.
  for (const route of routes) services.set(route.service ?? route.upstreams.join(','), route.upstreams);

  const fetched = await Promise.all(
    [...services].map(async ([service, upstreams]) => [service, await fetchDocument(upstreams, timeoutMs, options.logger)] as const),
  );

  const document = structuredClone(options.base ?? defaultBase);
  document.openapi = '3.1.0';
  const paths: Record<string, Record<string, unknown>> = (document.paths ??= {});
  const components = (document.components ??= {});
  const schemas: Record<string, unknown> = (components.schemas ??= {});
  const securitySchemes: Record<string, unknown> = (components.securitySchemes ??= {});
  const tags = (document.tags ??= []);
  const missing: string[] = [];

  const operationIds = new Set(operationIdsOf(document));
  for (const [service, fetchedSource] of fetched) {
    if (fetchedSource === undefined) {
      missing.push(service);
      continue;
    }
    // Behind the gateway every operation may also be rate limited (429) or fail upstream (502, 504).
    const source = completeOpenApiDocument(structuredClone(fetchedSource), { rateLimited: true, proxied: true });
    for (const [path, operations] of Object.entries(source.paths ?? {})) {
      const target = (paths[path] ??= {});
      for (const [method, operation] of Object.entries(operations)) {
        if (!httpMethods.has(method) || method in target || !isOperation(operation)) continue;
        uniqueOperationId(operation, service, operationIds, options.logger);
      }
      mergeInto(target, operations, `operation on ${path}`, options.logger);
    }
    mergeInto(schemas, source.components?.schemas, 'schema', options.logger);
    mergeInto(securitySchemes, source.components?.securitySchemes, 'security scheme', options.logger);
    for (const tag of source.tags ?? []) if (!tags.some((known) => known.name === tag.name)) tags.push(tag);
  }
  if (tags.length === 0) delete document.tags;
  if (missing.length > 0) document['x-missing-services'] = missing;
  return { document, missing };
}

export interface ServeMergedOpenApiOptions {
  readonly routes: readonly ProxyRoute[];
  readonly logger: Logger;
  /** Reuse a complete document this long (default 60 s); an incomplete one is refetched. */
  readonly ttlMs?: number;
  readonly timeoutMs?: number;
}

/** Answer GET /openapi.json with the services' merged document instead of the gateway's own. */
export function serveMergedOpenApi(app: App, options: ServeMergedOpenApiOptions): void {
  const ttlMs = options.ttlMs ?? 60_000;
  let cached: { readonly merged: MergedOpenApi; readonly at: number } | undefined;
  let inFlight: Promise<MergedOpenApi> | undefined;

  const current = async (): Promise<MergedOpenApi> => {
    if (cached !== undefined && cached.merged.missing.length === 0 && Date.now() - cached.at < ttlMs) return cached.merged;
    inFlight ??= fetchMergedOpenApi(options.routes, {
      base: app.swagger() as unknown as OpenApiDocument,
      logger: options.logger,
      ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    })
      .then((merged) => {
        cached = { merged, at: Date.now() };
        return merged;
      })
      .finally(() => {
        inFlight = undefined;
      });
    return inFlight;
  };

  app.setOpenApiSource(async () => (await current()).document);
}
