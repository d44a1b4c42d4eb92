/**
 * Load scenarios, each printing req/s and p50/p95/p99, side by side with a raw Fastify
 * hello-world measured in the same run on the same machine (the ceiling).
 *
 *   npm run bench                      # every scenario, 10 s each
 *   BENCH_DURATION=5 npm run bench -- hello me-embedded login-embedded
 *
 * Distributed scenarios need PostgreSQL, Redis and RabbitMQ (the same URLs as the tests).
 * Results also go to bench/results/<timestamp>.json.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import argon2 from 'argon2';
import { repoRoot } from '@timeslot/testing';
import { cleanups, connections, distributedEnv, duration, load, measureLoop, results, session, start, startHello, type Result } from './lib';
import { paymentsScenarios, paymentsSummary } from './payments';
import { schedulingScenarios } from './scheduling';

/** Raw Argon2id hash rate with the production parameters, as many at once as libuv allows. */
function argonBaseline(): Promise<Result> {
  return measureLoop('argon2id-raw-hash', 'hashes', 4, async () => {
    await argon2.hash('benchmark password', { type: argon2.argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 });
  });
}

export type Scenario = () => Promise<void>;

const scenarios: Record<string, Scenario> = {
  async hello() {
    const base = await startHello();
    await load('hello-world (ceiling)', { url: `${base}/hello` });
  },
  async 'me-embedded'() {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'timeslot-bench-'));
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
    const gateway = await start(['start'], { DATA_DIR: dataDir });
    const { token } = await session(gateway.url, 'me-embedded@example.com');
    await load('GET /users/me via gateway (embedded)', { url: `${gateway.url}/api/v1/users/me`, headers: { authorization: `Bearer ${token}` } });
    const direct = await start(['start', '--mode', 'embedded', '--services', 'identity'], { DATA_DIR: path.join(dataDir, 'direct') });
    const second = await session(direct.url, 'me-direct@example.com');
    await load('GET /users/me direct on identity (embedded)', { url: `${direct.url}/api/v1/users/me`, headers: { authorization: `Bearer ${second.token}` } });
  },
  async 'login-embedded'() {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'timeslot-bench-'));
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
    const gateway = await start(['start'], { DATA_DIR: dataDir });
    await session(gateway.url, 'login@example.com');
    await argonBaseline();
    await load('POST /auth/login (embedded)', {
      url: `${gateway.url}/api/v1/auth/login`,
      method: 'POST',
      connections: 8,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'login@example.com', password: 'benchmark password' }),
    });
  },
  async 'me-distributed'() {
    const env = await distributedEnv();
    const identity = await start(['start', '--services', 'identity'], env);
    const gateway = await start(['start', '--services', 'gateway'], { ...env, UPSTREAMS: `identity=${identity.url}`, IDENTITY_URL: identity.url });
    const { token } = await session(gateway.url, 'me-distributed@example.com');
    await load('GET /users/me via gateway (distributed)', { url: `${gateway.url}/api/v1/users/me`, headers: { authorization: `Bearer ${token}` } });
    await load('GET /users/me direct on identity (distributed)', { url: `${identity.url}/api/v1/users/me`, headers: { authorization: `Bearer ${token}` } });
  },
  ...schedulingScenarios,
  ...paymentsScenarios,
};

function ratio(a: string, b: string): string {
  const x = results.find((r) => r.scenario === a);
  const y = results.find((r) => r.scenario === b);
  return x && y ? `${((x.requestsPerSecond / y.requestsPerSecond) * 100).toFixed(1)}%` : 'n/a';
}

function p99(scenario: string): string {
  const found = results.find((r) => r.scenario === scenario);
  return found ? `${found.p99} ms` : 'n/a';
}

async function main(): Promise<void> {
  const chosen = process.argv.slice(2).filter((a) => a !== '--');
  const names = chosen.length > 0 ? chosen : Object.keys(scenarios);
  try {
    for (const name of names) {
      const scenario = scenarios[name];
      if (scenario === undefined) throw new Error(`unknown scenario ${name}; known: ${Object.keys(scenarios).join(', ')}`);
      await scenario();
    }
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  }
  const hello = 'hello-world (ceiling)';
  console.table(results.map((r) => ({ ...r, 'vs hello-world': ratio(r.scenario, hello) })));
  const lines = [
    `gateway/direct (embedded):    ${ratio('GET /users/me via gateway (embedded)', 'GET /users/me direct on identity (embedded)')}`,
    `gateway/direct (distributed): ${ratio('GET /users/me via gateway (distributed)', 'GET /users/me direct on identity (distributed)')}`,
    `gateway/hello (embedded):     ${ratio('GET /users/me via gateway (embedded)', hello)}   (target >= 40%)`,
    `gateway/hello (distributed):  ${ratio('GET /users/me via gateway (distributed)', hello)}   (target >= 40%)`,
    `login/raw argon2id:           ${ratio('POST /auth/login (embedded)', 'argon2id-raw-hash')}   (target >= 85%)`,
    `bookings/raw insert:          ${ratio('POST /bookings, distinct slots (distributed)', 'raw PostgreSQL booking insert (same row + outbox event)')}   (target: >= 1,000 bookings/s)`,
    `cached slots p99 at 1000/s:   embedded ${p99('GET 31-day slots via gateway, cached, steady 1000 req/s (embedded)')}, distributed ${p99('GET 31-day slots via gateway, cached, steady 1000 req/s (distributed)')}   (target <= 50 ms)`,
    ...paymentsSummary(),
  ];
  console.log(lines.join('\n'));
  await mkdir(path.join(repoRoot, 'bench/results'), { recursive: true });
  await writeFile(path.join(repoRoot, 'bench/results', `${new Date().toISOString().replaceAll(':', '-')}.json`), JSON.stringify({ duration, connections, results }, null, 2));
}

await main();
