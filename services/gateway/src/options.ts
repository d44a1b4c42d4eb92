/** At most `max` requests per fixed window of `windowMs`. */
export interface RateLimitRule {
  readonly max: number;
  readonly windowMs: number;
}

export interface GatewayRateLimits {
  /** Every request, per client IP (IPv6 per /64). Default 100 per second. */
  readonly ip?: RateLimitRule;
  /**
   * Credential endpoints, per client IP, on top of the IP limit. `routes` entries are path prefixes,
   * optionally preceded by a method: "POST /api/v1/auth/login", compared with the request's path
   * folded every way a router might fold it (decoded, slashes collapsed, case ignored: see
   * looseCanonicalPath), never the raw URL. Default 20 per minute on POST /api/v1/auth/login,
   * /register and /refresh.
   */
  readonly auth?: RateLimitRule & { readonly routes?: readonly string[] };
  /** Per authenticated user (token subject). Default 50 per second. */
  readonly user?: RateLimitRule;
  /**
   * The gateway's own routes never limited, by the template of the route the router matched (a
   * look-alike path that matches no route is limited). Default /healthz, /readyz, /metrics.
   */
  readonly exemptPaths?: readonly string[];
  /** A store call slower than this counts as a store failure (default 500 ms). */
  readonly storeTimeoutMs?: number;
}

/** One public path prefix and the base URLs of the replicas of the service that owns it. */
export interface ProxyRoute {
  readonly prefix: string;
  readonly upstreams: readonly string[];
  /** The owning service's name, for logs, metrics and the merged OpenAPI document. */
  readonly service?: string;
}

/** When a replica leaves and rejoins the rotation (see createReplicaHealth). */
export interface UpstreamHealthSettings {
  /** Connect failures or timeouts in a row that take a replica out of rotation (default 3). */
  readonly ejectAfterFailures?: number;
  /** First time out of rotation; doubles with each ejection in a row (default 1000 ms). */
  readonly ejectBaseMs?: number;
  /** Longest time out of rotation before the next check (default 30000 ms). */
  readonly ejectMaxMs?: number;
  /** Interval of `GET /readyz` checks of the replicas in rotation; 0 turns them off (default 5000 ms). */
  readonly checkIntervalMs?: number;
  /** Time allowed to one readiness check (default 2000 ms). */
  readonly checkTimeoutMs?: number;
}

/** Distributed mode only: how the gateway talks to the services. */
export interface UpstreamSettings {
  /**
   * Time allowed for an upstream's response headers, retries included (default 10000 ms). A
   * client's shorter `x-request-timeout-ms` shortens it; each attempt tells the replica, in the
   * same header, how long it has left.
   */
  readonly timeoutMs?: number;
  /** Time allowed to open a connection to one replica before trying the next (default 2000 ms). */
  readonly connectTimeoutMs?: number;
  /** Keep-alive connections per replica (default 64). */
  readonly connections?: number;
  /** How long the merged OpenAPI document is reused once complete (default 60000 ms). */
  readonly openApiTtlMs?: number;
  readonly health?: UpstreamHealthSettings;
}

/** The gateway's settings; the composition root builds this from its config. */
export interface GatewayOptions {
  /** Origins allowed to call the API from a browser. Default none; "*" only when listed. */
  readonly corsOrigins?: readonly string[];
  /** Largest request body, bytes (default 1 MiB). */
  readonly bodyLimit?: number;
  /** Fastify's trustProxy: set it when a load balancer in front sets X-Forwarded-For. */
  readonly trustProxy?: boolean | string | string[];
  readonly rateLimits?: GatewayRateLimits;
  /** Serve Swagger UI at /docs (default true). */
  readonly docs?: boolean;
  readonly upstream?: UpstreamSettings;
  /**
   * Serve the web UI's build (`vite build` output: index.html, hashed files under assets/) from
   * `root` at `/`. Files under /assets/ are cached for a year (immutable); index.html and every
   * other file are revalidated on each use (no-cache). A GET or HEAD that matches no route, no
   * file and no API path (/api, /docs, /openapi.json, /healthz, /readyz, /metrics, /admin/queues,
   * /.well-known, /dev/mail), and whose Accept allows text/html, gets index.html (the app's
   * client-side routes); anything else keeps the 404 ROUTE_NOT_FOUND. Without index.html in `root`
   * the gateway warns once at start and answers a page saying how to build it. Default: not served.
   */
  readonly web?: { readonly root: string };
}

export const defaultRateLimits = {
  ip: { max: 100, windowMs: 1000 },
  auth: {
    max: 20,
    windowMs: 60_000,
    routes: ['POST /api/v1/auth/login', 'POST /api/v1/auth/register', 'POST /api/v1/auth/refresh'],
  },
  user: { max: 50, windowMs: 1000 },
  exemptPaths: ['/healthz', '/readyz', '/metrics'],
  storeTimeoutMs: 500,
} as const;

export const defaultBodyLimit = 1024 * 1024;

export const defaultUpstream = {
  timeoutMs: 10_000,
  connectTimeoutMs: 2000,
  connections: 64,
  openApiTtlMs: 60_000,
} as const;

export const defaultUpstreamHealth = {
  ejectAfterFailures: 3,
  ejectBaseMs: 1000,
  ejectMaxMs: 30_000,
  checkIntervalMs: 5000,
  checkTimeoutMs: 2000,
} as const;
