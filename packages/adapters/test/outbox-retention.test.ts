import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { testServers, uniqueName } from '@timeslot/testing';
import type { Database, EventBus } from '@timeslot/ports';
import { createMemoryEventBus, createOutboxRelay, createPgliteDatabase, createPostgresDatabase, migrate, outboxMigrations } from '../src/index';

type Make = () => Promise<Database>;

const silentLogger = { error: (): void => undefined };

/** Polls the database until `check` holds: a prune on a timer announces itself no other way. */
async function eventually(check: () => Promise<boolean>, failure: string): Promise<void> {
  for (let tries = 0; tries < 300; tries++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(failure);
}

function retentionSuite(name: string, make: Make): void {
  describe(`outbox and inbox retention: ${name}`, () => {
    let database: Database;
    let bus: EventBus;
    const schemas: string[] = [];

    beforeAll(async () => {
      database = await make();
      bus = createMemoryEventBus();
    });

    afterAll(async () => {
      for (const schema of schemas) await database.query(`drop schema if exists "${schema}" cascade`);
      await bus.close();
      await database.close();
    });

    async function freshSchema(): Promise<string> {
      const schema = uniqueName('retention');
      schemas.push(schema);
      await migrate(database, { schema, migrations: [...outboxMigrations] });
      return schema;
    }

    /** An outbox row created `createdAgo` ago, sent `sentAgo` ago or (null) never. */
    async function outboxRow(schema: string, sentAgo: string | null, createdAgo = sentAgo ?? '0 seconds'): Promise<string> {
      const id = randomUUID();
      await database.query(`insert into "${schema}".outbox (id, type, version, payload) values ($1, 'retention.tested', 1, '{}')`, [id]);
      await database.query(
        `update "${schema}".outbox set created_at = now() - $2::interval, sent_at = now() - $3::interval, attempts = 1 where id = $1`,
        [id, createdAgo, sentAgo],
      );
      return id;
    }

    async function inboxRow(schema: string, handledAgo: string, consumer = 'emails'): Promise<string> {
      const eventId = randomUUID();
      await database.query(`insert into "${schema}".inbox (consumer, event_id) values ($1, $2)`, [consumer, eventId]);
      await database.query(`update "${schema}".inbox set handled_at = now() - $2::interval where event_id = $1`, [eventId, handledAgo]);
      return eventId;
    }

    async function outboxIds(schema: string): Promise<string[]> {
      const rows = await database.query<{ id: string }>(`select id from "${schema}".outbox order by id`);
      return rows.map((row) => row.id);
    }

    async function inboxIds(schema: string): Promise<string[]> {
      const rows = await database.query<{ event_id: string }>(`select event_id from "${schema}".inbox order by event_id`);
      return rows.map((row) => row.event_id);
    }

    it('deletes sent outbox rows and inbox rows older than 7 days by default, and never unsent rows', async () => {
      const schema = await freshSchema();
      await outboxRow(schema, '8 days');
      const recentlySent = await outboxRow(schema, '6 days');
      const justSent = await outboxRow(schema, '0 seconds');
      const unsentOld = await outboxRow(schema, null, '30 days');
      const unsentNew = await outboxRow(schema, null);
      await inboxRow(schema, '8 days', 'emails');
      await inboxRow(schema, '9 days', 'webhooks');
      const recentlyHandled = await inboxRow(schema, '6 days');
      const relay = createOutboxRelay({ database, schema, bus, logger: silentLogger });

      expect(await relay.prune()).toEqual({ outbox: 1, inbox: 2 });
      expect(await outboxIds(schema)).toEqual([recentlySent, justSent, unsentOld, unsentNew].sort());
      expect(await inboxIds(schema)).toEqual([recentlyHandled]);
      expect(await relay.prune()).toEqual({ outbox: 0, inbox: 0 });
    });

    it('keeps rows for retentionMs', async () => {
      const schema = await freshSchema();
      await outboxRow(schema, '2 hours');
      const kept = await outboxRow(schema, '30 minutes');
      await inboxRow(schema, '2 hours');
      const handled = await inboxRow(schema, '30 minutes');
      const relay = createOutboxRelay({ database, schema, bus, retentionMs: 3_600_000, logger: silentLogger });

      expect(await relay.prune()).toEqual({ outbox: 1, inbox: 1 });
      expect(await outboxIds(schema)).toEqual([kept]);
      expect(await inboxIds(schema)).toEqual([handled]);
    });

    it('deletes a backlog larger than one batch, batch after batch', async () => {
      const schema = await freshSchema();
      for (let n = 0; n < 5; n++) await outboxRow(schema, '10 days');
      // A multiple of the batch size: the last full batch is followed by an empty one.
      for (let n = 0; n < 4; n++) await inboxRow(schema, '10 days');
      const unsent = await outboxRow(schema, null, '10 days');
      const relay = createOutboxRelay({ database, schema, bus, pruneBatchSize: 2, logger: silentLogger });

      expect(await relay.prune()).toEqual({ outbox: 5, inbox: 4 });
      expect(await outboxIds(schema)).toEqual([unsent]);
      expect(await inboxIds(schema)).toEqual([]);
    });

    it('prunes right after start() and again every pruneIntervalMs', async () => {
      const schema = await freshSchema();
      await outboxRow(schema, '8 days');
      await inboxRow(schema, '8 days');
      const relay = createOutboxRelay({ database, schema, bus, pruneIntervalMs: 20, logger: silentLogger });
      relay.start();
      try {
        const empty = async (): Promise<boolean> => (await outboxIds(schema)).length === 0 && (await inboxIds(schema)).length === 0;
        await eventually(empty, 'start() did not prune');
        await outboxRow(schema, '8 days');
        await inboxRow(schema, '8 days');
        await eventually(empty, 'the relay did not prune again');
      } finally {
        await relay.stop();
      }
    });

    it('logs a prune that fails, tries again at the next interval, and rejects prune()', async () => {
      // Never migrated: no outbox or inbox to delete from.
      const schema = uniqueName('retention_missing');
      const failures: unknown[] = [];
      const logger = {
        error: (obj: object, msg: string): void => {
          if (msg.includes('prune')) failures.push(obj);
        },
      };
      const relay = createOutboxRelay({ database, schema, bus, pruneIntervalMs: 10, logger });
      await expect(relay.prune()).rejects.toThrow();
      relay.start();
      try {
        await eventually(async () => failures.length >= 2, 'a failed prune was not retried');
      } finally {
        await relay.stop();
      }
    });
  });
}

retentionSuite('PGlite (in memory)', () => createPgliteDatabase());
retentionSuite('PostgreSQL', () => createPostgresDatabase({ url: testServers.postgres, poolSize: 4, applicationName: uniqueName('retention') }));

// PGlite is one connection in this process: nothing else can hold a lock that keeps a prune
// running, so only PostgreSQL can show stop() waiting for one.
describe('outbox relay stop() on PostgreSQL', () => {
  it('waits for a prune that is running', async () => {
    const applicationName = uniqueName('pruner');
    const pruner = await createPostgresDatabase({ url: testServers.postgres, poolSize: 2, applicationName });
    const admin = await createPostgresDatabase({ url: testServers.postgres, poolSize: 2 });
    const bus = createMemoryEventBus();
    const schema = uniqueName('retention_stop');
    let release = (): void => undefined;
    try {
      await migrate(admin, { schema, migrations: [...outboxMigrations] });
      await admin.query(`insert into "${schema}".inbox (consumer, event_id, handled_at) values ('emails', $1, now() - interval '8 days')`, [randomUUID()]);
      let locked = (): void => undefined;
      const isLocked = new Promise<void>((resolve) => (locked = resolve));
      const holding = admin.db.transaction(async (tx) => {
        await tx.execute(sql`lock table ${sql.identifier(schema)}.inbox in access exclusive mode`);
        locked();
        await new Promise<void>((resolve) => (release = resolve));
      });
      await isLocked;

      const relay = createOutboxRelay({ database: pruner, schema, bus, logger: silentLogger });
      relay.start();
      await eventually(async () => {
        const waiting = await admin.query(`select 1 from pg_stat_activity where application_name = $1 and wait_event_type = 'Lock'`, [applicationName]);
        return waiting.length > 0;
      }, 'the prune never reached the locked inbox');
      let stopped = false;
      const stopping = relay.stop().then(() => (stopped = true));
      await admin.query('select 1');
      expect(stopped).toBe(false);

      release();
      await holding;
      await stopping;
      expect(await admin.query(`select event_id from "${schema}".inbox`)).toEqual([]);
    } finally {
      // Before the drop, which would otherwise wait for the lock forever.
      release();
      await admin.query(`drop schema if exists "${schema}" cascade`);
      await bus.close();
      await Promise.all([pruner.close(), admin.close()]);
    }
  });
});
