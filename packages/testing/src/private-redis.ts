import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from './processes';

export interface PrivateRedis {
  /** redis://127.0.0.1:<port> */
  readonly url: string;
  readonly port: number;
  /** Stops the server (SIGTERM) and waits for it to exit; it keeps nothing on disk. */
  stop(): Promise<void>;
  /** Starts it again on the same port (empty); resolves once it accepts connections. */
  start(): Promise<void>;
  /** Stops and starts: Redis comes back empty, as after a crash of a server without persistence. */
  restart(): Promise<void>;
  /**
   * Freezes the server (SIGSTOP): connections stay open and commands go unanswered, like a hung
   * host or a partition, and unlike `stop` it keeps its data for `resume` (SIGCONT).
   */
  pause(): void;
  resume(): void;
  /** Stops it if running and deletes its directory. */
  close(): Promise<void>;
}

async function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    let reply = '';
    socket.setTimeout(1000, () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk: Buffer) => {
      reply += chunk.toString();
      if (reply.includes('\r\n')) {
        socket.destroy();
        resolve(reply.startsWith('+PONG'));
      }
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * A redis-server of the test's own on a free port, in a temp dir, with no persistence (like the
 * machine's): a fault test can stop and start it at will without touching the shared Redis.
 */
export async function startPrivateRedis(): Promise<PrivateRedis> {
  const dir = await mkdtemp(path.join(tmpdir(), 'timeslot-redis-'));
  const port = await freePort();
  let server: ChildProcess | undefined;
  let output = '';

  async function start(): Promise<void> {
    if (server) return;
    const child = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--daemonize', 'no', '--loglevel', 'warning'],
      { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    server = child;
    child.stdout?.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-10_000)));
    child.stderr?.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-10_000)));
    child.once('exit', () => {
      if (server === child) server = undefined;
    });
    const deadline = Date.now() + 10_000;
    while (!(await answersPing(port))) {
      if (server !== child) throw new Error(`redis-server on ${port} exited:\n${output}`);
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(`redis-server on ${port} did not answer in time:\n${output}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  async function stop(): Promise<void> {
    const child = server;
    if (!child) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGCONT');
    child.kill('SIGTERM');
    await exited;
  }

  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    stop,
    start,
    async restart() {
      await stop();
      await start();
    },
    pause() {
      server?.kill('SIGSTOP');
    },
    resume() {
      server?.kill('SIGCONT');
    },
    async close() {
      try {
        await stop();
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  };
}
