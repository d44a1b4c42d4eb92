import { z } from 'zod';
import { problemSchema, requireIdentity, type App } from '@timeslot/kernel';
import type { SchedulingContext } from '../context';
import { idParams } from '../bookings/booking.schemas';
import { joinWaitlistBody, waitlistEntrySchema, waitlistListSchema } from './waitlist.schemas';
import { joinWaitlist, leaveWaitlist, listWaitlist } from './waitlist.service';

const tags = ['waitlist'];
const security = [{ bearerAuth: [] }];

export function registerWaitlistRoutes(app: App, ctx: SchedulingContext): void {
  app.post(
    '/api/v1/waitlist',
    {
      schema: {
        operationId: 'joinWaitlist',
        tags,
        security,
        summary: 'Join the waitlist of a full slot or day; freed slots are offered in arrival order',
        body: joinWaitlistBody,
        response: { 201: waitlistEntrySchema, 400: problemSchema, 401: problemSchema, 404: problemSchema, 409: problemSchema },
      },
    },
    async (request, reply) => reply.status(201).send(await joinWaitlist(ctx, requireIdentity(request), request.body)),
  );

  app.get(
    '/api/v1/waitlist',
    {
      schema: { operationId: 'listWaitlist', tags, security, summary: 'My waitlist entries, in arrival order', response: { 200: waitlistListSchema, 401: problemSchema } },
    },
    async (request) => ({ items: await listWaitlist(ctx, requireIdentity(request)) }),
  );

  app.delete(
    '/api/v1/waitlist/:id',
    {
      schema: {
        operationId: 'leaveWaitlist',
        tags,
        security,
        summary: 'Leave a waitlist (an open offer is declined)',
        params: idParams,
        response: { 204: z.null().describe('Left; no body.'), 400: problemSchema, 401: problemSchema, 404: problemSchema },
      },
    },
    async (request, reply) => {
      await leaveWaitlist(ctx, requireIdentity(request), request.params.id, request.id);
      return reply.status(204).send(null);
    },
  );
}
