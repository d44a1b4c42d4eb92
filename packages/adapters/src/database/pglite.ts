import { AsyncResource } from 'node:async_hooks';
import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { PGlite, types } from '@electric-sql/pglite';
import { btree_gist } from '@electric-sql/pglite/contrib/btree_gist';
import { drizzle } from 'drizzle-orm/pglite';
import type { Database } from '@timeslot/ports';
import { isBackground } from './priority';

export interface PgliteDatabaseOptions {
  /** Directory holding the database files; undefined keeps everything in memory (tests). */
  readonly dataDir?: string;
}

/** The share of PGlite's time background work keeps while requests keep it busy (see `createTurns`). */
const BACKGROUND_SHARE = 0.1;

/**
 * Runs PGlite's work one statement (or transaction) at a time, each starting on a turn of the
 * event loop of its own: requests' work in the order asked; background work (`inBackground`) when
 * no request waits, and otherwise as much as keeps its time to `backgroundShare` of the total.
 *
 * PGlite answers synchronously under its promises: a queue of statements waiting on its lock runs
 * back to back within one drain of the microtask queue, and until that queue is empty Node reads
 * no socket, so it neither accepts a connection nor parses a request. Under load the requests
 * already in the process kept the lock passing among themselves while those that had just arrived
 * waited for whole drains (seconds, at 50 concurrent bookings). Starting every turn from
 * `setImmediate` lets the event loop poll between two turns, so a new request's statements join
 * the queue in arrival order.
 *
 * Background work (the outbox relay and the in-process consumers of its events: notifications,
 * emails, meetings) costs several times a booking's own statement, and a consumer's transaction
 * holds the connection while it renders its messages; in one FIFO every request waited behind the
 * consumers of the requests before it. Served after requests, it falls behind during a burst and
 * catches up after; its guaranteed share keeps it moving meanwhile.
 */
function createTurns(backgroundShare: number): <T>(work: () => Promise<T>) => Promise<T> {
  const foreground: (() => void)[] = [];
  const queuedBackground: (() => void)[] = [];
  let busy = false;
  // While requests wait, the next background turn is owed no earlier than this.
  let backgroundOwedAt = 0;

  function next(): void {
    if (foreground.length === 0 && queuedBackground.length === 0) {
      busy = false;
      return;
    }
    busy = true;
    setImmediate(() => {
      const takeBackground = queuedBackground.length > 0 && (foreground.length === 0 || performance.now() >= backgroundOwedAt);
      const start = takeBackground ? queuedBackground.shift() : foreground.shift();
      start?.();
    });
  }

  return <T>(work: () => Promise<T>): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      // In the caller's async context, not the one of the turn that happened to end before it.
      const run = AsyncResource.bind(async () => work());
      const background = isBackground();
      (background ? queuedBackground : foreground).push(() => {
        const startedAt = performance.now();
        void run()
          .then(resolve, reject)
          .finally(() => {
            if (background) {
              const took = performance.now() - startedAt;
              backgroundOwedAt = performance.now() + (took * (1 - backgroundShare)) / backgroundShare;
            }
            next();
          });
      });
      if (!busy) next();
    });
}

/**
 * The embedded Database adapter: PostgreSQL compiled to WebAssembly, in this process.
 *
 * PGlite is a single connection. Its `transaction()` holds an exclusive lock that every other
 * `query()`/`exec()` also waits on, and drizzle's PGlite session opens transactions through it, so
 * concurrent `db.transaction()` calls run one after the other instead of interleaving statements
 * on the one session. The flip side: inside a transaction callback use only `tx`; a statement sent
 * through `database.db` or `database.query()` from inside it waits for the lock it is holding, forever.
 */
export async function createPgliteDatabase(options: PgliteDatabaseOptions = {}): Promise<Database> {
  let dataDir: string | undefined;
  if (options.dataDir !== undefined) {
    dataDir = resolve(options.dataDir);
    // PGlite creates the directory itself but not its parents (`data/` on a fresh checkout).
    await mkdir(dataDir, { recursive: true });
  }
  const client = await PGlite.create({
    ...(dataDir === undefined ? {} : { dataDir }),
    // node-postgres returns int8 as a string (it may not fit a JS number); do the same here so rows
    // from `query()` look alike on both adapters. int8[] follows, as array parsers wrap these.
    parsers: { [types.INT8]: (value: string) => value },
    // Exclusion constraints mixing equality and ranges (no double booking) need btree_gist, which
    // a PostgreSQL server ships as a contrib extension; PGlite loads it as a module.
    extensions: { btree_gist },
  });
  const inTurn = createTurns(BACKGROUND_SHARE);
  // What drizzle's PGlite session calls (query, and transaction for `db.transaction()`), each in a
  // turn of its own; the transaction's own statements go through its `tx` and need none.
  const shared = {
    query: (...args: Parameters<PGlite['query']>) => inTurn(() => client.query(...args)),
    transaction: (...args: Parameters<PGlite['transaction']>) => inTurn(() => client.transaction(...args)),
  };
  const db = drizzle({ client: shared as unknown as PGlite });
  let closing: Promise<void> | undefined;

  return {
    kind: 'pglite',
    db,
    async query<Row = Record<string, unknown>>(text: string, params: readonly unknown[] = []): Promise<Row[]> {
      const result = await inTurn(() => client.query<Row>(text, [...params]));
      return result.rows;
    },
    async ping(): Promise<void> {
      await inTurn(() => client.query('select 1'));
    },
    close(): Promise<void> {
      closing ??= client.close();
      return closing;
    },
  };
}
