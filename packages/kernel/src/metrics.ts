import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

export interface HttpMetrics {
  readonly registry: Registry;
  readonly requestsTotal: Counter<'method' | 'route' | 'status_code'>;
  readonly requestDuration: Histogram<'method' | 'route' | 'status_code'>;
  readonly inFlight: Gauge<'method' | 'route'>;
  /** A request was routed to `route` (its template): counted in http_requests_in_flight. */
  requestStarted(method: string, route: string): void;
  /** It was answered: out of in flight, into http_requests_total and the duration histogram. */
  requestFinished(method: string, route: string, status: number, seconds: number): void;
}

interface Series<L extends string> {
  readonly labels: Record<L, string>;
  value: number;
}

/** The series of `labels` in `table` (keyed by the label values, in order), created on first use. */
function seriesOf<L extends string>(table: Map<string, Series<L>>, labels: Record<L, string>, key: string): Series<L> {
  let series = table.get(key);
  if (series === undefined) table.set(key, (series = { labels, value: 0 }));
  return series;
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
  // Counted here per request and handed to prom-client when scraped: prom-client hashes the label
  // set on every update, which was a visible share of a cached read's CPU.
  const inFlight = new Map<string, Series<'method' | 'route'>>();
  const answered = new Map<string, Series<'method' | 'route' | 'status_code'>>();
  const requestDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time to answer an HTTP request',
    labelNames,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  return {
    registry,
    requestsTotal: new Counter({
      name: 'http_requests_total',
      help: 'HTTP requests answered',
      labelNames,
      registers: [registry],
      collect() {
        for (const series of answered.values()) {
          if (series.value > 0) this.inc(series.labels, series.value);
          series.value = 0;
        }
      },
    }),
    requestDuration,
    inFlight: new Gauge({
      name: 'http_requests_in_flight',
      help: 'HTTP requests being handled',
      labelNames: ['method', 'route'],
      registers: [registry],
      collect() {
        for (const series of inFlight.values()) this.set(series.labels, series.value);
      },
    }),
    requestStarted(method, route) {
      seriesOf(inFlight, { method, route }, `${method} ${route}`).value++;
    },
    requestFinished(method, route, status, seconds) {
      seriesOf(inFlight, { method, route }, `${method} ${route}`).value--;
      const labels = { method, route, status_code: String(status) };
      seriesOf(answered, labels, `${method} ${route} ${status}`).value++;
      requestDuration.observe(labels, seconds);
    },
  };
}
