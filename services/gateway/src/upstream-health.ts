import type { Pool } from 'undici';
import { Counter, Gauge, type Registry } from 'prom-client';
import type { Logger } from '@timeslot/kernel';
import { defaultUpstreamHealth, type UpstreamHealthSettings } from './options';

/** One replica: its keep-alive pool and whether requests should go to it. */
export interface Replica {
  readonly base: string;
  readonly pool: Pool;
  /** A base URL may carry a path, e.g. behind a path-routing load balancer. */
  readonly pathPrefix: string;
  /** The services this replica serves (one process may run several). */
  readonly services: Set<string>;
  inRotation: boolean;
  /** Connect failures and timeouts in a row; any response resets it. */
  failures: number;
  /** Ejections in a row, for the backoff; reset once the replica answers a request again. */
  ejections: number;
  outSince: number;
  /** Why it is out: it could not be reached, or it said it is not ready. */
  outBecause: 'unreachable' | 'unready';
  timer: NodeJS.Timeout | undefined;
}

export interface ReplicaHealth {
  /** The replica answered (any status): it is alive. */
  succeeded(replica: Replica): void;
  /** The replica could not be connected to, or did not answer in time. */
  failed(replica: Replica, reason: string): void;
  /** Start the active checks. */
  start(): void;
  stop(): void;
}

/**
 * Passive and active health of the replicas behind the proxy.
 *
 * Passive: `ejectAfterFailures` connect failures or timeouts in a row take a replica out of
 * rotation for a backoff that doubles with each ejection in a row (ejectBaseMs up to ejectMaxMs).
 * When it ends the replica is checked with `GET /readyz` and returns if that answers 2xx, or is
 * ejected again for the next, longer period. Active: every replica in rotation is checked on
 * `checkIntervalMs` too; one that answers non-2xx (it says it is not ready) is taken out at once,
 * and a check that fails to connect or times out counts as a failure like a request's.
 *
 * Requests go to the replicas in rotation; when none is, to all of them (fail open): ejection
 * exists to spare requests a dead replica's cost, not to refuse them. A readiness failure shared
 * by every replica (their database, say) must not turn into 503s the replicas might have
 * answered, and a refused connection costs nothing. A request that a replica ejected as
 * unreachable answers during that time brings it back at once.
 */
export function createReplicaHealth(replicas: readonly Replica[], settings: UpstreamHealthSettings, logger: Logger, registry: Registry): ReplicaHealth {
  const threshold = settings.ejectAfterFailures ?? defaultUpstreamHealth.ejectAfterFailures;
  const baseMs = settings.ejectBaseMs ?? defaultUpstreamHealth.ejectBaseMs;
  const maxMs = settings.ejectMaxMs ?? defaultUpstreamHealth.ejectMaxMs;
  const intervalMs = settings.checkIntervalMs ?? defaultUpstreamHealth.checkIntervalMs;
  const checkTimeoutMs = settings.checkTimeoutMs ?? defaultUpstreamHealth.checkTimeoutMs;
  if (!(threshold >= 1 && baseMs >= 1 && maxMs >= baseMs && intervalMs >= 0 && checkTimeoutMs >= 1)) {
    throw new Error('Upstream health needs ejectAfterFailures >= 1, 1 <= ejectBaseMs <= ejectMaxMs, checkIntervalMs >= 0 and checkTimeoutMs >= 1.');
  }
  let running = false;

  const ejections = registeredMetric(registry, 'gateway_upstream_ejections_total', () =>
    new Counter({ name: 'gateway_upstream_ejections_total', help: 'Replicas taken out of rotation', labelNames: ['service'], registers: [registry] }),
  );
  registeredMetric(registry, 'gateway_upstream_healthy_replicas', () =>
    new Gauge({
      name: 'gateway_upstream_healthy_replicas',
      help: 'Replicas in rotation, per service',
      labelNames: ['service'],
      registers: [registry],
      collect() {
        const healthy = new Map<string, number>();
        for (const replica of replicas) {
          for (const service of replica.services) healthy.set(service, (healthy.get(service) ?? 0) + (replica.inRotation ? 1 : 0));
        }
        for (const [service, count] of healthy) this.set({ service }, count);
      },
    }),
  );

  const describe = (replica: Replica) => ({ upstream: replica.base, services: [...replica.services] });

  function schedule(replica: Replica, delayMs: number): void {
    clearTimeout(replica.timer);
    replica.timer = undefined;
    if (!running || (replica.inRotation && intervalMs === 0)) return;
    replica.timer = setTimeout(() => void check(replica), delayMs);
    replica.timer.unref();
  }

  function eject(replica: Replica, reason: string, unready: boolean): void {
    replica.inRotation = false;
    replica.outBecause = unready ? 'unready' : 'unreachable';
    replica.outSince = Date.now();
    replica.ejections += 1;
    for (const service of replica.services) ejections.inc({ service });
    const backoffMs = backoff(replica);
    logger.warn({ ...describe(replica), reason, failures: replica.failures, ejectedForMs: backoffMs }, 'upstream replica taken out of rotation');
    schedule(replica, backoffMs);
  }

  function restore(replica: Replica, how: string): void {
    replica.inRotation = true;
    replica.failures = 0;
    logger.info({ ...describe(replica), outForMs: Date.now() - replica.outSince, how }, 'upstream replica back in rotation');
    schedule(replica, intervalMs);
  }

  const backoff = (replica: Replica) => Math.min(maxMs, baseMs * 2 ** Math.min(30, replica.ejections - 1));

  async function check(replica: Replica): Promise<void> {
    replica.timer = undefined;
    let failure: string | undefined;
    let unready = false;
    try {
      const response = await replica.pool.request({
        method: 'GET',
        path: `${replica.pathPrefix}/readyz`,
        signal: AbortSignal.timeout(checkTimeoutMs),
      });
      await response.body.dump();
      if (response.statusCode < 200 || response.statusCode > 299) {
        failure = `/readyz answered ${response.statusCode}`;
        unready = true;
      }
    } catch (error) {
      failure = `/readyz failed: ${error instanceof Error ? error.message : String(error)}`;
    }
    if (!running) return;
    if (replica.inRotation) {
      if (failure === undefined) replica.failures = 0;
      else if (unready) eject(replica, failure, true);
      else registerFailure(replica, failure);
      if (replica.inRotation) schedule(replica, intervalMs);
    } else if (failure === undefined) {
      restore(replica, 'readiness check');
    } else {
      // Still down: out again, for longer.
      replica.ejections += 1;
      if (unready) replica.outBecause = 'unready';
      logger.debug({ ...describe(replica), reason: failure }, 'upstream replica still out of rotation');
      schedule(replica, backoff(replica));
    }
  }

  function registerFailure(replica: Replica, reason: string): void {
    replica.failures += 1;
    if (replica.inRotation && replica.failures >= threshold) eject(replica, reason, false);
  }

  return {
    succeeded(replica) {
      replica.failures = 0;
      if (replica.inRotation) replica.ejections = 0;
      // An answer disproves "unreachable", not "unready": a replica that says it is not ready
      // returns only by its readiness check, or one answer (while all are out and tried) would
      // send it every request until its next check.
      else if (replica.outBecause === 'unreachable') restore(replica, 'answered a request');
    },
    failed: registerFailure,
    start() {
      running = true;
      for (const replica of replicas) schedule(replica, replica.inRotation ? intervalMs : backoff(replica));
    },
    stop() {
      running = false;
      for (const replica of replicas) {
        clearTimeout(replica.timer);
        replica.timer = undefined;
      }
    },
  };
}

function registeredMetric<T>(registry: Registry, name: string, create: () => T): T {
  return (registry.getSingleMetric(name) as T | undefined) ?? create();
}

/** The replicas to try, in order, for one request: those in rotation, or all when none is. */
export function candidates<T extends { readonly inRotation: boolean }>(replicas: readonly T[], start: number): T[] {
  const healthy = replicas.filter((replica) => replica.inRotation);
  const pool = healthy.length > 0 ? healthy : replicas;
  const first = start % pool.length;
  return [...pool.slice(first), ...pool.slice(0, first)];
}
