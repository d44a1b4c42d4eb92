import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The real servers the integration suites use; CI starts any that is down (see .ci/run). */
// Tests may read the environment directly: the config module is for the product's processes.
export const testServers = {
  postgres: process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
  redis: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
  amqp: process.env.TEST_AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672',
} as const;

export const howToStart = {
  postgres: "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start",
  redis: 'redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no',
  amqp: 'rabbitmq-server -detached',
} as const;

/** A name no other test file or run uses: for schemas, queues, key prefixes. */
export function uniqueName(prefix: string): string {
  return `${prefix}_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
}

/**
 * Run one statement on its own connection to the test server (by default its `test` database):
 * for what a pool cannot do inside a database, such as creating or dropping one.
 */
export async function adminSql(sql: string, connectionString: string = testServers.postgres): Promise<void> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
