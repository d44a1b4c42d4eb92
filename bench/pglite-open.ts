// The embedded start and memory baselines: PGlite alone opening a data directory with the options
// of packages/adapters/src/database/pglite.ts (the int8 parser, the btree_gist extension), then
// `select 1`; prints "ready" with its answer and stays open, idle, until SIGTERM.
// The bench compiles this file to plain JavaScript first (bench/startup.ts): loading it through
// tsx would add the TypeScript loader's start-up to the baseline.
import { PGlite, types } from '@electric-sql/pglite';
import { btree_gist } from '@electric-sql/pglite/contrib/btree_gist';

const dataDir = process.argv[2];
if (dataDir === undefined) throw new Error('usage: pglite-open <data directory>');
const client = await PGlite.create({ dataDir, parsers: { [types.INT8]: (value: string) => value }, extensions: { btree_gist } });
await client.query('select 1');
process.stdout.write('ready\n');
// PGlite holds no handle of its own that keeps the process alive while idle.
const alive = setInterval(() => undefined, 60_000);
process.on('SIGTERM', () => {
  clearInterval(alive);
  void client.close().then(() => process.exit(0));
});
