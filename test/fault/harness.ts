import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { adminSql, freePort, type RunningProcess, runTimeslot, startTimeslot, testServers } from '@timeslot/testing';
import { generateSigningKeysJson } from '@timeslot/identity';

/** What the fault tests share: a database of their own, the processes, a client and a load recorder. */

export interface Topology {
  readonly namespace: string;
  readonly databaseUrl: string;
  readonly identity: RunningProcess;
  readonly scheduling: RunningProcess;
  readonly gateway: RunningProcess;
  /** Everything each process wrote to stderr since `markStderr()`. */
  stderrSinceMark(): Record<string, string>;
  markStderr(): void;
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

const admin = (sql: string): Promise<void> => adminSql(sql);

/**
 * identity, scheduling and a gateway as separate real processes on the shared PostgreSQL (a
 * database of their own) with the given Redis and RabbitMQ URLs.
 */
export async function startTopology(label: string, servers: { redis: string; amqp: string }, extraEnv: Record<string, string> = {}): Promise<Topology> {
  const namespace = `${label}-${randomBytes(4).toString('hex')}`;
  const databaseName = `timeslot_${namespace.replaceAll('-', '_')}`;
  const url = new URL(testServers.postgres);
  url.pathname = `/${databaseName}`;
  const databaseUrl = url.toString();
  await admin(`create database ${databaseName}`);
  const common = {
    DATABASE_URL: databaseUrl,
    REDIS_URL: servers.redis,
    AMQP_URL: servers.amqp,
    NAMESPACE: namespace,
    SIGNING_KEYS: await generateSigningKeysJson(),
    TRUST_PROXY: 'true',
    RATE_LIMIT_IP_PER_SECOND: '10000',
    RATE_LIMIT_USER_PER_SECOND: '10000',
    RATE_LIMIT_AUTH_PER_MINUTE: '10000',
    REGISTRATIONS_PER_IP_PER_HOUR: '10000',
    ...extraEnv,
  };
  const migrated = await runTimeslot(['migrate', '--services', 'identity,scheduling'], common);
  if (migrated.code !== 0) throw new Error(`timeslot migrate failed:\n${migrated.output}`);
  const identity = await startTimeslot(['start', '--services', 'identity'], common, { port: await freePort() });
  const scheduling = await startTimeslot(['start', '--services', 'scheduling'], { ...common, IDENTITY_URL: identity.url }, { port: await freePort() });
  const gateway = await startTimeslot(
    ['start', '--services', 'gateway'],
    { ...common, IDENTITY_URL: identity.url, UPSTREAMS: `identity=${identity.url};scheduling=${scheduling.url}` },
    { port: await freePort() },
  );
  const processes = { identity, scheduling, gateway };
  const stderr: Record<string, string> = { identity: '', scheduling: '', gateway: '' };
  for (const [name, running] of Object.entries(processes)) running.child.stderr?.on('data', (chunk: Buffer) => (stderr[name] += chunk.toString()));
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  return {
    namespace,
    databaseUrl,
    ...processes,
    markStderr() {
      for (const name of Object.keys(stderr)) stderr[name] = '';
    },
    stderrSinceMark: () => ({ ...stderr }),
    async query<T>(sql: string, params: unknown[] = []) {
      return (await pool.query(sql, params)).rows as T[];
    },
    async close() {
      await Promise.allSettled([gateway.stop(), scheduling.stop(), identity.stop()]);
      await pool.end();
      await admin(`drop database if exists ${databaseName} with (force)`);
    },
  };
}

export interface Answer {
  readonly status: number;
  readonly body: Record<string, any> | undefined;
  readonly headers: Headers;
  readonly ms: number;
}

let ipCounter = 0;

/** One request through real sockets, timed; a request that fails at the socket counts as status 0. */
export async function call(base: string, method: string, path: string, options: { body?: unknown; token?: string; timeoutMs?: number } = {}): Promise<Answer> {
  ipCounter = (ipCounter % 250) + 1;
  const headers: Record<string, string> = { 'x-forwarded-for': `198.51.100.${ipCounter}` };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  const started = performance.now();
  try {
    const res = await fetch(`${base}${path}`, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: AbortSignal.timeout(options.timeoutMs ?? 15_000),
    });
    const text = await res.text();
    let body: Record<string, any> | undefined;
    try {
      body = text === '' ? undefined : (JSON.parse(text) as Record<string, any>);
    } catch {
      body = { text };
    }
    return { status: res.status, body, headers: res.headers, ms: performance.now() - started };
  } catch {
    return { status: 0, body: undefined, headers: new Headers(), ms: performance.now() - started };
  }
}

/** A provider open around the clock, a free and a paid 30-minute service, and a client. */
export async function seed(gateway: string, namespace: string) {
  const password = 'correct horse battery';
  const owner = await call(gateway, 'POST', '/api/v1/auth/register', { body: { email: `dr.${namespace}@example.com`, password, name: 'Dr Fault', role: 'provider' } });
  if (owner.status !== 201) throw new Error(`register provider: ${owner.status} ${JSON.stringify(owner.body)}`);
  const token = owner.body!.accessToken as string;
  const provider = await call(gateway, 'POST', '/api/v1/providers', { token, body: { displayName: 'Dr Fault', timeZone: 'UTC', published: true } });
  const providerId = provider.body!.id as string;
  const weekly = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '00:00', end: '24:00' }));
  await call(gateway, 'PUT', `/api/v1/providers/${providerId}/availability`, { token, body: { weekly } });
  const service = async (body: Record<string, unknown>) => {
    const res = await call(gateway, 'POST', `/api/v1/providers/${providerId}/services`, { token, body: { durationMinutes: 30, slotIntervalMinutes: 30, ...body } });
    if (res.status !== 201) throw new Error(`create service: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body!.id as string;
  };
  const free = await service({ name: 'Free consultation' });
  const paid = await service({ name: 'Paid consultation', priceAmount: 5000, currency: 'EUR' });
  const client = await call(gateway, 'POST', '/api/v1/auth/register', { body: { email: `client.${namespace}@example.com`, password, name: 'Client', role: 'client' } });
  return { providerId, free, paid, clientToken: client.body!.accessToken as string, clientEmail: `client.${namespace}@example.com`, password };
}

/** Slot starts, 30 minutes apart from tomorrow 00:00 UTC on: one per booking, never the same twice. */
export function slotStarts(): () => string {
  const base = Date.parse(`${new Date(Date.now() + 86_400_000).toISOString().slice(0, 10)}T00:00:00.000Z`);
  let next = 0;
  return () => new Date(base + 30 * 60_000 * next++).toISOString();
}

export interface Sample {
  readonly kind: string;
  readonly phase: string;
  readonly status: number;
  readonly ms: number;
  readonly at: number;
}

/** Sequential request loops (one in flight per kind) until `stop()`: a steady small load. */
export function steadyLoad(kinds: Record<string, () => Promise<Answer & { extra?: unknown }>>, phase: () => string) {
  const samples: (Sample & { answer: Answer })[] = [];
  let running = true;
  const loops = Object.entries(kinds).map(async ([kind, request]) => {
    while (running) {
      const phaseAtStart = phase();
      const answer = await request();
      samples.push({ kind, phase: phaseAtStart, status: answer.status, ms: answer.ms, at: Date.now(), answer });
      // A breath between requests keeps the load small and steady on a shared 2-core machine.
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  });
  return {
    samples,
    async stop() {
      running = false;
      await Promise.all(loops);
    },
  };
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

/** Answers per second and p99 per phase and kind, as printed figures. */
export function figures(samples: readonly Sample[], phaseSeconds: Record<string, number>): string {
  const lines: string[] = [];
  for (const [phase, seconds] of Object.entries(phaseSeconds)) {
    const inPhase = samples.filter((s) => s.phase === phase);
    const kinds = [...new Set(inPhase.map((s) => s.kind))];
    const parts = kinds.map((kind) => {
      const mine = inPhase.filter((s) => s.kind === kind);
      return `${kind} ${(mine.length / seconds).toFixed(1)}/s p99 ${percentile(mine.map((s) => s.ms), 99).toFixed(0)} ms`;
    });
    lines.push(
      `${phase.padEnd(9)} ${(inPhase.length / seconds).toFixed(1)} answers/s, p99 ${percentile(inPhase.map((s) => s.ms), 99).toFixed(0)} ms, max ${Math.max(...inPhase.map((s) => s.ms)).toFixed(0)} ms (${parts.join('; ')})`,
    );
  }
  return lines.join('\n');
}
