#!/usr/bin/env node
// Runs the compiled server (apps/server/dist, built by `npm install`). When a source it was built
// from has changed since, it is rebuilt first: an edited checkout never runs stale code. Without
// esbuild (a production install) an out-of-date or missing build falls back to running the
// TypeScript sources through tsx, with a warning.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildServer, entryFile, staleInputs } from '../scripts/build.mjs';
import { mapStackTraces } from '../scripts/stack-traces.mjs';

/** @returns {Promise<boolean>} whether dist/ is fresh (built now if it was not) */
async function ensureBuilt() {
  const stale = staleInputs();
  if (stale !== undefined && stale.length === 0) return true;
  const reason = stale === undefined ? 'no build yet' : `${stale[0]}${stale.length > 1 ? ` and ${stale.length - 1} more` : ''} changed`;
  process.stderr.write(`Building the server (${reason})…\n`);
  try {
    await buildServer();
    return true;
  } catch (error) {
    const missing = error instanceof Error && 'code' in error && error.code === 'ERR_MODULE_NOT_FOUND';
    process.stderr.write(`timeslot: warning: ${missing ? 'esbuild is not installed' : `the build failed (${String(error)})`}; running the TypeScript sources through tsx (slower to start).\n`);
    return false;
  }
}

if (await ensureBuilt()) {
  mapStackTraces(path.dirname(entryFile));
  await import(pathToFileURL(entryFile).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(pathToFileURL(path.resolve(import.meta.dirname, '../src/cli.ts')).href);
}
