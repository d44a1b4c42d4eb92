import { randomBytes } from 'node:crypto';
import { Pool } from 'undici';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, startTimeslot, testServers, type RunningProcess } from '@timeslot/testing';

/*
 * Issue 8 item 3: SIGTERM on a gateway under keep-alive load. A real `timeslot start` (a
 * gateway-only distributed process), an undici Pool with many keep-alive connections sending
 * without pause, SIGTERM in the middle. Every request must get its answer or a 503 with
 * `Connection: close` (a client then goes elsewhere); no socket may be reset under a request.
 * A client here does what a load-balanced one would: after a 503 it stops sending to this server.
 */

let server: RunningProcess | undefined;

afterAll(async () => {
  await server?.stop();
});

interface Tally {
  ok: number;
  turnedAway: number;
  turnedAwayWithoutClose: number;
  other: number;
  errors: string[];
}

describe('SIGTERM under keep-alive load', () => {
  it('resets no connection: every request is answered, or refused with 503 and Connection: close', async () => {
    const port = await freePort();
    server = await startTimeslot(
      ['start', '--services', 'gateway'],
      {
        REDIS_URL: testServers.redis,
        NAMESPACE: `drain-${randomBytes(4).toString('hex')}`,
        // Never asked: no request here needs a token or an upstream.
        IDENTITY_URL: 'http://127.0.0.1:9',
        RATE_LIMIT_IP_PER_SECOND: '1000000',
        SHUTDOWN_DRAIN_MS: '1000',
      },
      { port, timeoutMs: 60_000 },
    );
    const pool = new Pool(server.url, { connections: 64, pipelining: 1 });
    const tally: Tally = { ok: 0, turnedAway: 0, turnedAwayWithoutClose: 0, other: 0, errors: [] };
    let signalled = false;
    let okAfterSignal = 0;

    const worker = async (): Promise<void> => {
      for (;;) {
        try {
          const res = await pool.request({ method: 'GET', path: '/metrics' });
          await res.body.text();
          if (res.statusCode === 200) {
            tally.ok += 1;
            if (signalled) okAfterSignal += 1;
          } else if (res.statusCode === 503) {
            tally.turnedAway += 1;
            if (res.headers.connection !== 'close') tally.turnedAwayWithoutClose += 1;
            return;
          } else {
            tally.other += 1;
          }
        } catch (error) {
          const code = (error as { code?: string }).code ?? (error as Error).message;
          tally.errors.push(String(code));
          return;
        }
      }
    };

    const workers = Array.from({ length: 48 }, () => worker());
    // Load until every connection has been opened and reused a good many times.
    while (tally.ok < 3_000 && tally.errors.length === 0) await new Promise((resolve) => setTimeout(resolve, 20));
    const okBeforeSignal = tally.ok;
    const signalledAt = performance.now();
    signalled = true;
    const exited = server.stop();
    await Promise.all(workers);
    const allDoneMs = Math.round(performance.now() - signalledAt);
    const exitCode = await exited;
    const exitMs = Math.round(performance.now() - signalledAt);
    await pool.close();

    console.log(
      [
        'SIGTERM drain figures (48 workers, undici Pool of 64 keep-alive connections, GET /metrics):',
        `  answered 200: ${tally.ok} (${okBeforeSignal} before SIGTERM, ${okAfterSignal} after)`,
        `  503 + Connection: close: ${tally.turnedAway} (without close: ${tally.turnedAwayWithoutClose})`,
        `  other statuses: ${tally.other}`,
        `  socket errors: ${tally.errors.length} ${JSON.stringify([...new Set(tally.errors)])}`,
        `  every worker done ${allDoneMs} ms after SIGTERM; process exited ${exitMs} ms after, code ${exitCode}`,
      ].join('\n'),
    );
    expect(tally.errors).toEqual([]);
    expect(tally.turnedAwayWithoutClose).toBe(0);
    expect(tally.other).toBe(0);
    expect(tally.turnedAway).toBe(48);
    expect(exitCode).toBe(0);
  }, 120_000);
});
