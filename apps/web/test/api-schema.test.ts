import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { generateSchema, schemaPath } from '../scripts/generate-api';

describe('the web app’s API types', () => {
  it('match the server’s OpenAPI document (run `npm run generate-api -w @timeslot/web` when this fails)', async () => {
    const committed = await readFile(schemaPath, 'utf8');
    const fresh = await generateSchema();
    // A plain equality check: the diff vitest prints for a 300 kB string helps nobody.
    expect(fresh === committed, 'apps/web/src/api/schema.d.ts is out of date: npm run generate-api -w @timeslot/web').toBe(true);
  }, 120_000);
});
