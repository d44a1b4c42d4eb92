/**
 *   npm run bench                          # the issue-12 table: BENCH_RUNS (3) runs, medians
 *   BENCH_RUNS=1 BENCH_DURATION=3 npm run bench
 *   npm run bench -- compare before.json after.json
 *   npm run bench -- hello me-embedded     # named scenarios, outside the table
 *
 * The table goes to stdout and to bench/results/<time>-<commit>.json; progress to stderr.
 * Distributed rows and scenarios need PostgreSQL, Redis and RabbitMQ (the same URLs as the tests).
 * Named scenarios write bench/results/<time>.json.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { repoRoot } from '@timeslot/testing';
import { cleanups, connections, distributedEnv, duration, load, results, session, start, startHello } from './lib';
import { paymentsScenarios, paymentsSummary } from './payments';
import { schedulingScenarios } from './scheduling';
import { compilePgliteOpen } from './startup';
import { commit, compareFiles, formatResults, formatRows, medians, writeTable, type Row } from './table';
import { argonBaseline, tableRun } from './targets';

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
      connections: 2 * availableParallelism(),
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
  // Scripts of their own (also `npm run bench:email|slots|web`); each prints and saves its results.
  email: async () => void (await import('./email')),
  slots: async () => void (await import('./slots')),
  web: async () => void (await import('./web')),
};

async function table(): Promise<void> {
  const runs = Number(process.env.BENCH_RUNS ?? 3);
  const startedAt = new Date();
  // What is measured is the checkout as it was when the processes started.
  const checkout = commit();
  const pgliteOpen = await compilePgliteOpen();
  const perRun: Row[][] = [];
  for (let run = 1; run <= runs; run++) {
    process.stderr.write(`\n# run ${run} of ${runs} (${duration} s a measurement)\n`);
    perRun.push(await tableRun(pgliteOpen));
  }
  const file = await writeTable(checkout, startedAt, duration, perRun);
  console.log(formatRows(medians(perRun)));
  process.stderr.write(`\n${runs === 1 ? 'one run' : `medians of ${runs} runs`}; written to ${path.relative(process.cwd(), file)}\n`);
}

async function named(names: string[]): Promise<void> {
  for (const name of names) {
    const scenario = scenarios[name];
    if (scenario === undefined) throw new Error(`unknown scenario ${name}; known: ${Object.keys(scenarios).join(', ')}`);
    await scenario();
  }
  if (results.length === 0) return;
  console.log(formatResults(results));
  if (names.some((name) => name.startsWith('payments-'))) console.log(`\n${paymentsSummary().join('\n')}`);
  await mkdir(path.join(repoRoot, 'bench/results'), { recursive: true });
  await writeFile(path.join(repoRoot, 'bench/results', `${new Date().toISOString().replaceAll(':', '-')}.json`), JSON.stringify({ duration, connections, results }, null, 2));
}

async function main(): Promise<void> {
  const args = process.argv.slice(2).filter((a) => a !== '--');
  try {
    if (args[0] === 'compare') {
      const [before, after] = args.slice(1);
      if (before === undefined || after === undefined) throw new Error('usage: npm run bench -- compare <before.json> <after.json>');
      console.log(await compareFiles(before, after));
    } else if (args.length === 0) await table();
    else await named(args);
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  }
}

await main();
