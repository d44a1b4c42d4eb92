import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testServers } from '@timeslot/testing';
import { run, stackLine } from './spawn';

/**
 * Every refusal of the command line, as a user meets it: a spawned `timeslot`, its exit code, one
 * plain message on stderr (no stack trace), and nothing created — not even the data directory.
 */
// Each case is a fresh Node process loading the server's code: seconds on a busy 2-core machine.
const spawnTimeout = 120_000;
let parent: string;
let dataDir: string;

beforeAll(async () => {
  parent = await mkdtemp(path.join(tmpdir(), 'timeslot-cli-'));
  dataDir = path.join(parent, 'data');
});

afterAll(async () => {
  await rm(parent, { recursive: true, force: true });
});

// Distributed settings cleared so that a developer's shell cannot change the answers.
const clean = { TIMESLOT_MODE: undefined, DATABASE_URL: undefined, REDIS_URL: undefined, AMQP_URL: undefined, SIGNING_KEYS: undefined, IDENTITY_URL: undefined };

interface Refusal {
  readonly name: string;
  readonly args: readonly string[];
  readonly env?: Record<string, string | undefined>;
  readonly input?: string;
  readonly message: RegExp;
  readonly absent?: RegExp;
}

const refusals: readonly Refusal[] = [
  { name: 'an unknown command', args: ['launch'], message: /Unknown command: launch/ },
  { name: 'an unknown option', args: ['start', '--verbose'], message: /unknown option '--verbose'/ },
  { name: 'a port that is not a number (before migrating anything)', args: ['start', '--port', 'abc'], message: /--port.*'abc' is invalid.*port number/ },
  { name: 'a port out of range', args: ['start', '--port', '70000'], message: /port number from 0 to 65535/ },
  { name: 'an unknown service', args: ['start', '--services', 'gateway,billing'], message: /unknown service\(s\): billing/ },
  { name: 'an unknown mode', args: ['start', '--mode', 'cluster'], message: /Allowed choices are embedded, distributed/ },
  { name: 'a stray argument', args: ['start', 'now'], message: /too many arguments/ },
  { name: 'bad variables, all listed at once', args: ['start'], env: { PORT: 'eighty', LOG_LEVEL: 'loud' }, message: /PORT[\s\S]*LOG_LEVEL|LOG_LEVEL[\s\S]*PORT/ },
  { name: '--demo outside embedded mode', args: ['start', '--demo', '--services', 'identity'], message: /--demo needs embedded mode/ },
  { name: 'create-admin without --email', args: ['create-admin'], message: /required option '--email <email>'/ },
  { name: 'create-admin with a short password (the 8 to 128 rule)', args: ['create-admin', '--email', 'root@example.com'], input: 'short\n', message: /password \(standard input\): must be at least 8 characters/ },
  { name: 'create-admin with a long password', args: ['create-admin', '--email', 'root@example.com'], input: `${'x'.repeat(129)}\n`, message: /must be at most 128 characters/ },
  { name: 'create-admin with no password at all', args: ['create-admin', '--email', 'root@example.com'], message: /must be at least 8 characters/ },
  { name: 'create-admin with a malformed email', args: ['create-admin', '--email', 'root'], input: 'a long passphrase\n', message: /--email: must be an email address/ },
  { name: 'create-admin with an empty name', args: ['create-admin', '--email', 'root@example.com', '--name', ' '], input: 'a long passphrase\n', message: /--name: must not be empty/ },
  { name: 'migrate of the gateway alone', args: ['migrate', '--services', 'gateway'], message: /gateway keeps no data/ },
  {
    name: 'migrate distributed without DATABASE_URL, asking for nothing else',
    args: ['migrate', '--services', 'identity'],
    message: /DATABASE_URL: required/,
    absent: /REDIS_URL|AMQP_URL|SIGNING_KEYS|IDENTITY_URL/,
  },
  {
    name: 'start distributed without its servers and secrets, all named',
    args: ['start', '--services', 'identity'],
    message: /DATABASE_URL[\s\S]*REDIS_URL[\s\S]*AMQP_URL[\s\S]*SIGNING_KEYS/,
  },
  { name: 'keys without a subcommand', args: ['keys', 'rotate'], message: /unknown command 'rotate'|Unknown command/ },
];

describe.concurrent('the command line refuses bad input before any side effect', () => {
  for (const refusal of refusals) {
    it(`refuses ${refusal.name}`, async () => {
      const result = await run(refusal.args, { ...clean, DATA_DIR: dataDir, ...refusal.env }, refusal.input);
      expect(result.code, result.stderr).toBe(2);
      expect(result.stderr).toMatch(refusal.message);
      if (refusal.absent) expect(result.stderr).not.toMatch(refusal.absent);
      expect(result.stderr).not.toMatch(stackLine);
      expect(result.stdout).toBe('');
      expect(existsSync(dataDir), 'no data directory is created').toBe(false);
    }, spawnTimeout);
  }
});

describe.concurrent('help', () => {
  for (const flag of ['--help', '-h', 'help']) {
    it(`answers ${flag} with the commands on stdout, exit 0`, async () => {
      const result = await run([flag], { DATA_DIR: dataDir });
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('Usage: timeslot');
      for (const command of ['start', 'migrate', 'create-admin', 'demo', 'keys']) expect(result.stdout).toContain(command);
      expect(existsSync(dataDir)).toBe(false);
    }, spawnTimeout);
  }

  it('answers a command’s --help with its options', async () => {
    const result = await run(['start', '--help'], { DATA_DIR: dataDir });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/--port <n>[\s\S]*--demo/);
  }, spawnTimeout);

  it('prints the usage on stderr and exits 2 without a command', async () => {
    const result = await run([], { DATA_DIR: dataDir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Usage: timeslot');
  }, spawnTimeout);
});

describe('migrate in distributed mode', () => {
  it('needs only DATABASE_URL: no Redis, RabbitMQ or signing keys', async () => {
    const result = await run(['migrate', '--services', 'identity,scheduling'], { ...clean, DATA_DIR: dataDir, DATABASE_URL: testServers.postgres });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('Migrations applied (distributed mode): identity, scheduling');
    expect(existsSync(dataDir)).toBe(false);
  }, spawnTimeout);
});
