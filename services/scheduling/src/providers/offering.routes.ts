import { requireIdentity, type App } from '@timeslot/kernel';
import { createOfferingBody, offeringListSchema, offeringParams, offeringSchema, updateOfferingBody } from './offering.schemas';
import type { OfferingService } from './offering.service';
import { readProblems, writeProblems } from './problem.schema';
import { providerIdParams } from './provider.schemas';

const tags = ['services'];
const security = [{ bearerAuth: [] }];

/** A provider's services (event types). */
export function registerOfferingRoutes(app: App, offerings: OfferingService): void {
  app.post(
    '/api/v1/providers/:id/services',
    {
      schema: {
        operationId: 'createService',
        tags,
        security,
        summary: 'Add a service (the provider or an administrator)',
        params: providerIdParams,
        body: createOfferingBody,
        response: { 201: offeringSchema, ...writeProblems },
      },
    },
    async (request, reply) => reply.status(201).send(await offerings.create(requireIdentity(request), request.params.id, request.body)),
  );

  app.get(
    '/api/v1/providers/:id/services',
    {
      schema: {
        operationId: 'listServices',
        tags,
        summary: "A provider's services (inactive ones only for the provider and administrators)",
        params: providerIdParams,
        response: { 200: offeringListSchema, ...readProblems },
      },
    },
    async (request) => ({ items: await offerings.list(request.identity, request.params.id) }),
  );

  app.get(
    '/api/v1/providers/:id/services/:serviceId',
    {
      schema: { operationId: 'getService', tags, summary: 'One service of a provider', params: offeringParams, response: { 200: offeringSchema, ...readProblems } },
    },
    async (request) => offerings.get(request.identity, request.params.id, request.params.serviceId),
  );

  app.patch(
    '/api/v1/providers/:id/services/:serviceId',
    {
      schema: {
        operationId: 'updateService',
        tags,
        security,
        summary: 'Change a service (the provider or an administrator)',
        params: offeringParams,
        body: updateOfferingBody,
        response: { 200: offeringSchema, ...writeProblems },
      },
    },
    async (request) => offerings.update(requireIdentity(request), request.params.id, request.params.serviceId, request.body),
  );
}
