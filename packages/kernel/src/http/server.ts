import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import fastifySwagger from '@fastify/swagger';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyRequest } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { requestIdHeader } from '@timeslot/ports';
import { commonErrors } from '../errors';
import type { Logger } from '../logger';
import { createMetrics, type HttpMetrics } from '../metrics';
import { completeOpenApiDocument, type OpenApiDocumentLike } from './openapi';
import { problemContentType, toAppError, toProblem } from './problem';
import { requestIdFrom } from './request-id';

export type App = FastifyInstance<Server, IncomingMessage, ServerResponse, FastifyBaseLogger, ZodTypeProvider>;

/** A dependency `/readyz` checks; it rejects while the dependency is unreachable. */
export type ReadinessCheck = () => Promise<void>;

export interface HttpServerOptions {
  /** Name used in logs, metrics and the OpenAPI title. */
  readonly service: string;
  readonly logger: Logger;
  readonly metrics?: HttpMetrics;
  /** Checked by GET /readyz (503 when any fails). Add more later with `addReadinessCheck`. */
  readonly readiness?: Readonly<Record<string, ReadinessCheck>>;
  /** Largest accepted body, bytes (default 1 MiB). */
  readonly bodyLimit?: number;
  /** Fastify's trustProxy: whom to believe for X-Forwarded-For (client IPs for rate limits). */
  readonly trustProxy?: boolean | string | string[];
  readonly openapi?: {
    readonly title?: string;
    readonly version?: string;
    readonly description?: string;
    /** A rate limiter runs before every route (the gateway): the document adds 429 to every operation. */
    readonly rateLimited?: boolean;
  };
  /** Time allowed for a readiness check before it counts as failed (default 2000 ms). */
  readonly readinessTimeoutMs?: number;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Register another dependency for /readyz. */
    addReadinessCheck(name: string, check: () => Promise<void>): void;
    /**
     * Replace what GET /openapi.json serves (default: the document generated from this app's own
     * routes). A distributed gateway serves the merged document of the services it proxies.
     */
    setOpenApiSource(source: () => Promise<unknown>): void;
    metrics: HttpMetrics;
  }
}

function routeLabel(request: FastifyRequest): string {
  return request.routeOptions.url ?? 'unmatched';
}

function withTimeout(promise: Promise<void>, ms: number, name: string): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${name} did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * The HTTP server every process uses: Fastify with zod schemas, problem+json errors, request ids,
 * one log line per request, Prometheus metrics, /healthz, /readyz, /metrics and /openapi.json.
 * Register routes on the returned app, then `listen` (or `inject` in tests).
 */
export async function createHttpServer(options: HttpServerOptions): Promise<App> {
  const metrics = options.metrics ?? createMetrics({ service: options.service });
  const checks = new Map<string, ReadinessCheck>(Object.entries(options.readiness ?? {}));
  const readinessTimeoutMs = options.readinessTimeoutMs ?? 2000;

  // Typed as Fastify's logger interface so the app's type does not depend on pino's generics.
  const loggerInstance: FastifyBaseLogger = options.logger;
  const app = Fastify({
    loggerInstance,
    // We log one line per request ourselves (onResponse), with the route template and duration.
    logController: new LogController({ disableRequestLogging: true, requestIdLogLabel: 'requestId' }),
    genReqId: requestIdFrom,
    bodyLimit: options.bodyLimit ?? 1024 * 1024,
    trustProxy: options.trustProxy ?? false,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    ajv: { customOptions: { coerceTypes: false } },
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorate('metrics', metrics);
  app.decorate('addReadinessCheck', (name: string, check: ReadinessCheck) => {
    checks.set(name, check);
  });

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: options.openapi?.title ?? `Timeslot ${options.service}`,
        version: options.openapi?.version ?? '1.0.0',
        ...(options.openapi?.description === undefined ? {} : { description: options.openapi.description }),
      },
      components: {
        securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      },
    },
    transform: jsonSchemaTransform,
    // Errors as problem+json, and the statuses every operation may give whatever its route says.
    transformObject: (document) =>
      'openapiObject' in document
        ? completeOpenApiDocument(document.openapiObject as OpenApiDocumentLike, { rateLimited: options.openapi?.rateLimited ?? false })
        : document.swaggerObject,
  });

  app.addHook('onRequest', async (request, reply) => {
    void reply.header(requestIdHeader, request.id);
    metrics.inFlight.inc({ method: request.method, route: routeLabel(request) });
  });

  app.addHook('onResponse', async (request, reply) => {
    const route = routeLabel(request);
    const labels = { method: request.method, route, status_code: String(reply.statusCode) };
    metrics.inFlight.dec({ method: request.method, route });
    metrics.requestsTotal.inc(labels);
    metrics.requestDuration.observe(labels, reply.elapsedTime / 1000);
    request.log.info(
      {
        method: request.method,
        route,
        path: request.url.split('?')[0],
        status: reply.statusCode,
        durationMs: Math.round(reply.elapsedTime * 100) / 100,
        ...(request.identity ? { userId: request.identity.userId } : {}),
      },
      'request completed',
    );
  });

  // Graceful shutdown: Fastify stops accepting and closes idle keep-alive connections, but a
  // connection busy with a request would stay open after its response, holding close() until the
  // client's keep-alive ends. Answering in-flight requests with "Connection: close" ends them.
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onSend', async (_request, reply) => {
    if (closing) void reply.header('connection', 'close');
  });

  app.setErrorHandler(async (error, request, reply) => {
    const appError = toAppError(error);
    if (appError.status >= 500) request.log.error({ err: error }, 'request failed');
    else request.log.debug({ code: appError.code }, 'request rejected');
    for (const [name, value] of Object.entries(appError.headers ?? {})) void reply.header(name, value);
    return reply
      .status(appError.status)
      .type(problemContentType)
      .send(toProblem(appError, request.url.split('?')[0], request.id));
  });

  app.setNotFoundHandler(async (request) => {
    throw commonErrors.routeNotFound(request.method, request.url.split('?')[0] ?? '/');
  });

  app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok' }));

  app.get('/readyz', { schema: { hide: true } }, async (_request, reply) => {
    const results = await Promise.all(
      [...checks].map(async ([name, check]) => {
        try {
          await withTimeout(check(), readinessTimeoutMs, name);
          return [name, 'ok'] as const;
        } catch (error) {
          return [name, error instanceof Error ? error.message : 'unreachable'] as const;
        }
      }),
    );
    const failing = results.filter(([, status]) => status !== 'ok');
    const body = { status: failing.length === 0 ? 'ready' : 'unavailable', checks: Object.fromEntries(results) };
    if (failing.length > 0) {
      return reply
        .status(503)
        .type(problemContentType)
        .send({
          ...toProblem(commonErrors.unavailable(`Not ready: ${failing.map(([name]) => name).join(', ')} unreachable.`)),
          checks: body.checks,
        });
    }
    return body;
  });

  app.get('/metrics', { schema: { hide: true } }, async (_request, reply) => {
    return reply.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });

  let openApiSource: () => Promise<unknown> = async () => app.swagger();
  app.decorate('setOpenApiSource', (source: () => Promise<unknown>) => {
    openApiSource = source;
  });
  app.get('/openapi.json', { schema: { hide: true } }, async () => openApiSource());

  return app;
}
