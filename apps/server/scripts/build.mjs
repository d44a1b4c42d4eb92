#!/usr/bin/env node
// @ts-check
/*
 * The server's build: apps/server/src/cli.ts and the workspace code it imports (@timeslot/*),
 * bundled by esbuild into apps/server/dist/ so a start runs compiled JavaScript instead of
 * compiling TypeScript. npm dependencies stay external (node_modules, as installed). `npm install`
 * builds it (the root package's prepare script); bin/timeslot.mjs rebuilds it when a source it was
 * built from has changed since, so an edited checkout never runs stale code.
 *
 *   node apps/server/scripts/build.mjs        (npm run build:server)
 */
import { readFileSync, statSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const serverDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const rootDir = path.resolve(serverDir, '../..');
const distDir = path.join(serverDir, 'dist');
/** The bundle's entry point. */
export const entryFile = path.join(distDir, 'cli.js');
/** Every file the bundle was built from, with its size and mtime then (see staleInputs). */
const manifestFile = path.join(distDir, 'inputs.json');
/** Besides the sources: this script (how they are built) and the root package.json (what stays external). */
const buildFiles = [fileURLToPath(import.meta.url), path.join(rootDir, 'package.json')];

/** @param {string} file */
function fingerprint(file) {
  try {
    const { size, mtimeMs } = statSync(file);
    return `${size}:${mtimeMs}`;
  } catch {
    return 'missing';
  }
}

/**
 * The inputs (paths relative to the repository) changed, added or removed since the bundle was
 * built: empty when it is fresh; undefined when there is no bundle. A few hundred stat calls, a
 * few milliseconds.
 * @returns {string[] | undefined}
 */
export function staleInputs() {
  /** @type {Record<string, string>} */
  let recorded;
  try {
    recorded = JSON.parse(readFileSync(manifestFile, 'utf8')).inputs;
  } catch {
    return undefined;
  }
  return Object.keys(recorded).filter((file) => fingerprint(path.resolve(rootDir, file)) !== recorded[file]);
}

/** Whether a bare import specifier names a package of the root package.json (kept external). */
function externalPackages() {
  const manifest = JSON.parse(readFileSync(path.join(rootDir, 'package.json'), 'utf8'));
  return new Set([...Object.keys(manifest.dependencies ?? {}), ...Object.keys(manifest.devDependencies ?? {})]);
}

/**
 * npm packages stay external (Node loads them from node_modules, as installed); our workspace
 * packages are bundled. A bare import of anything else is a dependency missing from the root
 * package.json: the build fails rather than bundling whatever a hoisted node_modules happens to hold.
 * @param {Set<string>} packages
 * @returns {import('esbuild').Plugin}
 */
function externals(packages) {
  return {
    name: 'timeslot-externals',
    setup(build) {
      build.onResolve({ filter: /^[^./]/ }, (args) => {
        if (args.path.startsWith('node:') || args.path.startsWith('@timeslot/')) return undefined;
        const parts = args.path.split('/');
        const name = args.path.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
        if (name !== undefined && packages.has(name)) return { path: args.path, external: true, sideEffects: false };
        return { errors: [{ text: `"${args.path}" is not a dependency in the root package.json` }] };
      });
    },
  };
}

/**
 * Our modules (and, in `externals`, npm imports) are declared free of side effects on import, which
 * holds for this code base: nothing is imported for its side effects alone. esbuild then leaves a
 * module whose exports the start does not use out of the start's chunks, so what the code loads
 * lazily (`await import(…)`: distributed adapters, payment and Google SDKs) stays lazy even when a
 * package index re-exports it. apps/server/test/build.test.ts checks the outcome.
 * @returns {import('esbuild').Plugin}
 */
function pure() {
  return {
    name: 'timeslot-pure',
    setup(build) {
      build.onResolve({ filter: /^(\.|@timeslot\/)/ }, async (args) => {
        if (args.pluginData === 'pure') return undefined;
        const result = await build.resolve(args.path, { kind: args.kind, importer: args.importer, resolveDir: args.resolveDir, pluginData: 'pure' });
        if (result.errors.length > 0) return { errors: result.errors };
        return { ...result, sideEffects: false };
      });
    },
  };
}

/**
 * Our sources find files next to them through `import.meta.url` (migrations, the web app's build);
 * in the bundle that would be the bundle's address, so it is replaced by the source file's own,
 * computed from the bundle's at run time (the checkout may move after the build).
 * @returns {import('esbuild').Plugin}
 */
function sourceUrls() {
  return {
    name: 'timeslot-source-urls',
    setup(build) {
      build.onLoad({ filter: /\.ts$/ }, async (args) => {
        if (args.path.includes(`${path.sep}node_modules${path.sep}`)) return undefined;
        const source = await readFile(args.path, 'utf8');
        if (!source.includes('import.meta.url')) return { contents: source, loader: 'ts' };
        const relative = path.relative(distDir, args.path).split(path.sep).join('/');
        return { contents: source.replaceAll('import.meta.url', `new URL(${JSON.stringify(relative)}, import.meta.url).href`), loader: 'ts' };
      });
    },
  };
}

/** Build apps/server/dist/ (about a second). Concurrent builds are safe: every file is replaced atomically, the manifest last. */
export async function buildServer() {
  const esbuild = await import('esbuild');
  const result = await esbuild.build({
    absWorkingDir: rootDir,
    entryPoints: [path.join(serverDir, 'src/cli.ts')],
    bundle: true,
    // Chunks keep the CLI's lazy import of the server: `timeslot --help` loads commander, not Fastify.
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    outdir: distDir,
    // Stack traces point at the .ts lines (the bin enables source maps); the sources stay out of the maps.
    sourcemap: 'linked',
    sourcesContent: false,
    metafile: true,
    write: false,
    logLevel: 'warning',
    plugins: [pure(), externals(externalPackages()), sourceUrls()],
  });
  await mkdir(distDir, { recursive: true });
  const written = new Set(result.outputFiles.map((file) => file.path));
  for (const file of result.outputFiles) await replace(file.path, file.contents);
  /** @type {Record<string, string>} */
  const inputs = {};
  for (const file of [...Object.keys(result.metafile.inputs).map((input) => path.resolve(rootDir, input)), ...buildFiles]) {
    inputs[path.relative(rootDir, file)] = fingerprint(file);
  }
  await replace(manifestFile, JSON.stringify({ inputs }, null, 1));
  await pruneOldChunks([...written, manifestFile]);
}

/**
 * @param {string} file
 * @param {string | Uint8Array} contents
 */
async function replace(file, contents) {
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, contents);
  await rename(temporary, file);
}

/**
 * Chunk names carry a content hash, so each build that changes a chunk leaves the old one behind.
 * Those are removed once they are a minute old: a process that started from the previous build may
 * still be about to load one.
 * @param {string[]} keep
 */
async function pruneOldChunks(keep) {
  const now = Date.now();
  for (const name of await readdir(distDir)) {
    const file = path.join(distDir, name);
    if (keep.includes(file)) continue;
    const { mtimeMs } = await stat(file).catch(() => ({ mtimeMs: now }));
    if (now - mtimeMs > 60_000) await rm(file, { force: true });
  }
}

if (process.argv[1] !== undefined && pathToFileURL(process.argv[1]).href === import.meta.url) {
  const began = performance.now();
  await buildServer();
  process.stderr.write(`Built ${path.relative(process.cwd(), entryFile)} in ${Math.round(performance.now() - began)} ms\n`);
}
