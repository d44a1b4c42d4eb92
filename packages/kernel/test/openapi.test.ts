import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createHttpServer, createLogger, deriveOperationId, problemSchema } from '@timeslot/kernel';

interface Operation {
  operationId: string;
  tags: string[];
  security: unknown[];
  requestBody?: { required: boolean };
  responses: Record<string, { description: string; content?: Record<string, { schema: unknown }> }>;
}

interface Document {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, unknown> };
}

async function documentOf(rateLimited: boolean): Promise<Document> {
  const app = await createHttpServer({ service: 'test', logger: createLogger({ level: 'silent' }), openapi: { rateLimited } });
  app.post(
    '/api/v1/things/:id',
    {
      schema: {
        params: z.object({ id: z.uuid() }),
        body: z.object({ name: z.string() }),
        response: { 200: z.object({ id: z.string() }), 404: problemSchema },
      },
    },
    async (request) => ({ id: request.params.id }),
  );
  app.post(
    '/api/v1/things/:id/close',
    { schema: { operationId: 'closeThing', tags: ['things'], security: [{ bearerAuth: [] }], params: z.object({ id: z.uuid() }), body: z.object({}).nullish() } },
    async () => ({}),
  );
  app.get('/api/v1/status', { schema: { response: { 200: z.object({ ok: z.boolean() }) } } }, async () => ({ ok: true }));
  await app.ready();
  const document = (await app.inject({ url: '/openapi.json' })).json<Document>();
  await app.close();
  return document;
}

describe('the OpenAPI transform', () => {
  it('documents every error as problem+json and adds the statuses every operation may give', async () => {
    const document = await documentOf(false);
    const create = document.paths['/api/v1/things/{id}']?.post as Operation;
    expect(Object.keys(create.responses)).toEqual(['200', '400', '401', '404', '413', '415', '503']);
    for (const status of ['400', '401', '404', '413', '415', '503']) {
      expect(create.responses[status]?.content).toEqual({ 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } });
    }
    expect(document.components.schemas.Problem).toMatchObject({ type: 'object', required: expect.arrayContaining(['type', 'title', 'status', 'code']) });
    // No input, no body: neither 400 nor 413/415.
    expect(Object.keys(document.paths['/api/v1/status']?.get?.responses ?? {})).toEqual(['200', '401', '503']);
  });

  it('derives operationId, tags and optional bearer security where a route gives none, and keeps those it gives', async () => {
    const document = await documentOf(false);
    const create = document.paths['/api/v1/things/{id}']?.post as Operation;
    expect(create).toMatchObject({ operationId: 'postThingsById', tags: ['things'], security: [{}, { bearerAuth: [] }] });
    const close = document.paths['/api/v1/things/{id}/close']?.post as Operation;
    expect(close).toMatchObject({ operationId: 'closeThing', tags: ['things'], security: [{ bearerAuth: [] }], requestBody: { required: false } });
    expect(deriveOperationId('get', '/api/v1/providers/{id}/services/{serviceId}')).toBe('getProvidersByIdServicesByServiceid');
    expect(deriveOperationId('get', '/.well-known/jwks.json')).toBe('getWellKnownJwksJson');
  });

  it('adds 429 to every operation only when a rate limiter runs in front', async () => {
    expect(Object.keys((await documentOf(false)).paths['/api/v1/status']?.get?.responses ?? {})).not.toContain('429');
    const limited = await documentOf(true);
    expect(limited.paths['/api/v1/status']?.get?.responses['429']).toMatchObject({ content: { 'application/problem+json': expect.anything() } });
  });
});
