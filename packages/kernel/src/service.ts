import type { FastifyPluginAsync } from 'fastify';

/**
 * What every service gives the composition root. The root decides where the routes are mounted
 * (the embedded gateway's own Fastify instance, or the service's own process) and when the
 * background parts (outbox relay, consumers, workers) start and stop. Services never know which
 * mode they run in.
 */
export interface ServiceModule {
  readonly name: string;
  /** Routes carry their full public paths (/api/v1/...), so the same plugin works mounted anywhere. */
  readonly routes: FastifyPluginAsync;
  /** Path prefixes the gateway routes to this service, e.g. ['/api/v1/auth', '/api/v1/users']. */
  readonly prefixes: readonly string[];
  /** Apply this service's migrations (safe with many replicas at once). */
  migrate(): Promise<void>;
  /** Start background work: outbox relay, event consumers, job workers. */
  start(): Promise<void>;
  /** Stop background work, waiting for what is in flight. */
  stop(): Promise<void>;
}
