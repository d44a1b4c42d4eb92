import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { createInterface } from 'node:readline/promises';
import { ConfigError, createLogger, loadConfig, onShutdown, type App } from '@timeslot/kernel';
import { generateSigningKeysJson, newAdminSchema } from '@timeslot/identity';
import { buildTimeslot, type Timeslot } from './app';
import { checkDistributed, configSchema, serviceNames, type Config, type Mode, type ServiceName } from './config';
import { DataDirInUseError, describeHolder, readLiveHolder, type LockHolder } from './data-lock';
import { describeDemo, httpRequester, seedDemo, type Requester } from './demo/seed';
import { UsageError } from './usage-error';
import { createLocalSecret, localAdminPath, localSecretHeader, registerLocalAdmin } from './local-admin';


/** Human-readable progress on stderr; stdout carries only pino's JSON lines, for machines. */
function say(line: string): void {
  process.stderr.write(`${line}\n`);
}

function readConfig(): Config {
  try {
    return loadConfig(configSchema);
  } catch (error) {
    if (error instanceof ConfigError) throw new UsageError(error.message);
    throw error;
  }
}

function decideMode(config: Config, flag: Mode | undefined, servicesGiven: boolean): Mode {
  return flag ?? config.TIMESLOT_MODE ?? (servicesGiven ? 'distributed' : 'embedded');
}

function refuseDistributed(problems: readonly string[]): void {
  if (problems.length > 0) throw new UsageError(`Invalid configuration:\n  ${problems.join('\n  ')}`);
}

/** Distributed one-shot commands need only the database. */
function requireDatabaseUrl(config: Config): void {
  refuseDistributed(config.DATABASE_URL === undefined ? ['DATABASE_URL: required in distributed mode'] : []);
}

function inUse(error: DataDirInUseError, advice: string): UsageError {
  return new UsageError(`${error.message}\n${advice}`, 1);
}

/** The address a command on this machine reaches the server at (a wildcard listen is reached on loopback). */
function localUrl(app: App): string {
  const address = app.server.address() as AddressInfo;
  const host = address.address === '0.0.0.0' ? '127.0.0.1' : address.address === '::' ? '::1' : address.address;
  return `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
}

function injectRequester(app: App): Requester {
  return async (method, url, options = {}) => {
    const headers: Record<string, string> = {};
    if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
    const response = await app.inject({ method, url, headers, ...(options.body === undefined ? {} : { payload: options.body as object }) });
    return { status: response.statusCode, body: response.body === '' ? null : response.json<unknown>() };
  };
}

function seconds(since: number): string {
  return `${((performance.now() - since) / 1000).toFixed(1)} s`;
}

export interface StartOptions {
  readonly services?: ServiceName[];
  readonly mode?: Mode;
  readonly port?: number;
  readonly demo?: boolean;
}

export async function startCommand(options: StartOptions): Promise<void> {
  const config = readConfig();
  if (options.port !== undefined) config.PORT = options.port;
  const services = options.services ?? [...serviceNames];
  const mode = decideMode(config, options.mode, options.services !== undefined);
  if (options.demo === true && (mode !== 'embedded' || serviceNames.some((s) => !services.includes(s)))) {
    throw new UsageError('--demo needs embedded mode with every service (plain `timeslot start --demo`).');
  }
  if (mode === 'distributed') refuseDistributed(checkDistributed(config, services));
  const logger = createLogger({ level: config.LOG_LEVEL, name: 'timeslot' });
  const began = performance.now();
  const step = (name: string, line: string): void => {
    logger.info({ step: name }, line);
    say(`${line}…`);
  };

  step('database', mode === 'embedded' ? `Opening the database in ${path.resolve(config.DATA_DIR, 'pglite')}` : 'Connecting to the database, Redis and RabbitMQ');
  let timeslot: Timeslot;
  try {
    timeslot = await buildTimeslot({ config, mode, services, logger, command: 'timeslot start' });
  } catch (error) {
    if (error instanceof DataDirInUseError) {
      throw inUse(error, `Timeslot is already running on this data directory. Stop it first (Ctrl-C in its terminal, or kill ${error.holder.pid}), or give this one its own DATA_DIR.`);
    }
    throw error;
  }
  const secret = mode === 'embedded' && timeslot.identity !== undefined ? createLocalSecret() : undefined;
  let url: string;
  try {
    step('migrate', 'Applying migrations');
    await timeslot.migrate();
    if (secret !== undefined && timeslot.identity !== undefined) registerLocalAdmin(timeslot.app, timeslot.identity, secret);
    step('listen', 'Starting the HTTP server');
    url = await timeslot.listen();
  } catch (error) {
    // A taken port or a failed migration: close the database and give the data directory back.
    await timeslot.stop().catch(() => undefined);
    throw error;
  }
  onShutdown(logger, () => timeslot.stop(), {
    graceMs: config.SHUTDOWN_GRACE_MS,
    drainMs: config.SHUTDOWN_DRAIN_MS,
    drain: () => timeslot.app.beginDrain(),
  });
  if (secret !== undefined) await timeslot.infrastructure.dataLock?.update({ url: localUrl(timeslot.app), secret });
  const base = config.PUBLIC_URL ?? url;

  let demoLines: string[] = [];
  if (options.demo === true) {
    step('demo', 'Adding demo data');
    demoLines = describeDemo(await seedDemo(injectRequester(timeslot.app)), `${base}/api/v1`);
  }

  logger.info({ mode, services, url: base, readyMs: Math.round(performance.now() - began) }, 'timeslot started');
  const gateway = services.includes('gateway');
  const lines = [
    `Timeslot is running (${mode} mode), ready in ${seconds(began)}`,
    ...(gateway && config.WEB_ROOT !== 'off' ? [`  web app:  ${base}/`] : []),
    `  services: ${services.join(', ')}`,
    `  API:      ${base}/api/v1`,
    ...(gateway ? [`  docs:     ${base}/docs`] : []),
    `  health:   ${base}/healthz  ready: ${base}/readyz  metrics: ${base}/metrics`,
    ...(mode === 'embedded' ? [`  data:     ${path.resolve(config.DATA_DIR)}/ (PGlite)`] : []),
    ...demoLines,
    ...(mode === 'embedded' && options.demo !== true
      ? ['Next: `npm run timeslot -- demo` adds providers to book; open the web app to book one, or follow docs/guide-booking.md with curl.']
      : []),
  ];
  say(lines.join('\n'));
}

export interface MigrateOptions {
  readonly services?: ServiceName[];
  readonly mode?: Mode;
}

export async function migrateCommand(options: MigrateOptions): Promise<void> {
  const config = readConfig();
  const services = (options.services ?? [...serviceNames]).filter((s) => s !== 'gateway');
  const mode = decideMode(config, options.mode, options.services !== undefined);
  if (services.length === 0) throw new UsageError('The gateway keeps no data: name a service that does (identity, scheduling).');
  if (mode === 'distributed') requireDatabaseUrl(config);
  const logger = createLogger({ level: config.LOG_LEVEL, name: 'timeslot' });
  say(mode === 'embedded' ? `Opening the database in ${path.resolve(config.DATA_DIR, 'pglite')}…` : 'Connecting to the database…');
  let timeslot: Timeslot;
  try {
    timeslot = await buildTimeslot({ config, mode, services, logger, databaseOnly: true, command: 'timeslot migrate' });
  } catch (error) {
    if (error instanceof DataDirInUseError) {
      throw inUse(error, 'A running server applies the migrations when it starts: stop it, then run migrate again if you still need to.');
    }
    throw error;
  }
  try {
    say('Applying migrations…');
    await timeslot.migrate();
  } finally {
    await timeslot.stop();
  }
  say(`Migrations applied (${mode} mode): ${timeslot.modules.map((m) => m.name).join(', ')}`);
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

export interface CreateAdminOptions {
  readonly email: string;
  readonly name: string;
  readonly mode?: Mode;
}

async function createAdminThrough(holder: LockHolder, admin: { email: string; password: string; name: string }): Promise<string> {
  if (holder.url === undefined || holder.secret === undefined) {
    throw new UsageError(`The data directory is in use by ${describeHolder(holder)}. Wait for it to finish (or stop it), then run create-admin again.`, 1);
  }
  const response = await fetch(new URL(localAdminPath, holder.url), {
    method: 'POST',
    headers: { 'content-type': 'application/json', [localSecretHeader]: holder.secret },
    body: JSON.stringify(admin),
  });
  const body = (await response.json()) as { id?: string; detail?: string; fieldErrors?: { path: string; message: string }[] };
  if (response.status !== 201 || body.id === undefined) {
    const fields = (body.fieldErrors ?? []).map((f) => `${f.path}: ${f.message}`).join('; ');
    throw new UsageError(`The running server (pid ${holder.pid}) refused: ${body.detail ?? response.status}${fields === '' ? '' : ` (${fields})`}`, 1);
  }
  return body.id;
}

export async function createAdminCommand(options: CreateAdminOptions): Promise<void> {
  const config = readConfig();
  const mode = decideMode(config, options.mode, false);
  if (mode === 'distributed') requireDatabaseUrl(config);
  const password = await readPassword();
  const parsed = newAdminSchema.safeParse({ email: options.email, password, name: options.name });
  if (!parsed.success) {
    const names: Record<string, string> = { email: '--email', name: '--name', password: 'password (standard input)' };
    throw new UsageError(parsed.error.issues.map((issue) => `${names[String(issue.path[0])] ?? issue.path.join('.')}: ${issue.message}`).join('\n'));
  }
  const logger = createLogger({ level: config.LOG_LEVEL, name: 'timeslot' });
  let timeslot: Timeslot;
  try {
    timeslot = await buildTimeslot({ config, mode, services: ['identity'], logger, databaseOnly: true, command: 'timeslot create-admin' });
  } catch (error) {
    if (!(error instanceof DataDirInUseError)) throw error;
    // The embedded server holds the data directory: it creates the admin itself.
    const id = await createAdminThrough(error.holder, parsed.data);
    say(`Administrator ${parsed.data.email} created (id ${id}) by the running server (pid ${error.holder.pid}).`);
    return;
  }
  try {
    await timeslot.migrate();
    if (timeslot.identity === undefined) throw new Error('identity service missing');
    const admin = await timeslot.identity.createAdmin(parsed.data);
    say(`Administrator ${parsed.data.email} created (id ${admin.id}).`);
  } finally {
    await timeslot.stop();
  }
}

export async function demoCommand(): Promise<void> {
  const config = readConfig();
  if (config.TIMESLOT_MODE === 'distributed') throw new UsageError('demo runs in embedded mode; against a running server use its API (docs/guide-booking.md).');
  const holder = await readLiveHolder(path.resolve(config.DATA_DIR));
  if (holder !== undefined) return demoThrough(holder);
  const logger = createLogger({ level: config.LOG_LEVEL, name: 'timeslot' });
  say(`Opening the database in ${path.resolve(config.DATA_DIR, 'pglite')}…`);
  let timeslot: Timeslot;
  try {
    timeslot = await buildTimeslot({ config, mode: 'embedded', services: [...serviceNames], logger, command: 'timeslot demo' });
  } catch (error) {
    if (error instanceof DataDirInUseError) return demoThrough(error.holder);
    throw error;
  }
  try {
    await timeslot.migrate();
    const base = `${config.PUBLIC_URL ?? `http://${config.HOST}:${config.PORT}`}/api/v1`;
    say([...describeDemo(await seedDemo(injectRequester(timeslot.app)), base), 'Start the server with `npm start` to try them.'].join('\n'));
  } finally {
    await timeslot.stop();
  }
}

async function demoThrough(holder: LockHolder): Promise<void> {
  if (holder.url === undefined) {
    throw new UsageError(`The data directory is in use by ${describeHolder(holder)}. Wait for it to finish, then run demo again.`, 1);
  }
  say(`Adding demo data through the running server (pid ${holder.pid}, ${holder.url})…`);
  say(describeDemo(await seedDemo(httpRequester(holder.url)), `${holder.url}/api/v1`).join('\n'));
}

export async function keysGenerateCommand(): Promise<void> {
  process.stdout.write(`${await generateSigningKeysJson()}\n`);
}

