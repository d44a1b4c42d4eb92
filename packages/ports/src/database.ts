import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';

/**
 * A Drizzle database handle. Both adapters (PGlite and node-postgres) return a subclass of
 * `PgDatabase`, and a transaction handle (`tx`) is one too, so repositories accept `Db` and work
 * the same inside or outside a transaction.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Db = PgDatabase<PgQueryResultHKT, any>;

/**
 * The Database port. Embedded: PGlite (a file under data/, or in memory for tests).
 * Distributed: PostgreSQL through a pg pool.
 *
 * Semantics every adapter keeps:
 * - `db.transaction()` is a real, serializable-capable Postgres transaction; PGlite runs them one
 *   at a time, Postgres concurrently.
 * - `query()` runs one parameterised statement ($1, $2 …) and returns its rows. With a `name`, a
 *   hot statement is prepared once per connection where the server supports it (PostgreSQL); one
 *   name must always go with one text.
 * - `ping()` rejects while the server cannot answer; `/readyz` uses it.
 */
export interface Database {
  readonly kind: 'pglite' | 'postgres';
  readonly db: Db;
  query<Row = Record<string, unknown>>(text: string, params?: readonly unknown[], options?: QueryOptions): Promise<Row[]>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface QueryOptions {
  /** Prepare the statement under this name (PostgreSQL; PGlite ignores it). */
  readonly name?: string;
}

/** One SQL migration of one service, applied in `id` order inside the service's own schema. */
export interface Migration {
  /** e.g. "0001_init" — the file name without ".sql". */
  readonly id: string;
  readonly sql: string;
}
