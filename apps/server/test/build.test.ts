import { existsSync } from 'node:fs';
import { appendFile, cp, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '@timeslot/testing';
import { collect, type Run } from './spawn';

/**
 * bin/timeslot.mjs runs the compiled server (apps/server/dist), and never a build older than the
 * sources. Played in a copy of apps/server (the repository's own build is shared by every suite
 * running in parallel): its sources are edited there, the workspace packages and node_modules are
 * the repository's.
 */
const spawnTimeout = 120_000;
let checkout: string;
let server: string;

beforeAll(async () => {
  checkout = await mkdtemp(path.join(tmpdir(), 'timeslot-build-'));
  server = path.join(checkout, 'apps/server');
  for (const part of ['bin', 'scripts', 'src', 'package.json']) await cp(path.join(repoRoot, 'apps/server', part), path.join(server, part), { recursive: true });
  await cp(path.join(repoRoot, 'package.json'), path.join(checkout, 'package.json'));
  await symlink(path.join(repoRoot, 'node_modules'), path.join(checkout, 'node_modules'));
});

afterAll(async () => {
  await rm(checkout, { recursive: true, force: true });
});

function timeslot(...args: string[]): Promise<Run> {
  return collect(process.execPath, [path.join(server, 'bin/timeslot.mjs'), ...args], { cwd: checkout });
}

/** The npm packages a chunk of the build loads before it runs: its static imports, followed through the build's other chunks. */
async function loadedPackages(chunk: string, seen = new Set<string>()): Promise<Set<string>> {
  const packages = new Set<string>();
  if (seen.has(chunk)) return packages;
  seen.add(chunk);
  const code = await readFile(path.join(server, 'dist', chunk), 'utf8');
  for (const [, specifier = ''] of code.matchAll(/^(?:import|export)\s*(?:[\w*{][^;]*?\bfrom\s*)?"([^"]+)"/gm)) {
    if (specifier.startsWith('./')) for (const name of await loadedPackages(specifier.slice(2), seen)) packages.add(name);
    else if (!specifier.startsWith('node:')) packages.add(specifier);
  }
  return packages;
}

async function edit(file: string, from: string, to: string): Promise<void> {
  const source = await readFile(file, 'utf8');
  expect(source).toContain(from);
  await writeFile(file, source.replace(from, to));
}

describe('the timeslot command and its build', () => {
  it(
    'builds the server when there is no build, then runs that build without rebuilding it',
    async () => {
      const first = await timeslot('--help');
      expect(first.stderr).toContain('Building the server (no build yet)');
      expect(first.code).toBe(0);
      expect(first.stdout).toContain('Timeslot: book time with people.');
      expect(existsSync(path.join(server, 'dist/cli.js'))).toBe(true);

      const second = await timeslot('--help');
      expect(second.stderr).not.toContain('Building');
      expect(second.stdout).toContain('Timeslot: book time with people.');

      // The server (its chunk is loaded once the arguments are good) loads no SDK an embedded
      // process does not use until it is needed: they are a large part of the start and of memory.
      const commands = (await readdir(path.join(server, 'dist'))).find((name) => /^commands-\w+\.js$/.test(name));
      expect(commands).toBeDefined();
      const loaded = [...(await loadedPackages(commands!))];
      expect(loaded).toEqual(expect.arrayContaining(['fastify', '@electric-sql/pglite']));
      const lazy = /^(bullmq|ioredis|amqplib|pg|stripe|razorpay|@googleapis\/|google-auth-library|nodemailer|mailparser|@bull-board\/)/;
      expect(loaded.filter((name) => lazy.test(name))).toEqual([]);

      // What runs is the build, not the sources: a line added to the bundle shows.
      await appendFile(path.join(server, 'dist/cli.js'), '\nprocess.stdout.write("ran the bundle\\n");\n');
      const third = await timeslot('--help');
      expect(third.stdout).toContain('ran the bundle');
    },
    spawnTimeout,
  );

  it(
    'rebuilds when a source changed, so an edit is never run stale',
    async () => {
      await edit(path.join(server, 'src/cli.ts'), 'Timeslot: book time with people.', 'Timeslot, edited: book time with people.');
      const edited = await timeslot('--help');
      expect(edited.stderr).toContain('Building the server (apps/server/src/cli.ts changed)');
      expect(edited.stdout).toContain('Timeslot, edited: book time with people.');
      expect(edited.stdout).not.toContain('ran the bundle');
    },
    spawnTimeout,
  );

  it(
    'points stack traces at the TypeScript source lines',
    async () => {
      await edit(path.join(server, 'src/usage-error.ts'), 'export class UsageError', "throw new Error('edited to fail');\nexport class UsageError");
      const failed = await timeslot('--help');
      expect(failed.code).not.toBe(0);
      expect(failed.stderr).toContain('edited to fail');
      expect(failed.stderr).toMatch(/apps\/server\/src\/usage-error\.ts:\d+/);
    },
    spawnTimeout,
  );
});
