import { problemSchema, requireIdentity, type App } from '@timeslot/kernel';
import type { SchedulingContext } from '../context';
import { registerAvailabilityRoutes } from './availability.routes';
import { registerOfferingRoutes } from './offering.routes';
import { readProblems, writeProblems } from './problem.schema';
import { providerParts } from './provider.parts';
import { createProviderBody, providerIdParams, providerPageSchema, providerSchema, searchQuery, updateProviderBody } from './provider.schemas';
import { createSlotsRepository } from './slots.repository';
import { createSlotsService } from './slots.service';

const tags = ['providers'];
const security = [{ bearerAuth: [] }];

/**
 * Everything under /api/v1/providers: profiles, their services, availability and slots. The
 * caller is `request.identity` (installAuth runs before these routes); public routes accept none.
 */
export function registerProviderRoutes(app: App, ctx: SchedulingContext): void {
  const { providers, offerings, availability } = providerParts(ctx);
  const slots = createSlotsService(ctx, { providers, offerings, availability, repository: createSlotsRepository(ctx.tables) });

  app.post(
    '/api/v1/providers',
    {
      schema: {
        operationId: 'createProvider',
        tags,
        security,
        summary: 'Create the signed-in provider’s profile (one per account)',
        body: createProviderBody,
        response: { 201: providerSchema, 400: problemSchema, 401: problemSchema, 403: problemSchema, 409: problemSchema },
      },
    },
    async (request, reply) => reply.status(201).send(await providers.create(requireIdentity(request), request.body)),
  );

  app.get(
    '/api/v1/providers',
    {
      schema: {
        operationId: 'searchProviders',
        tags,
        summary: 'Search published providers',
        querystring: searchQuery,
        response: { 200: providerPageSchema, 400: problemSchema },
      },
    },
    async (request) => providers.search(request.query),
  );

  app.get(
    '/api/v1/providers/me',
    {
      schema: {
        operationId: 'getMyProvider',
        tags,
        security,
        summary: 'The signed-in provider’s own profile',
        response: { 200: providerSchema, 401: problemSchema, 404: problemSchema },
      },
    },
    async (request) => providers.mine(requireIdentity(request)),
  );

  app.get(
    '/api/v1/providers/:id',
    {
      schema: {
        operationId: 'getProvider',
        tags,
        summary: 'A provider profile (unpublished ones only for their owner and administrators)',
        params: providerIdParams,
        response: { 200: providerSchema, ...readProblems },
      },
    },
    async (request) => providers.visible(request.identity, request.params.id),
  );

  app.patch(
    '/api/v1/providers/:id',
    {
      schema: {
        operationId: 'updateProvider',
        tags,
        security,
        summary: 'Change a provider profile (its owner or an administrator)',
        params: providerIdParams,
        body: updateProviderBody,
        response: { 200: providerSchema, ...writeProblems },
      },
    },
    async (request) => providers.update(requireIdentity(request), request.params.id, request.body),
  );

  registerOfferingRoutes(app, offerings);
  registerAvailabilityRoutes(app, availability, slots);
}
