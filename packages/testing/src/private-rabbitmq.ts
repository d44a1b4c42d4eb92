import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from './processes';

/** The server's own scripts: the /usr/sbin wrappers would switch to the rabbitmq user and its cookie. */
const binDir = '/usr/lib/rabbitmq/bin';

export interface PrivateRabbitMq {
  /** amqp://guest:guest@127.0.0.1:<port> */
  readonly url: string;
  readonly port: number;
  /** The node's name, e.g. test-1a2b3c4d@localhost; every rabbitmqctl call passes it with -n. */
  readonly node: string;
  /**
   * Stops the broker (rabbitmqctl -n <node> stop_app: every connection is closed and the port
   * refuses new ones, as in an outage) and waits until its port is closed. The Erlang VM stays
   * up, so `start` takes seconds rather than a cold boot's tens of seconds.
   */
  stop(): Promise<void>;
  /** Starts the broker again (start_app) with the same data; resolves once its port accepts connections. */
  start(): Promise<void>;
  /** Stops the whole node (rabbitmqctl -n <node> stop) and deletes its directory. */
  close(): Promise<void>;
}

export function privateRabbitMqAvailable(): boolean {
  return existsSync(path.join(binDir, 'rabbitmq-server')) && existsSync(path.join(binDir, 'rabbitmqctl'));
}

async function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function waitFor(condition: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`${what} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * A RabbitMQ node of the test's own, beside the machine's shared one (which it never touches): its
 * own node name, AMQP and distribution ports, database, logs, config and Erlang cookie (HOME is
 * its directory), no plugins. The shared node on 5672 has another name and another cookie, so even
 * a mistaken rabbitmqctl call from here could not reach it; every call names the node with -n.
 */
export async function startPrivateRabbitMq(options: { startTimeoutMs?: number } = {}): Promise<PrivateRabbitMq> {
  const dir = await mkdtemp(path.join(tmpdir(), 'timeslot-rabbitmq-'));
  const port = await freePort();
  const distPort = await freePort();
  const node = `test-${randomBytes(4).toString('hex')}@localhost`;
  const startTimeoutMs = options.startTimeoutMs ?? 60_000;
  await writeFile(
    path.join(dir, 'rabbitmq.conf'),
    [`listeners.tcp.local = 127.0.0.1:${port}`, 'disk_free_limit.absolute = 1MB', 'log.console = false', 'log.file.level = warning', ''].join('\n'),
  );
  await writeFile(path.join(dir, 'enabled_plugins'), '[].\n');
  // An empty env file of its own: the machine's (/etc/rabbitmq/rabbitmq-env.conf) names the shared node.
  await writeFile(path.join(dir, 'rabbitmq-env.conf'), '');
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: dir,
    LANG: 'C.UTF-8',
    RABBITMQ_NODENAME: node,
    RABBITMQ_NODE_IP_ADDRESS: '127.0.0.1',
    RABBITMQ_NODE_PORT: String(port),
    RABBITMQ_DIST_PORT: String(distPort),
    RABBITMQ_MNESIA_BASE: path.join(dir, 'mnesia'),
    RABBITMQ_LOG_BASE: path.join(dir, 'log'),
    RABBITMQ_CONFIG_FILE: path.join(dir, 'rabbitmq.conf'),
    RABBITMQ_CONF_ENV_FILE: path.join(dir, 'rabbitmq-env.conf'),
    RABBITMQ_ENABLED_PLUGINS_FILE: path.join(dir, 'enabled_plugins'),
    RABBITMQ_PLUGINS_EXPAND_DIR: path.join(dir, 'plugins-expand'),
    RABBITMQ_PID_FILE: path.join(dir, 'rabbitmq.pid'),
    ERL_EPMD_ADDRESS: '127.0.0.1',
  };
  let server: ChildProcess | undefined;
  let output = '';

  function ctl(...args: string[]): Promise<number | null> {
    return new Promise((resolve) => {
      const child = spawn(path.join(binDir, 'rabbitmqctl'), ['-n', node, ...args], { cwd: dir, env, stdio: 'ignore' });
      child.once('exit', (code) => resolve(code));
      child.once('error', () => resolve(null));
    });
  }

  async function boot(): Promise<void> {
    if (server) return;
    const child = spawn(path.join(binDir, 'rabbitmq-server'), [], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    server = child;
    child.stdout?.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-20_000)));
    child.stderr?.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-20_000)));
    child.once('exit', () => {
      if (server === child) server = undefined;
    });
    try {
      await waitFor(async () => {
        if (server !== child) throw new Error(`RabbitMQ node ${node} exited:\n${output}`);
        return portOpen(port);
      }, startTimeoutMs, `RabbitMQ node ${node} did not open port ${port}`);
    } catch (error) {
      child.kill('SIGKILL');
      throw error;
    }
  }

  async function stopApp(): Promise<void> {
    const code = await ctl('stop_app');
    if (code !== 0) throw new Error(`rabbitmqctl -n ${node} stop_app exited with ${code}`);
    await waitFor(async () => !(await portOpen(port)), 10_000, `RabbitMQ node ${node} still listens on ${port}`);
  }

  async function startApp(): Promise<void> {
    // Resolves when the port opens, not when rabbitmqctl (a VM of its own) gets round to exiting.
    let failed: number | null | undefined;
    void ctl('start_app').then((code) => {
      if (code !== 0) failed = code;
    });
    await waitFor(async () => {
      if (failed !== undefined) throw new Error(`rabbitmqctl -n ${node} start_app exited with ${failed}`);
      return portOpen(port);
    }, startTimeoutMs, `RabbitMQ node ${node} did not open port ${port}`);
  }

  async function shutdown(): Promise<void> {
    const child = server;
    if (!child) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    await ctl('stop');
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        // rabbitmqctl could not reach it: this process is ours alone, so end it directly.
        child.kill('SIGKILL');
        resolve();
      }, 20_000);
    });
    await Promise.race([exited, late]).finally(() => clearTimeout(timer));
    await waitFor(async () => !(await portOpen(port)), 10_000, `RabbitMQ node ${node} still listens on ${port}`);
  }

  await boot();
  return {
    url: `amqp://guest:guest@127.0.0.1:${port}`,
    port,
    node,
    stop: stopApp,
    start: startApp,
    async close() {
      try {
        await shutdown();
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  };
}
