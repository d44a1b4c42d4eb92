import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, runTimeslot, startTimeslot, type RunningProcess } from '@timeslot/testing';

/** `timeslot start` with nothing but a data directory: the newcomer's first run. */
let dataDir: string;
let server: RunningProcess;
let adminRun: { code: number | null; output: string };

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'timeslot-embedded-'));
  // The first admin comes from the CLI (PGlite is one process's: run it before the server starts).
  adminRun = await runTimeslot(['create-admin', '--email', 'root@example.com', '--name', 'Root'], { DATA_DIR: dataDir }, 'an admin passphrase\n');
  server = await startTimeslot(['start'], { DATA_DIR: dataDir }, { port: await freePort() });
}, 60_000);

afterAll(async () => {
  expect(await server.stop()).toBe(0);
  await rm(dataDir, { recursive: true, force: true });
});

async function post(pathName: string, body: unknown) {
  const res = await fetch(`${server.url}${pathName}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as Record<string, any> };
}

describe('embedded: timeslot start', () => {
  it('prints its mode and URLs', () => {
    expect(server.output()).toContain('Timeslot is running (embedded mode)');
    expect(server.output()).toContain(`${server.url}/docs`);
  });

  it('registers, logs in and reads the profile', async () => {
    const registered = await post('/api/v1/auth/register', { email: 'grace@example.com', password: 'a long passphrase', name: 'Grace', role: 'provider' });
    expect(registered.status).toBe(201);
    const login = await post('/api/v1/auth/login', { email: 'grace@example.com', password: 'a long passphrase' });
    expect(login.status).toBe(200);
    const me = await fetch(`${server.url}/api/v1/users/me`, { headers: { authorization: `Bearer ${login.body.accessToken}` } });
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ email: 'grace@example.com', name: 'Grace', role: 'provider' });
  });

  it('lets the administrator made by create-admin log in with the admin role', async () => {
    expect(adminRun.code, adminRun.output).toBe(0);
    expect(adminRun.output).toContain('Administrator root@example.com created');
    const login = await post('/api/v1/auth/login', { email: 'root@example.com', password: 'an admin passphrase' });
    expect(login.status).toBe(200);
    expect(login.body.user.role).toBe('admin');
  });

  it('keeps its data and signing key under the data directory', async () => {
    expect((await stat(path.join(dataDir, 'pglite'))).isDirectory()).toBe(true);
    const key = await stat(path.join(dataDir, 'keys', 'identity-signing-keys.json'));
    expect(key.mode & 0o777).toBe(0o600);
  });

  it('serves the merged OpenAPI document and Swagger UI', async () => {
    const doc = (await (await fetch(`${server.url}/openapi.json`)).json()) as { openapi: string; paths: Record<string, unknown> };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/v1/auth/register', '/api/v1/users/me']));
    const docs = await fetch(`${server.url}/docs`, { redirect: 'follow' });
    expect(docs.status).toBe(200);
    expect(await docs.text()).toContain('swagger');
  });
});

describe('embedded: the command line refuses bad input', () => {
  it('lists every bad variable at once and exits 2', async () => {
    const run = await runTimeslot(['start'], { PORT: 'eighty', LOG_LEVEL: 'loud', DATA_DIR: dataDir });
    expect(run.code).toBe(2);
    expect(run.output).toContain('PORT');
    expect(run.output).toContain('LOG_LEVEL');
  });

  it('refuses an unknown service, an unknown command and create-admin without an email', async () => {
    const unknownService = await runTimeslot(['start', '--services', 'gateway,billing'], { DATA_DIR: dataDir });
    expect(unknownService.code).toBe(2);
    expect(unknownService.output).toContain('billing');
    const unknownCommand = await runTimeslot(['launch'], { DATA_DIR: dataDir });
    expect(unknownCommand.code).toBe(2);
    expect(unknownCommand.output).toContain('Unknown command: launch');
    const noEmail = await runTimeslot(['create-admin'], { DATA_DIR: dataDir });
    expect(noEmail.code).toBe(2);
  });

  it('refuses to start distributed without its servers and secrets', async () => {
    const run = await runTimeslot(['start', '--services', 'identity'], { DATA_DIR: dataDir });
    expect(run.code).toBe(2);
    for (const name of ['DATABASE_URL', 'REDIS_URL', 'AMQP_URL', 'SIGNING_KEYS']) expect(run.output).toContain(name);
  });
});
