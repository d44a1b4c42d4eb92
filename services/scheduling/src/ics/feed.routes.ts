import { z } from 'zod';
import { problemSchema, requireIdentity, type App } from '@timeslot/kernel';
import type { SchedulingContext } from '../context';
import { renderFeed, revokeFeed, rotateFeed } from './feed.service';

const tags = ['calendar feeds'];
const security = [{ bearerAuth: [] }];
const providerParams = z.object({ id: z.uuid({ message: 'must be a UUID' }) }).strict();
// 32 random bytes in base64url: exactly 43 characters; anything else cannot be a feed.
const tokenParams = z.object({ token: z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'is not a feed token') }).strict();

export function registerFeedRoutes(app: App, ctx: SchedulingContext): void {
  app.post(
    '/api/v1/providers/:id/calendar-feed',
    {
      schema: {
        operationId: 'rotateCalendarFeed',
        tags,
        security,
        summary: 'Create or rotate the provider’s secret iCalendar URL (the previous one stops working)',
        params: providerParams,
        response: {
          201: z.object({ url: z.string().describe('Path of the feed; keep it secret.') }),
          400: problemSchema,
          401: problemSchema,
          403: problemSchema,
          404: problemSchema,
        },
      },
    },
    async (request, reply) => reply.status(201).send(await rotateFeed(ctx, requireIdentity(request), request.params.id)),
  );

  app.delete(
    '/api/v1/providers/:id/calendar-feed',
    {
      schema: {
        operationId: 'revokeCalendarFeed',
        tags,
        security,
        summary: 'Revoke the provider’s iCalendar URL',
        params: providerParams,
        response: { 204: z.null().describe('Revoked; no body.'), 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema },
      },
    },
    async (request, reply) => {
      await revokeFeed(ctx, requireIdentity(request), request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/v1/calendar-feeds/:token.ics',
    {
      schema: {
        operationId: 'getCalendarFeed',
        tags,
        summary: 'A provider’s confirmed bookings as iCalendar (RFC 5545); the URL is the secret',
        params: tokenParams,
        // Sent as text/calendar: Fastify serialises only JSON content types, so the text goes out as
        // is. `produces` tells the document so; errors are problem+json like everywhere else.
        produces: ['text/calendar'],
        response: { 200: z.string().describe('The feed, an iCalendar (RFC 5545) VCALENDAR.'), 400: problemSchema, 404: problemSchema },
      },
    },
    async (request, reply) => {
      const body = await renderFeed(ctx, request.params.token);
      return reply.type('text/calendar; charset=utf-8').header('cache-control', 'private, max-age=300').send(body);
    },
  );
}
