import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchMergedOpenApi } from '../src/openapi';
import { startEchoServer, type EchoServer } from './helpers';

/** Two services that each call an operation `listThings`, on different paths. */
const documentOf = (service: string, path: string) => ({
  openapi: '3.1.0',
  info: { title: `Timeslot ${service}`, version: '1.0.0' },
  paths: {
    [path]: {
      get: { operationId: 'listThings', tags: [service], responses: { 200: { description: 'ok', content: { 'application/json': { schema: { type: 'object' } } } } } },
      post: { operationId: `create_${service}`, requestBody: { content: { 'application/json': { schema: { type: 'object' } } } }, responses: { 201: { description: 'ok' } } },
    },
  },
});

let alpha: EchoServer;
let beta: EchoServer;

beforeAll(async () => {
  [alpha, beta] = await Promise.all([
    startEchoServer('alpha', { openapi: documentOf('alpha', '/api/v1/alpha') }),
    startEchoServer('beta', { openapi: documentOf('beta', '/api/v1/beta') }),
  ]);
});

afterAll(async () => {
  await Promise.all([alpha.close(), beta.close()]);
});

describe('the merged OpenAPI document', () => {
  it('keeps operationIds unique and documents what the gateway adds to every proxied operation', async () => {
    const { document, missing } = await fetchMergedOpenApi([
      { service: 'alpha', prefix: '/api/v1/alpha', upstreams: [alpha.url] },
      { service: 'beta', prefix: '/api/v1/beta', upstreams: [beta.url] },
    ]);
    expect(missing).toEqual([]);
    const paths = document.paths as Record<string, Record<string, { operationId: string; responses: Record<string, { content?: object }> }>>;
    expect(paths['/api/v1/alpha']?.get?.operationId).toBe('listThings');
    expect(paths['/api/v1/beta']?.get?.operationId).toBe('listThings_beta');
    const post = paths['/api/v1/beta']?.post;
    expect(Object.keys(post?.responses ?? {})).toEqual(['201', '400', '401', '413', '415', '429', '502', '503', '504']);
    expect(post?.responses['502']?.content).toEqual({ 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } });
    expect(document.components?.schemas).toHaveProperty('Problem');
  });
});
