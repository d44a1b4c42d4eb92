import pg from 'pg';
import { Redis } from 'ioredis';
import amqp from 'amqplib';
import { buildServer, staleInputs } from '@timeslot/server/build';
import { howToStart, testServers } from './servers';
import { stopSharedTimeslots } from './shared-server';

async function check(name: keyof typeof testServers, probe: () => Promise<void>): Promise<string | undefined> {
  try {
    await probe();
    return undefined;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return `${name} at ${testServers[name]} is unreachable (${reason}). Start it with: ${howToStart[name]}`;
  }
}

/**
 * Integration suites never skip silently: when a server is missing, the whole run fails here and
 * says which one and how to start it.
 */
export default async function setup(): Promise<() => Promise<void>> {
  // Shared servers a crashed run left behind are stopped before this run starts its own.
  await stopSharedTimeslots();
  // Suites spawn bin/timeslot.mjs, which runs the server's build: bring it up to date once here
  // instead of in every process the files start in parallel.
  if (staleInputs()?.length !== 0) await buildServer();
  const problems = (
    await Promise.all([
      check('postgres', async () => {
        const client = new pg.Client({ connectionString: testServers.postgres, connectionTimeoutMillis: 3000 });
        await client.connect();
        await client.query('select 1');
        await client.end();
      }),
      check('redis', async () => {
        const redis = new Redis(testServers.redis, { lazyConnect: true, connectTimeout: 3000, maxRetriesPerRequest: 0, retryStrategy: () => null });
        try {
          await redis.connect();
          await redis.ping();
        } finally {
          redis.disconnect();
        }
      }),
      check('amqp', async () => {
        const connection = await amqp.connect(testServers.amqp, { timeout: 3000 });
        await connection.close();
      }),
    ])
  ).filter((p): p is string => p !== undefined);
  if (problems.length > 0) {
    throw new Error(`Integration servers missing:\n  ${problems.join('\n  ')}`);
  }
  return stopSharedTimeslots;
}
