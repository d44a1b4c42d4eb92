import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { link, mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * One process per embedded data directory. PGlite is PostgreSQL inside one process: a second
 * process opening the same files does not see the first one's writes and overwrites them on close
 * (issue 7 item 11: an admin created while the server ran was lost). So every opener takes this
 * lock first, and a second one is refused with the holder's pid and URL.
 *
 * The lock is a file created atomically (a complete temp file hard-linked into place: `link`
 * fails when the name exists, and a reader never sees a half-written file). It records the pid,
 * the process's start time (so a reused pid is not mistaken for the holder) and, once the server
 * listens, its URL and a secret made at each start for the local-only admin endpoint; hence mode 0600.
 * A lock whose process is gone (kill -9, power loss) is stale and taken over.
 */
export const lockFileName = 'timeslot.lock';

export interface LockHolder {
  readonly pid: number;
  /** /proc start time of the holder (Linux); tells a reused pid from the holder. */
  readonly processStart?: string;
  readonly command: string;
  readonly startedAt: string;
  /** Where the holder serves HTTP, reachable from this machine (set once it listens). */
  readonly url?: string;
  /** Secret for the holder's local admin endpoint (see local-admin.ts). */
  readonly secret?: string;
  /** Identifies one acquisition, so a process never releases a lock it no longer holds. */
  readonly token: string;
}

export class DataDirInUseError extends Error {
  constructor(
    readonly dataDir: string,
    readonly holder: LockHolder,
  ) {
    super(`The data directory ${dataDir} is in use by ${describeHolder(holder)}.`);
    this.name = 'DataDirInUseError';
  }
}

export interface DataLock {
  readonly dataDir: string;
  readonly holder: LockHolder;
  /** Record where this process serves HTTP and its local admin secret. */
  update(extra: { url: string; secret: string }): Promise<void>;
  /** Remove the lock if this process still holds it. */
  release(): Promise<void>;
}

export function describeHolder(holder: LockHolder): string {
  const serving = holder.url === undefined ? '' : `, serving ${holder.url}`;
  return `\`${holder.command}\` (pid ${holder.pid}${serving}, started ${holder.startedAt})`;
}

/** Field 22 of /proc/<pid>/stat: when the process started, in clock ticks since boot. */
function processStart(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may contain spaces: split after it.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

function isAlive(holder: LockHolder): boolean {
  try {
    process.kill(holder.pid, 0);
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const start = processStart(holder.pid);
  return holder.processStart === undefined || start === undefined || start === holder.processStart;
}

function parseHolder(text: string): LockHolder | undefined {
  try {
    const value = JSON.parse(text) as Partial<LockHolder>;
    return typeof value.pid === 'number' && typeof value.token === 'string' ? (value as LockHolder) : undefined;
  } catch {
    return undefined;
  }
}

async function readText(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

async function writeTemp(dir: string, holder: LockHolder): Promise<string> {
  const temp = path.join(dir, `${lockFileName}.${process.pid}.${randomBytes(4).toString('hex')}`);
  await writeFile(temp, `${JSON.stringify(holder)}\n`, { mode: 0o600, flag: 'wx' });
  return temp;
}

/** The live holder of `dataDir`'s lock, if any (a read: changes nothing). */
export async function readLiveHolder(dataDir: string): Promise<LockHolder | undefined> {
  const text = await readText(path.join(dataDir, lockFileName));
  const holder = text === undefined ? undefined : parseHolder(text);
  return holder !== undefined && isAlive(holder) ? holder : undefined;
}

/**
 * Take `dataDir`'s lock or throw DataDirInUseError naming the process that holds it. Creates
 * `dataDir` if needed.
 */
export async function acquireDataLock(dataDir: string, command: string): Promise<DataLock> {
  await mkdir(dataDir, { recursive: true });
  const lockPath = path.join(dataDir, lockFileName);
  let holder: LockHolder = {
    pid: process.pid,
    processStart: processStart(process.pid),
    command,
    startedAt: new Date().toISOString(),
    token: randomBytes(16).toString('hex'),
  };
  const temp = await writeTemp(dataDir, holder);
  try {
    for (let attempt = 0; ; attempt += 1) {
      try {
        await link(temp, lockPath);
        break;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= 5) throw error;
      }
      const text = await readText(lockPath);
      if (text === undefined) continue;
      const current = parseHolder(text);
      if (current !== undefined && isAlive(current)) throw new DataDirInUseError(dataDir, current);
      await breakStale(lockPath, text);
    }
  } finally {
    await unlink(temp);
  }

  let held = true;
  return {
    dataDir,
    get holder() {
      return holder;
    },
    async update(extra) {
      if (!held) return;
      const next = { ...holder, ...extra };
      // rename() replaces the file in one step: readers see the old or the new content, whole.
      await rename(await writeTemp(dataDir, next), lockPath);
      holder = next;
    },
    async release() {
      if (!held) return;
      held = false;
      const current = parseHolder((await readText(lockPath)) ?? '');
      if (current?.token === holder.token) await unlink(lockPath);
    },
  };
}

/**
 * Remove a stale lock whose content was `staleText`. It is moved aside first (atomic), then
 * checked: if another process replaced it in between, its fresh lock is put back.
 */
async function breakStale(lockPath: string, staleText: string): Promise<void> {
  const aside = `${lockPath}.stale.${process.pid}.${randomBytes(4).toString('hex')}`;
  try {
    await rename(lockPath, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  if ((await readText(aside)) !== staleText) {
    await link(aside, lockPath).catch(() => undefined);
  }
  await unlink(aside);
}
