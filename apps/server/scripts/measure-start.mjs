#!/usr/bin/env node
// Start-up time and idle memory of the embedded server next to PGlite's own, in one run.
//
//   node apps/server/scripts/measure-start.mjs --data <existing DATA_DIR> [--runs 5] [label=path/to/timeslot.mjs ...]
//
// Each candidate is `node <bin> start` on the data directory; "pglite" is a bare node:http server
// that opens a copy of the same directory with the options of packages/adapters' PGlite adapter
// and answers /healthz with `select 1`. Runs alternate between candidates (so drift in the
// machine's load hits them alike) and medians are printed. Start: spawn to the first 200 from
// /healthz, polled every 10 ms. Memory: VmRSS after a few requests and 3 s idle.
import { spawn } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { data: { type: 'string' }, runs: { type: 'string', default: '5' }, port: { type: 'string', default: '18490' }, idle: { type: 'string', default: '3000' } },
});
if (values.data === undefined) throw new Error('--data <existing DATA_DIR> is required');
const dataDir = path.resolve(values.data);
const runs = Number(values.runs);
const port = Number(values.port);
const idleMs = Number(values.idle);
const candidates = (positionals.length > 0 ? positionals : ['current=apps/server/bin/timeslot.mjs']).map((spec) => {
  const [label, bin] = spec.split('=');
  return { label, bin: path.resolve(repoRoot, bin), root: path.resolve(repoRoot, bin, '../../../..') };
});

const work = await mkdtemp(path.join(tmpdir(), 'measure-start-'));
const baselineScript = path.join(work, 'pglite-alone.mjs');
// Resolved from the repository, like the server resolves it.
await writeFile(
  baselineScript,
  `import http from 'node:http';
import { PGlite, types } from ${JSON.stringify(path.join(repoRoot, 'node_modules/@electric-sql/pglite/dist/index.js'))};
import { btree_gist } from ${JSON.stringify(path.join(repoRoot, 'node_modules/@electric-sql/pglite/dist/contrib/btree_gist.js'))};
const client = await PGlite.create({ dataDir: process.env.PGLITE_DIR, parsers: { [types.INT8]: (v) => v }, extensions: { btree_gist } });
http.createServer(async (req, res) => { await client.query('select 1'); res.end('ok'); }).listen(Number(process.env.PORT), '127.0.0.1');
`,
);

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function get(url) {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
    await response.arrayBuffer();
    return response.status;
  } catch {
    return 0;
  }
}

async function rss(pid) {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)[1]) / 1024;
}

/** CPU time (user + system) the process has used so far: less sensitive than wall time to a busy machine. */
async function cpuMs(pid) {
  const fields = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1].split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

async function measure(args, env, cwd) {
  const began = performance.now();
  const child = spawn(process.execPath, args, { cwd, env: { ...process.env, LOG_LEVEL: 'warn', ...env, PORT: String(port), HOST: '127.0.0.1' }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  try {
    const base = `http://127.0.0.1:${port}`;
    while ((await get(`${base}/healthz`)) !== 200) {
      if (child.exitCode !== null) throw new Error(`exited ${child.exitCode}: ${stderr}`);
      if (performance.now() - began > 60_000) throw new Error(`not healthy in 60 s: ${stderr}`);
      await sleep(10);
    }
    const startMs = performance.now() - began;
    const startCpuMs = await cpuMs(child.pid);
    for (const url of ['/healthz', '/readyz', '/api/v1/providers', '/healthz']) await get(base + url);
    await sleep(idleMs);
    return { startMs, startCpuMs, rssMb: await rss(child.pid) };
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const results = new Map([['pglite', []], ...candidates.map((c) => [c.label, []])]);
try {
  for (let i = 0; i < runs; i++) {
    const copy = path.join(work, 'copy');
    await rm(copy, { recursive: true, force: true });
    await cp(path.join(dataDir, 'pglite'), copy, { recursive: true });
    results.get('pglite').push(await measure([baselineScript], { PGLITE_DIR: copy }, work));
    for (const c of candidates) results.get(c.label).push(await measure([c.bin, 'start'], { DATA_DIR: dataDir }, c.root));
    process.stderr.write(`run ${i + 1}/${runs} done\n`);
  }
} finally {
  await rm(work, { recursive: true, force: true });
}
const base = results.get('pglite');
const baseStart = median(base.map((r) => r.startMs));
const baseRss = median(base.map((r) => r.rssMb));
const baseCpu = median(base.map((r) => r.startCpuMs));
const column = (rs, key, digits = 0) => `${median(rs.map((r) => r[key])).toFixed(digits).padStart(6)} (${rs.map((r) => r[key].toFixed(digits)).join(' ')})`;
console.log(`${'label'.padEnd(10)} ${'start ms: median (all)'.padEnd(44)} ${'CPU ms to healthy'.padEnd(44)} ${'idle RSS MB'.padEnd(34)} Δstart Δcpu ΔRSS vs pglite`);
for (const [label, rs] of results) {
  const delta = (key, b) => (median(rs.map((r) => r[key])) - b).toFixed(0).padStart(6);
  console.log(
    `${label.padEnd(10)} ${column(rs, 'startMs').padEnd(44)} ${column(rs, 'startCpuMs').padEnd(44)} ${column(rs, 'rssMb').padEnd(34)}` +
      `${delta('startMs', baseStart)} ${delta('startCpuMs', baseCpu)} ${delta('rssMb', baseRss)}`,
  );
}
