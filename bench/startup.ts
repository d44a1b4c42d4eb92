/**
 * Embedded start-up and idle memory, each next to PGlite alone (bench/pglite-open.ts) on a copy of
 * the same data directory: time from spawning the process to its first answer, and the resident
 * memory of the process (and any children) once it has answered and sat idle.
 */
import { spawn } from 'node:child_process';
import { cp, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { build } from 'esbuild';
import { freePort, repoRoot, startTimeslot } from '@timeslot/testing';
import { cleanups, drainLog, startTimeoutMs, unlimited, type Started } from './lib';

const idleMs = 3000;

export interface Footprint {
  /** From spawn to the first answer, ms. */
  startMs: number;
  /** VmRSS of the process and its descendants after answering and ~3 s idle, MB (MiB). */
  rssMb: number;
}

/**
 * bench/pglite-open.ts as plain JavaScript under node_modules/.cache (where its imports still
 * resolve), so the baseline starts as bare `node` does. Its path.
 */
export async function compilePgliteOpen(): Promise<string> {
  const outfile = path.join(repoRoot, 'node_modules/.cache/timeslot-bench/pglite-open.mjs');
  await build({ entryPoints: [path.join(repoRoot, 'bench/pglite-open.ts')], outfile, platform: 'node', format: 'esm', target: 'node20', logLevel: 'warning' });
  return outfile;
}

/** Resident memory of `pid` and every process below it, MB. */
export async function treeRssMb(pid: number): Promise<number> {
  const kb = async (id: number): Promise<number> => {
    const status = await readFile(`/proc/${id}/status`, 'utf8').catch(() => '');
    let total = Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1] ?? 0);
    const tasks = await readdir(`/proc/${id}/task`).catch(() => [] as string[]);
    for (const task of tasks) {
      const children = await readFile(`/proc/${id}/task/${task}/children`, 'utf8').catch(() => '');
      for (const child of children.split(' ').filter(Boolean)) total += await kb(Number(child));
    }
    return total;
  };
  return Math.round((await kb(pid)) / 102.4) / 10;
}

/** A copy of `dataDir`'s PGlite directory, removed with the enclosing scope. */
export async function copyPgliteDir(dataDir: string): Promise<string> {
  const copy = await mkdtemp(path.join(tmpdir(), 'timeslot-bench-pglite-'));
  cleanups.push(() => rm(copy, { recursive: true, force: true }));
  await cp(path.join(dataDir, 'pglite'), copy, { recursive: true });
  return copy;
}

/** PGlite alone: spawn the compiled pglite-open on `pgliteDir`, time its `select 1`, idle, measure, stop. */
export async function pgliteAlone(script: string, pgliteDir: string): Promise<Footprint> {
  const began = performance.now();
  const child = spawn(process.execPath, [script, pgliteDir], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  cleanups.push(async () => {
    child.kill('SIGTERM');
    await exited;
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('ready')) resolve();
    });
    void exited.then(() => reject(new Error('pglite-open exited before it was ready')));
  });
  const startMs = performance.now() - began;
  await sleep(idleMs);
  return { startMs: Math.round(startMs), rssMb: await treeRssMb(child.pid!) };
}

/**
 * `timeslot start` on an existing `dataDir` (default log level, its output drained): time from the
 * spawn to the first 200 from /healthz, polled every 10 ms; then `paths` are each requested once
 * (a few real answers), the server idles ~3 s and its memory is read. The server stays up (for
 * more measurements) until the enclosing scope ends.
 */
export async function timeslotStart(dataDir: string, paths: readonly string[]): Promise<Footprint & { server: Started }> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const began = performance.now();
  // startTimeslot spawns before its first await, so `began` is the spawn.
  const starting = startTimeslot(['start'], { ...unlimited, LOG_LEVEL: 'info', DATA_DIR: dataDir }, { port, timeoutMs: startTimeoutMs });
  let failed: Error | undefined;
  starting.catch((error: unknown) => (failed = error instanceof Error ? error : new Error(String(error))));
  let startMs: number | undefined;
  while (startMs === undefined) {
    if (failed !== undefined) throw failed;
    const status = await fetch(`${base}/healthz`).then(
      async (res) => (await res.arrayBuffer(), res.status),
      () => 0,
    );
    if (status === 200) startMs = performance.now() - began;
    else await sleep(10);
  }
  const proc = await starting;
  cleanups.push(() => proc.stop());
  const server = { ...proc, logBytes: drainLog(proc) };
  for (const each of paths) {
    const res = await fetch(`${base}${each}`);
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`GET ${each}: ${res.status}`);
  }
  await sleep(idleMs);
  return { startMs: Math.round(startMs), rssMb: await treeRssMb(proc.child.pid!), server };
}
