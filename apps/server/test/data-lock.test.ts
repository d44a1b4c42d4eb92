import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startTimeslot, type RunningProcess } from '@timeslot/testing';
import { acquireDataLock, DataDirInUseError, lockFileName } from '../src/data-lock';
import { localAdminPath, localSecretHeader } from '../src/local-admin';
import { run, stackLine } from './spawn';

/**
 * One process per embedded data directory (issue 7 item 11): with the server running, a second
 * `start` is refused, `create-admin` and `demo` go through the server, and nothing writes to the
 * PGlite files behind its back.
 */
let dataDir: string;
let server: RunningProcess;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'timeslot-lock-'));
  server = await startTimeslot(['start'], { DATA_DIR: dataDir }, { port: await freePort(), timeoutMs: 180_000 });
}, 240_000);

afterAll(async () => {
  await server.stop();
  await rm(dataDir, { recursive: true, force: true });
});

async function post(pathName: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${server.url}${pathName}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as Record<string, any> };
}

describe('a running embedded server owns its data directory', () => {
  it('records its pid and URL in a lock file only its user can read', async () => {
    const lockPath = path.join(dataDir, lockFileName);
    expect((await stat(lockPath)).mode & 0o777).toBe(0o600);
    const holder = JSON.parse(await readFile(lockPath, 'utf8')) as { pid: number; url: string };
    expect(holder.pid).toBe(server.child.pid);
    expect(holder.url).toBe(server.url);
  });

  it('refuses a second `start` on the same DATA_DIR, naming the running process', async () => {
    const second = await run(['start', '--port', String(await freePort())], { DATA_DIR: dataDir });
    expect(second.code).toBe(1);
    expect(second.stderr).toContain(`is in use by \`timeslot start\` (pid ${server.child.pid}, serving ${server.url}`);
    expect(second.stderr).toContain(`Stop it first (Ctrl-C in its terminal, or kill ${server.child.pid})`);
    expect(second.stderr).not.toMatch(stackLine);
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
  }, 180_000);

  it('creates an administrator through the running server, who can then log in', async () => {
    const created = await run(['create-admin', '--email', 'root@example.com', '--name', 'Root'], { DATA_DIR: dataDir }, 'an admin passphrase\n');
    expect(created.code, created.stderr).toBe(0);
    expect(created.stderr).toMatch(new RegExp(`Administrator root@example.com created \\(id [0-9a-f-]{36}\\) by the running server \\(pid ${server.child.pid}\\)`));
    const login = await post('/api/v1/auth/login', { email: 'root@example.com', password: 'an admin passphrase' });
    expect(login.status).toBe(200);
    expect(login.body.user).toMatchObject({ role: 'admin', name: 'Root' });
  }, 180_000);

  it('tells migrate to wait instead of opening the files', async () => {
    const migrate = await run(['migrate'], { DATA_DIR: dataDir });
    expect(migrate.code).toBe(1);
    expect(migrate.stderr).toContain(`pid ${server.child.pid}`);
    expect(migrate.stderr).toContain('A running server applies the migrations when it starts');
  }, 180_000);

  it('seeds the demo through the running server, once however often it runs', async () => {
    const first = await run(['demo'], { DATA_DIR: dataDir });
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toContain(`through the running server (pid ${server.child.pid}`);
    expect(first.stderr).toContain('Demo data added: 3 provider(s), 5 service(s)');
    const second = await run(['demo'], { DATA_DIR: dataDir });
    expect(second.code, second.stderr).toBe(0);
    expect(second.stderr).toContain('Demo data already there: nothing added.');
    const page = (await (await fetch(`${server.url}/api/v1/providers?limit=100`)).json()) as { items: { displayName: string }[] };
    expect(page.items.map((p) => p.displayName).sort()).toEqual(['Alan Turing', 'Dr. Ada Lovelace', 'Grace Hopper']);
  }, 180_000);

  it('hides the local admin endpoint from anyone without the secret', async () => {
    const attempt = await post(localAdminPath, { email: 'evil@example.com', password: 'a long passphrase', name: 'Evil' }, { [localSecretHeader]: 'guess' });
    expect(attempt.status).toBe(404);
    expect(attempt.body.code).toBe('ROUTE_NOT_FOUND');
    const doc = (await (await fetch(`${server.url}/openapi.json`)).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).not.toContain(localAdminPath);
  });

  it('removes its lock when it stops', async () => {
    expect(await server.stop()).toBe(0);
    expect(existsSync(path.join(dataDir, lockFileName))).toBe(false);
  });
});

describe('the data directory lock', () => {
  it('refuses a second holder in the same process too', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'timeslot-lock-unit-'));
    const lock = await acquireDataLock(dir, 'first');
    await expect(acquireDataLock(dir, 'second')).rejects.toBeInstanceOf(DataDirInUseError);
    await lock.release();
    const again = await acquireDataLock(dir, 'third');
    await again.release();
    await rm(dir, { recursive: true });
  });

  it('takes over a lock whose process is gone (kill -9, power loss)', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'timeslot-lock-unit-'));
    await mkdir(dir, { recursive: true });
    // No live process has this pid: Linux pids stay below 2^22.
    const stale = { pid: 2 ** 22 + 1, command: 'timeslot start', startedAt: '2020-01-01T00:00:00Z', token: 'stale' };
    await writeFile(path.join(dir, lockFileName), JSON.stringify(stale), { mode: 0o600 });
    const lock = await acquireDataLock(dir, 'after a crash');
    expect(lock.holder.pid).toBe(process.pid);
    expect(JSON.parse(await readFile(path.join(dir, lockFileName), 'utf8'))).toMatchObject({ pid: process.pid, command: 'after a crash' });
    await lock.release();
    await rm(dir, { recursive: true });
  });
});
