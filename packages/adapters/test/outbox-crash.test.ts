import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { testServers, uniqueName } from '@timeslot/testing';
import type { Database, EventBus, EventEnvelope } from '@timeslot/ports';
import { createOutboxRelay, createPostgresDatabase, handleOnce, migrate, outboxMigration } from '../src/database/index';

const fixture = fileURLToPath(new URL('./fixtures/outbox-crash-child.ts', import.meta.url));
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

/**
 * Starts the child, waits for the stdout line that starts with `waitFor`, SIGKILLs the child on
 * it and waits until PostgreSQL has dropped the child's connections (and so rolled back whatever
 * it had open). Returns that line's words.
 */
async function killChildAt(scenario: string, schema: string, waitFor: string): Promise<string[]> {
  const applicationName = uniqueName('crashchild');
  const child = spawn(process.execPath, ['--import', 'tsx', fixture, scenario, testServers.postgres, schema, applicationName], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = once(child, 'exit');
  const lines: string[][] = [];
  const words = await new Promise<string[]>((resolve, reject) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      const parts = line.split(' ');
      lines.push(parts);
      if (parts[0] === waitFor) {
        child.kill('SIGKILL');
        resolve(parts);
      }
    });
    void exited.then(() => reject(new Error(`child exited before "${waitFor}": ${stderr}`)));
  });
  await exited;
  for (let tries = 0; ; tries++) {
    const left = await admin.query('select 1 from pg_stat_activity where application_name = $1', [applicationName]);
    if (left.length === 0) break;
    if (tries > 200) throw new Error('PostgreSQL kept the killed child connections');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return words;
}

/** Our EventBus port, recording what it is given and delivering it to the "emails" consumer. */
function deliveringBus(database: Database, schema: string): EventBus & { published: EventEnvelope[]; handled: boolean[] } {
  const published: EventEnvelope[] = [];
  const handled: boolean[] = [];
  return {
    published,
    handled,
    async publish(events) {
      for (const event of events) {
        published.push(event);
        handled.push(
          await handleOnce(database, schema, 'emails', event.id, async (tx) => {
            await tx.execute(sql`insert into ${sql.identifier(schema)}.emails (event_id) values (${event.id})`);
          }),
        );
      }
    },
    subscribe: () => Promise.reject(new Error('not used')),
    deadLetters: async () => [],
    ping: async () => undefined,
    close: async () => undefined,
  };
}

let admin: Database;
const schemas: string[] = [];

async function freshSchema(): Promise<string> {
  const schema = uniqueName('crash');
  schemas.push(schema);
  await migrate(admin, {
    schema,
    migrations: [
      outboxMigration,
      {
        id: '0001_bookings',
        sql: 'create table bookings (id uuid primary key, status text not null); create table emails (event_id uuid not null, sent_at timestamptz not null default now());',
      },
    ],
  });
  return schema;
}

beforeAll(async () => {
  admin = await createPostgresDatabase({ url: testServers.postgres, poolSize: 4 });
});

afterAll(async () => {
  for (const schema of schemas) await admin.query(`drop schema if exists "${schema}" cascade`);
  await admin.close();
});

describe('transactional outbox across a crash', () => {
  it('publishes an event committed by a process killed before it could publish, exactly once', async () => {
    const schema = await freshSchema();
    const [, bookingId, eventId] = await killChildAt('commit-only', schema, 'committed');

    expect(await admin.query(`select status from "${schema}".bookings where id = $1`, [bookingId])).toEqual([{ status: 'confirmed' }]);
    const bus = deliveringBus(admin, schema);
    const relay = createOutboxRelay({ database: admin, schema, bus });
    expect(await relay.flush()).toBe(1);
    expect(await relay.flush()).toBe(0);
    expect(bus.published.map((event) => [event.id, event.type, event.data])).toEqual([[eventId, 'booking.confirmed', { bookingId }]]);
    expect(await admin.query(`select count(*)::int as emails from "${schema}".emails`)).toEqual([{ emails: 1 }]);
  });

  it('publishes again after a crash between publish and mark, and the consumer applies it once', async () => {
    const schema = await freshSchema();
    const [, eventId] = await killChildAt('publish-then-block', schema, 'published');

    // The first delivery reached the consumer, but the row was never marked sent.
    expect(await admin.query(`select event_id from "${schema}".emails`)).toEqual([{ event_id: eventId }]);
    expect(await admin.query(`select sent_at from "${schema}".outbox`)).toEqual([{ sent_at: null }]);

    const bus = deliveringBus(admin, schema);
    expect(await createOutboxRelay({ database: admin, schema, bus }).flush()).toBe(1);
    expect(bus.published.map((event) => event.id)).toEqual([eventId]);
    expect(bus.handled).toEqual([false]);
    expect(await admin.query(`select event_id from "${schema}".emails`)).toEqual([{ event_id: eventId }]);
    expect(await admin.query(`select sent_at is not null as sent from "${schema}".outbox`)).toEqual([{ sent: true }]);
  });
});
