import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { integer, pgSchema, serial, text } from 'drizzle-orm/pg-core';
import { uniqueName } from '@timeslot/testing';
import type { Database, Db, Migration } from '../database';
import type { EventBus, EventEnvelope, Subscription } from '../event-bus';

/**
 * The migrator and the outbox are written once against the Database port, but they are only as
 * good as each adapter's transactions, so the suite runs them on every adapter. They live in
 * @timeslot/adapters, which depends on this package: they come in as an argument, not an import.
 */
export interface DatabaseToolkit {
  readonly outboxMigration: Migration;
  readonly migrate: (database: Database, options: { schema: string; migrations: readonly Migration[] }) => Promise<{ applied: string[] }>;
  readonly appendToOutbox: (tx: Db, schema: string, events: readonly EventEnvelope[]) => Promise<void>;
  readonly createOutboxRelay: (options: {
    database: Database;
    schema: string;
    bus: EventBus;
    batchSize?: number;
    pollIntervalMs?: number;
    logger?: { error(obj: object, msg: string): void };
  }) => { start(): void; notify(): void; flush(): Promise<number>; stop(): Promise<void> };
  readonly handleOnce: (database: Database, schema: string, consumer: string, eventId: string, work: (tx: Db) => Promise<void>) => Promise<boolean>;
}

type Make = () => Promise<{ database: Database; cleanup: () => Promise<void> }>;

/**
 * Our own EventBus port, recorded in memory: this suite is about the database, and the real bus
 * adapters have their own contract suite.
 */
class RecordingBus implements EventBus {
  readonly published: EventEnvelope[] = [];
  failure: Error | undefined;
  /** Runs before an accepted publish resolves, like a broker that waits for its confirms. */
  beforeAccept: ((events: readonly EventEnvelope[]) => Promise<void>) | undefined;
  private waiters: { count: number; resolve: () => void }[] = [];

  async publish(events: readonly EventEnvelope[]): Promise<void> {
    if (this.failure) throw this.failure;
    await this.beforeAccept?.(events);
    this.published.push(...events);
    this.waiters = this.waiters.filter((waiter) => {
      if (this.published.length < waiter.count) return true;
      waiter.resolve();
      return false;
    });
  }

  /** Resolves once `count` events have been published in total. */
  waitFor(count: number): Promise<void> {
    if (this.published.length >= count) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ count, resolve }));
  }

  subscribe(): Promise<Subscription> {
    return Promise.reject(new Error('not used by the database contract'));
  }
  async deadLetters(): Promise<EventEnvelope[]> {
    return [];
  }
  async ping(): Promise<void> {}
  async close(): Promise<void> {}
}

function event(type = 'contract.happened', data: unknown = { n: 1 }): EventEnvelope {
  return { id: randomUUID(), type, version: 1, occurredAt: new Date().toISOString(), source: 'contract', data };
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = (): void => undefined;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

async function within(ms: number, promise: Promise<void>, failure: string): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([promise, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(failure)), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

const silentLogger = { error: (): void => undefined };

export function databaseContract(name: string, make: Make, toolkit: DatabaseToolkit): void {
  const { migrate, outboxMigration, appendToOutbox, createOutboxRelay, handleOnce } = toolkit;

  describe(`Database contract: ${name}`, () => {
    let database: Database;
    let cleanup: () => Promise<void>;
    const schemas: string[] = [];

    /** A schema of this run; dropped at the end so the suite can run against a shared server. */
    function freshSchema(): string {
      const schema = uniqueName('dbc');
      schemas.push(schema);
      return schema;
    }

    async function withItems(): Promise<{ schema: string; items: ReturnType<typeof itemsTable> }> {
      const schema = freshSchema();
      await migrate(database, {
        schema,
        migrations: [{ id: '0001_items', sql: 'create table items (id serial primary key, name text not null, qty int not null default 0);' }],
      });
      return { schema, items: itemsTable(schema) };
    }

    function itemsTable(schema: string) {
      return pgSchema(schema).table('items', {
        id: serial('id').primaryKey(),
        name: text('name').notNull(),
        qty: integer('qty').notNull(),
      });
    }

    async function withOutbox(): Promise<string> {
      const schema = freshSchema();
      await migrate(database, {
        schema,
        migrations: [outboxMigration, { id: '0001_bookings', sql: 'create table bookings (id uuid primary key, status text not null);' }],
      });
      return schema;
    }

    async function outboxRows(schema: string): Promise<{ id: string; sent_at: unknown; attempts: number; last_error: string | null }[]> {
      return database.query(`select id, sent_at, attempts, last_error from "${schema}".outbox order by created_at, seq`);
    }

    beforeAll(async () => {
      ({ database, cleanup } = await make());
    });

    afterAll(async () => {
      for (const schema of schemas) await database.query(`drop schema if exists "${schema}" cascade`);
      await cleanup();
    });

    it('runs a parameterised query and returns its rows', async () => {
      const rows = await database.query<{ sum: number; label: string }>('select $1::int + $2::int as sum, $3::text as label', [2, 3, "it's"]);
      expect(rows).toEqual([{ sum: 5, label: "it's" }]);
      expect(await database.query('select 1 where false')).toEqual([]);
      await expect(database.query('select * from no_such_table')).rejects.toThrow(/no_such_table/);
      // A failed statement leaves the database usable.
      expect(await database.query<{ one: number }>('select 1 as one')).toEqual([{ one: 1 }]);
    });

    it('inserts and selects through drizzle', async () => {
      const { items } = await withItems();
      const inserted = await database.db.insert(items).values([{ name: 'chair', qty: 2 }, { name: 'desk', qty: 1 }]).returning();
      expect(inserted.map((row) => row.name)).toEqual(['chair', 'desk']);
      const desks = await database.db.select().from(items).where(eq(items.name, 'desk'));
      expect(desks).toEqual([{ id: inserted[1]?.id, name: 'desk', qty: 1 }]);
    });

    it('rolls back a transaction that throws and passes the error on', async () => {
      const { items } = await withItems();
      const failure = new Error('changed my mind');
      await expect(
        database.db.transaction(async (tx) => {
          await tx.insert(items).values({ name: 'ghost', qty: 1 });
          expect(await tx.select().from(items)).toHaveLength(1);
          throw failure;
        }),
      ).rejects.toBe(failure);
      expect(await database.db.select().from(items)).toEqual([]);
    });

    it('keeps concurrent transactions apart', async () => {
      const { items } = await withItems();
      const bStarted = deferred();
      let seenByA = -1;
      let seenByB = -1;
      let outside: Promise<{ name: string }[]> = Promise.resolve([]);
      const a = database.db.transaction(async (tx) => {
        await tx.insert(items).values({ name: 'a', qty: 1 });
        // A statement outside any transaction must not run inside this one (and see its row).
        outside = database.db.select().from(items).execute();
        seenByA = (await tx.select().from(items)).length;
        // On PostgreSQL B runs meanwhile; on PGlite it waits for A, so only wait a moment.
        await Promise.race([bStarted.promise, new Promise((resolve) => setTimeout(resolve, 50))]);
        throw new Error('roll back a');
      });
      const b = database.db.transaction(async (tx) => {
        await tx.insert(items).values({ name: 'b', qty: 1 });
        bStarted.resolve();
        seenByB = (await tx.select().from(items)).length;
      });
      const [resultA, resultB] = await Promise.allSettled([a, b]);
      expect(resultA.status).toBe('rejected');
      expect(resultB.status).toBe('fulfilled');
      // Interleaved on one session, B would see A's row and A's rollback would undo B's insert.
      expect([seenByA, seenByB]).toEqual([1, 1]);
      expect((await outside).map((row) => row.name)).not.toContain('a');
      expect((await database.db.select().from(items)).map((row) => row.name)).toEqual(['b']);
    });

    it('applies migrations in id order, inside the schema, once', async () => {
      const schema = freshSchema();
      const migrations: Migration[] = [
        { id: '0002_seed', sql: "insert into notes (body) values ('semi; colon'), ('it''s');\n-- trailing comment; with a semicolon\n" },
        { id: '0001_notes', sql: 'create table notes (id serial primary key, body text not null);' },
        {
          id: '0003_function',
          sql: `create function note_count() returns bigint language plpgsql set search_path from current as $body$
                begin return (select count(*) from notes); end; $body$;
                /* a block comment; /* nested; */ still a comment */
                insert into notes (body) values (E'back\\'slash;');`,
        },
      ];
      expect(await migrate(database, { schema, migrations })).toEqual({ applied: ['0001_notes', '0002_seed', '0003_function'] });
      const notes = await database.query<{ body: string }>(`select body from "${schema}".notes order by id`);
      expect(notes.map((row) => row.body)).toEqual(['semi; colon', "it's", "back'slash;"]);
      expect(await database.query(`select "${schema}".note_count()::int as n`)).toEqual([{ n: 3 }]);

      expect(await migrate(database, { schema, migrations })).toEqual({ applied: [] });
      const ledger = await database.query<{ id: string }>(`select id from "${schema}".schema_migrations order by id`);
      expect(ledger.map((row) => row.id)).toEqual(['0001_notes', '0002_seed', '0003_function']);
    });

    it('refuses to run when an applied migration was edited', async () => {
      const schema = freshSchema();
      await migrate(database, { schema, migrations: [{ id: '0001_init', sql: 'create table t (x int);' }] });
      const edited = [
        { id: '0001_init', sql: 'create table t (x int, y int);' },
        { id: '0002_more', sql: 'create table u (x int);' },
      ];
      await expect(migrate(database, { schema, migrations: edited })).rejects.toThrow(/"0001_init".*changed after it was applied/);
      expect(await database.query(`select 1 from information_schema.tables where table_schema = $1 and table_name = 'u'`, [schema])).toEqual([]);
    });

    it('rolls back a failing migration entirely and says which one failed', async () => {
      const schema = freshSchema();
      const good = { id: '0001_good', sql: 'create table kept (x int);' };
      const bad = { id: '0002_bad', sql: 'create table half (x int);\ninsert into missing values (1);' };
      await expect(migrate(database, { schema, migrations: [good, bad] })).rejects.toThrow(/"0002_bad".*statement 2.*missing/s);
      const tables = await database.query<{ table_name: string }>(
        `select table_name from information_schema.tables where table_schema = $1 order by table_name`,
        [schema],
      );
      expect(tables.map((row) => row.table_name)).toEqual(['kept', 'schema_migrations']);
      const ledger = await database.query<{ id: string }>(`select id from "${schema}".schema_migrations`);
      expect(ledger.map((row) => row.id)).toEqual(['0001_good']);
    });

    it('publishes committed outbox events in order and marks them sent', async () => {
      const schema = await withOutbox();
      const bus = new RecordingBus();
      const first = event('booking.held');
      const second = event('booking.confirmed');
      const bookingId = randomUUID();
      await database.db.transaction(async (tx) => {
        await tx.execute(sql`insert into ${sql.identifier(schema)}.bookings (id, status) values (${bookingId}, 'confirmed')`);
        await appendToOutbox(tx, schema, [first, second]);
      });
      const relay = createOutboxRelay({ database, schema, bus, logger: silentLogger });
      expect(await relay.flush()).toBe(2);
      expect(bus.published).toEqual([first, second]);
      const rows = await outboxRows(schema);
      expect(rows.map((row) => [row.id, row.sent_at !== null, row.attempts])).toEqual([
        [first.id, true, 1],
        [second.id, true, 1],
      ]);
      expect(await relay.flush()).toBe(0);
      expect(bus.published).toHaveLength(2);
    });

    it('never publishes the events of a rolled-back transaction', async () => {
      const schema = await withOutbox();
      const bus = new RecordingBus();
      await expect(
        database.db.transaction(async (tx) => {
          await appendToOutbox(tx, schema, [event()]);
          throw new Error('booking failed');
        }),
      ).rejects.toThrow('booking failed');
      expect(await createOutboxRelay({ database, schema, bus, logger: silentLogger }).flush()).toBe(0);
      expect(bus.published).toEqual([]);
      expect(await outboxRows(schema)).toEqual([]);
    });

    it('keeps events when the bus fails and sends them on a later pass', async () => {
      const schema = await withOutbox();
      const bus = new RecordingBus();
      const pending = event();
      await database.db.transaction((tx) => appendToOutbox(tx, schema, [pending]));
      const relay = createOutboxRelay({ database, schema, bus, logger: silentLogger });
      bus.failure = new Error('broker unreachable');
      await expect(relay.flush()).rejects.toThrow('broker unreachable');
      expect(await outboxRows(schema)).toEqual([{ id: pending.id, sent_at: null, attempts: 1, last_error: 'broker unreachable' }]);
      bus.failure = undefined;
      expect(await relay.flush()).toBe(1);
      expect(bus.published).toEqual([pending]);
    });

    it('sends in batches and lets two relays share the rows without publishing any twice', async () => {
      const schema = await withOutbox();
      const bus = new RecordingBus();
      const events = Array.from({ length: 25 }, (_, n) => event('contract.counted', { n }));
      await database.db.transaction((tx) => appendToOutbox(tx, schema, events));
      const relays = [1, 2].map(() => createOutboxRelay({ database, schema, bus, batchSize: 4, logger: silentLogger }));
      const sent = await Promise.all(relays.map((relay) => relay.flush()));
      expect(sent[0]! + sent[1]!).toBe(25);
      expect(bus.published.map((e) => e.id).sort()).toEqual(events.map((e) => e.id).sort());
    });

    it('publishes soon after notify() and on its own when polling', async () => {
      const schema = await withOutbox();
      const bus = new RecordingBus();
      const relay = createOutboxRelay({ database, schema, bus, pollIntervalMs: 60_000, logger: silentLogger });
      relay.start();
      try {
        // Let start()'s first pass find the outbox empty, so only notify() can send what follows.
        await new Promise((resolve) => setTimeout(resolve, 30));
        await database.db.transaction((tx) => appendToOutbox(tx, schema, [event()]));
        relay.notify();
        await within(2_000, bus.waitFor(1), 'notify() did not lead to a publish');
      } finally {
        await relay.stop();
      }
      const polling = createOutboxRelay({ database, schema, bus, pollIntervalMs: 10, logger: silentLogger });
      polling.start();
      try {
        await database.db.transaction((tx) => appendToOutbox(tx, schema, [event()]));
        await within(2_000, bus.waitFor(2), 'polling did not publish');
      } finally {
        await polling.stop();
      }
      expect(bus.published).toHaveLength(2);
    });

    it('publishes to a bus that waits for subscribers writing to the same database', async () => {
      const schema = await withOutbox();
      const bus = new RecordingBus();
      bus.beforeAccept = async (events) => {
        for (const e of events) {
          await handleOnce(database, schema, 'notifications', e.id, async (tx) => {
            await tx.execute(sql`insert into ${sql.identifier(schema)}.bookings (id, status) values (${e.id}, 'seen')`);
          });
        }
      };
      await database.db.transaction((tx) => appendToOutbox(tx, schema, [event()]));
      expect(await createOutboxRelay({ database, schema, bus, logger: silentLogger }).flush()).toBe(1);
      expect(await database.query(`select status from "${schema}".bookings`)).toEqual([{ status: 'seen' }]);
    });

    it('handles an event once per consumer, and again after a failed attempt', async () => {
      const schema = await withOutbox();
      const id = randomUUID();
      let runs = 0;
      const work = async (tx: Db): Promise<void> => {
        runs++;
        await tx.execute(sql`insert into ${sql.identifier(schema)}.bookings (id, status) values (${randomUUID()}, 'emailed')`);
      };
      await expect(
        handleOnce(database, schema, 'email', id, async (tx) => {
          await work(tx);
          throw new Error('smtp down');
        }),
      ).rejects.toThrow('smtp down');
      expect(await database.query(`select * from "${schema}".inbox`)).toEqual([]);
      expect(await handleOnce(database, schema, 'email', id, work)).toBe(true);
      expect(await handleOnce(database, schema, 'email', id, work)).toBe(false);
      expect(await handleOnce(database, schema, 'webhooks', id, work)).toBe(true);
      expect(runs).toBe(3);
      expect(await database.query(`select status from "${schema}".bookings`)).toEqual([{ status: 'emailed' }, { status: 'emailed' }]);
    });

    it('pings while open and rejects after close', async () => {
      const other = await make();
      await other.database.ping();
      await other.database.close();
      await expect(other.database.ping()).rejects.toThrow();
      await other.cleanup();
    });
  });
}
