import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { chown, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './processes';

const run = promisify(execFile);

/**
 * A PostgreSQL server of the test's own (initdb + pg_ctl in a temp directory, on a free port of
 * 127.0.0.1), for fault tests that stop and start the database. Never the machine's shared server.
 *
 *   const pg = await startPrivatePostgres();
 *   … pg.url …
 *   await pg.stop(); await pg.start(); // an outage and the recovery
 *   await pg.destroy();
 */
export interface PrivatePostgres {
  /** postgres://postgres@127.0.0.1:<port>/postgres (trust authentication). */
  readonly url: string;
  readonly port: number;
  /** Stop the server (fast shutdown: connections are terminated, as in an outage). */
  stop(): Promise<void>;
  /** Start it again, same port and data. */
  start(): Promise<void>;
  restart(): Promise<void>;
  /** Stop it if running and delete its files. */
  destroy(): Promise<void>;
}

function binDir(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).sort((a, b) => Number(b) - Number(a)) : [];
  const version = versions.find((v) => existsSync(path.join(root, v, 'bin', 'initdb')));
  if (version === undefined) throw new Error(`no PostgreSQL server binaries under ${root}`);
  return path.join(root, version, 'bin');
}

/** PostgreSQL refuses to run as root: run its tools as the postgres system user then. */
async function asPostgresUser(command: string, args: readonly string[]): Promise<void> {
  const isRoot = process.getuid?.() === 0;
  const [file, argv] = isRoot ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, [...args]];
  await run(file, argv, { timeout: 60_000 });
}

async function ownerIds(): Promise<{ uid: number; gid: number } | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  const { stdout: uid } = await run('id', ['-u', 'postgres']);
  const { stdout: gid } = await run('id', ['-g', 'postgres']);
  return { uid: Number(uid.trim()), gid: Number(gid.trim()) };
}

export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const bin = binDir();
  const dir = await mkdtemp(path.join(tmpdir(), 'timeslot-pg-'));
  const owner = await ownerIds();
  if (owner !== undefined) await chown(dir, owner.uid, owner.gid);
  const dataDir = path.join(dir, 'data');
  const port = await freePort();
  await asPostgresUser(path.join(bin, 'initdb'), ['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']);
  // The socket lives in the temp dir too: nothing of the machine's own server is touched.
  const serverOptions = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=50`;
  let running = false;

  async function start(): Promise<void> {
    await asPostgresUser(path.join(bin, 'pg_ctl'), ['-D', dataDir, '-o', serverOptions, '-l', path.join(dir, 'server.log'), '-w', '-t', '30', 'start']);
    running = true;
  }
  async function stop(): Promise<void> {
    await asPostgresUser(path.join(bin, 'pg_ctl'), ['-D', dataDir, '-m', 'fast', '-w', '-t', '30', 'stop']);
    running = false;
  }

  await start();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    start,
    stop,
    async restart() {
      await stop();
      await start();
    },
    async destroy() {
      if (running) await stop().catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
