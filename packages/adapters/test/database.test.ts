import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { databaseContract } from '@timeslot/ports/contracts/database.contract';
import { testServers, uniqueName } from '@timeslot/testing';
import type { Database, EventBus } from '@timeslot/ports';
import * as toolkit from '../src/database/index';
import { createPgliteDatabase, createPostgresDatabase, inBackground, isBackground, loadMigrations, migrate, splitSqlStatements } from '../src/database/index';

databaseContract(
  'PGlite (in memory)',
  async () => {
    const database = await createPgliteDatabase();
    return { database, cleanup: () => database.close() };
  },
  toolkit,
);

databaseContract(
  'PostgreSQL',
  async () => {
    const database = await createPostgresDatabase({ url: testServers.postgres, poolSize: 5, applicationName: uniqueName('dbcontract') });
    return { database, cleanup: () => database.close() };
  },
  toolkit,
);

describe('migrate on PostgreSQL', () => {
  it('applies each migration exactly once when five replicas start together', async () => {
    const schema = uniqueName('migrate_race');
    const replicas = await Promise.all(
      Array.from({ length: 5 }, (_, n) => createPostgresDatabase({ url: testServers.postgres, poolSize: 2, applicationName: `${schema}_${n}` })),
    );
    try {
      // Neither statement is idempotent: a second run would fail or add a second row.
      const migrations = [
        { id: '0001_table', sql: 'create table counted (n int not null);' },
        { id: '0002_row', sql: 'insert into counted values (1);' },
        { id: '0003_index', sql: 'create index counted_n on counted (n);' },
      ];
      const results = await Promise.all(replicas.map((database) => migrate(database, { schema, migrations })));
      expect(results.flatMap((result) => result.applied).sort()).toEqual(['0001_table', '0002_row', '0003_index']);
      expect(await replicas[0]!.query(`select n from "${schema}".counted`)).toEqual([{ n: 1 }]);
    } finally {
      await replicas[0]!.query(`drop schema if exists "${schema}" cascade`);
      await Promise.all(replicas.map((database) => database.close()));
    }
  });
});

describe('PostgreSQL adapter', () => {
  it('survives the server dropping its connections, idle or mid-transaction', async () => {
    const applicationName = uniqueName('dbkill');
    const errors: unknown[] = [];
    const database = await createPostgresDatabase({
      url: testServers.postgres,
      applicationName,
      logger: { error: (obj) => errors.push(obj) },
    });
    const admin = await createPostgresDatabase({ url: testServers.postgres, poolSize: 1 });
    try {
      await Promise.all([database.query('select 1'), database.query('select 1')]);
      const outcome = await database.db
        .transaction(async (tx) => {
          await tx.execute('select 1');
          await admin.query('select pg_terminate_backend(pid) from pg_stat_activity where application_name = $1', [applicationName]);
          await tx.execute('select 1');
        })
        .then(
          () => 'committed',
          (error: unknown) => error,
        );
      expect(outcome).toBeInstanceOf(Error);
      // Still alive (an unhandled 'error' event would have ended this process), and usable again.
      // An idle client whose termination notice has not been read yet may be handed out once more
      // and fail; the pool drops it, so within a few tries a fresh connection answers.
      let answer: unknown;
      for (let attempt = 0; attempt < 20 && answer === undefined; attempt++) {
        answer = await database.query('select 2 as two').catch(() => new Promise((resolve) => setTimeout(() => resolve(undefined), 50)));
      }
      expect(answer).toEqual([{ two: 2 }]);
      await database.ping();
      expect(errors.length).toBeGreaterThan(0);
    } finally {
      await Promise.all([database.close(), admin.close()]);
    }
  });

  it('applies the statement timeout and rejects ping when the server is unreachable', async () => {
    const database = await createPostgresDatabase({ url: testServers.postgres, statementTimeoutMs: 50 });
    const nowhere = await createPostgresDatabase({ url: 'postgres://postgres@127.0.0.1:1/test', logger: { error: () => undefined } });
    try {
      await expect(database.query('select pg_sleep(2)')).rejects.toThrow(/statement timeout/);
      await expect(nowhere.ping()).rejects.toThrow();
    } finally {
      await Promise.all([database.close(), nowhere.close()]);
    }
  });
});

describe('PGlite adapter', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
  });

  it('keeps data in a directory whose parents it creates', async () => {
    const root = await mkdtemp(join(tmpdir(), 'timeslot-pglite-'));
    dirs.push(root);
    const dataDir = join(root, 'data', 'nested', 'db');
    let database: Database = await createPgliteDatabase({ dataDir });
    await migrate(database, { schema: 'kept', migrations: [{ id: '0001', sql: "create table notes (body text); insert into notes values ('hello');" }] });
    await database.close();
    database = await createPgliteDatabase({ dataDir });
    try {
      expect(await database.query('select body from kept.notes')).toEqual([{ body: 'hello' }]);
      expect(await migrate(database, { schema: 'kept', migrations: [{ id: '0001', sql: "create table notes (body text); insert into notes values ('hello');" }] })).toEqual({ applied: [] });
    } finally {
      await database.close();
    }
  });

  it('lets the event loop turn between queued statements, so requests that arrive meanwhile get in line', async () => {
    const database = await createPgliteDatabase();
    try {
      let done = 0;
      const queued = Array.from({ length: 100 }, () => database.query('select 1').then(() => done++));
      // A timer stands for a socket with a new request on it: it runs only when the loop turns.
      const seenByTimer = await new Promise<number>((resolve) => setTimeout(() => resolve(done), 0));
      await Promise.all(queued);
      expect(seenByTimer).toBeLessThan(100);
    } finally {
      await database.close();
    }
  });

  it('serves requests before background work, which still gets its turns', async () => {
    const database = await createPgliteDatabase();
    try {
      let backgroundDone = 0;
      const background = inBackground(() => Array.from({ length: 50 }, () => database.query('select pg_sleep(0.001)').then(() => backgroundDone++)));
      await database.query('select 1');
      // At most the background statement already running when the request asked went first.
      expect(backgroundDone).toBeLessThanOrEqual(1);
      // Requests without a pause do not starve it: it completes while they keep coming.
      let requesting = true;
      const requests = Array.from({ length: 4 }, async () => {
        while (requesting) await database.query('select 1');
      });
      await Promise.all(background);
      requesting = false;
      await Promise.all(requests);
      expect(backgroundDone).toBe(50);
    } finally {
      await database.close();
    }
  });

  it('runs a transaction callback in the async context of its caller, however long it queued', async () => {
    const database = await createPgliteDatabase();
    const context = new AsyncLocalStorage<string>();
    try {
      const seen = await Promise.all(
        ['a', 'b', 'c'].map((name) => context.run(name, () => database.db.transaction(async (tx) => (await tx.execute('select 1'), context.getStore())))),
      );
      expect(seen).toEqual(['a', 'b', 'c']);
    } finally {
      await database.close();
    }
  });

  it('publishes outbox events as background work when the relay runs on its own', async () => {
    const database = await createPgliteDatabase();
    const schema = uniqueName('bg_relay');
    await migrate(database, { schema, migrations: [...toolkit.outboxMigrations] });
    const publishedInBackground: boolean[] = [];
    const bus = {
      publish: async () => {
        publishedInBackground.push(isBackground());
      },
    } as unknown as EventBus;
    const relay = toolkit.createOutboxRelay({ database, schema, bus, pollIntervalMs: 10 });
    try {
      await database.db.transaction((tx) => toolkit.appendToOutbox(tx, schema, [{ id: randomUUID(), type: 'test.happened', version: 1, occurredAt: new Date().toISOString(), source: 'test', data: {} }]));
      relay.start();
      await vi.waitFor(() => expect(publishedInBackground).toEqual([true]));
    } finally {
      await relay.stop();
      await database.close();
    }
  });
});

describe('loadMigrations and splitSqlStatements', () => {
  it('reads *.sql files sorted by name', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'timeslot-migrations-'));
    try {
      await writeFile(join(dir, '0002_b.sql'), 'select 2;');
      await writeFile(join(dir, '0001_a.sql'), 'select 1;');
      await writeFile(join(dir, 'README.md'), 'not a migration');
      expect(await loadMigrations(dir)).toEqual([
        { id: '0001_a', sql: 'select 1;' },
        { id: '0002_b', sql: 'select 2;' },
      ]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('splits only at semicolons that end statements', () => {
    const script = [
      `create table "odd;name" (a$b int);`,
      `select 'x;y', $1, $$a;b$$, $tag$ $$; $tag$;`,
      `-- comment; not a statement`,
      `/* outer /* inner; */ still; */ select E'q\\';';`,
      `  ;  `,
    ].join('\n');
    expect(splitSqlStatements(script)).toEqual([
      `create table "odd;name" (a$b int)`,
      `select 'x;y', $1, $$a;b$$, $tag$ $$; $tag$`,
      `-- comment; not a statement\n/* outer /* inner; */ still; */ select E'q\\';'`,
    ]);
  });
});
