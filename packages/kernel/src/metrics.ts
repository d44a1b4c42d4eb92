import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

export interface HttpMetrics {
  readonly registry: Registry;
  readonly requestsTotal: Counter<'method' | 'route' | 'status_code'>;
  readonly requestDuration: Histogram<'method' | 'route' | 'status_code'>;
  readonly inFlight: Gauge<'method' | 'route'>;
}

/**
 * The counter `name` of `registry`, created on first use: routes and plugins registered more than
 * once on one app (tests build several) share it instead of failing on a duplicate name.
 */
export function registeredCounter<L extends string>(registry: Registry, name: string, help: string, labelNames: readonly L[] = []): Counter<L> {
  const existing = registry.getSingleMetric(name);
  if (existing instanceof Counter) return existing;
  return new Counter({ name, help, labelNames, registers: [registry] });
}

/**
 * One registry per process (or per server in tests). Routes are labelled by their template
 * (`/api/v1/users/:id`), never the raw URL, so label cardinality stays bounded.
 */
export function createMetrics(options: { service: string; defaultMetrics?: boolean }): HttpMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service: options.service });
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry });
  const labelNames = ['method', 'route', 'status_code'] as const;
  return {
    registry,
    requestsTotal: new Counter({ name: 'http_requests_total', help: 'HTTP requests answered', labelNames, registers: [registry] }),
    requestDuration: new Histogram({
      name: 'http_request_duration_seconds',
      help: 'Time to answer an HTTP request',
      labelNames,
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    inFlight: new Gauge({ name: 'http_requests_in_flight', help: 'HTTP requests being handled', labelNames: ['method', 'route'], registers: [registry] }),
  };
}
