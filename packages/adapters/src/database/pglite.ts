import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { PGlite, types } from '@electric-sql/pglite';
import { btree_gist } from '@electric-sql/pglite/contrib/btree_gist';
import { drizzle } from 'drizzle-orm/pglite';
import type { Database } from '@timeslot/ports';

export interface PgliteDatabaseOptions {
  /** Directory holding the database files; undefined keeps everything in memory (tests). */
  readonly dataDir?: string;
}

/**
 * The embedded Database adapter: PostgreSQL compiled to WebAssembly, in this process.
 *
 * PGlite is a single connection. Its `transaction()` holds an exclusive lock that every other
 * `query()`/`exec()` also waits on, and drizzle's PGlite session opens transactions through it, so
 * concurrent `db.transaction()` calls run one after the other instead of interleaving statements
 * on the one session. The flip side: inside a transaction callback use only `tx`; a statement sent
 * through `database.db` or `database.query()` from inside it waits for the lock it is holding, forever.
 */
export async function createPgliteDatabase(options: PgliteDatabaseOptions = {}): Promise<Database> {
  let dataDir: string | undefined;
  if (options.dataDir !== undefined) {
    dataDir = resolve(options.dataDir);
    // PGlite creates the directory itself but not its parents (`data/` on a fresh checkout).
    await mkdir(dataDir, { recursive: true });
  }
  const client = await PGlite.create({
    ...(dataDir === undefined ? {} : { dataDir }),
    // node-postgres returns int8 as a string (it may not fit a JS number); do the same here so rows
    // from `query()` look alike on both adapters. int8[] follows, as array parsers wrap these.
    parsers: { [types.INT8]: (value: string) => value },
    // Exclusion constraints mixing equality and ranges (no double booking) need btree_gist, which
    // a PostgreSQL server ships as a contrib extension; PGlite loads it as a module.
    extensions: { btree_gist },
  });
  const db = drizzle({ client });
  let closing: Promise<void> | undefined;

  return {
    kind: 'pglite',
    db,
    async query<Row = Record<string, unknown>>(text: string, params: readonly unknown[] = []): Promise<Row[]> {
      const result = await client.query<Row>(text, [...params]);
      return result.rows;
    },
    async ping(): Promise<void> {
      await client.query('select 1');
    },
    close(): Promise<void> {
      closing ??= client.close();
      return closing;
    },
  };
}
