import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { serviceNames, type ServiceName } from './config';
import { UsageError } from './usage-error';
import type { CreateAdminOptions, MigrateOptions, StartOptions } from './commands';

// Loaded only once the arguments are known good: a refusal or --help answers without loading the server.
const commands = () => import('./commands');

/*
 * The `timeslot` command line. Every argument, variable and input is checked before anything is
 * opened or written: a refusal prints one plain line on stderr (no stack) and exits 2, and leaves
 * no data directory, migration or lock behind.
 */

function parsePort(value: string): number {
  if (!/^\d{1,5}$/.test(value) || Number(value) > 65535) throw new InvalidArgumentError('must be a port number from 0 to 65535.');
  return Number(value);
}

function parseServices(value: string): ServiceName[] {
  const list = value.split(',').map((s) => s.trim()).filter((s) => s !== '');
  const unknown = list.filter((s) => !(serviceNames as readonly string[]).includes(s));
  if (unknown.length > 0) throw new InvalidArgumentError(`unknown service(s): ${unknown.join(', ')}. Known: ${serviceNames.join(', ')}.`);
  if (list.length === 0) throw new InvalidArgumentError(`name at least one of: ${serviceNames.join(', ')}.`);
  return list as ServiceName[];
}

const servicesOption = () => new Option('--services <list>', `comma-separated services (${serviceNames.join(', ')}); distributed mode unless --mode says otherwise`).argParser(parseServices);
const modeOption = () => new Option('--mode <mode>', 'run mode (default: embedded without --services, distributed with it)').choices(['embedded', 'distributed']);

export function buildProgram(): Command {
  const program = new Command('timeslot')
    .description('Timeslot: book time with people. Configuration comes from environment variables (see README).')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => process.stdout.write(text),
      writeErr: (text) => process.stderr.write(text),
    })
    .showHelpAfterError('(run "timeslot --help" for usage)')
    .helpCommand(true)
    .addHelpText(
      'after',
      `
Examples:
  npm start                                          embedded: every service, PGlite under DATA_DIR
  npm start -- --demo                                the same, with demo providers to book
  npm run timeslot -- create-admin --email admin@example.com < password.txt
  npm run timeslot -- start --services identity      distributed (PostgreSQL, Redis, RabbitMQ)`,
    );

  // Without this listener commander answers "unknown command"; this names it the way the README does.
  program.on('command:*', (operands: string[]) => {
    program.error(`Unknown command: ${operands[0] ?? ''}`, { exitCode: 2, code: 'timeslot.unknownCommand' });
  });

  program
    .command('start')
    .description('Run Timeslot (embedded without --services: every service in one process, PGlite under DATA_DIR).')
    .addOption(servicesOption())
    .addOption(modeOption())
    .option('--port <n>', 'port to listen on (overrides PORT)', parsePort)
    .option('--demo', 'embedded mode: add demo providers, services and hours before serving (idempotent)')
    .action(async (options: StartOptions) => (await commands()).startCommand(options));

  program
    .command('migrate')
    .description('Apply the database migrations of the given services (default: all). Needs only the database.')
    .addOption(servicesOption())
    .addOption(modeOption())
    .action(async (options: MigrateOptions) => (await commands()).migrateCommand(options));

  program
    .command('create-admin')
    .description('Create an administrator; the password (8 to 128 characters) is read from standard input. Works while the embedded server runs.')
    .requiredOption('--email <email>', 'the administrator’s email address')
    .option('--name <name>', 'display name', 'Administrator')
    .addOption(modeOption())
    .action(async (options: CreateAdminOptions) => (await commands()).createAdminCommand(options));

  program
    .command('demo')
    .description('Embedded mode: add demo providers, services and weekly hours (idempotent; through the server if it runs).')
    .action(async () => (await commands()).demoCommand());

  const keys = program.command('keys').description('Signing keys for distributed mode.');
  keys.command('generate').description('Print a new SIGNING_KEYS value (private Ed25519 JWK set).').action(async () => (await commands()).keysGenerateCommand());

  return program;
}

export async function main(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  try {
    if (argv.length === 0) {
      program.outputHelp({ error: true });
      return 2;
    }
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    if (error instanceof UsageError) {
      process.stderr.write(`timeslot: ${error.message}\n`);
      return error.exitCode;
    }
    // Unexpected: one line for the person, the stack only when asked for (LOG_LEVEL=debug logs it).
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`timeslot: ${message}\n`);
    return 1;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
    if (code !== 0) process.exit(code);
  },
  (error: unknown) => {
    process.stderr.write(`timeslot: ${String(error)}\n`);
    process.exit(1);
  },
);
