import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, webRoot } from './harness';

/*
 * The JavaScript a client downloads before they can book: the entry chunk, everything it imports
 * statically, and the provider page's chunk with its imports. Budget: 200 kB gzip (issue 11).
 * This is a size check on the build's own manifest, not a timing.
 */

interface ManifestChunk {
  file: string;
  isEntry?: boolean;
  imports?: string[];
  src?: string;
}

const budgetBytes = 200 * 1024;
let manifest: Record<string, ManifestChunk>;

beforeAll(async () => {
  await assertBuilt();
  manifest = JSON.parse(await readFile(path.join(webRoot, '.vite', 'manifest.json'), 'utf8')) as Record<string, ManifestChunk>;
});

function closure(keys: readonly string[]): Set<string> {
  const files = new Set<string>();
  const visit = (key: string): void => {
    const chunk = manifest[key];
    if (chunk === undefined || files.has(chunk.file)) return;
    files.add(chunk.file);
    for (const next of chunk.imports ?? []) visit(next);
  };
  for (const key of keys) visit(key);
  return files;
}

describe('the client booking path', () => {
  it('downloads at most 200 kB of gzipped JavaScript', async () => {
    const entry = Object.entries(manifest).find(([, chunk]) => chunk.isEntry === true)?.[0];
    expect(entry).toBeDefined();
    const providerPage = Object.keys(manifest).find((key) => key.endsWith('pages/client/ProviderPage.tsx'));
    expect(providerPage).toBeDefined();
    let total = 0;
    for (const file of closure([entry!, providerPage!])) {
      if (file.endsWith('.js')) total += gzipSync(await readFile(path.join(webRoot, file))).length;
    }
    console.log(`client booking path: ${(total / 1024).toFixed(1)} kB of JavaScript, gzip`);
    expect(total).toBeGreaterThan(10 * 1024);
    expect(total).toBeLessThanOrEqual(budgetBytes);
  });
});
