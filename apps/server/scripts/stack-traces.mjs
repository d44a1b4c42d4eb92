// @ts-check
/*
 * Stack traces that name the TypeScript files and lines of the server's build. Node's own source
 * map support (--enable-source-maps, process.setSourceMapsEnabled) reads and indexes the map of
 * every module it loads at start, several megabytes of third-party maps (PGlite, drizzle, luxon…)
 * on each start; this reads only the build's own maps, and only when a stack is first formatted.
 */
import { readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** @param {string} distDir the build's folder: frames in its files are mapped, others left alone */
export function mapStackTraces(distDir) {
  const prefix = pathToFileURL(distDir).href + '/';
  /** @type {Map<string, SourceMap | undefined>} */
  const maps = new Map();

  /** @param {string} url */
  function mapOf(url) {
    if (!maps.has(url)) {
      try {
        maps.set(url, new SourceMap(JSON.parse(readFileSync(`${fileURLToPath(url)}.map`, 'utf8'))));
      } catch {
        maps.set(url, undefined);
      }
    }
    return maps.get(url);
  }

  /** @param {NodeJS.CallSite} frame */
  function format(frame) {
    const text = `    at ${String(frame)}`;
    const url = frame.getFileName();
    const line = frame.getLineNumber();
    const column = frame.getColumnNumber();
    if (url === null || line === null || column === null || !url.startsWith(prefix)) return text;
    const entry = mapOf(url)?.findEntry(line - 1, column - 1);
    if (entry === undefined || !('originalSource' in entry)) return text;
    const original = entry.originalSource;
    const source = original.startsWith('file:') ? fileURLToPath(original) : path.resolve(path.dirname(fileURLToPath(url)), original);
    return text.replace(`${url}:${line}:${column}`, `${source}:${entry.originalLine + 1}:${entry.originalColumn + 1}`);
  }

  Error.prepareStackTrace = (error, frames) => {
    let header;
    try {
      header = String(error);
    } catch {
      header = 'Error';
    }
    return [header, ...frames.map(format)].join('\n');
  };
}
