import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '@timeslot/kernel';
import { startReplicaProcess, type ReplicaProcess } from '@timeslot/testing';
import { registerProxy, type RegisterProxyOptions } from '../src';
import { candidates } from '../src/upstream-health';
import { buildGateway, closedPort, createTestKeys, startEchoServer, type TestGateway, type TestKeys } from './helpers';

/*
 * Fault tests: real replica processes on 127.0.0.1, frozen with SIGSTOP (connections accepted, no
 * answer: what a hung or unreachable host costs) or killed (the port refuses). They print what
 * they measured; their time bounds are generous for a 2-core CI machine.
 */

type LogEntry = Record<string, unknown> & { msg: string; upstream?: string };

/** A logger whose lines the test can await. */
function capturedLogger() {
  const entries: LogEntry[] = [];
  const waiters: { match: (entry: LogEntry) => boolean; resolve: (entry: LogEntry) => void }[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      for (const line of chunk.toString().split('\n')) {
        if (line.trim() === '') continue;
        const entry = JSON.parse(line) as LogEntry;
        entries.push(entry);
        for (const waiter of waiters.splice(0)) {
          if (waiter.match(entry)) waiter.resolve(entry);
          else waiters.push(waiter);
        }
      }
      callback();
    },
  });
  return {
    logger: createLogger({ level: 'info', destination }),
    entries,
    /** The next line (from now on) with this message about this upstream. */
    next(msg: string, upstream: string, timeoutMs = 15_000): Promise<LogEntry> {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no "${msg}" for ${upstream} within ${timeoutMs} ms`)), timeoutMs);
        waiters.push({
          match: (entry) => entry.msg === msg && entry.upstream === upstream,
          resolve: (entry) => {
            clearTimeout(timer);
            resolve(entry);
          },
        });
      });
    },
  };
}

const ejected = 'upstream replica taken out of rotation';
const restored = 'upstream replica back in rotation';

let keys: TestKeys;
const gateways: TestGateway[] = [];
const replicas: ReplicaProcess[] = [];

beforeAll(async () => {
  keys = await createTestKeys();
});

afterEach(async () => {
  await Promise.all(gateways.splice(0).map((gateway) => gateway.close()));
  await Promise.all(replicas.splice(0).map((replica) => replica.kill()));
});

async function replicaProcess(name: string, port?: number): Promise<ReplicaProcess> {
  const replica = await startReplicaProcess(name, port);
  replicas.push(replica);
  return replica;
}

async function proxyGateway(upstreams: readonly string[], proxy: Partial<RegisterProxyOptions> & Pick<RegisterProxyOptions, 'logger'>): Promise<TestGateway> {
  const gateway = await buildGateway(keys, { rateLimits: { ip: { max: 100_000, windowMs: 1000 } } }, {
    routes: (app) => registerProxy(app, { routes: [{ service: 'alpha', prefix: '/api/v1/alpha', upstreams }], ...proxy }),
  });
  gateways.push(gateway);
  return gateway;
}

interface Outcome {
  readonly status: number;
  readonly server: string | undefined;
  readonly ms: number;
}

async function call(gateway: TestGateway, method: 'GET' | 'POST' = 'GET'): Promise<Outcome> {
  const started = performance.now();
  const response = await gateway.app.inject({ method, url: '/api/v1/alpha/things', ...(method === 'POST' ? { payload: 'x', headers: { 'content-type': 'text/plain' } } : {}) });
  const ms = performance.now() - started;
  return { status: response.statusCode, server: response.statusCode === 200 ? response.json<{ server: string }>().server : undefined, ms };
}

const metric = async (gateway: TestGateway, pattern: RegExp) => Number(pattern.exec((await gateway.app.inject({ url: '/metrics' })).body)?.[1]);
const healthyReplicas = (gateway: TestGateway) => metric(gateway, /gateway_upstream_healthy_replicas\{[^}]*service="alpha"[^}]*\} (\d+)/);
const ejections = (gateway: TestGateway) => metric(gateway, /gateway_upstream_ejections_total\{[^}]*service="alpha"[^}]*\} (\d+)/);
const max = (values: readonly number[]) => Math.max(...values);
const median = (values: readonly number[]) => [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)] ?? NaN;

describe('a replica that stops answering (SIGSTOP)', () => {
  it('is ejected after 3 timeouts, costs nothing afterwards, and returns once it answers /readyz again', async () => {
    const [a, b] = await Promise.all([replicaProcess('a'), replicaProcess('b')]);
    const logs = capturedLogger();
    const timeoutMs = 600;
    // Active checks of healthy replicas are off here, so only requests can eject `a`: the count of
    // requests it cost is then exact.
    const gateway = await proxyGateway([a.url, b.url], {
      logger: logs.logger,
      timeoutMs,
      health: { ejectAfterFailures: 3, ejectBaseMs: 300, ejectMaxMs: 1000, checkIntervalMs: 0, checkTimeoutMs: 300 },
    });
    const warm = await Promise.all(Array.from({ length: 4 }, () => call(gateway)));
    expect(new Set(warm.map((outcome) => outcome.server))).toEqual(new Set(['a', 'b']));

    a.pause();
    const ejection = logs.next(ejected, a.url);
    const before: Outcome[] = [];
    while (before.length < 20 && (await healthyReplicas(gateway)) === 2) before.push(await call(gateway));
    const entry = await ejection;
    const timedOut = before.filter((outcome) => outcome.status === 504);
    expect(timedOut).toHaveLength(3);
    expect(before.filter((outcome) => outcome.status === 200).every((outcome) => outcome.server === 'b')).toBe(true);
    expect(entry).toMatchObject({ level: 40, reason: `no response within ${timeoutMs} ms`, failures: 3, ejectedForMs: 300 });
    expect(await healthyReplicas(gateway)).toBe(1);
    expect(await ejections(gateway)).toBe(1);

    const after: Outcome[] = [];
    for (let i = 0; i < 30; i++) after.push(await call(gateway, i % 2 === 0 ? 'GET' : 'POST'));
    expect(after.map((outcome) => outcome.status)).toEqual(Array<number>(30).fill(200));
    expect(after.every((outcome) => outcome.server === 'b')).toBe(true);
    // A request sent to the frozen replica would wait the whole timeout.
    expect(max(after.map((outcome) => outcome.ms))).toBeLessThan(timeoutMs);

    const resumedAt = performance.now();
    const back = logs.next(restored, a.url);
    a.resume();
    expect(await back).toMatchObject({ level: 30, how: 'readiness check' });
    const returnMs = performance.now() - resumedAt;
    const served = new Set<string | undefined>();
    for (let i = 0; i < 4; i++) served.add((await call(gateway)).server);
    expect(served).toEqual(new Set(['a', 'b']));
    expect(await healthyReplicas(gateway)).toBe(2);
    console.log(
      `[SIGSTOP] requests that hit the frozen replica before ejection: ${timedOut.length} (504 after ${timeoutMs} ms each); ` +
        `after ejection ${after.length} requests, all 200, median ${median(after.map((o) => o.ms)).toFixed(1)} ms, max ${max(after.map((o) => o.ms)).toFixed(1)} ms; ` +
        `back in rotation ${returnMs.toFixed(0)} ms after SIGCONT`,
    );
  });
});

describe('a replica whose process died (port closed)', () => {
  it('is ejected after 3 refused connections with no request failing, and returns when restarted on its port', async () => {
    const [a, b] = await Promise.all([replicaProcess('a'), replicaProcess('b')]);
    const logs = capturedLogger();
    const gateway = await proxyGateway([a.url, b.url], {
      logger: logs.logger,
      health: { ejectAfterFailures: 3, ejectBaseMs: 200, ejectMaxMs: 800, checkIntervalMs: 0 },
    });
    await a.kill();
    const ejection = logs.next(ejected, a.url);
    const outcomes: Outcome[] = [];
    for (let i = 0; i < 20; i++) outcomes.push(await call(gateway, i % 2 === 0 ? 'POST' : 'GET'));
    expect(await ejection).toMatchObject({ reason: 'ECONNREFUSED', failures: 3 });
    expect(outcomes.map((outcome) => outcome.server)).toEqual(Array<string>(20).fill('b'));
    const refused = await metric(gateway, /gateway_upstream_failures_total\{[^}]*kind="unreachable"[^}]*\} (\d+)/);
    expect(refused).toBe(3);

    const back = logs.next(restored, a.url);
    await replicaProcess('a', a.port);
    const listeningAt = performance.now();
    await back;
    // From the moment it listened (the process takes a while to start on a busy machine).
    const returnMs = performance.now() - listeningAt;
    const served = new Set<string | undefined>();
    for (let i = 0; i < 4; i++) served.add((await call(gateway)).server);
    expect(served).toEqual(new Set(['a', 'b']));
    console.log(`[port closed] connection attempts to the dead replica before ejection: ${refused} (each retried on b, 0 failed requests); back in rotation ${returnMs.toFixed(0)} ms after it listened again (checks every ≤ 800 ms)`);
  });
});

describe('active readiness checks', () => {
  let ready = true;
  let server: Server;
  let url: string;

  beforeAll(async () => {
    server = createServer((request, response) => {
      request.resume();
      const isReadiness = request.url === '/readyz';
      response.writeHead(isReadiness && !ready ? 503 : 200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(isReadiness ? { ready } : { server: 'flaky' }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('take out a replica that turns unready, longer each time in a row, and bring it back when ready', async () => {
    const steady = await replicaProcess('steady');
    const logs = capturedLogger();
    const gateway = await proxyGateway([url, steady.url], { logger: logs.logger, health: { ejectBaseMs: 200, ejectMaxMs: 5000, checkIntervalMs: 50 } });

    ready = false;
    const first = await logs.next(ejected, url);
    expect(first).toMatchObject({ reason: '/readyz answered 503', ejectedForMs: 200 });
    const outcomes: Outcome[] = [];
    for (let i = 0; i < 10; i++) outcomes.push(await call(gateway));
    expect(outcomes.map((outcome) => outcome.server)).toEqual(Array<string>(10).fill('steady'));

    const back = logs.next(restored, url);
    ready = true;
    expect(await back).toMatchObject({ how: 'readiness check' });
    // Unready again before it answered a request: the second ejection lasts longer (twice as long,
    // or more if a check found it still unready in between).
    const again = logs.next(ejected, url);
    ready = false;
    expect((await again).ejectedForMs).toBeGreaterThanOrEqual(400);
    const restoredAgain = logs.next(restored, url);
    ready = true;
    await restoredAgain;
    const served = new Set<string | undefined>();
    for (let i = 0; i < 4; i++) served.add((await call(gateway)).server);
    expect(served).toEqual(new Set(['flaky', 'steady']));
    expect(await ejections(gateway)).toBe(2);
  });

  it('still send requests to a service whose every replica says it is unready, and keep it out until it is ready', async () => {
    const logs = capturedLogger();
    const gateway = await proxyGateway([url], { logger: logs.logger, health: { ejectBaseMs: 100, ejectMaxMs: 100, checkIntervalMs: 50 } });
    ready = false;
    await logs.next(ejected, url);
    for (let i = 0; i < 5; i++) expect((await call(gateway)).server).toBe('flaky');
    // Answering requests does not bring back a replica that says it is not ready.
    expect(await healthyReplicas(gateway)).toBe(0);
    const back = logs.next(restored, url);
    ready = true;
    expect(await back).toMatchObject({ how: 'readiness check' });
    expect(await healthyReplicas(gateway)).toBe(1);
  });
});

describe('when every replica is out of rotation', () => {
  it('still tries them all (fail open): a replica that comes back answers at once', async () => {
    const ports = [await closedPort(), await closedPort()];
    const logs = capturedLogger();
    const gateway = await proxyGateway(
      ports.map((port) => `http://127.0.0.1:${port}`),
      { logger: logs.logger, health: { ejectAfterFailures: 2, ejectBaseMs: 60_000, ejectMaxMs: 60_000, checkIntervalMs: 0 } },
    );
    for (let i = 0; i < 3; i++) {
      const response = await gateway.app.inject({ url: '/api/v1/alpha/things' });
      expect(response.statusCode).toBe(503);
      expect(response.json().code).toBe('SERVICE_UNAVAILABLE');
    }
    expect(await healthyReplicas(gateway)).toBe(0);

    const revived = await startEchoServer('revived', { port: ports[1] });
    try {
      const back = logs.next(restored, revived.url);
      const response = await gateway.app.inject({ url: '/api/v1/alpha/things' });
      expect(response.statusCode).toBe(200);
      expect(response.json().server).toBe('revived');
      expect(await back).toMatchObject({ how: 'answered a request' });
      expect(await healthyReplicas(gateway)).toBe(1);
    } finally {
      await revived.close();
    }
  });
});

describe('the order replicas are tried in', () => {
  it('round-robins evenly over the replicas in rotation, and over all of them when none is', () => {
    const replicas = ['a', 'b', 'c'].map((name) => ({ name, inRotation: name !== 'b' }));
    const first = (start: number) => candidates(replicas, start)[0]?.name;
    const firsts = Array.from({ length: 12 }, (_, start) => first(start));
    expect(firsts.filter((name) => name === 'a')).toHaveLength(6);
    expect(firsts.filter((name) => name === 'c')).toHaveLength(6);
    expect(candidates(replicas, 1).map((replica) => replica.name)).toEqual(['c', 'a']);
    const allOut = replicas.map((replica) => ({ ...replica, inRotation: false }));
    expect(candidates(allOut, 4).map((replica) => replica.name)).toEqual(['b', 'c', 'a']);
  });
});
