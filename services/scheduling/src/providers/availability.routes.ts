import { gzipSync } from 'node:zlib';
import { z } from 'zod';
import { registeredCounter, requireIdentity, type App } from '@timeslot/kernel';
import { availabilityBody, availabilitySchema, slotsQuery, slotsResponseSchema } from './availability.schemas';
import type { AvailabilityService } from './availability.service';
import { readProblems, writeProblems } from './problem.schema';
import { providerIdParams } from './provider.schemas';
import type { SlotsPage, SlotsService } from './slots.service';

const tags = ['availability'];
const security = [{ bearerAuth: [] }];

/** Availability (weekly rules, overrides, blocked periods) and the free slots computed from it. */
export function registerAvailabilityRoutes(app: App, availability: AvailabilityService, slots: SlotsService): void {
  const pages = registeredCounter(
    app.metrics.registry,
    'scheduling_slot_pages_total',
    'Slot pages served, by where they came from: the page cache (hit), computed (miss), a computation already running (shared), or computed without the cache while it is down (uncached)',
    ['source'],
  );

  app.get(
    '/api/v1/providers/:id/availability',
    {
      schema: {
        operationId: 'getAvailability',
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
        operationId: 'replaceAvailability',
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
        operationId: 'listSlots',
        tags,
        summary: 'Free slots of one service, for up to 31 days',
        params: providerIdParams,
        querystring: slotsQuery,
        headers: z.object({ 'if-none-match': z.string().optional().describe('An ETag of an earlier answer: 304 when the slots have not changed.') }),
        response: { 200: slotsResponseSchema, 304: z.null().describe('Not modified: the slots are the ones the If-None-Match tag names.'), ...readProblems },
      },
    },
    async (request, reply) => {
      const { page, source } = await slots.list(request.identity, request.params.id, request.query);
      pages.inc({ source });
      // A month of slots is tens of kilobytes of JSON and about a tenth of that gzipped: clients
      // that accept gzip get the compressed bytes, made once per cached page.
      const gzip = acceptsGzip(request.headers['accept-encoding']);
      const etag = gzip ? `${page.etag.slice(0, -1)}-gzip"` : page.etag;
      void reply.header('etag', etag).header('cache-control', 'no-cache').header('vary', 'accept-encoding');
      if (matches(request.headers['if-none-match'], etag)) return reply.status(304).send(null);
      // The page is JSON computed (and cached) once; checking its hundreds of ISO strings against
      // the response schema on every read would cost more than computing them. The schema still
      // documents the response (OpenAPI). The route's type wants the parsed shape; this is that
      // shape, already serialised.
      const body = (gzip ? gzipped(page) : page.body) as unknown as z.infer<typeof slotsResponseSchema>;
      if (gzip) void reply.header('content-encoding', 'gzip');
      return reply.type('application/json; charset=utf-8').serializer((payload) => payload as string).send(body);
    },
  );
}

const compressed = new WeakMap<SlotsPage, Buffer>();

function gzipped(page: SlotsPage): Buffer {
  let bytes = compressed.get(page);
  if (bytes === undefined) {
    bytes = gzipSync(page.body);
    compressed.set(page, bytes);
  }
  return bytes;
}

/** Accept-Encoding names gzip, without q=0 (RFC 9110 §12.5.3). */
function acceptsGzip(header: string | undefined): boolean {
  if (header === undefined) return false;
  return header.split(',').some((item) => {
    const [coding, ...params] = item.trim().toLowerCase().split(';');
    if (coding !== 'gzip' && coding !== 'x-gzip' && coding !== '*') return false;
    return !params.some((param) => /^\s*q\s*=\s*0(\.0*)?\s*$/.test(param));
  });
}

/** If-None-Match (RFC 9110 §13.1.2): `*`, or a list of tags compared weakly. */
function matches(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  return header.split(',').some((candidate) => {
    const tag = candidate.trim();
    return tag === '*' || tag === etag || tag === `W/${etag}`;
  });
}
