import { EventEmitter } from 'node:events';
import type { IncomingHttpHeaders } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Pool, type Dispatcher } from 'undici';
import { commonErrors, registeredCounter, type App, type Logger } from '@timeslot/kernel';
import { requestIdHeader, requestTimeoutHeader } from '@timeslot/ports';
import { gatewayErrors } from './errors';
import { serveMergedOpenApi } from './openapi';
import { defaultUpstream, type ProxyRoute, type UpstreamSettings } from './options';
import { candidates, createReplicaHealth, type Replica } from './upstream-health';

export interface RegisterProxyOptions extends UpstreamSettings {
  readonly routes: readonly ProxyRoute[];
  readonly logger: Logger;
  /** Serve the services' merged OpenAPI document at /openapi.json (default true). */
  readonly mergedOpenApi?: boolean;
}

const proxiedMethods = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;
/** RFC 9110 §9.2.2: sending these twice has the effect of sending them once. */
const idempotentMethods = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);

// RFC 9110 §7.6.1 hop-by-hop fields, plus what the proxy recomputes itself (host, content-length
// from the buffered body) and `expect`, which undici refuses.
const hopByHop = new Set(['connection', 'keep-alive', 'transfer-encoding', 'te', 'trailer', 'upgrade', 'http2-settings']);
const requestOnlyDropped = new Set(['host', 'content-length', 'expect', 'x-forwarded-for', 'x-forwarded-proto', 'x-forwarded-host']);

/** The replica could not be reached at all, when raised by the connect phase (see neverConnected). */
const unreachableCodes = new Set(['ECONNREFUSED', 'UND_ERR_CONNECT_TIMEOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
// Node's errors name the call that failed. EHOSTUNREACH and ENETUNREACH can also end an established
// connection ("read EHOSTUNREACH"), after the request went out: only these calls mean it never did.
const connectSyscalls = new Set(['connect', 'getaddrinfo']);
/** The connection broke before a response byte arrived: the replica may have acted on the request. */
const brokenCodes = new Set(['ECONNRESET', 'UND_ERR_SOCKET', 'EPIPE']);
const timeoutCodes = new Set(['UND_ERR_HEADERS_TIMEOUT']);
const nothingMore = new Set<string>();

type CodedError = Error & { readonly code: string; readonly syscall?: unknown };

/** The first error of the cause chain that carries a code: undici's own, or Node's socket error. */
function codedError(error: unknown): CodedError | undefined {
  for (let current: unknown = error, depth = 0; current instanceof Error && depth < 3; current = current.cause, depth++) {
    if (typeof (current as { code?: unknown }).code === 'string') return current as CodedError;
  }
  return undefined;
}

function connectPhase(error: Error): boolean {
  const { syscall } = error as { syscall?: unknown };
  if (typeof syscall === 'string') return connectSyscalls.has(syscall);
  // With several addresses to try (happy eyeballs), Node fails the connect with one error per
  // address and takes the first one's code.
  return error instanceof AggregateError && error.errors.length > 0 && error.errors.every((each) => each instanceof Error && connectPhase(each));
}

/**
 * Whether an attempt failed before undici had a connection to write the request on (DNS lookup,
 * TCP connect refused or unroutable, TCP connect or TLS handshake over the connect timeout, which
 * undici reports as its own UND_ERR_CONNECT_TIMEOUT). Not a byte of the request reached the replica,
 * so sending it to another one is safe whatever the method.
 */
export function neverConnected(error: unknown): boolean {
  const coded = codedError(error);
  if (coded === undefined) return false;
  return coded.code === 'UND_ERR_CONNECT_TIMEOUT' || (unreachableCodes.has(coded.code) && connectPhase(coded));
}

function failureKind(error: unknown): 'unreachable' | 'broken' | 'other' {
  if (neverConnected(error)) return 'unreachable';
  const code = codedError(error)?.code;
  // An unreachable code outside the connect phase ended a connection the request may have gone out on.
  return code !== undefined && (brokenCodes.has(code) || unreachableCodes.has(code)) ? 'broken' : 'other';
}

function filterHeaders(headers: IncomingHttpHeaders, dropped: ReadonlySet<string>): Record<string, string | string[]> {
  const connection = headers.connection;
  // Usually "keep-alive" or nothing: the set of names it lists is built only when it lists any.
  const listed =
    connection === undefined || connection === 'keep-alive'
      ? nothingMore
      : new Set(
          (Array.isArray(connection) ? connection.join(',') : connection)
            .split(',')
            .map((token) => token.trim().toLowerCase())
            .filter((token) => token !== ''),
        );
  const result: Record<string, string | string[]> = {};
  for (const name in headers) {
    const value = headers[name];
    if (value === undefined || hopByHop.has(name) || listed.has(name) || dropped.has(name) || name.startsWith('proxy-')) continue;
    result[name] = value;
  }
  return result;
}

function checkPrefix(prefix: string): void {
  if (!/^\/[A-Za-z0-9._~\-/]*$/.test(prefix) || prefix.endsWith('/') || prefix.includes('//')) {
    throw new Error(`Proxy prefix "${prefix}" must be a plain path like /api/v1/users, without a trailing slash.`);
  }
}

interface UpstreamGroup {
  readonly service: string;
  readonly upstreams: readonly Replica[];
  next: number;
}

/**
 * The deadline a client asked for in `x-request-timeout-ms`, if it is a plain positive number of
 * milliseconds. It can only shorten the gateway's own timeout, never lengthen it.
 */
function clientDeadlineMs(value: string | string[] | undefined): number | undefined {
  if (typeof value !== 'string' || !/^\s*\d{1,9}\s*$/.test(value)) return undefined;
  const ms = Number(value);
  return ms > 0 ? ms : undefined;
}

/**
 * What an attempt tells the replica it has left: the gateway's remaining wait less a margin
 * (a tenth, at most a second) for the answer's way back, so the replica gives up before the
 * gateway answers 504 instead of committing work nobody is waiting for.
 */
export function upstreamDeadlineMs(remainingMs: number): number {
  return Math.max(1, Math.floor(remainingMs - Math.min(remainingMs / 10, 1000)));
}

/**
 * A live stream (Server-Sent Events) is quiet between its heartbeats for longer than an answer may
 * take: between two of its chunks the proxy waits this long rather than `timeoutMs`.
 */
export const eventStreamIdleMs = 60_000;

function wantsEventStream(request: FastifyRequest): boolean {
  const accept = request.headers.accept;
  return typeof accept === 'string' && accept.toLowerCase().includes('text/event-stream');
}

/**
 * An attempt's abort signal. undici takes an EventEmitter as well as an AbortSignal, and creating
 * an AbortSignal (an EventTarget) was a sixth of the proxy's own work per request.
 */
class Abort extends EventEmitter {
  aborted = false;
  reason: unknown = undefined;

  abort(reason: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    this.emit('abort');
  }
}

class UpstreamTimeout extends Error {
  constructor(ms: number) {
    super(`no upstream response headers within ${ms} ms`);
    this.name = 'UpstreamTimeout';
  }
}

/**
 * Distributed mode: forward each route prefix to its service's replicas, round-robin, over
 * keep-alive undici pools. Bodies pass through as raw bytes (still under the app's bodyLimit);
 * responses stream back. Call after createGatewayApp, so rate limits and token verification run
 * first and the verified identity headers are forwarded.
 *
 * A failed attempt moves on to the next replica, each tried at most once, when the request never
 * reached the one that failed (connection refused, DNS failure, connect timeout: see
 * neverConnected), whatever the method: the body is buffered, so it is sent again whole. When a
 * connection broke after the request went out, only idempotent methods go on; a POST or PATCH
 * answers 502, since the replica may have acted on it. 503 when no replica could be reached.
 *
 * Replicas that keep failing to connect or to answer in time leave the rotation until a readiness
 * check brings them back (see createReplicaHealth). Every attempt carries `x-request-timeout-ms`,
 * the time the gateway will still wait less a margin, so the replica abandons work the gateway
 * will have answered 504 for.
 */
export async function registerProxy(app: App, options: RegisterProxyOptions): Promise<void> {
  const timeoutMs = options.timeoutMs ?? defaultUpstream.timeoutMs;
  const connectTimeoutMs = options.connectTimeoutMs ?? defaultUpstream.connectTimeoutMs;
  const connections = options.connections ?? defaultUpstream.connections;
  const pools = new Map<string, Replica>();

  const upstreamFor = (base: string, service: string): Replica => {
    const url = new URL(base);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`Upstream "${base}" must be an http(s) URL.`);
    const key = `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
    let upstream = pools.get(key);
    if (upstream === undefined) {
      const pool = new Pool(url.origin, {
        connections,
        pipelining: 1,
        connectTimeout: connectTimeoutMs,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      });
      upstream = {
        base: key,
        pool,
        pathPrefix: url.pathname.replace(/\/+$/, ''),
        services: new Set(),
        inRotation: true,
        failures: 0,
        ejections: 0,
        outSince: 0,
        outBecause: 'unreachable',
        timer: undefined,
      };
      pools.set(key, upstream);
    }
    upstream.services.add(service);
    return upstream;
  };

  const groups = options.routes.map((route): UpstreamGroup & { prefix: string } => {
    checkPrefix(route.prefix);
    if (route.upstreams.length === 0) throw new Error(`Proxy prefix "${route.prefix}" has no upstreams.`);
    const service = route.service ?? route.prefix;
    return { prefix: route.prefix, service, upstreams: route.upstreams.map((base) => upstreamFor(base, service)), next: 0 };
  });

  const registry = app.metrics.registry;
  const failures = registeredCounter(registry, 'gateway_upstream_failures_total', 'Upstream attempts that failed, by kind (unreachable, broken, timeout, other)', [
    'service',
    'kind',
  ]);

  const health = createReplicaHealth([...pools.values()], options.health ?? {}, options.logger, registry);
  /** Live streams being proxied: they never end on their own, so closing the gateway ends them. */
  const streams = new Set<Abort>();

  async function forward(request: FastifyRequest, reply: FastifyReply, group: UpstreamGroup): Promise<FastifyReply> {
    const headers = filterHeaders(request.headers, requestOnlyDropped);
    headers[requestIdHeader] = request.id;
    // request.ips is the socket address followed by the addresses trustProxy lets us believe.
    headers['x-forwarded-for'] = [...request.ips ?? [request.ip]].reverse().join(', ');
    headers['x-forwarded-proto'] = request.protocol;
    headers['x-forwarded-host'] = request.host;
    const body = Buffer.isBuffer(request.body) && request.body.length > 0 ? request.body : undefined;

    const budgetMs = Math.min(timeoutMs, clientDeadlineMs(request.headers[requestTimeoutHeader]) ?? Infinity);
    const deadline = Date.now() + budgetMs;
    const controller = new Abort();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort(new UpstreamTimeout(budgetMs));
    }, budgetMs);
    const onClientGone = () => {
      if (!reply.raw.writableFinished) controller.abort(new Error('the client went away'));
    };
    reply.raw.once('close', onClientGone);

    const order = candidates(group.upstreams, group.next);
    // Not wrapped at the replica count: the replicas in rotation may be fewer, and a counter taken
    // modulo a smaller number than it wraps at would favour the first ones.
    group.next += 1;
    const idempotent = idempotentMethods.has(request.method);
    const streaming = wantsEventStream(request);
    let unreachable = 0;
    let attempts = 0;
    let lastError: unknown;
    try {
      for (const upstream of order) {
        attempts++;
        headers[requestTimeoutHeader] = String(upstreamDeadlineMs(deadline - Date.now()));
        try {
          const response = await upstream.pool.request({
            method: request.method,
            path: `${upstream.pathPrefix}${request.url}`,
            headers,
            body,
            signal: controller,
            ...(streaming ? { bodyTimeout: Math.max(timeoutMs, eventStreamIdleMs) } : {}),
          });
          clearTimeout(timer);
          health.succeeded(upstream);
          if (streaming) {
            streams.add(controller);
            reply.raw.once('close', () => {
              streams.delete(controller);
              // The client left: stop reading the replica's stream too.
              if (!reply.raw.writableFinished) controller.abort(new Error('the client went away'));
            });
          }
          return send(request, reply, response);
        } catch (error) {
          lastError = error;
          const code = codedError(error)?.code;
          if (timedOut || (code !== undefined && timeoutCodes.has(code))) {
            failures.inc({ service: group.service, kind: 'timeout' });
            // Only the gateway's own timeout says something about the replica: a client's shorter
            // deadline must not let a client take healthy replicas out of rotation.
            if (budgetMs === timeoutMs) health.failed(upstream, `no response within ${timeoutMs} ms`);
            throw commonErrors.gatewayTimeout(error);
          }
          if (controller.aborted) throw gatewayErrors.clientClosedRequest(error);
          const kind = failureKind(error);
          failures.inc({ service: group.service, kind });
          if (kind === 'other') throw commonErrors.badGateway(error);
          if (kind === 'unreachable') {
            unreachable++;
            health.failed(upstream, codedError(error)?.code ?? 'unreachable');
          }
          request.log.warn({ err: error, upstream: upstream.base, service: group.service }, 'upstream attempt failed');
          // The replica may have acted on it: a POST must not reach a second one.
          if (kind === 'broken' && !idempotent) break;
        }
      }
      throw unreachable === attempts
        ? commonErrors.unavailable(`The ${group.service} service is unavailable.`, lastError)
        : commonErrors.badGateway(lastError);
    } finally {
      clearTimeout(timer);
      reply.raw.off('close', onClientGone);
    }
  }

  async function send(request: FastifyRequest, reply: FastifyReply, response: Dispatcher.ResponseData): Promise<FastifyReply> {
    void reply.status(response.statusCode);
    for (const [name, value] of Object.entries(filterHeaders(response.headers, nothingMore))) {
      if (name === 'vary' && reply.hasHeader('vary')) {
        void reply.header('vary', `${String(reply.getHeader('vary'))}, ${Array.isArray(value) ? value.join(', ') : value}`);
      } else if (!reply.hasHeader(name)) {
        // The gateway's own headers (request id, rate limits, security, CORS) win.
        void reply.header(name, value);
      }
    }
    if (request.method === 'HEAD' || response.statusCode === 204 || response.statusCode === 304) {
      await response.body.dump();
      return reply.send();
    }
    return reply.send(response.body);
  }

  await app.register(async (scope) => {
    // Bodies are forwarded byte for byte: no parsing, whatever the content type.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, payload, done) => done(null, payload));
    for (const group of groups) {
      const handler = (request: FastifyRequest, reply: FastifyReply) => forward(request, reply, group);
      for (const url of [group.prefix, `${group.prefix}/*`]) {
        scope.route({ method: [...proxiedMethods], url, schema: { hide: true }, handler });
      }
    }
  });

  if (options.mergedOpenApi ?? true) {
    serveMergedOpenApi(app, {
      routes: options.routes,
      logger: options.logger,
      ttlMs: options.openApiTtlMs ?? defaultUpstream.openApiTtlMs,
    });
  }

  app.addHook('onReady', async () => health.start());
  // Before the server waits for requests in flight: a live stream would hold it until the grace
  // period ends. The browser reconnects, through another gateway.
  app.addHook('preClose', async () => {
    for (const stream of streams) stream.abort(new Error('the gateway is shutting down'));
    streams.clear();
  });
  app.addHook('onClose', async () => {
    health.stop();
    await Promise.all([...pools.values()].map((upstream) => upstream.pool.close()));
  });
}

