// What every load scenario shares: the load generator, process start-up, results and clean-up.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import autocannon from 'autocannon';
import { Redis } from 'ioredis';
import pg from 'pg';
import { Pool } from 'undici';
import { deleteRedisKeys, freePort, repoRoot, startTimeslot, testServers, type RunningProcess } from '@timeslot/testing';
import { generateSigningKeysJson } from '@timeslot/identity';

export const duration = Number(process.env.BENCH_DURATION ?? 5);
export const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);
/** Generous: a first start (a new PGlite directory) on a machine busy with other work can take a minute. */
export const startTimeoutMs = 180_000;
export const unlimited = {
  RATE_LIMIT_IP_PER_SECOND: '100000000',
  RATE_LIMIT_AUTH_PER_MINUTE: '100000000',
  RATE_LIMIT_USER_PER_SECOND: '100000000',
  LOGIN_MAX_FAILURES_PER_IP: '100000000',
  LOG_LEVEL: 'warn',
};

/**
 * One measurement. The rate counts successful (2xx) answers only, and the latencies are theirs:
 * a 503 sent back at once must not count as work done (login sheds load that way). Everything
 * else is in `non2xx` (503s also in `unavailable`) and `errors` (connection errors, timeouts).
 */
export interface Result {
  scenario: string;
  requestsPerSecond: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  errors: number;
  non2xx: number;
  unavailable: number;
}

export const results: Result[] = [];
export const cleanups: (() => Promise<unknown>)[] = [];

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return Math.round(sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]! * 100) / 100;
}

/**
 * Closed-loop load with autocannon: `connections` connections (default BENCH_CONNECTIONS, 50), each
 * sending its next request when the last one is answered, for `warmupSeconds` (default 1; not
 * recorded: JIT, connections and caches settle) and then the run's duration.
 */
export async function load(scenario: string, options: autocannon.Options & { warmupSeconds?: number }): Promise<Result> {
  const { warmupSeconds = 1, ...rest } = options;
  if (warmupSeconds > 0) await autocannon({ connections, ...rest, duration: warmupSeconds });
  // autocannon's summary has no p95 and counts every answer; keep each 2xx response time instead.
  const latencies: number[] = [];
  const outcome = { errors: 0, non2xx: 0, unavailable: 0 };
  const instance = autocannon({ connections, ...rest, duration }) as autocannon.Instance & Promise<autocannon.Result>;
  void instance.on('response', (_client, status, _bytes, responseTime) => {
    if (status >= 200 && status < 300) latencies.push(responseTime);
    else {
      outcome.non2xx++;
      if (status === 503) outcome.unavailable++;
    }
  });
  const started = performance.now();
  const run = await instance;
  outcome.errors = run.errors + run.timeouts;
  return record(scenario, 'req', latencies, (performance.now() - started) / 1000, outcome);
}

/**
 * Closed-loop load where every request counts: `connections` workers, each sending its next request
 * (from `next`) when the last one is answered, for a one-second warm-up (not recorded) and then the
 * run's duration; requests still in flight at the end are waited for and recorded too, so the
 * slowest answer is really the slowest (autocannon drops whatever is unanswered when its time is up,
 * which would hide a starved request). The rate is 2xx answers over the time until the last one.
 */
export async function everyRequest(
  scenario: string,
  options: { url: string; connections: number; next: () => { method: 'GET' | 'POST'; path: string; headers: Record<string, string>; body?: string } },
): Promise<Result> {
  const pool = new Pool(new URL(options.url).origin, { connections: options.connections, pipelining: 1 });
  const run = async (seconds: number) => {
    const end = performance.now() + seconds * 1000;
    const latencies: number[] = [];
    const outcome = { errors: 0, non2xx: 0, unavailable: 0 };
    const worker = async () => {
      while (performance.now() < end) {
        const began = performance.now();
        try {
          const response = await pool.request(options.next());
          await response.body.dump();
          if (response.statusCode >= 200 && response.statusCode < 300) latencies.push(performance.now() - began);
          else {
            outcome.non2xx++;
            if (response.statusCode === 503) outcome.unavailable++;
          }
        } catch {
          outcome.errors++;
        }
      }
    };
    const started = performance.now();
    await Promise.all(Array.from({ length: options.connections }, worker));
    return { latencies, outcome, seconds: (performance.now() - started) / 1000 };
  };
  await run(1);
  const { latencies, outcome, seconds } = await run(duration);
  await pool.close();
  return record(scenario, 'req', latencies, seconds, outcome);
}

/**
 * An open-loop load at a steady `rate` of GETs per second, spread evenly (a request every
 * 1/rate s, sent on 1 ms ticks), over `connections` keep-alive connections, for `warmupSeconds`
 * (default 2; not recorded: JIT, connections and caches settle) and then the run's duration.
 * Each latency runs from the moment its request was due, not from when it went out, so a stalled
 * server cannot hide its queue (no coordinated omission). autocannon's own rate option sends each
 * second's requests in one burst at the top of the second, which measures that burst's queue, not
 * a steady rate.
 */
export async function paced(
  scenario: string,
  options: { url: string; rate: number; headers?: Record<string, string>; warmupSeconds?: number },
): Promise<Result> {
  const url = new URL(options.url);
  const pool = new Pool(url.origin, { connections, pipelining: 1 });
  const warmup = options.rate * (options.warmupSeconds ?? 2);
  const total = warmup + options.rate * duration;
  const latencies: number[] = [];
  const outcome = { errors: 0, non2xx: 0, unavailable: 0 };
  const inFlight = new Set<Promise<void>>();
  const started = performance.now();
  const send = (index: number) => {
    const dueAt = started + (index / options.rate) * 1000;
    const recorded = index >= warmup;
    const request = pool
      .request({ method: 'GET', path: `${url.pathname}${url.search}`, headers: options.headers ?? {} })
      .then(async (response) => {
        await response.body.dump();
        if (!recorded) return;
        if (response.statusCode >= 200 && response.statusCode < 300) latencies.push(performance.now() - dueAt);
        else {
          outcome.non2xx++;
          if (response.statusCode === 503) outcome.unavailable++;
        }
      })
      .catch(() => {
        if (recorded) outcome.errors++;
      })
      .finally(() => inFlight.delete(request));
    inFlight.add(request);
  };
  let sent = 0;
  await new Promise<void>((resolve) => {
    const tick = setInterval(() => {
      const due = Math.min(total, Math.floor(((performance.now() - started) / 1000) * options.rate));
      for (; sent < due; sent++) send(sent);
      if (sent >= total) {
        clearInterval(tick);
        resolve();
      }
    }, 1);
  });
  await Promise.all(inFlight);
  await pool.close();
  return record(scenario, 'req', latencies, duration, outcome);
}

/**
 * A bench script (bench/hello.ts, bench/proxy.ts) in its own process on a free port; resolves once
 * it listens. Its base URL.
 */
export async function startScript(file: string, ...args: string[]): Promise<string> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'bench', file), String(port), ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  await new Promise<void>((resolve, reject) => {
    child.stderr.once('data', () => resolve());
    child.once('exit', (code) => reject(new Error(`bench/${file} exited with ${code}`)));
  });
  cleanups.push(async () => child.kill('SIGTERM'));
  return `http://127.0.0.1:${port}`;
}

export const startHello = (): Promise<string> => startScript('hello.ts');

export async function session(base: string, email: string): Promise<{ token: string }> {
  const password = 'benchmark password';
  await fetch(`${base}/api/v1/auth/register`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password, name: 'Bench', role: 'client' }) });
  const res = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
  const body = (await res.json()) as { accessToken: string };
  if (res.status !== 200) throw new Error(`login failed: ${res.status} ${JSON.stringify(body)}`);
  return { token: body.accessToken };
}

export interface Started extends RunningProcess {
  /** Bytes the process has written to stdout and stderr since it said it was running (its log). */
  logBytes(): number;
}

/**
 * `timeslot <args>` with the rate limits out of the way, at LOG_LEVEL warn unless `env` says
 * otherwise; stopped by the enclosing `scoped` (or at exit).
 */
export async function start(args: string[], env: Record<string, string>): Promise<Started> {
  const proc = await startTimeslot(args, { ...unlimited, ...env }, { port: await freePort(), timeoutMs: startTimeoutMs });
  cleanups.push(() => proc.stop());
  return { ...proc, logBytes: drainLog(proc) };
}

/**
 * Once a process is running, its output is only counted, not kept: startTimeslot keeps all of it
 * in one string and searches it on every chunk, which at the info level (a line per request) would
 * cost the load generator more CPU with every request. The pipe is still read to the end, so the
 * server really formats and writes every line.
 */
export function drainLog(proc: RunningProcess): () => number {
  let bytes = 0;
  for (const stream of [proc.child.stdout, proc.child.stderr]) {
    stream?.removeAllListeners('data');
    stream?.on('data', (chunk: Buffer) => (bytes += chunk.length));
  }
  return () => bytes;
}

/**
 * Runs `body`, then whatever clean-up it registered (processes, databases, directories), newest
 * first, so each run of the table leaves nothing running behind it.
 */
export async function scoped<T>(body: () => Promise<T>): Promise<T> {
  const mark = cleanups.length;
  try {
    return await body();
  } finally {
    for (const cleanup of cleanups.splice(mark).reverse()) await cleanup().catch(() => undefined);
  }
}

/** A fresh database and namespace on the machine's servers, for one distributed topology. */
export async function distributedEnv(): Promise<Record<string, string>> {
  const namespace = `bench-${randomBytes(3).toString('hex')}`;
  const database = `timeslot_${namespace.replace('-', '_')}`;
  const admin = new pg.Client({ connectionString: testServers.postgres });
  await admin.connect();
  await admin.query(`create database ${database}`);
  cleanups.push(async () => {
    await admin.query(`drop database if exists ${database} with (force)`);
    await admin.end();
    // Cache entries, rate-limit windows and BullMQ queues all live under the namespace.
    const redis = new Redis(testServers.redis);
    await deleteRedisKeys(redis, `${namespace}:`);
    redis.disconnect();
  });
  const url = new URL(testServers.postgres);
  url.pathname = `/${database}`;
  return { DATABASE_URL: url.toString(), REDIS_URL: testServers.redis, AMQP_URL: testServers.amqp, NAMESPACE: namespace, SIGNING_KEYS: await generateSigningKeysJson() };
}

/**
 * A closed-loop baseline without HTTP: `concurrency` workers call `op` back to back, for a
 * one-second warm-up that is not recorded and then the run's duration; prints and records its rate
 * and latency percentiles.
 */
export async function measureLoop(scenario: string, unit: string, concurrency: number, op: () => Promise<void>): Promise<Result> {
  const loop = async (seconds: number): Promise<number[]> => {
    const end = Date.now() + seconds * 1000;
    const latencies: number[] = [];
    const worker = async () => {
      while (Date.now() < end) {
        const t = performance.now();
        await op();
        latencies.push(performance.now() - t);
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    return latencies;
  };
  await loop(1);
  return record(scenario, unit, await loop(duration), duration);
}

/** Rate and percentiles of successful latencies (ms) gathered over `seconds`; printed and kept. */
function record(scenario: string, unit: string, latencies: number[], seconds: number, failures?: { errors: number; non2xx: number; unavailable: number }): Result {
  latencies.sort((a, b) => a - b);
  const result: Result = {
    scenario,
    requestsPerSecond: Math.round(latencies.length / seconds),
    p50: percentile(latencies, 0.5),
    p95: percentile(latencies, 0.95),
    p99: percentile(latencies, 0.99),
    max: Math.round((latencies.at(-1) ?? 0) * 100) / 100,
    errors: failures?.errors ?? 0,
    non2xx: failures?.non2xx ?? 0,
    unavailable: failures?.unavailable ?? 0,
  };
  results.push(result);
  const failed = failures === undefined ? '' : `, non-2xx ${failures.non2xx} (503: ${failures.unavailable}), errors ${failures.errors}`;
  process.stderr.write(`${scenario}: ${result.requestsPerSecond} ${unit}/s, p50 ${result.p50} ms, p95 ${result.p95} ms, p99 ${result.p99} ms, max ${result.max} ms${failed}\n`);
  return result;
}
