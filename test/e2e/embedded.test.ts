import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startTimeslot, type RunningProcess } from '@timeslot/testing';

/** `timeslot start` with nothing but a data directory: the newcomer's first run. */
let dataDir: string;
let server: RunningProcess;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'timeslot-embedded-'));
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
