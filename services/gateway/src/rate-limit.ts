import { isIPv6 } from 'node:net';
import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import type { Registry } from 'prom-client';
import { commonErrors, registeredCounter, type Logger } from '@timeslot/kernel';
import { withTimeout, type RateLimitDecision, type RateLimitStore } from '@timeslot/ports';
import { defaultRateLimits, type GatewayRateLimits, type RateLimitRule } from './options';

interface AuthRoute {
  readonly method: string | undefined;
  readonly prefix: string;
}

/** "POST /api/v1/auth/login" or "/api/v1/auth/login" (any method). */
export function parseAuthRoute(entry: string): AuthRoute {
  const match = /^(?:([A-Za-z]+)\s+)?(\/\S*)$/.exec(entry.trim());
  if (!match?.[2]) throw new Error(`Rate-limited auth route "${entry}" must look like "POST /api/v1/auth/login".`);
  return { method: match[1]?.toUpperCase(), prefix: looseCanonicalPath(match[2]) };
}

/**
 * The path of a request target, folded every way a router or a proxy in front of a service might
 * fold it: the path of an absolute-form target, cut at the first `?`, `#` or `;`, every
 * percent-escape decoded once, `.` and `..` segments resolved, runs of slashes collapsed, trailing
 * slashes dropped, lower-cased.
 *
 * Deliberately looser than any one router. find-my-way (here and in every service, with the
 * kernel's options) decodes escapes of unreserved characters and, depending on its options,
 * collapses slashes, drops a trailing slash or ignores case; a load balancer in front of a
 * replica may also resolve dot segments. Whatever a router resolves to a credential route folds
 * to it here, so no spelling escapes the credential limit; a spelling that folds to it but that
 * the router answers 404 only costs its sender part of a budget it could have spent anyway.
 */
export function looseCanonicalPath(target: string): string {
  const plain = plainPath(target);
  if (plain !== undefined) return plain;
  const absolute = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i.exec(target);
  const raw = (absolute === null ? target : target.slice(absolute[0].length)).split(/[?#;]/, 1)[0] ?? '';
  const decoded = raw.replace(/%([0-9a-f]{2})/gi, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
  const segments: string[] = [];
  for (const segment of decoded.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  return `/${segments.join('/')}`.toLowerCase();
}

/**
 * looseCanonicalPath of the usual target, a plain origin-form path, without regular expressions:
 * `undefined` unless the path part has nothing to fold but case and trailing slashes (no escape,
 * dot, `;`, `#` or `//`).
 */
function plainPath(target: string): string | undefined {
  if (target.charCodeAt(0) !== 47 /* / */) return undefined;
  const query = target.indexOf('?');
  const path = query === -1 ? target : target.slice(0, query);
  if (path.includes('%') || path.includes('.') || path.includes(';') || path.includes('#') || path.includes('//')) return undefined;
  let end = path.length;
  while (end > 1 && path.charCodeAt(end - 1) === 47) end--;
  return (end === path.length ? path : path.slice(0, end)).toLowerCase();
}

function matchesPrefix(path: string, prefix: string): boolean {
  return prefix === '/' || path === prefix || path.startsWith(`${prefix}/`);
}

/**
 * The rate-limit bucket of a client address. An IPv6 subscriber usually gets a whole /64, so
 * limiting single IPv6 addresses would let one client rotate through billions of them; IPv4-mapped
 * IPv6 addresses count as the IPv4 address they carry.
 */
export function clientAddressKey(ip: string): string {
  // IPv4, the usual case: no colon, nothing to fold.
  if (!ip.includes(':')) return ip;
  let key = ipv6Keys.get(ip);
  if (key === undefined) {
    // A plain bound, not an LRU: past it the memo starts afresh (no attacker can make it grow).
    if (ipv6Keys.size >= ipv6KeyMemoSize) ipv6Keys.clear();
    key = foldIPv6(ip);
    ipv6Keys.set(ip, key);
  }
  return key;
}

/** isIPv6 is a large regular expression: each IPv6 client address is folded once, then remembered. */
const ipv6Keys = new Map<string, string>();
const ipv6KeyMemoSize = 10_000;

function foldIPv6(ip: string): string {
  const address = ip.split('%')[0] ?? ip;
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  if (mapped?.[1]) return mapped[1];
  if (!isIPv6(address)) return address;
  const groupCount = (part: string[]) => part.length + (part.at(-1)?.includes('.') ? 1 : 0);
  const [head = '', tail] = address.split('::');
  const headGroups = head === '' ? [] : head.split(':');
  const tailGroups = tail === undefined || tail === '' ? [] : tail.split(':');
  const groups =
    tail === undefined
      ? headGroups
      : [...headGroups, ...Array<string>(8 - groupCount(headGroups) - groupCount(tailGroups)).fill('0'), ...tailGroups];
  return `${groups
    .slice(0, 4)
    .map((group) => Number.parseInt(group, 16).toString(16))
    .join(':')}::/64`;
}

/** The decision closest to refusing: least remaining, then the longest wait. */
function tighter(a: RateLimitDecision | undefined, b: RateLimitDecision | undefined): RateLimitDecision | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  if (a.allowed !== b.allowed) return a.allowed ? b : a;
  if (a.remaining !== b.remaining) return a.remaining < b.remaining ? a : b;
  return a.resetMs >= b.resetMs ? a : b;
}

type Hook = (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction) => void;

export interface RateLimiter {
  /** onRequest hook placed before token verification: per IP, and per IP on credential routes. */
  readonly beforeAuth: Hook;
  /** onRequest hook placed after token verification: per authenticated user. */
  readonly afterAuth: Hook;
}

export interface RateLimiterOptions {
  readonly store: RateLimitStore;
  readonly logger: Logger;
  readonly registry: Registry;
  readonly limits?: GatewayRateLimits;
}

const storeFailureLogIntervalMs = 10_000;

type Decided = RateLimitDecision | undefined;

export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  const { store, logger } = options;
  const ipRule: RateLimitRule = options.limits?.ip ?? defaultRateLimits.ip;
  const authRule: RateLimitRule = options.limits?.auth ?? defaultRateLimits.auth;
  const userRule: RateLimitRule = options.limits?.user ?? defaultRateLimits.user;
  const authRoutes = (options.limits?.auth?.routes ?? defaultRateLimits.auth.routes).map(parseAuthRoute);
  const exemptRoutes = new Set(options.limits?.exemptPaths ?? defaultRateLimits.exemptPaths);
  const storeTimeoutMs = options.limits?.storeTimeoutMs ?? defaultRateLimits.storeTimeoutMs;
  for (const [name, rule] of Object.entries({ ip: ipRule, auth: authRule, user: userRule })) {
    if (!(rule.max >= 1 && rule.windowMs >= 1)) throw new Error(`Rate limit "${name}" needs max >= 1 and windowMs >= 1.`);
  }

  const storeFailures = registeredCounter(
    options.registry,
    'gateway_rate_limit_store_failures_total',
    'Rate-limit store calls that failed or timed out (the request was let through)',
  );
  const refusals = registeredCounter(options.registry, 'gateway_rate_limited_total', 'Requests refused by a rate limit', ['limit']);
  const applied = new WeakMap<FastifyRequest, RateLimitDecision>();
  let lastFailureLogAt = -Infinity;
  let failuresSinceLog = 0;

  /*
   * Fail open. When the store (Redis in distributed mode) fails or is slow, the request goes
   * through unlimited, for all three limits, and the failure is logged at error level (at most
   * every 10 s, with the count in between) and counted in gateway_rate_limit_store_failures_total
   * for alerting. A Redis outage must not take the API down: failing closed would refuse every
   * request, and failing closed only on the credential routes would still stop token refreshes
   * and so log every user out. What is left during an outage is Argon2's cost on each login
   * attempt. The per-call timeout keeps a hanging store (ioredis queueing while it reconnects)
   * from stalling every request.
   */
  function failed(error: unknown): undefined {
    storeFailures.inc();
    failuresSinceLog += 1;
    const now = Date.now();
    if (now - lastFailureLogAt >= storeFailureLogIntervalMs) {
      logger.error({ err: error, failures: failuresSinceLog }, 'rate-limit store failed; letting requests through unlimited');
      lastFailureLogAt = now;
      failuresSinceLog = 0;
    }
    return undefined;
  }

  /**
   * The decision for one hit: synchronous when the store can decide from memory (embedded mode
   * always, a leased store while it holds tokens), so the usual request arms no timer and awaits
   * nothing; otherwise a store call raced against the timeout.
   */
  function hit(key: string, rule: RateLimitRule): Decided | Promise<Decided> {
    try {
      const local = store.hitLocally?.(key, rule.max, rule.windowMs);
      if (local !== undefined) return local;
    } catch (error) {
      return failed(error);
    }
    return withTimeout(store.hit(key, rule.max, rule.windowMs), storeTimeoutMs, `the rate-limit store did not answer within ${storeTimeoutMs} ms`).catch(failed);
  }

  function apply(request: FastifyRequest, reply: FastifyReply, decisions: readonly Decided[], names: readonly string[]): void {
    let current = applied.get(request);
    for (const decision of decisions) current = tighter(current, decision);
    if (current === undefined) return;
    applied.set(request, current);
    void reply.header('ratelimit-limit', String(current.limit));
    void reply.header('ratelimit-remaining', String(Math.max(0, current.remaining)));
    void reply.header('ratelimit-reset', String(Math.max(0, Math.ceil(current.resetMs / 1000))));
    const refusedAt = decisions.findIndex((decision) => decision?.allowed === false);
    if (refusedAt === -1) return;
    refusals.inc({ limit: names[refusedAt] ?? 'unknown' });
    throw commonErrors.rateLimited(Math.max(1, Math.ceil(current.resetMs / 1000)));
  }

  /** Apply the decisions now if all are known, else once the store has answered; then `done`. */
  function applyThenDone(request: FastifyRequest, reply: FastifyReply, decisions: readonly (Decided | Promise<Decided>)[], names: readonly string[], done: HookHandlerDoneFunction): void {
    const finish = (known: readonly Decided[]): void => {
      try {
        apply(request, reply, known, names);
      } catch (error) {
        done(error as Error);
        return;
      }
      done();
    };
    if (decisions.every((decision) => !(decision instanceof Promise))) finish(decisions as readonly Decided[]);
    else Promise.all(decisions.map((decision) => Promise.resolve(decision))).then(finish, (error: unknown) => done(error as Error));
  }

  // The route the router resolved, not the raw URL: `/%68ealthz` is /healthz, and `/healthz/`
  // (a 404 unless the router ignores trailing slashes) is not exempt.
  const exempt = (request: FastifyRequest) => {
    const route = request.routeOptions.url;
    return route !== undefined && exemptRoutes.has(route);
  };
  const ipNames = ['ip', 'auth'];
  const userNames = ['user'];

  // Callback hooks rather than async functions: a request decided from memory costs no promise.
  return {
    beforeAuth: (request, reply, done) => {
      if (exempt(request)) return done();
      const client = clientAddressKey(request.ip);
      const path = looseCanonicalPath(request.url);
      const isAuthRoute = authRoutes.some(
        (route) => (route.method === undefined || route.method === request.method) && matchesPrefix(path, route.prefix),
      );
      const ip = hit(`rl:ip:${client}`, ipRule);
      applyThenDone(request, reply, isAuthRoute ? [ip, hit(`rl:auth:${client}`, authRule)] : [ip], ipNames, done);
    },
    afterAuth: (request, reply, done) => {
      if (request.identity === null || exempt(request)) return done();
      applyThenDone(request, reply, [hit(`rl:user:${request.identity.userId}`, userRule)], userNames, done);
    },
  };
}
