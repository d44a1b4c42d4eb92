import { z } from 'zod';
import { requireIdentity, type App } from '@timeslot/kernel';
import { availabilityBody, availabilitySchema, slotsQuery, slotsResponseSchema } from './availability.schemas';
import type { AvailabilityService } from './availability.service';
import { readProblems, writeProblems } from './problem.schema';
import { providerIdParams } from './provider.schemas';
import type { SlotsService } from './slots.service';

const tags = ['availability'];
const security = [{ bearerAuth: [] }];

/** Availability (weekly rules, overrides, blocked periods) and the free slots computed from it. */
export function registerAvailabilityRoutes(app: App, availability: AvailabilityService, slots: SlotsService): void {
  app.get(
    '/api/v1/providers/:id/availability',
    {
      schema: {
        tags,
        security,
        summary: "A provider's availability (the provider or an administrator)",
        params: providerIdParams,
        response: { 200: availabilitySchema, ...writeProblems },
      },
    },
    async (request) => availability.get(requireIdentity(request), request.params.id),
  );

  app.put(
    '/api/v1/providers/:id/availability',
    {
      schema: {
        tags,
        security,
        summary: "Replace a provider's availability (the provider or an administrator)",
        params: providerIdParams,
        body: availabilityBody,
        response: { 200: availabilitySchema, ...writeProblems },
      },
    },
    async (request) => availability.replace(requireIdentity(request), request.params.id, request.body),
  );

  app.get(
    '/api/v1/providers/:id/slots',
    {
      schema: {
        tags,
        summary: 'Free slots of one service, for up to 31 days',
        params: providerIdParams,
        querystring: slotsQuery,
        headers: z.object({ 'if-none-match': z.string().optional().describe('An ETag of an earlier answer: 304 when the slots have not changed.') }),
        response: { 200: slotsResponseSchema, 304: z.null().describe('Not modified: the slots are the ones the If-None-Match tag names.'), ...readProblems },
      },
    },
    async (request, reply) => {
      const page = await slots.list(request.identity, request.params.id, request.query);
      void reply.header('etag', page.etag).header('cache-control', 'no-cache');
      if (matches(request.headers['if-none-match'], page.etag)) return reply.status(304).send(null);
      // The page is JSON computed (and cached) once; checking its hundreds of ISO strings against
      // the response schema on every read would cost more than computing them. The schema still
      // documents the response (OpenAPI).
      // The route's type wants the parsed shape; `body` is that shape, already serialised.
      const json = page.body as unknown as z.infer<typeof slotsResponseSchema>;
      return reply.type('application/json; charset=utf-8').serializer((body) => body as string).send(json);
    },
  );
}

/** If-None-Match (RFC 9110 §13.1.2): `*`, or a list of tags compared weakly. */
function matches(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  return header.split(',').some((candidate) => {
    const tag = candidate.trim();
    return tag === '*' || tag === etag || tag === `W/${etag}`;
  });
}
