import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testServers, uniqueName } from '@timeslot/testing';
import type { Database, EventBus, EventEnvelope } from '@timeslot/ports';
import { appendToOutbox, createOutboxRelay, createPostgresDatabase, migrate, outboxMigrations } from '../src/index';

/*
 * How the relay batches under load, on PostgreSQL: commits that land while a pass is publishing
 * wait for it, and then leave together.
 */

const schema = uniqueName('relay_passes');
let database: Database;

beforeAll(async () => {
  database = await createPostgresDatabase({ url: testServers.postgres, poolSize: 4, applicationName: schema });
  await migrate(database, { schema, migrations: [...outboxMigrations] });
});

afterAll(async () => {
  await database?.query(`drop schema if exists "${schema}" cascade`);
  await database?.close();
});

function event(): EventEnvelope {
  return { id: randomUUID(), type: 'relay.tested', version: 1, occurredAt: new Date().toISOString(), source: 'test', data: {} };
}

/** A bus that records each publish's batch size and holds the first publish until released. */
function gatedBus(): { bus: EventBus; batches: number[]; firstStarted: Promise<void>; release: () => void } {
  const batches: number[] = [];
  let release = (): void => undefined;
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  let started = (): void => undefined;
  const firstStarted = new Promise<void>((resolve) => {
    started = resolve;
  });
  const bus: EventBus = {
    async publish(events) {
      batches.push(events.length);
      if (batches.length === 1) {
        started();
        await gate;
      }
    },
    subscribe: () => Promise.reject(new Error('not used')),
    deadLetters: async () => [],
    ping: async () => undefined,
    close: async () => undefined,
  };
  return { bus, batches, firstStarted, release };
}

describe('outbox relay passes', () => {
  it('sends rows committed while a pass publishes together, in one batch after it', async () => {
    const { bus, batches, firstStarted, release } = gatedBus();
    const relay = createOutboxRelay({ database, schema, bus, pollIntervalMs: 60_000 });
    relay.start();
    try {
      await appendToOutbox(database.db, schema, [event()]);
      relay.notify();
      await firstStarted;
      // Five commits, each nudging the relay, while its first pass is still publishing.
      for (let i = 0; i < 5; i++) {
        await appendToOutbox(database.db, schema, [event()]);
        relay.notify();
        await new Promise((resolve) => setImmediate(resolve));
      }
      release();
      for (let tries = 0; tries < 300; tries++) {
        const unsent = await database.query<{ n: number }>(`select count(*)::int as n from "${schema}".outbox where sent_at is null`);
        if (unsent[0]?.n === 0) break;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      expect(batches).toEqual([1, 5]);
    } finally {
      release();
      await relay.stop();
    }
  });
});
