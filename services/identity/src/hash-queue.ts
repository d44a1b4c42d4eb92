import { availableParallelism } from 'node:os';
import { Counter, Gauge, type Registry } from 'prom-client';
import { AppError } from '@timeslot/kernel';

export interface HashQueueOptions {
  /** Hashes computed at once (default: the machine's cores, `os.availableParallelism()`). */
  readonly concurrency?: number;
  /**
   * Longest expected wait a new hash may be queued for (default 2000 ms); beyond it the request is
   * refused with 503 and Retry-After instead of joining a queue that only grows.
   */
  readonly maxWaitMs?: number;
}

export interface HashQueue {
  /** Runs `work` (one password hash or verification) when a core is free, in arrival order. */
  run<T>(work: () => Promise<T>): Promise<T>;
  /** Hashes running and waiting, for the metrics. */
  stats(): { readonly running: number; readonly waiting: number; readonly refused: number };
}

/** Until the first measurement: one Argon2id hash with the default parameters takes about this long here. */
const initialHashMs = 25;
/** Weight of the newest duration in the moving average. */
const smoothing = 0.2;

/**
 * Password hashing is CPU work on libuv's thread pool, which has four threads by default whatever
 * the core count: on two cores, four hashes at once take longer each and gain nothing over two.
 * This queue runs as many as there are cores and holds the rest in arrival order. When logins
 * pile up beyond what the cores can answer in `maxWaitMs`, a new one is refused at once (503,
 * Retry-After: the expected wait) rather than queued without bound, so the server keeps answering
 * everything else and the queue it has stays short enough to be worth waiting in.
 *
 * The expected wait of a newcomer is (hashes ahead of it / concurrency + 1) × the moving average
 * of recent hash durations.
 */
export function createHashQueue(options: HashQueueOptions = {}): HashQueue {
  const concurrency = options.concurrency ?? availableParallelism();
  const maxWaitMs = options.maxWaitMs ?? 2000;
  if (!(Number.isInteger(concurrency) && concurrency >= 1)) throw new Error('hash queue: concurrency must be a positive integer');
  if (!(maxWaitMs >= 0)) throw new Error('hash queue: maxWaitMs must be >= 0');
  const waiting: (() => void)[] = [];
  let running = 0;
  let refused = 0;
  let averageMs = initialHashMs;

  const next = (): void => {
    running -= 1;
    const start = waiting.shift();
    if (start !== undefined) {
      running += 1;
      start();
    }
  };

  return {
    async run<T>(work: () => Promise<T>): Promise<T> {
      if (running >= concurrency) {
        const expectedMs = (Math.floor(waiting.length / concurrency) + 1) * averageMs;
        if (expectedMs > maxWaitMs) {
          refused += 1;
          throw new AppError('SERVICE_UNAVAILABLE', 503, 'Too many sign-ins at once; try again in a moment.', {
            expose: true,
            headers: { 'retry-after': String(Math.max(1, Math.ceil(expectedMs / 1000))) },
          });
        }
        // `next` hands its slot straight to the first waiter, so `running` already counts us.
        await new Promise<void>((resolve) => waiting.push(resolve));
      } else {
        running += 1;
      }
      const started = performance.now();
      try {
        return await work();
      } finally {
        averageMs += smoothing * (performance.now() - started - averageMs);
        next();
      }
    },
    stats: () => ({ running, waiting: waiting.length, refused }),
  };
}

/** `password_hashes{state}` (running, waiting) and `password_hashes_refused_total`, read at scrape time. */
export function registerHashQueueMetrics(registry: Registry, queue: HashQueue): void {
  if (registry.getSingleMetric('password_hashes') !== undefined) return;
  new Gauge({
    name: 'password_hashes',
    help: 'Password hashes and verifications running and waiting for a core',
    labelNames: ['state'],
    registers: [registry],
    collect() {
      const { running, waiting } = queue.stats();
      this.set({ state: 'running' }, running);
      this.set({ state: 'waiting' }, waiting);
    },
  });
  let counted = 0;
  new Counter({
    name: 'password_hashes_refused_total',
    help: 'Sign-ins, registrations and password changes refused with 503 because the hash queue was full',
    registers: [registry],
    collect() {
      const { refused } = queue.stats();
      this.inc(refused - counted);
      counted = refused;
    },
  });
}
