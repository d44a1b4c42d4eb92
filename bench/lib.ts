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

export const duration = Number(process.env.BENCH_DURATION ?? 10);
export const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);
export const unlimited = {
  RATE_LIMIT_IP_PER_SECOND: '100000000',
  RATE_LIMIT_AUTH_PER_MINUTE: '100000000',
  RATE_LIMIT_USER_PER_SECOND: '100000000',
  LOGIN_MAX_FAILURES_PER_IP: '100000000',
  LOG_LEVEL: 'warn',
};

export interface Result {
  scenario: string;
  requestsPerSecond: number;
  p50: number;
  p95: number;
  p99: number;
  errors: number;
  non2xx: number;
}

export const results: Result[] = [];
export const cleanups: (() => Promise<unknown>)[] = [];

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return Math.round(sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]! * 100) / 100;
}

export async function load(scenario: string, options: autocannon.Options): Promise<Result> {
  // autocannon's summary has no p95; keep every response time and take exact percentiles.
  const latencies: number[] = [];
  const instance = autocannon({ connections, duration, ...options }) as autocannon.Instance & Promise<autocannon.Result>;
  void instance.on('response', (_client, _status, _bytes, responseTime) => latencies.push(responseTime));
  const run = await instance;
  latencies.sort((a, b) => a - b);
  const result: Result = {
    scenario,
    requestsPerSecond: Math.round(run.requests.average),
    p50: percentile(latencies, 0.5),
    p95: percentile(latencies, 0.95),
    p99: percentile(latencies, 0.99),
    errors: run.errors + run.timeouts,
    non2xx: run.non2xx,
  };
  results.push(result);
  process.stderr.write(`${scenario}: ${result.requestsPerSecond} req/s, p50 ${result.p50} ms, p95 ${result.p95} ms, p99 ${result.p99} ms, non-2xx ${result.non2xx}, errors ${result.errors}\n`);
  return result;
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
  let errors = 0;
  let non2xx = 0;
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
        if (response.statusCode < 200 || response.statusCode >= 300) non2xx++;
        latencies.push(performance.now() - dueAt);
      })
      .catch(() => {
        if (recorded) errors++;
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
  return record(scenario, 'req', latencies, { errors, non2xx });
}

export async function startHello(): Promise<string> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'bench/hello.ts'), String(port)], { stdio: ['ignore', 'ignore', 'pipe'] });
  await new Promise<void>((resolve) => child.stderr.on('data', () => resolve()));
  cleanups.push(async () => child.kill('SIGTERM'));
  return `http://127.0.0.1:${port}`;
}

export async function session(base: string, email: string): Promise<{ token: string }> {
  const password = 'benchmark password';
  await fetch(`${base}/api/v1/auth/register`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password, name: 'Bench', role: 'client' }) });
  const res = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
  const body = (await res.json()) as { accessToken: string };
  if (res.status !== 200) throw new Error(`login failed: ${res.status} ${JSON.stringify(body)}`);
  return { token: body.accessToken };
}

export async function start(args: string[], env: Record<string, string>): Promise<RunningProcess> {
  const proc = await startTimeslot(args, { ...unlimited, ...env }, { port: await freePort(), timeoutMs: 60_000 });
  cleanups.push(() => proc.stop());
  return proc;
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
 * A closed-loop baseline without HTTP: `concurrency` workers call `op` back to back for the run's
 * duration; prints and records its rate and latency percentiles.
 */
export async function measureLoop(scenario: string, unit: string, concurrency: number, op: () => Promise<void>): Promise<Result> {
  const end = Date.now() + duration * 1000;
  const latencies: number[] = [];
  const worker = async () => {
    while (Date.now() < end) {
      const t = performance.now();
      await op();
      latencies.push(performance.now() - t);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return record(scenario, unit, latencies);
}

/** Rate and percentiles of latencies (ms) gathered over the run's duration; printed and kept. */
function record(scenario: string, unit: string, latencies: number[], failures?: { errors: number; non2xx: number }): Result {
  latencies.sort((a, b) => a - b);
  const result: Result = {
    scenario,
    requestsPerSecond: Math.round(latencies.length / duration),
    p50: percentile(latencies, 0.5),
    p95: percentile(latencies, 0.95),
    p99: percentile(latencies, 0.99),
    errors: failures?.errors ?? 0,
    non2xx: failures?.non2xx ?? 0,
  };
  results.push(result);
  const failed = failures === undefined ? '' : `, non-2xx ${failures.non2xx}, errors ${failures.errors}`;
  process.stderr.write(`${scenario}: ${result.requestsPerSecond} ${unit}/s, p50 ${result.p50} ms, p95 ${result.p95} ms, p99 ${result.p99} ms${failed}\n`);
  return result;
}
