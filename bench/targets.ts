/**
 * One run of the issue-12 table: every row next to its baseline, both measured in this run, on
 * processes started for this run and stopped at its end. Timeslot processes run at the default log
 * level (info), their output read and counted by the bench (bench/lib.ts drainLog).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { hash } from '@node-rs/argon2';
import { cleanups, connections, distributedEnv, duration, everyRequest, load, measureLoop, paced, scoped, session, start, startHello, startScript, type Result } from './lib';
import { bookHundred, bookingRequests, distinctBookings, rawInsertBaseline, setUp } from './scheduling';
import { copyPgliteDir, pgliteAlone, timeslotStart } from './startup';
import { loadMeasure, row, type Row } from './table';

const info = { LOG_LEVEL: 'info' };
const cores = availableParallelism();
/** Login load: two connections a core keep every core hashing while answers travel. */
const loginConnections = 2 * cores;
/** "No request starved" for the 50-client embedded booking row: nothing slower than this. */
const starvedAfterMs = 1000;

/** The raw Argon2id hash rate with the production parameters (@node-rs/argon2), one hash a core at once, no HTTP. */
export function argonBaseline(): Promise<Result> {
  return measureLoop(`@node-rs/argon2 hash, ${cores} at once, no HTTP`, 'hashes', cores, async () => {
    await hash('benchmark password', { algorithm: 2 /* Argon2id: a const enum, not importable one module at a time */, memoryCost: 19456, timeCost: 2, parallelism: 1 });
  });
}

async function dataDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'timeslot-bench-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/**
 * Embedded, on one data directory: cached 31-day slots at a steady 1,000 req/s on a server started
 * for it (the first load after a start: the issue saw p99 152 ms there); that server stopped and
 * started again, for start-up and idle memory, each next to PGlite alone on a copy of the
 * directory; then on the restarted server the read next to hello-world, login next to the raw
 * hash rate, and booking with 50 clients.
 */
async function embedded(pgliteOpen: string): Promise<Row[]> {
  const dir = await dataDir();
  const first = await start(['start'], { ...info, DATA_DIR: dir });
  const setup = await setUp(first.url);
  await bookHundred(setup);
  const slotsPath = setup.slotsPath(setup.tomorrow);
  const slots = await paced('GET 31-day slots, cached, steady 1000 req/s, fresh server (embedded)', { url: `${first.url}${slotsPath}`, rate: 1000 });
  await first.stop();

  const alone = await pgliteAlone(pgliteOpen, await copyPgliteDir(dir));
  const started = await timeslotStart(dir, [...Array.from({ length: 5 }, () => '/healthz'), ...Array.from({ length: 5 }, () => slotsPath)]);
  process.stderr.write(`embedded start: ${started.startMs} ms (PGlite alone ${alone.startMs} ms); idle RSS ${started.rssMb} MB (PGlite alone ${alone.rssMb} MB)\n`);

  const { server } = started;
  const hello = await startHello();
  const { token } = await session(server.url, 'me-embedded@example.com');
  const helloResult = await load('hello-world', { url: `${hello}/hello` });
  const logged = server.logBytes();
  const me = await load('GET /users/me (embedded)', { url: `${server.url}/api/v1/users/me`, headers: { authorization: `Bearer ${token}` } });
  // The read is measured at the info level: make sure the lines were really written.
  // (Roughly a request's share: the rate times the warm-up second and the run.)
  const perRequest = (server.logBytes() - logged) / Math.max(1, me.requestsPerSecond * (1 + duration));
  process.stderr.write(`  log written during the read: ~${Math.round(perRequest)} bytes a request\n`);

  const raw = await argonBaseline();
  const login = await load(`POST /auth/login, ${loginConnections} connections (embedded)`, {
    url: `${server.url}/api/v1/auth/login`,
    method: 'POST',
    connections: loginConnections,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'me-embedded@example.com', password: 'benchmark password' }),
  });
  // Last on this server: the bookings leave work behind (their events, notifications) that holds up
  // whatever comes next; a single login took ~10 s right after them on this 2-core machine.
  const bookings = await everyRequest('POST /bookings, distinct slots, 50 clients (embedded)', { url: server.url, connections: 50, next: bookingRequests(await setUp(server.url)) });

  return [
    row('embedded-read', me.scenario, loadMeasure(me), { kind: 'ratio', atLeast: 0.4 }, { name: 'hello-world', amount: helloResult.requestsPerSecond, unit: 'req/s' }),
    row('embedded-booking-50', bookings.scenario, loadMeasure(bookings), { kind: 'latency', p99AtMost: 250, maxAtMost: starvedAfterMs }),
    row('login', login.scenario, loadMeasure(login), { kind: 'ratio', atLeast: 0.85 }, { name: 'argon2id raw', amount: raw.requestsPerSecond, unit: 'hashes/s' }),
    row('embedded-start', 'embedded start on an existing data directory, spawn to first 200 /healthz', { kind: 'amount', amount: started.startMs, unit: 'ms' }, { kind: 'over', atMost: 1000 }, {
      name: 'PGlite open + select 1',
      amount: alone.startMs,
      unit: 'ms',
    }),
    row('embedded-memory', 'embedded idle memory (RSS after a few requests, 3 s idle)', { kind: 'amount', amount: started.rssMb, unit: 'MB' }, { kind: 'over', atMost: 120 }, {
      name: 'PGlite open, idle',
      amount: alone.rssMb,
      unit: 'MB',
    }),
    row('slots-steady', slots.scenario, loadMeasure(slots), { kind: 'latency', p99AtMost: 50, everyRun: true }),
  ];
}

/**
 * A gateway process in front of identity and scheduling processes (PostgreSQL, Redis, RabbitMQ):
 * the read next to a bare proxy in front of the same identity process, booking next to the raw insert.
 */
async function distributed(): Promise<Row[]> {
  const env = { ...(await distributedEnv()), ...info };
  const identity = await start(['start', '--services', 'identity'], env);
  const scheduling = await start(['start', '--services', 'scheduling'], { ...env, IDENTITY_URL: identity.url });
  const gateway = await start(['start', '--services', 'gateway'], { ...env, UPSTREAMS: `identity=${identity.url};scheduling=${scheduling.url}`, IDENTITY_URL: identity.url });
  const proxy = await startScript('proxy.ts', identity.url);
  const { token } = await session(gateway.url, 'me-distributed@example.com');
  const me = { headers: { authorization: `Bearer ${token}` } };
  const bare = await load('GET /users/me via bare proxy (distributed)', { url: `${proxy}/api/v1/users/me`, ...me });
  const read = await load('GET /users/me via gateway (distributed)', { url: `${gateway.url}/api/v1/users/me`, ...me });
  const bookings = await load('POST /bookings, distinct slots (distributed)', distinctBookings(await setUp(gateway.url)));
  // Last: inserting flat out leaves PostgreSQL autovacuum and checkpoint work for whatever runs next.
  const raw = await rawInsertBaseline();
  return [
    row('distributed-read', read.scenario, loadMeasure(read), { kind: 'ratio', atLeast: 0.8 }, { name: 'reply-from proxy', amount: bare.requestsPerSecond, unit: 'req/s' }),
    row('distributed-booking', bookings.scenario, loadMeasure(bookings), { kind: 'ratio', atLeast: 0.6 }, { name: `raw insert ×${connections}`, amount: raw.requestsPerSecond, unit: 'inserts/s' }),
  ];
}

/** One full run: every row of the table, in the table's order. */
export async function tableRun(pgliteOpen: string): Promise<Row[]> {
  // Embedded first: its steady slot run and start-up want a quiet machine, the saturating loads come after.
  const local = await scoped(() => embedded(pgliteOpen));
  const remote = await scoped(distributed);
  const byId = new Map([...local, ...remote].map((r) => [r.id, r]));
  return order.map((id) => byId.get(id)!);
}

const order = ['embedded-read', 'distributed-read', 'distributed-booking', 'embedded-booking-50', 'login', 'embedded-start', 'embedded-memory', 'slots-steady'];
