import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { sql, type SQL } from 'drizzle-orm';
import type { Database, Db, Migration } from '@timeslot/ports';

export interface MigrateOptions {
  /** The service's own Postgres schema, e.g. "scheduling". Created when missing. */
  readonly schema: string;
  readonly migrations: readonly Migration[];
}

/** Thrown when a migration already applied was edited afterwards. */
export class MigrationChecksumError extends Error {
  constructor(
    readonly schema: string,
    readonly migrationId: string,
  ) {
    super(
      `Migration "${migrationId}" in schema "${schema}" was changed after it was applied. ` +
        'Applied migrations are history: restore the file and add a new migration for the change.',
    );
    this.name = 'MigrationChecksumError';
  }
}

/** Runs a statement through drizzle and returns its rows, whichever driver answered. */
export async function executeRows<Row>(db: Db, query: SQL): Promise<Row[]> {
  // node-postgres answers with a QueryResult, PGlite with { rows }: both carry `rows`.
  const result: unknown = await db.execute(query);
  return (result as { rows?: Row[] }).rows ?? [];
}

/** Line endings do not count: a checkout with CRLF must not look like an edited migration. */
function checksum(text: string): string {
  return createHash('sha256').update(text.replace(/\r\n/g, '\n')).digest('hex');
}

/**
 * Applies the pending migrations of one service, each in its own transaction with `search_path`
 * set to the service's schema (then `public`, where extensions live), and records them in
 * `<schema>.schema_migrations`.
 *
 * Several replicas may start at once: every transaction here first takes a transaction-level
 * advisory lock on the schema, so one replica applies a migration while the others wait and then
 * find it recorded. Each migration is re-checked under the lock, so it runs exactly once.
 */
export async function migrate(database: Database, options: MigrateOptions): Promise<{ applied: string[] }> {
  const { schema } = options;
  const migrations = [...options.migrations].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (let i = 1; i < migrations.length; i++) {
    if (migrations[i]?.id === migrations[i - 1]?.id) {
      throw new Error(`Migration id "${migrations[i]?.id}" is listed twice for schema "${schema}".`);
    }
  }
  const schemaId = sql.identifier(schema);
  const ledger = sql`${schemaId}.${sql.identifier('schema_migrations')}`;
  const lock = sql`select pg_advisory_xact_lock(hashtext(${`timeslot.migrate.${schema}`}))`;

  const readLedger = async (tx: Db): Promise<Map<string, string>> => {
    const rows = await executeRows<{ id: string; checksum: string }>(tx, sql`select id, checksum from ${ledger}`);
    return new Map(rows.map((row) => [row.id, row.checksum]));
  };

  const applied: string[] = [];
  // Creating the schema races too (concurrent CREATE SCHEMA IF NOT EXISTS can fail), hence the lock.
  const known = await database.db.transaction(async (tx) => {
    await tx.execute(lock);
    await tx.execute(sql`create schema if not exists ${schemaId}`);
    await tx.execute(
      sql`create table if not exists ${ledger} (id text primary key, applied_at timestamptz not null default now(), checksum text not null)`,
    );
    return readLedger(tx);
  });
  // Check every checksum before applying anything: an edited history means the code and the
  // database disagree, and applying newer migrations on top would only dig deeper.
  for (const migration of migrations) {
    const recorded = known.get(migration.id);
    if (recorded !== undefined && recorded !== checksum(migration.sql)) {
      throw new MigrationChecksumError(schema, migration.id);
    }
  }

  for (const migration of migrations) {
    if (known.has(migration.id)) continue;
    const statements = splitSqlStatements(migration.sql);
    const didApply = await database.db.transaction(async (tx) => {
      await tx.execute(lock);
      const recorded = (await readLedger(tx)).get(migration.id);
      if (recorded !== undefined) {
        if (recorded !== checksum(migration.sql)) throw new MigrationChecksumError(schema, migration.id);
        return false;
      }
      await tx.execute(sql`select set_config('search_path', ${`${quoteIdentifier(schema)}, public`}, true)`);
      for (const [index, statement] of statements.entries()) {
        try {
          await tx.execute(sql.raw(statement));
        } catch (error) {
          const reason = error instanceof Error ? error.message : String(error);
          throw new Error(
            `Migration "${migration.id}" (schema "${schema}") failed at statement ${index + 1}: ${reason}\n${statement.slice(0, 500)}`,
            { cause: error },
          );
        }
      }
      await tx.execute(sql`insert into ${ledger} (id, checksum) values (${migration.id}, ${checksum(migration.sql)})`);
      return true;
    });
    if (didApply) applied.push(migration.id);
  }
  return { applied };
}

/** A PostgreSQL identifier (a schema or table name) quoted for SQL text. */
export function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** Reads every `*.sql` file of a folder, sorted by name; the id is the name without ".sql". */
export async function loadMigrations(dir: string | URL): Promise<Migration[]> {
  const path = dir instanceof URL ? fileURLToPath(dir) : dir;
  const names = (await readdir(path)).filter((name) => name.endsWith('.sql')).sort();
  return Promise.all(
    names.map(async (name) => ({ id: name.slice(0, -'.sql'.length), sql: await readFile(join(path, name), 'utf8') })),
  );
}

const IDENT_CHAR = /[\p{L}\p{N}_$]/u;
const DOLLAR_TAG = /\$(?:[\p{L}_][\p{L}\p{N}_]*)?\$/uy;

/**
 * Splits a SQL script at the semicolons that end statements, skipping those inside quotes,
 * dollar-quoted bodies and comments. Needed because PGlite runs a parameterised call (what
 * drizzle sends) as one prepared statement, which may hold a single command only.
 */
export function splitSqlStatements(script: string): string[] {
  const statements: string[] = [];
  let start = 0;
  let hasCode = false;
  let i = 0;
  const push = (end: number): void => {
    if (hasCode) statements.push(script.slice(start, end).trim());
    start = end + 1;
    hasCode = false;
  };
  while (i < script.length) {
    const c = script[i] as string;
    const next = script[i + 1];
    const prev = i > 0 ? (script[i - 1] as string) : '';
    if (c === '-' && next === '-') {
      const end = script.indexOf('\n', i);
      i = end === -1 ? script.length : end + 1;
    } else if (c === '/' && next === '*') {
      // Block comments nest in PostgreSQL.
      let depth = 1;
      i += 2;
      while (i < script.length && depth > 0) {
        if (script.startsWith('/*', i)) {
          depth++;
          i += 2;
        } else if (script.startsWith('*/', i)) {
          depth--;
          i += 2;
        } else {
          i++;
        }
      }
    } else if (c === "'" || c === '"') {
      // In E'…' strings a backslash escapes the next character; elsewhere only doubling does.
      const backslashes = c === "'" && /[eE]/.test(prev) && !IDENT_CHAR.test(script[i - 2] ?? '');
      hasCode = true;
      i++;
      while (i < script.length) {
        const d = script[i];
        if (backslashes && d === '\\') {
          i += 2;
        } else if (d === c) {
          if (script[i + 1] === c) {
            i += 2;
          } else {
            i++;
            break;
          }
        } else {
          i++;
        }
      }
    } else if (c === '$' && !IDENT_CHAR.test(prev)) {
      DOLLAR_TAG.lastIndex = i;
      const tag = DOLLAR_TAG.exec(script)?.[0];
      hasCode = true;
      if (tag === undefined) {
        i++; // a positional parameter such as $1
      } else {
        const end = script.indexOf(tag, i + tag.length);
        i = end === -1 ? script.length : end + tag.length;
      }
    } else if (c === ';') {
      push(i);
      i++;
    } else {
      if (!/\s/.test(c)) hasCode = true;
      i++;
    }
  }
  push(script.length);
  return statements;
}
