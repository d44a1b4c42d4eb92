import { sql, type SQL } from 'drizzle-orm';
import { Gauge, type Registry } from 'prom-client';
import { eventEnvelopeSchema, withTimeout } from '@timeslot/ports';
import type { Database, Db, EventBus, EventEnvelope, Migration } from '@timeslot/ports';
import { executeRows } from './migrate';
import { inBackground } from './priority';

/**
 * The outbox and inbox tables, schema-relative: `migrate` runs it with `search_path` set to the
 * service's schema. `seq` breaks ties between rows of one transaction, which share `now()`, so
 * events leave in the order they were appended.
 */
export const outboxMigrationSql = `
create table outbox (
  id uuid primary key,
  seq bigint generated always as identity,
  type text not null,
  version int not null,
  payload jsonb not null,
  created_at timestamptz not null default now(),
  sent_at timestamptz null,
  attempts int not null default 0,
  last_error text
);
create index outbox_unsent_idx on outbox (created_at, seq) where sent_at is null;

create table inbox (
  consumer text not null,
  event_id uuid not null,
  handled_at timestamptz not null default now(),
  primary key (consumer, event_id)
);
`;

/** The tables alone; services list `outboxMigrations`, which include it. */
export const outboxMigration: Migration = { id: '0000_outbox', sql: outboxMigrationSql };

/**
 * Indexes for the relay's prune (see `retentionMs`): without them each batch of the hourly delete
 * scans the table from the start, past the dead rows the previous batches left.
 */
export const outboxRetentionMigration: Migration = {
  id: '0000_outbox_retention',
  sql: `
create index outbox_sent_idx on outbox (sent_at) where sent_at is not null;
create index inbox_handled_idx on inbox (handled_at);
`,
};

/** List them first among a service's migrations: `[...outboxMigrations, ...await loadMigrations(dir)]`. */
export const outboxMigrations: readonly Migration[] = [outboxMigration, outboxRetentionMigration];

function table(schema: string, name: 'outbox' | 'inbox'): SQL {
  return sql`${sql.identifier(schema)}.${sql.identifier(name)}`;
}

/**
 * Records events in the caller's transaction, so they exist exactly when the state change they
 * announce does. The relay publishes them after commit.
 */
export async function appendToOutbox(tx: Db, schema: string, events: readonly EventEnvelope[]): Promise<void> {
  if (events.length === 0) return;
  const rows = events.map(outboxValues).map(([id, type, version, payload]) => sql`(${id}, ${type}, ${version}, ${payload}::jsonb)`);
  await tx.execute(sql`insert into ${table(schema, 'outbox')} (id, type, version, payload) values ${sql.join(rows, sql`, `)}`);
}

/**
 * The outbox columns (id, type, version, payload as JSON text) of an event, checked. For writers
 * that insert the row in a statement of their own, together with the change it announces (a
 * data-modifying CTE), instead of through `appendToOutbox`.
 */
export function outboxValues(event: EventEnvelope): [id: string, type: string, version: number, payload: string] {
  // A malformed envelope would be published to every consumer and rejected by each: refuse it
  // here, where it fails the request that made it instead.
  const checked = eventEnvelopeSchema.safeParse(event);
  if (!checked.success) throw new Error(`Refusing to append a malformed event to the outbox: ${checked.error.message}`);
  return [event.id, event.type, event.version, JSON.stringify(event)];
}

export interface OutboxRelayOptions {
  readonly database: Database;
  readonly schema: string;
  readonly bus: EventBus;
  /** Rows published per pass (default 100). */
  readonly batchSize?: number;
  /** Time between passes when nothing calls `notify()` (default 1000). */
  readonly pollIntervalMs?: number;
  /**
   * How long sent outbox rows and inbox rows are kept (default 7 days). Deleting an inbox row
   * forgets that its event was handled: a redelivery of that event arriving later would be handled
   * again. So this must exceed the broker's longest redelivery delay (RabbitMQ retries here are
   * seconds to minutes; a message parked for longer than this and then replayed is handled twice).
   */
  readonly retentionMs?: number;
  /** Time between prunes while started (default 1 hour); the first runs right after `start()`. */
  readonly pruneIntervalMs?: number;
  /** Rows deleted per statement when pruning (default 1000). */
  readonly pruneBatchSize?: number;
  readonly logger?: { error(obj: object, msg: string): void };
}

export interface OutboxRelay {
  /** Poll for unsent rows until `stop()`. */
  start(): void;
  /** Run a pass soon; call it after committing a transaction that appended events. */
  notify(): void;
  /** Run passes until nothing is left to send; resolves with the rows sent, rejects if publishing fails. */
  flush(): Promise<number>;
  /**
   * Delete sent outbox rows and inbox rows older than the retention, now; resolves with the rows
   * deleted from each. Runs on its own every `pruneIntervalMs` while started.
   */
  prune(): Promise<{ outbox: number; inbox: number }>;
  /** Age in seconds of the oldest unsent row (0 when none): how far behind the broker is. */
  lagSeconds(): Promise<number>;
  /** Stop polling and pruning, and wait for a running pass and prune. */
  stop(): Promise<void>;
}

const MAX_BACKOFF_MS = 30_000;
const HOUR_MS = 3_600_000;

const stderrLogger = {
  error(obj: object, msg: string): void {
    console.error(msg, obj);
  },
};

/**
 * One pass at a time per database and schema on PGlite: there a pass runs outside a transaction
 * (see `createOutboxRelay`), so two relays of one process would otherwise pick the same rows.
 * On PostgreSQL each relay only takes turns with itself; row locks share the work between them.
 */
const pgliteTurns = new WeakMap<Database, Map<string, { last: Promise<unknown> }>>();

function turnFor(database: Database, schema: string): { last: Promise<unknown> } {
  if (database.kind !== 'pglite') return { last: Promise.resolve() };
  let bySchema = pgliteTurns.get(database);
  if (bySchema === undefined) {
    bySchema = new Map();
    pgliteTurns.set(database, bySchema);
  }
  let turn = bySchema.get(schema);
  if (turn === undefined) {
    turn = { last: Promise.resolve() };
    bySchema.set(schema, turn);
  }
  return turn;
}

/**
 * Publishes outbox rows and marks them sent, at least once: a crash after publishing and before
 * marking publishes the rows again on restart, and consumers dedupe with `handleOnce`.
 *
 * On PostgreSQL a pass selects a batch `for update skip locked`, publishes it and marks it sent in
 * one transaction, so replicas share the rows and none publishes a row another is publishing.
 * PGlite is one connection whose transactions lock out every other statement of the process: a
 * pass held open across `bus.publish` would stall all requests meanwhile, and deadlock if the
 * bus waits for a subscriber that writes. There, the same statements run one by one instead, and
 * passes take turns in-process (PGlite is never shared between processes).
 */
export function createOutboxRelay(options: OutboxRelayOptions): OutboxRelay {
  const { database, schema, bus } = options;
  const batchSize = options.batchSize ?? 100;
  const pollIntervalMs = options.pollIntervalMs ?? 1000;
  const logger = options.logger ?? stderrLogger;
  const retentionMs = options.retentionMs ?? 7 * 24 * HOUR_MS;
  const pruneIntervalMs = options.pruneIntervalMs ?? HOUR_MS;
  const pruneBatchSize = options.pruneBatchSize ?? 1000;
  const outbox = table(schema, 'outbox');
  const inbox = table(schema, 'inbox');
  const turn = turnFor(database, schema);
  const inTurn = <T>(fn: () => Promise<T>): Promise<T> => {
    const result = turn.last.then(fn, fn);
    turn.last = result.catch(() => undefined);
    return result;
  };
  // On PGlite, passes and prunes give way to requests, and so do the in-process deliveries of what
  // a pass publishes (see `inBackground`); a pool has no queue to order.
  const asBackground = <T>(work: () => Promise<T>): Promise<T> => (database.kind === 'pglite' ? inBackground(work) : work());
  const inPass = <T>(work: (db: Db) => Promise<T>): Promise<T> =>
    database.kind === 'postgres' ? database.db.transaction((tx) => work(tx)) : work(database.db);

  async function pass(): Promise<number> {
    let batch: { id: string; payload: EventEnvelope }[] = [];
    try {
      return await inPass(async (db) => {
        batch = await executeRows(
          db,
          sql`select id, payload from ${outbox} where sent_at is null order by created_at, seq limit ${batchSize} for update skip locked`,
        );
        if (batch.length === 0) return 0;
        await bus.publish(batch.map((row) => row.payload));
        const ids = sql.join(batch.map((row) => sql`${row.id}`), sql`, `);
        await db.execute(sql`update ${outbox} set sent_at = now(), attempts = attempts + 1 where id in (${ids})`);
        return batch.length;
      });
    } catch (error) {
      if (batch.length > 0) await recordFailure(batch.map((row) => row.id), error);
      throw error;
    }
  }

  // Outside the pass's transaction: on PostgreSQL it rolls back, and the record would go with it.
  async function recordFailure(ids: string[], error: unknown): Promise<void> {
    const message = (error instanceof Error ? error.message : String(error)).slice(0, 1000);
    try {
      const list = sql.join(ids.map((id) => sql`${id}`), sql`, `);
      await database.db.execute(sql`update ${outbox} set attempts = attempts + 1, last_error = ${message} where id in (${list})`);
    } catch (recordError) {
      logger.error({ err: recordError, schema }, 'outbox relay could not record a failed publish');
    }
  }

  async function drain(): Promise<number> {
    let sent = 0;
    for (;;) {
      const count = await inTurn(pass);
      sent += count;
      if (count < batchSize) return sent;
    }
  }

  /**
   * Deletes in statements of `pruneBatchSize` rows until one deletes fewer, so a large backlog is
   * many short transactions rather than one that holds its locks and WAL for minutes. `skip
   * locked` lets replicas pruning at once share the rows instead of queueing on each other's.
   */
  async function deleteInBatches(statement: SQL): Promise<number> {
    let deleted = 0;
    for (;;) {
      const rows = await executeRows(database.db, statement);
      deleted += rows.length;
      if (rows.length < pruneBatchSize) return deleted;
    }
  }

  // The database's clock, like the sent_at and handled_at it is compared with.
  const cutoff = sql`now() - make_interval(secs => ${retentionMs / 1000})`;

  async function pruneOnce(): Promise<{ outbox: number; inbox: number }> {
    // `sent_at < cutoff` is never true for an unsent row (null), so those are never deleted.
    const sent = await deleteInBatches(
      sql`delete from ${outbox} where id in (select id from ${outbox} where sent_at < ${cutoff} limit ${pruneBatchSize} for update skip locked) returning 1`,
    );
    // See `retentionMs`: a redelivery older than the retention would be handled again.
    const handled = await deleteInBatches(
      sql`delete from ${inbox} where (consumer, event_id) in (select consumer, event_id from ${inbox} where handled_at < ${cutoff} limit ${pruneBatchSize} for update skip locked) returning 1`,
    );
    return { outbox: sent, inbox: handled };
  }

  let pruning: Promise<void> = Promise.resolve();
  let pruneTimer: NodeJS.Timeout | undefined;

  function prune(): Promise<{ outbox: number; inbox: number }> {
    const run = pruneOnce();
    // Kept as one promise so stop() waits for every prune still running, called or scheduled.
    pruning = Promise.all([pruning, run.catch(() => undefined)]).then(() => undefined);
    return run;
  }

  function schedulePrune(delayMs: number): void {
    if (!started) return;
    clearTimeout(pruneTimer);
    pruneTimer = setTimeout(() => {
      pruneTimer = undefined;
      void asBackground(prune).then(
        () => schedulePrune(pruneIntervalMs),
        (error: unknown) => {
          logger.error({ err: error, schema }, 'outbox relay could not prune old rows; will retry');
          schedulePrune(pruneIntervalMs);
        },
      );
    }, delayMs);
    pruneTimer.unref();
  }

  let started = false;
  let timer: NodeJS.Timeout | undefined;
  let dueAt = Infinity;
  let failures = 0;
  let ticking: Promise<void> = Promise.resolve();
  let running = false;
  let rerun = false;
  // Set when the broker came back during a pass: that pass may still fail (it started before).
  let resumed = false;
  let stopListening: (() => void) | undefined;

  /** The broker is back: whatever backoff the outage built up, publish the backlog now. */
  function resume(): void {
    failures = 0;
    if (running) {
      rerun = true;
      resumed = true;
    } else {
      schedule(0);
    }
  }

  function schedule(delayMs: number): void {
    if (!started) return;
    const at = Date.now() + delayMs;
    if (timer !== undefined && dueAt <= at) return;
    clearTimeout(timer);
    dueAt = at;
    timer = setTimeout(() => {
      timer = undefined;
      dueAt = Infinity;
      // One pass at a time per relay: commits that land meanwhile are sent together by the pass
      // that follows, in one batch, rather than each by a small pass of its own.
      if (running) {
        rerun = true;
        return;
      }
      running = true;
      // Kept as one promise so stop() waits for every tick still running, not just the last.
      ticking = Promise.all([ticking, tick()]).then(() => undefined);
    }, delayMs);
    // The relay alone should not keep a process alive that is otherwise done.
    timer.unref();
  }

  async function tick(): Promise<void> {
    try {
      await asBackground(drain);
      failures = 0;
    } catch (error) {
      failures++;
      logger.error({ err: error, schema, failures }, 'outbox relay could not publish; will retry');
    }
    running = false;
    const again = rerun && (failures === 0 || resumed);
    rerun = false;
    resumed = false;
    schedule(again ? 0 : failures === 0 ? pollIntervalMs : Math.min(pollIntervalMs * 2 ** failures, Math.max(MAX_BACKOFF_MS, pollIntervalMs)));
  }

  return {
    start(): void {
      if (started) return;
      started = true;
      stopListening = bus.onReconnect?.(resume);
      schedule(0);
      schedulePrune(0);
    },
    notify(): void {
      // While backing off, a broker that just failed gets no extra traffic from each commit.
      if (failures === 0) schedule(0);
    },
    flush: drain,
    prune,
    async lagSeconds(): Promise<number> {
      // The partial index on unsent rows makes this one index probe however large the table.
      const [row] = await executeRows<{ age: number | string | null }>(
        database.db,
        sql`select extract(epoch from now() - min(created_at)) as age from ${outbox} where sent_at is null`,
      );
      return Math.max(0, Number(row?.age ?? 0));
    },
    async stop(): Promise<void> {
      started = false;
      stopListening?.();
      stopListening = undefined;
      clearTimeout(timer);
      timer = undefined;
      dueAt = Infinity;
      clearTimeout(pruneTimer);
      pruneTimer = undefined;
      await Promise.all([ticking, pruning]);
    },
  };
}

/**
 * Runs `work` once per (consumer, event): the inbox row and the work's writes commit together, so
 * a redelivered event returns false without running `work`, and a crash or error inside `work`
 * leaves no inbox row (the next delivery tries again). Concurrent deliveries of one event
 * serialise on the inbox's primary key. The relay prunes inbox rows older than its `retentionMs`:
 * a redelivery arriving after that runs `work` again.
 */
export async function handleOnce(
  database: Database,
  schema: string,
  consumer: string,
  eventId: string,
  work: (tx: Db) => Promise<void>,
): Promise<boolean> {
  return database.db.transaction(async (tx) => {
    const inserted = await executeRows(
      tx,
      sql`insert into ${table(schema, 'inbox')} (consumer, event_id) values (${consumer}, ${eventId}) on conflict do nothing returning event_id`,
    );
    if (inserted.length === 0) return false;
    await work(tx);
    return true;
  });
}

const lagSources = new WeakMap<Registry, Map<string, Pick<OutboxRelay, 'lagSeconds'>>>();
const LAG_QUERY_TIMEOUT_MS = 1000;

/**
 * Registers `outbox_oldest_unsent_age_seconds{outbox=<name>}` on `registry`, read from the
 * database at each scrape. It grows while the broker is away and falls to 0 once the backlog is
 * sent: alert on it staying above a few seconds. Safe to call again for the same registry.
 */
export function registerOutboxLagMetric(registry: Registry, name: string, relay: Pick<OutboxRelay, 'lagSeconds'>): void {
  let sources = lagSources.get(registry);
  if (sources === undefined) {
    const known = new Map<string, Pick<OutboxRelay, 'lagSeconds'>>();
    sources = known;
    lagSources.set(registry, known);
    if (registry.getSingleMetric('outbox_oldest_unsent_age_seconds') === undefined) {
      new Gauge({
        name: 'outbox_oldest_unsent_age_seconds',
        help: 'Age of the oldest outbox row not yet published to the broker (0 when all are sent)',
        labelNames: ['outbox'],
        registers: [registry],
        async collect() {
          await Promise.all(
            [...known].map(async ([outbox, source]) => {
              try {
                this.set({ outbox }, await withTimeout(source.lagSeconds(), LAG_QUERY_TIMEOUT_MS, 'timeout'));
              } catch {
                // The database is away: keep the last value rather than fail the whole scrape.
              }
            }),
          );
        },
      });
    }
  }
  sources.set(name, relay);
}

/** What a service's domain code sees of the outbox: write events with the change, nudge after commit. */
export interface EventOutbox {
  /** Record events in the caller's transaction. */
  append(tx: Db, events: readonly EventEnvelope[]): Promise<void>;
  /** Call after the commit, so the relay publishes now rather than at its next poll. */
  notify(): void;
}

export function createEventOutbox(schema: string, relay: Pick<OutboxRelay, 'notify'>): EventOutbox {
  return {
    append: (tx, events) => appendToOutbox(tx, schema, events),
    notify: () => relay.notify(),
  };
}
