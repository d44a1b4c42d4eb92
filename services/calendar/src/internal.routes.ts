import { z } from 'zod';
import { commonErrors, requireInternalToken, type App } from '@timeslot/kernel';
import { busyTimesSchema, meetingRequestSchema, meetingSchema } from '@timeslot/ports';
import { busyTimes } from './busy/busy.service';
import type { CalendarContext } from './context';
import { dropMeeting, ensureMeeting } from './meetings/meeting.service';

/*
 * The routes other services call (scheduling's HTTP CalendarClient), never the public: they are
 * not among the calendar's gateway prefixes, hidden from the OpenAPI document, served only when a
 * shared service token is configured (INTERNAL_TOKEN) and never by a process that runs the gateway
 * (see the composition root), and every call must present that token.
 */

const bookingParams = z.object({ bookingId: z.uuid() }).strict();
const userParams = z.object({ userId: z.uuid() }).strict();
const rangeQuery = z
  .object({ from: z.iso.datetime({ offset: true }), to: z.iso.datetime({ offset: true }) })
  .strict()
  .refine((query) => Date.parse(query.from) < Date.parse(query.to), { message: 'must be after from', path: ['to'] });

export function registerInternalRoutes(app: App, ctx: CalendarContext, token: string): void {
  const onRequest = requireInternalToken(token);

  app.put(
    '/api/v1/internal/meetings/:bookingId',
    { onRequest, schema: { hide: true, params: bookingParams, body: meetingRequestSchema, response: { 200: meetingSchema } } },
    async (request) => {
      if (request.body.bookingId !== request.params.bookingId) throw commonErrors.validation([{ path: 'body.bookingId', message: 'must be the booking id of the path' }]);
      return ensureMeeting(ctx, request.body);
    },
  );

  app.delete('/api/v1/internal/meetings/:bookingId', { onRequest, schema: { hide: true, params: bookingParams } }, async (request, reply) => {
    await dropMeeting(ctx, request.params.bookingId);
    return reply.status(204).send(null);
  });

  app.get(
    '/api/v1/internal/busy-times/:userId',
    { onRequest, schema: { hide: true, params: userParams, querystring: rangeQuery, response: { 200: busyTimesSchema } } },
    async (request) => busyTimes(ctx, request.params.userId, new Date(request.query.from), new Date(request.query.to)),
  );
}
