import { spawn, type ChildProcess } from 'node:child_process';

/**
 * A replica as a real process: plain node:http on 127.0.0.1, `GET /readyz` answers 200, anything
 * else answers JSON naming the replica and echoing method, url and headers. Being a process, it can
 * be frozen (SIGSTOP: the kernel still accepts its connections, nothing answers) and killed (its
 * port refuses connections), which an in-process server cannot imitate.
 */
const script = `
const http = require('node:http');
const name = process.env.REPLICA_NAME;
const server = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    const body = req.url === '/readyz' ? { status: 'ready' } : { server: name, method: req.method, url: req.url, headers: req.headers };
    res.writeHead(200, { 'content-type': 'application/json', 'x-upstream': name });
    res.end(JSON.stringify(body));
  });
});
server.listen(Number(process.env.REPLICA_PORT), '127.0.0.1', () => console.log('listening ' + server.address().port));
`;

export interface ReplicaProcess {
  readonly name: string;
  readonly port: number;
  readonly url: string;
  readonly child: ChildProcess;
  /** SIGSTOP: connections are still accepted by the kernel, nothing answers. */
  pause(): void;
  /** SIGCONT. */
  resume(): void;
  /** SIGKILL, and wait for the exit: the port refuses connections afterwards. */
  kill(): Promise<void>;
}

/** Start a replica process on `port` (any free one by default) and wait until it listens. */
export async function startReplicaProcess(name: string, port = 0): Promise<ReplicaProcess> {
  const child = spawn(process.execPath, ['-e', script], {
    env: { ...process.env, REPLICA_NAME: name, REPLICA_PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let output = '';
  const listening = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`replica ${name} did not listen in time: ${output}`)), 15_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening (\d+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`replica ${name} exited: ${output}`));
    });
  });
  return {
    name,
    port: listening,
    url: `http://127.0.0.1:${listening}`,
    child,
    pause: () => void child.kill('SIGSTOP'),
    resume: () => void child.kill('SIGCONT'),
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}
