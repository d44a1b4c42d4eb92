import pg from 'pg';
import { drizzle } from 'drizzle-orm/node-postgres';
import { withTimeout, type Database, type QueryOptions } from '@timeslot/ports';

export interface PostgresDatabaseOptions {
  readonly url: string;
  /** Connections per process (default 10). */
  readonly poolSize?: number;
  /** Shown in pg_stat_activity, so operators can tell the services' connections apart. */
  readonly applicationName?: string;
  /** Server-side limit for every statement (default: the server's setting). */
  readonly statementTimeoutMs?: number;
  /**
   * How long opening a connection may take (default 2000): with the server gone or unreachable,
   * requests fail within this instead of hanging.
   */
  readonly connectTimeoutMs?: number;
  /** How long a statement may wait for a free pooled connection under load (default 5000). */
  readonly poolWaitTimeoutMs?: number;
  /** How long `ping()` waits before rejecting (default 2000). */
  readonly pingTimeoutMs?: number;
  /** Where connection errors go (a pino logger fits). Defaults to stderr. */
  readonly logger?: { error(obj: object, msg: string): void };
}

const INTERVAL_OID = 1186;

const stderrLogger = {
  error(obj: object, msg: string): void {
    console.error(msg, obj);
  },
};

/**
 * A failed connect as an error with a class-08 SQLSTATE ("sqlclient unable to establish
 * connection"), so callers recognise an outage by its code alone (the kernel answers 503
 * DATABASE_UNAVAILABLE). pg reports a refused or timed-out connect with only an errno or a message;
 * errors the server sent (a SQLSTATE already: 57P03 starting up, 53300 too many connections,
 * 28P01 bad password) are kept as they are.
 */
function connectFailure(error: unknown): unknown {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) && !code.startsWith('E')) return error;
  const message = error instanceof Error ? error.message : String(error);
  return Object.assign(new Error(`PostgreSQL is unreachable: ${message}`, { cause: error }), { code: '08001' });
}

type ConnectCallback = (err: Error | undefined, client: pg.PoolClient | undefined, done: (release?: unknown) => void) => void;

/** Route every connection the pool hands out (drizzle's, `query()`'s, transactions') through `connectFailure`. */
function normaliseConnectErrors(pool: pg.Pool): void {
  const connect = pool.connect.bind(pool) as (callback?: ConnectCallback) => Promise<pg.PoolClient> | undefined;
  // pg-pool's own query() calls this.connect(callback), so the instance property covers it too.
  pool.connect = ((callback?: ConnectCallback) => {
    if (callback === undefined) {
      return (connect() as Promise<pg.PoolClient>).catch((error: unknown) => {
        throw connectFailure(error);
      });
    }
    return connect((err, client, done) => callback(err === undefined || err === null ? err : (connectFailure(err) as Error), client, done));
  }) as typeof pool.connect;
}

/** The distributed Database adapter: PostgreSQL through a pg pool, shared by every request. */
export async function createPostgresDatabase(options: PostgresDatabaseOptions): Promise<Database> {
  const logger = options.logger ?? stderrLogger;
  const connectTimeoutMs = options.connectTimeoutMs ?? 2_000;
  // pg-pool uses one timeout for waiting on a busy pool and for opening a connection; the client
  // keeps its own for the second, so a burst of load may queue longer than an outage takes to show.
  class Client extends pg.Client {
    constructor(config?: pg.ClientConfig) {
      super({ ...config, connectionTimeoutMillis: connectTimeoutMs });
    }
  }
  const pool = new pg.Pool({
    Client,
    connectionString: options.url,
    max: options.poolSize ?? 10,
    connectionTimeoutMillis: options.poolWaitTimeoutMs ?? 5_000,
    ...(options.applicationName === undefined ? {} : { application_name: options.applicationName }),
    ...(options.statementTimeoutMs === undefined ? {} : { statement_timeout: options.statementTimeoutMs }),
    types: {
      // PGlite hands intervals back as text; keep `query()` rows alike on both adapters.
      getTypeParser: ((oid: number, format?: 'text' | 'binary'): ((value: string) => unknown) =>
        oid === INTERVAL_OID ? (value: string) => value : (pg.types.getTypeParser(oid, format ?? 'text') as (value: string) => unknown)) as typeof pg.types.getTypeParser,
    },
  });

  normaliseConnectErrors(pool);

  // An error on an idle pooled connection (server restart, pg_terminate_backend, network cut) is
  // emitted on the pool; without a listener Node treats it as unhandled and the process dies.
  pool.on('error', (err) => {
    logger.error({ err }, 'idle PostgreSQL connection failed; the pool will open a new one');
  });
  // The same error on a checked-out client between two statements (a transaction waiting on
  // application code) is emitted on the client itself, which pg-pool leaves without a listener.
  pool.on('connect', (client) => {
    client.on('error', (err) => {
      // An error event on a connection is a connection failure (reset, timeout, server gone): pg
      // hands this same object to the statements in flight on it, right after this listener, so
      // give it the SQLSTATE that says so (the errno stays in the message).
      const code = (err as { code?: unknown }).code;
      if (typeof code !== 'string' || !/^[0-9A-Z]{5}$/.test(code) || code.startsWith('E')) Object.assign(err, { code: '08006' });
      logger.error({ err }, 'PostgreSQL connection failed while in use');
    });
  });

  const db = drizzle({ client: pool });
  const pingTimeoutMs = options.pingTimeoutMs ?? 2_000;
  let closing: Promise<void> | undefined;

  return {
    kind: 'postgres',
    db,
    async query<Row = Record<string, unknown>>(text: string, params: readonly unknown[] = [], options: QueryOptions = {}): Promise<Row[]> {
      const values = [...params];
      const result = options.name === undefined ? await pool.query(text, values) : await pool.query({ name: options.name, text, values });
      return result.rows as Row[];
    },
    async ping(): Promise<void> {
      // A race and not only query_timeout: waiting for a free connection counts too.
      await withTimeout(pool.query('select 1'), pingTimeoutMs, `PostgreSQL did not answer within ${pingTimeoutMs} ms`);
    },
    close(): Promise<void> {
      closing ??= pool.end();
      return closing;
    },
  };
}
