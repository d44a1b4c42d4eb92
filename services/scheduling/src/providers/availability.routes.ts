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
        response: { 200: slotsResponseSchema, ...readProblems },
      },
    },
    async (request, reply) => {
      const result = await slots.list(request.identity, request.params.id, request.query);
      // A month of slots is hundreds of objects built by computeSlots, not read from storage:
      // checking every ISO string against the schema again cost more than computing them. The
      // schema still documents the response (OpenAPI); this serialises it as it is.
      return reply.serializer(JSON.stringify).send(result);
    },
  );
}
