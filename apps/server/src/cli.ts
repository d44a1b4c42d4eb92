import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import { ConfigError, createLogger, loadConfig, onShutdown } from '@timeslot/kernel';
import { generateSigningKeysJson } from '@timeslot/identity';
import { buildTimeslot } from './app';
import { checkDistributed, configSchema, serviceNames, type Config, type Mode, type ServiceName } from './config';

const usage = `Usage: timeslot <command> [options]

Commands:
  start [--services a,b] [--mode embedded|distributed] [--port N]
        Run Timeslot. Without --services: embedded mode, every service in one process,
        PGlite under DATA_DIR. With --services: distributed mode (PostgreSQL, Redis, RabbitMQ).
  migrate [--services a,b]      Apply the database migrations of the given services (default all).
  create-admin --email E --name N
        Create an administrator; the password is read from standard input.
  keys generate                 Print a new SIGNING_KEYS value (private Ed25519 JWK set).

Services: ${serviceNames.join(', ')}. Configuration: environment variables (see README).`;

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}

function parseServices(value: string | undefined): ServiceName[] {
  if (value === undefined) return [...serviceNames];
  const list = value.split(',').map((s) => s.trim()).filter((s) => s !== '');
  const unknown = list.filter((s) => !(serviceNames as readonly string[]).includes(s));
  if (unknown.length > 0 || list.length === 0) fail(`Unknown service(s): ${unknown.join(', ') || '(none)'}. Known: ${serviceNames.join(', ')}.`);
  return list as ServiceName[];
}

function readConfig(): Config {
  try {
    return loadConfig(configSchema);
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message);
    throw error;
  }
}

function decideMode(config: Config, flag: string | undefined, servicesGiven: boolean): Mode {
  const mode = flag ?? config.TIMESLOT_MODE ?? (servicesGiven ? 'distributed' : 'embedded');
  if (mode !== 'embedded' && mode !== 'distributed') fail(`--mode must be embedded or distributed, not ${mode}`);
  return mode;
}

async function readPassword(): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stdin.isTTY ? process.stderr : undefined, terminal: false });
  if (process.stdin.isTTY) process.stderr.write('Password: ');
  for await (const line of rl) {
    rl.close();
    return line;
  }
  return '';
}

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      services: { type: 'string' },
      mode: { type: 'string' },
      port: { type: 'string' },
      email: { type: 'string' },
      name: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help || command === undefined || command === 'help') {
    process.stdout.write(`${usage}\n`);
    return;
  }

  if (command === 'keys') {
    if (positionals[0] !== 'generate') fail('Usage: timeslot keys generate');
    process.stdout.write(`${await generateSigningKeysJson()}\n`);
    return;
  }

  const config = readConfig();
  if (values.port !== undefined) config.PORT = Number(values.port);
  const services = parseServices(values.services);
  const mode = decideMode(config, values.mode, values.services !== undefined);
  if (mode === 'distributed') {
    const problems = checkDistributed(config, services);
    if (problems.length > 0) fail(`Invalid configuration:\n  ${problems.join('\n  ')}`);
  }
  const logger = createLogger({ level: config.LOG_LEVEL, name: 'timeslot' });

  switch (command) {
    case 'start': {
      const timeslot = await buildTimeslot({ config, mode, services, logger });
      await timeslot.migrate();
      const url = await timeslot.listen();
      onShutdown(logger, () => timeslot.stop(), {
        graceMs: config.SHUTDOWN_GRACE_MS,
        drainMs: config.SHUTDOWN_DRAIN_MS,
        drain: () => timeslot.app.beginDrain(),
      });
      const base = config.PUBLIC_URL ?? url;
      logger.info({ mode, services, url: base }, 'timeslot started');
      const lines = [
        `Timeslot is running (${mode} mode)`,
        `  services: ${services.join(', ')}`,
        `  API:      ${base}/api/v1`,
        ...(services.includes('gateway') ? [`  docs:     ${base}/docs`] : []),
        `  health:   ${base}/healthz  ready: ${base}/readyz  metrics: ${base}/metrics`,
        ...(mode === 'embedded' ? [`  data:     ${config.DATA_DIR}/ (PGlite)`] : []),
      ];
      process.stderr.write(`${lines.join('\n')}\n`);
      return;
    }
    case 'migrate': {
      const timeslot = await buildTimeslot({ config, mode, services: services.filter((s) => s !== 'gateway'), logger });
      await timeslot.migrate();
      await timeslot.stop();
      process.stderr.write(`Migrations applied (${mode} mode): ${timeslot.modules.map((m) => m.name).join(', ')}\n`);
      return;
    }
    case 'create-admin': {
      if (values.email === undefined) fail('Usage: timeslot create-admin --email E [--name N] (password on standard input)');
      const password = await readPassword();
      const timeslot = await buildTimeslot({ config, mode, services: ['identity'], logger });
      try {
        await timeslot.migrate();
        if (timeslot.identity === undefined) throw new Error('identity service missing');
        const admin = await timeslot.identity.createAdmin({ email: values.email, password, name: values.name ?? 'Administrator' });
        process.stderr.write(`Administrator ${values.email} created (id ${admin.id}).\n`);
      } finally {
        await timeslot.stop();
      }
      return;
    }
    default:
      fail(`Unknown command: ${command}\n\n${usage}`);
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
  process.stderr.write(`timeslot: ${message}\n`);
  process.exit(1);
});
