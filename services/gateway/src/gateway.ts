import fastifyCors from '@fastify/cors';
import fastifySwaggerUi from '@fastify/swagger-ui';
import type { FastifyRequest } from 'fastify';
import {
  commonErrors,
  createHttpServer,
  installAuth,
  type App,
  type HttpMetrics,
  type Logger,
  type ReadinessCheck,
  type TokenVerifier,
} from '@timeslot/kernel';
import type { IncomingMessage, ServerResponse } from 'node:http';
import helmet from 'helmet';
import { identityHeaders, type RateLimitStore } from '@timeslot/ports';
import { defaultBodyLimit, type GatewayOptions } from './options';
import { createRateLimiter } from './rate-limit';
import { registerWebApp } from './web';

export interface GatewayDeps {
  readonly logger: Logger;
  readonly rateLimits: RateLimitStore;
  readonly verify: TokenVerifier;
  readonly options: GatewayOptions;
  readonly readiness?: Readonly<Record<string, ReadinessCheck>>;
  /** Share one registry with the services in embedded mode; a new one otherwise. */
  readonly metrics?: HttpMetrics;
}

const identityHeaderNames: readonly string[] = Object.values(identityHeaders);

/** Remove client-sent identity headers from both views Node keeps of the request headers. */
function stripIdentityHeaders(request: FastifyRequest): void {
  const raw = request.raw;
  // The usual request carries none: then the raw list need not be rebuilt.
  if (!identityHeaderNames.some((name) => raw.headers[name] !== undefined)) return;
  for (const name of identityHeaderNames) delete raw.headers[name];
  const rawHeaders = raw.rawHeaders;
  const kept: string[] = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i] ?? '';
    if (!identityHeaderNames.includes(name.toLowerCase())) kept.push(name, rawHeaders[i + 1] ?? '');
  }
  if (kept.length !== rawHeaders.length) raw.rawHeaders = kept;
}

/**
 * Helmet's headers, computed once. They do not depend on the request, and @fastify/helmet
 * rebuilt helmet's middleware (re-parsing the CSP) on every request: a tenth of a cached read.
 */
function securityHeaders(): Record<string, string> {
  const headers: Record<string, string> = {};
  const response = {
    setHeader: (name: string, value: string | number | readonly string[]) => {
      headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
    },
    removeHeader: (name: string) => {
      delete headers[name.toLowerCase()];
    },
  };
  const middleware = helmet({
    contentSecurityPolicy: {
      directives: {
        // Swagger UI at /docs loads only same-origin scripts and uses inline styles and data:
        // images, which helmet's defaults allow. Upgrading requests would break it (and the web
        // UI) on plain-HTTP self-hosted installs, where TLS ends elsewhere or nowhere.
        upgradeInsecureRequests: null,
        // The web UI shows provider photos, https URLs on other hosts.
        imgSrc: ["'self'", 'data:', 'https:'],
      },
    },
  });
  // Helmet 8 throws configuration errors itself; its callback only signals completion.
  middleware({} as IncomingMessage, response as unknown as ServerResponse, () => undefined);
  return headers;
}

function isPreflight(request: FastifyRequest): boolean {
  return request.method === 'OPTIONS' && request.headers.origin !== undefined && request.headers['access-control-request-method'] !== undefined;
}

/**
 * The public entry point. Embedded mode registers every service's routes on the returned app
 * (so these hooks run before them); distributed mode adds `registerProxy`. Hooks run in this order:
 * strip client identity headers, security headers, CORS, per-IP limits, token verification,
 * per-user limit, verified identity headers.
 */
export async function createGatewayApp(deps: GatewayDeps): Promise<App> {
  const { options } = deps;
  const app = await createHttpServer({
    service: 'gateway',
    logger: deps.logger,
    bodyLimit: options.bodyLimit ?? defaultBodyLimit,
    trustProxy: options.trustProxy ?? false,
    openapi: { title: 'Timeslot API', rateLimited: true },
    // The kernel sets them on every answer, also those no hook of ours sees (errors before routing).
    responseHeaders: securityHeaders(),
    ...(deps.readiness === undefined ? {} : { readiness: deps.readiness }),
    ...(deps.metrics === undefined ? {} : { metrics: deps.metrics }),
  });

  // The gateway's own hooks take a callback rather than returning a promise: they run on every
  // request and have nothing to wait for.
  // First, so no later hook, plugin or service ever sees an identity the client made up.
  app.addHook('onRequest', (request, _reply, done) => {
    stripIdentityHeaders(request);
    done();
  });

  const corsOrigins = options.corsOrigins ?? [];
  const anyOrigin = corsOrigins.includes('*');
  // A preflight from an origin we do not serve gets a clear 403 rather than a 204 without CORS
  // headers (or, in distributed mode, a trip to an upstream). Plain requests are left alone: the
  // browser withholds the response without Access-Control-Allow-Origin, and same-origin POSTs
  // from the web UI carry an Origin header too.
  app.addHook('onRequest', (request, _reply, done) => {
    if (!anyOrigin && isPreflight(request) && !corsOrigins.includes(request.headers.origin ?? '')) {
      done(commonErrors.forbidden('This origin may not call the API from a browser.'));
      return;
    }
    done();
  });
  await app.register(fastifyCors, {
    origin: anyOrigin ? '*' : corsOrigins.length > 0 ? [...corsOrigins] : false,
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
    exposedHeaders: ['x-request-id', 'ratelimit-limit', 'ratelimit-remaining', 'ratelimit-reset', 'retry-after', 'location'],
    maxAge: 600,
  });

  const limiter = createRateLimiter({
    store: deps.rateLimits,
    logger: deps.logger,
    registry: app.metrics.registry,
    ...(options.rateLimits === undefined ? {} : { limits: options.rateLimits }),
  });
  app.addHook('onRequest', limiter.beforeAuth);
  installAuth(app, deps.verify);
  app.addHook('onRequest', limiter.afterAuth);
  app.addHook('onRequest', (request, _reply, done) => {
    const identity = request.identity;
    if (identity !== null) {
      request.raw.headers[identityHeaders.userId] = identity.userId;
      request.raw.headers[identityHeaders.role] = identity.role;
      request.raw.headers[identityHeaders.tokenId] = identity.tokenId;
    }
    done();
  });

  if (options.docs ?? true) {
    await app.register(fastifySwaggerUi, {
      routePrefix: '/docs',
      uiHooks: {
        // The UI always shows /openapi.json: in distributed mode that is the services' merged
        // document, which the plugin's own /docs/json (this app's routes only) would not be.
        onRequest: (request, reply, done) => {
          if (request.routeOptions.url === '/docs/json') void reply.redirect('/openapi.json');
          else done();
        },
      },
    });
  }

  if (options.web !== undefined) await registerWebApp(app, { root: options.web.root, logger: deps.logger });

  return app;
}
