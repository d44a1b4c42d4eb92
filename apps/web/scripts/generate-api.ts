import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import openapiTS, { astToString } from 'openapi-typescript';
import { createLogger } from '@timeslot/kernel';
import { buildTimeslot } from '@timeslot/server/app';
import { configSchema, serviceNames } from '@timeslot/server/config';

/*
 * The web app's API types come from the server's own OpenAPI document: every service mounted in one
 * embedded app (the same document the gateway merges in distributed mode), turned into TypeScript
 * by openapi-typescript. `npm run generate-api -w @timeslot/web` rewrites the file; a test
 * (apps/web/test/api-schema.test.ts) fails when the committed file differs from a fresh generation,
 * so the client cannot drift from the API.
 */

export const schemaPath = fileURLToPath(new URL('../src/api/schema.d.ts', import.meta.url));

const banner = `/**
 * Generated from the server's OpenAPI document by apps/web/scripts/generate-api.ts.
 * Do not edit: run \`npm run generate-api -w @timeslot/web\`.
 */
`;

/** The embedded server's merged document, built without listening on a port. */
export async function readOpenApiDocument(): Promise<unknown> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'timeslot-openapi-'));
  const config = configSchema.parse({ DATA_DIR: dataDir, LOG_LEVEL: 'silent' });
  const timeslot = await buildTimeslot({ config, mode: 'embedded', services: serviceNames, logger: createLogger({ level: 'silent' }) });
  try {
    const response = await timeslot.app.inject({ method: 'GET', url: '/openapi.json' });
    if (response.statusCode !== 200) throw new Error(`GET /openapi.json answered ${response.statusCode}`);
    return response.json<unknown>();
  } finally {
    await timeslot.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

export async function generateSchema(): Promise<string> {
  const document = await readOpenApiDocument();
  const ast = await openapiTS(document as Parameters<typeof openapiTS>[0], { alphabetize: true });
  return banner + astToString(ast);
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const next = await generateSchema();
  const previous = await readFile(schemaPath, 'utf8').catch(() => '');
  if (next === previous) {
    process.stdout.write(`${path.relative(process.cwd(), schemaPath)} is up to date\n`);
  } else {
    await writeFile(schemaPath, next);
    process.stdout.write(`wrote ${path.relative(process.cwd(), schemaPath)}\n`);
  }
}
