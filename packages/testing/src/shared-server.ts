import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, open, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { cliPath, freePort, repoRoot } from './processes';

/*
 * One embedded server shared by every test file of a run that asks for it by name (the web app's
 * browser tests: each file makes its own users and providers, so they need no server of their own,
 * and a start with migrations costs seconds). The first file to ask starts it, detached, under a
 * lock directory; the others find it in `.tmp/shared-servers/<name>.json`. The run's global
 * teardown stops every one (and the global setup stops any a crashed run left behind).
 */

const sharedDir = path.join(repoRoot, '.tmp', 'shared-servers');

export interface SharedServer {
  readonly url: string;
  readonly dataDir: string;
  readonly pid: number;
}

function isSharedServer(value: unknown): value is SharedServer {
  const v = value as Partial<SharedServer> | null;
  return typeof v?.url === 'string' && typeof v.dataDir === 'string' && typeof v.pid === 'number';
}

async function readRecord(file: string): Promise<SharedServer | undefined> {
  try {
    const value: unknown = JSON.parse(await readFile(file, 'utf8'));
    return isSharedServer(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

async function ready(url: string): Promise<boolean> {
  try {
    const response = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(2000) });
    await response.body?.cancel();
    return response.ok;
  } catch {
    return false;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The shared server called `name`, started with `env` by whichever test file asks first. */
export async function sharedTimeslot(name: string, env: Record<string, string>, options: { timeoutMs?: number } = {}): Promise<SharedServer> {
  await mkdir(sharedDir, { recursive: true });
  const file = path.join(sharedDir, `${name}.json`);
  const lock = path.join(sharedDir, `${name}.lock`);
  const deadline = Date.now() + (options.timeoutMs ?? 120_000);
  for (;;) {
    const known = await readRecord(file);
    if (known !== undefined && (await ready(known.url))) return known;
    try {
      await mkdir(lock);
      break;
    } catch {
      if (Date.now() > deadline) throw new Error(`the shared server ${name} did not come up (lock ${lock})`);
      await pause(200);
    }
  }
  try {
    const known = await readRecord(file);
    if (known !== undefined && (await ready(known.url))) return known;
    if (known !== undefined && alive(known.pid)) process.kill(known.pid, 'SIGKILL');
    const dataDir = await mkdtemp(path.join(os.tmpdir(), `timeslot-${name}-`));
    const port = await freePort();
    const log = await open(path.join(sharedDir, `${name}.log`), 'a');
    const child = spawn(process.execPath, [cliPath, 'start'], {
      cwd: repoRoot,
      env: { ...process.env, LOG_LEVEL: 'warn', ...env, DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1' },
      stdio: ['ignore', log.fd, log.fd],
      detached: true,
    });
    child.unref();
    await log.close();
    const server: SharedServer = { url: `http://127.0.0.1:${port}`, dataDir, pid: child.pid ?? 0 };
    while (!(await ready(server.url))) {
      if (child.exitCode !== null || Date.now() > deadline) {
        child.kill('SIGKILL');
        const output = await readFile(path.join(sharedDir, `${name}.log`), 'utf8').catch(() => '');
        throw new Error(`the shared server ${name} did not become ready:\n${output.slice(-4000)}`);
      }
      await pause(100);
    }
    await writeFile(file, JSON.stringify(server));
    return server;
  } finally {
    await rm(lock, { recursive: true, force: true });
  }
}

/** Stop every shared server and remove its data (global setup and teardown). */
export async function stopSharedTimeslots(): Promise<void> {
  const names = await readdir(sharedDir).catch(() => [] as string[]);
  for (const entry of names.filter((n) => n.endsWith('.json'))) {
    const server = await readRecord(path.join(sharedDir, entry));
    if (server === undefined) continue;
    if (alive(server.pid)) {
      process.kill(server.pid, 'SIGTERM');
      for (let i = 0; i < 100 && alive(server.pid); i += 1) await pause(100);
      if (alive(server.pid)) process.kill(server.pid, 'SIGKILL');
    }
    await rm(server.dataDir, { recursive: true, force: true });
  }
  await rm(sharedDir, { recursive: true, force: true });
}
