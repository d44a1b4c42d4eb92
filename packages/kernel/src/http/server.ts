import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import fastifySwagger from '@fastify/swagger';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyRequest } from 'fastify';
import { jsonSchemaTransform, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { requestIdHeader, withTimeout } from '@timeslot/ports';
import { commonErrors } from '../errors';
import { lazyChildLogger, redactPaths, type Logger } from '../logger';
import { createMetrics, type HttpMetrics } from '../metrics';
import { readDeadline } from './deadline';
import { clientErrorHandler, frameworkErrorHandler, refuseNulCharacters } from './edge';
import { completeOpenApiDocument, type OpenApiDocumentLike } from './openapi';
import { problemContentType, toAppError, toProblem } from './problem';
import { requestIdFrom } from './request-id';
import { responseSerializerCompiler } from './serializer';

export type App = FastifyInstance<Server, IncomingMessage, ServerResponse, FastifyBaseLogger, ZodTypeProvider>;

/**
 * A dependency `/readyz` checks; it rejects while the dependency is unreachable. One the process
 * can work without (`critical: false`, e.g. a cache) is reported as `degraded: …` in the body
 * while it fails, and leaves the answer 200: a load balancer must not pull every replica at once
 * for a dependency they all share and can do without.
 */
export type ReadinessCheck = (() => Promise<void>) | { readonly check: () => Promise<void>; readonly critical: false };

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
  /**
   * Headers every response carries, whatever produced it (routes, errors, 404s, plugins, errors
   * raised before routing, the raw answer to unparseable requests): the gateway's security headers.
   */
  readonly responseHeaders?: Readonly<Record<string, string>>;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Register another dependency for /readyz. */
    addReadinessCheck(name: string, check: ReadinessCheck): void;
    /**
     * Start draining before `close()` (on SIGTERM): /readyz answers 503 at once, every response
     * says `Connection: close`, and requests that arrive from now on get 503 SHUTTING_DOWN with
     * Retry-After. Clients leave the open keep-alive sockets on their own, so that closing them
     * later races with nobody.
     */
    beginDrain(): void;
    /**
     * Replace what GET /openapi.json serves (default: the document generated from this app's own
     * routes). A distributed gateway serves the merged document of the services it proxies.
     */
    setOpenApiSource(source: () => Promise<unknown>): void;
    metrics: HttpMetrics;
  }
}

/** The request's end as one word in its log line; 'abandoned': it ran past its caller's deadline. */
type Outcome = 'completed' | 'rejected' | 'failed' | 'abandoned';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the error handler when the request was given up (DEADLINE_EXCEEDED). */
    abandoned: boolean;
  }
}

function outcomeOf(request: FastifyRequest, status: number): Outcome {
  if (request.abandoned) return 'abandoned';
  if (status >= 500) return 'failed';
  return status >= 400 ? 'rejected' : 'completed';
}

function routeLabel(request: FastifyRequest): string {
  return request.routeOptions.url ?? 'unmatched';
}

// The top-level names pino redacts (token, password …): a path parameter so named is a secret too.
const secretNames = new Set(redactPaths.filter((path) => !path.includes('.')).map((name) => name.toLowerCase()));

/**
 * Whether a route template has a path parameter holding a secret (`/calendar-feeds/:token.ics`):
 * its request line then shows the template instead of the path.
 */
function hasSecretParameter(route: string): boolean {
  return [...route.matchAll(/:([A-Za-z0-9_]+)/g)].some(([, name]) => secretNames.has(name!.toLowerCase()));
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
  const responseHeaders = options.responseHeaders ?? {};

  // Typed as Fastify's logger interface so the app's type does not depend on pino's generics.
  const loggerInstance: FastifyBaseLogger = options.logger;
  const app = Fastify({
    loggerInstance,
    // We log one line per request ourselves (onResponse), with the route template and duration.
    logController: new LogController({ disableRequestLogging: true, requestIdLogLabel: 'requestId' }),
    // request.log is made on first use: most requests log nothing but their line.
    childLoggerFactory: (_logger, bindings, childOptions) => lazyChildLogger(options.logger, bindings, childOptions),
    genReqId: requestIdFrom,
    bodyLimit: options.bodyLimit ?? 1024 * 1024,
    trustProxy: options.trustProxy ?? false,
    // Our own onRequest answers requests that arrive while draining or closing (problem+json,
    // Retry-After); Fastify's built-in 503 is plain JSON without our headers.
    return503OnClosing: false,
    forceCloseConnections: 'idle',
    frameworkErrors: frameworkErrorHandler(responseHeaders),
    clientErrorHandler: clientErrorHandler(responseHeaders),
    ajv: { customOptions: { coerceTypes: false } },
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(responseSerializerCompiler);
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

  // Graceful shutdown (see beginDrain): once draining, no response advertises keep-alive, so
  // clients close the sockets themselves instead of reusing one the server is about to close.
  let draining = false;
  app.decorate('beginDrain', () => {
    draining = true;
  });
  app.addHook('preClose', async () => {
    draining = true;
  });

  app.decorateRequest('deadline', undefined);
  app.decorateRequest('abandoned', false);
  app.addHook('onRequest', async (request, reply) => {
    void reply.headers(responseHeaders);
    void reply.header(requestIdHeader, request.id);
    metrics.requestStarted(request.method, routeLabel(request));
    readDeadline(request);
    // The probes answer for themselves: /readyz says 503 while draining, /healthz that the process
    // still lives (a liveness probe failing now would only get it killed early). All else is turned away.
    const route = request.routeOptions.url;
    if (draining && route !== '/readyz' && route !== '/healthz') throw commonErrors.shuttingDown();
  });
  app.addHook('preValidation', refuseNulCharacters);

  // The request line is built below from fields known to hold no secret (the route template, the
  // path without its query, or the template where the path carries a secret), so it needs none of
  // pino's redaction, which costs on every field of every line. Every other line keeps it.
  const requestLog = options.logger.child({}, { redact: [] });
  const secretRoutes = new Map<string, boolean>();
  const loggedPath = (request: FastifyRequest, route: string): string => {
    let secret = secretRoutes.get(route);
    if (secret === undefined) secretRoutes.set(route, (secret = hasSecretParameter(route)));
    return secret ? route : request.url.split('?')[0]!;
  };

  app.addHook('onResponse', async (request, reply) => {
    const route = routeLabel(request);
    metrics.requestFinished(request.method, route, reply.statusCode, reply.elapsedTime / 1000);
    requestLog.info(
      {
        requestId: request.id,
        method: request.method,
        route,
        path: loggedPath(request, route),
        status: reply.statusCode,
        outcome: outcomeOf(request, reply.statusCode),
        durationMs: Math.round(reply.elapsedTime * 100) / 100,
        ...(request.identity ? { userId: request.identity.userId } : {}),
      },
      'request completed',
    );
  });

  // A connection busy with a request when close() starts would otherwise stay open after its
  // response, holding close() until the client's keep-alive ends.
  app.addHook('onSend', async (_request, reply, payload) => {
    if (draining) void reply.header('connection', 'close');
    // 204 and 304 have no content (RFC 9110 §15.3.5, §15.4.5): a serialized `null` with its length
    // and type makes strict clients (undici) fail reading the next response on the socket.
    if (reply.statusCode === 204 || reply.statusCode === 304) {
      reply.removeHeader('content-type');
      reply.removeHeader('content-length');
      return null;
    }
    return payload;
  });

  app.setErrorHandler(async (error, request, reply) => {
    const appError = toAppError(error);
    if (appError.code === 'DEADLINE_EXCEEDED') request.abandoned = true;
    if (appError.status >= 500 && appError.status !== 503 && !request.abandoned) request.log.error({ err: error }, 'request failed');
    else if (appError.status >= 500) request.log.warn({ code: appError.code, err: error }, 'request not served');
    else request.log.debug({ code: appError.code }, 'request rejected');
    // A plugin's reply may have been half set up (headers of a file it meant to send).
    void reply.removeHeader('content-length').removeHeader('content-encoding').headers(responseHeaders);
    for (const [name, value] of Object.entries(appError.headers ?? {})) void reply.header(name, value);
    return reply
      .status(appError.status)
      .type(problemContentType)
      .send(toProblem(appError, request.url.split('?')[0], request.id));
  });

  app.setNotFoundHandler(async (request) => {
    throw commonErrors.routeNotFound(request.method);
  });

  app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok' }));

  app.get('/readyz', { schema: { hide: true } }, async (_request, reply) => {
    if (draining) {
      return reply
        .status(503)
        .type(problemContentType)
        .send({ ...toProblem(commonErrors.shuttingDown()), checks: {} });
    }
    const results = await Promise.all(
      [...checks].map(async ([name, check]) => {
        const critical = typeof check === 'function';
        try {
          await withTimeout(critical ? check() : check.check(), readinessTimeoutMs, `${name} did not answer within ${readinessTimeoutMs} ms`);
          return [name, 'ok', critical] as const;
        } catch (error) {
          const reason = error instanceof Error ? error.message : 'unreachable';
          return [name, critical ? reason : `degraded: ${reason}`, critical] as const;
        }
      }),
    );
    const failing = results.filter(([, status, critical]) => status !== 'ok' && critical);
    const statuses = Object.fromEntries(results.map(([name, status]) => [name, status]));
    const degraded = results.some(([, status]) => status !== 'ok');
    const body = { status: failing.length > 0 ? 'unavailable' : degraded ? 'degraded' : 'ready', checks: statuses };
    if (failing.length > 0) {
      return reply
        .status(503)
        .type(problemContentType)
        .send({
          ...toProblem(commonErrors.unavailable(`Not ready: ${failing.map(([name]) => name).join(', ')} unreachable.`)),
          checks: statuses,
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
