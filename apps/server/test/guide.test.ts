import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, repoRoot, startTimeslot, type RunningProcess } from '@timeslot/testing';
import { collect, run, type Run } from './spawn';

/**
 * docs/guide-booking.md, run as a newcomer would: `timeslot start --demo` as a real process, then
 * every `sh` block of the guide, in order, in one bash (the server-starting block is fenced
 * `console`, the terminal the reader keeps open).
 */
let dataDir: string;
let server: RunningProcess;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'timeslot-guide-'));
  server = await startTimeslot(['start', '--demo'], { DATA_DIR: dataDir }, { port: await freePort(), timeoutMs: 180_000 });
}, 240_000);

afterAll(async () => {
  await server.stop();
  await rm(dataDir, { recursive: true, force: true });
});

async function guideScript(): Promise<string> {
  const guide = await readFile(path.join(repoRoot, 'docs/guide-booking.md'), 'utf8');
  const blocks = [...guide.matchAll(/^```sh\n([\s\S]*?)^```$/gm)].map((m) => m[1]);
  expect(blocks.length).toBeGreaterThan(5);
  return blocks.join('\n').replaceAll('http://127.0.0.1:8080', server.url);
}

function bash(script: string): Promise<Run> {
  return collect('bash', ['-euo', 'pipefail', '-c', script], { cwd: repoRoot });
}

describe('the booking guide', () => {
  it('prints, once ready, the demo accounts and what to try next', () => {
    expect(server.output()).toContain('Opening the database');
    expect(server.output()).toContain('Applying migrations');
    expect(server.output()).toContain('Demo data added: 3 provider(s), 5 service(s)');
    expect(server.output()).toContain('docs/guide-booking.md');
    expect(server.output()).toContain(`${server.url}/docs`);
  });

  it('works command by command: a slot found, booked, gone from the list, seen by the provider, cancelled', async () => {
    const result = await bash(await guideScript());
    expect(result.code, `${result.stderr}\n${result.stdout}`).toBe(0);
    expect(result.stdout).toMatch(/"displayName": "Dr. Ada Lovelace"/);
    expect(result.stdout).toMatch(/first free slot: \d{4}-\d\d-\d\dT/);
    expect(result.stdout).toMatch(/"status": "confirmed"/);
    // The booked slot's count in the list afterwards.
    expect(result.stdout).toMatch(/^0$/m);
    expect(result.stdout).toMatch(/"status": "cancelled"/);
    expect(result.stdout).toMatch(/"cancelReason": "Trying the guide"/);
    expect(result.stdout).toMatch(/"weekday": 1/);
  }, 120_000);

  it('seeds nothing twice: `timeslot demo` after the server stopped finds it all there', async () => {
    expect(await server.stop()).toBe(0);
    const again = await run(['demo'], { DATA_DIR: dataDir });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toContain('Demo data already there: nothing added.');
  }, 180_000);
});
