import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { requestTimeoutHeader } from '@timeslot/ports';
import { registerProxy, type ProxyRoute, type RegisterProxyOptions } from '../src';
import { upstreamDeadlineMs } from '../src/proxy';
import { buildGateway, closedPort, createTestKeys, silentLogger, startEchoServer, type EchoReply, type EchoServer, type TestGateway, type TestKeys } from './helpers';

let keys: TestKeys;
let replica: EchoServer;
const gateways: TestGateway[] = [];

beforeAll(async () => {
  keys = await createTestKeys();
  replica = await startEchoServer('alpha-1');
});

afterAll(async () => {
  await replica.close();
});

afterEach(async () => {
  await Promise.all(gateways.splice(0).map((gateway) => gateway.close()));
  replica.received.length = 0;
});

async function proxyGateway(routes: readonly ProxyRoute[], proxy: Partial<RegisterProxyOptions> = {}): Promise<TestGateway> {
  const gateway = await buildGateway(keys, {}, { routes: (app) => registerProxy(app, { routes, logger: silentLogger, ...proxy }) });
  gateways.push(gateway);
  return gateway;
}

const deadlineSeen = (response: { json: () => EchoReply }) => Number(response.json().headers[requestTimeoutHeader]);

describe('the caller’s deadline, carried upstream in x-request-timeout-ms', () => {
  it('leaves a margin of a tenth of the remaining wait, at most a second', () => {
    expect(upstreamDeadlineMs(10_000)).toBe(9000);
    expect(upstreamDeadlineMs(30_000)).toBe(29_000);
    expect(upstreamDeadlineMs(2000)).toBe(1800);
    expect(upstreamDeadlineMs(5)).toBe(4);
    expect(upstreamDeadlineMs(0)).toBe(1);
  });

  it('is set on every upstream request from the gateway’s own timeout', async () => {
    const { app } = await proxyGateway([{ service: 'alpha', prefix: '/api/v1/alpha', upstreams: [replica.url] }], { timeoutMs: 10_000 });
    const seen = deadlineSeen(await app.inject({ url: '/api/v1/alpha/things' }));
    expect(seen).toBeLessThanOrEqual(9000);
    // Generous: only the time between the gateway's timer and the attempt is lost.
    expect(seen).toBeGreaterThan(8000);
    expect(deadlineSeen(await app.inject({ method: 'POST', url: '/api/v1/alpha/things', payload: 'x', headers: { 'content-type': 'text/plain' } }))).toBeGreaterThan(8000);
  });

  it('lets a client shorten it, never lengthen it, and ignores what is not a number of milliseconds', async () => {
    const { app } = await proxyGateway([{ service: 'alpha', prefix: '/api/v1/alpha', upstreams: [replica.url] }], { timeoutMs: 10_000 });
    const send = async (value: string) => deadlineSeen(await app.inject({ url: '/api/v1/alpha/things', headers: { [requestTimeoutHeader]: value } }));

    const shortened = await send('2000');
    expect(shortened).toBeLessThanOrEqual(1800);
    expect(shortened).toBeGreaterThan(1000);
    for (const value of ['999999999', '60000']) expect(await send(value), value).toBeLessThanOrEqual(9000);
    for (const value of ['abc', '-5', '0', '1e3', '1.5', '', '100, 99999']) {
      const seen = await send(value);
      expect(seen, JSON.stringify(value)).toBeLessThanOrEqual(9000);
      expect(seen, JSON.stringify(value)).toBeGreaterThan(8000);
    }
  });

  it('answers 504 when a client’s shorter deadline passes, without holding it against the replica', async () => {
    const { app } = await proxyGateway([{ service: 'alpha', prefix: '/api/v1/alpha', upstreams: [replica.url] }], {
      timeoutMs: 10_000,
      health: { ejectAfterFailures: 1 },
    });
    const started = Date.now();
    const response = await app.inject({ url: '/api/v1/alpha/things?delayMs=3000', headers: { [requestTimeoutHeader]: '200' } });
    expect(response.statusCode).toBe(504);
    expect(response.json().code).toBe('UPSTREAM_TIMEOUT');
    expect(Date.now() - started).toBeLessThan(2500);
    const metrics = (await app.inject({ url: '/metrics' })).body;
    expect(metrics).toMatch(/gateway_upstream_healthy_replicas\{[^}]*service="alpha"[^}]*\} 1/);
    expect(metrics).not.toMatch(/gateway_upstream_ejections_total\{[^}]*service="alpha"/);
  });

  it('is recomputed for the next replica after one refused the connection', async () => {
    const dead = `http://127.0.0.1:${await closedPort()}`;
    const { app } = await proxyGateway([{ service: 'alpha', prefix: '/api/v1/alpha', upstreams: [dead, replica.url] }], { timeoutMs: 5000 });
    const response = await app.inject({ method: 'POST', url: '/api/v1/alpha/things', payload: 'x', headers: { 'content-type': 'text/plain' } });
    expect(response.json().server).toBe('alpha-1');
    expect(deadlineSeen(response)).toBeLessThanOrEqual(4500);
    expect(deadlineSeen(response)).toBeGreaterThan(3500);
  });
});
