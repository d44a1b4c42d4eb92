import { z } from 'zod';
import { problemSchema, requireIdentity, requireRole, type App } from '@timeslot/kernel';
import type { CalendarContext } from '../context';
import { callbackQuery, connectionListSchema, connectionSchema, connectResponseSchema, providerParams } from './connection.schemas';
import { completeGoogleConnect, disconnectGoogle, listConnections, startGoogleConnect } from './connection.service';

const tags = ['calendar'];
const security = [{ bearerAuth: [] }];

/** A provider's external calendars: connect Google (OAuth with PKCE), list, disconnect. */
export function registerConnectionRoutes(app: App, ctx: CalendarContext): void {
  app.get(
    '/api/v1/calendar/google/connect',
    {
      schema: {
        operationId: 'connectGoogleCalendar',
        tags,
        security,
        summary: "Start connecting the provider's Google Calendar: returns Google's consent URL (valid 10 minutes, once)",
        response: { 200: connectResponseSchema, 401: problemSchema, 403: problemSchema, 501: problemSchema },
      },
    },
    async (request) => startGoogleConnect(ctx, requireRole(request, 'provider')),
  );

  app.get(
    '/api/v1/calendar/google/callback',
    {
      schema: {
        operationId: 'completeGoogleCalendarConnection',
        tags,
        summary: 'Where Google sends the browser back: trades the code for tokens, stored encrypted',
        description: 'Needs no token (the state names the user); a token of another user than the one who started is refused.',
        querystring: callbackQuery,
        response: { 200: connectionSchema, 400: problemSchema, 401: problemSchema, 501: problemSchema, 502: problemSchema },
      },
    },
    async (request) => completeGoogleConnect(ctx, request.identity, request.query),
  );

  app.get(
    '/api/v1/calendar/connections',
    {
      schema: {
        operationId: 'listCalendarConnections',
        tags,
        security,
        summary: "The caller's connected calendars",
        response: { 200: connectionListSchema, 401: problemSchema },
      },
    },
    async (request) => listConnections(ctx, requireIdentity(request)),
  );

  app.delete(
    '/api/v1/calendar/connections/:provider',
    {
      schema: {
        operationId: 'disconnectCalendar',
        tags,
        security,
        summary: 'Disconnect a calendar: its tokens and busy times are deleted',
        params: providerParams,
        response: { 204: z.null().describe('Disconnected; no body.'), 400: problemSchema, 401: problemSchema, 404: problemSchema },
      },
    },
    async (request, reply) => {
      await disconnectGoogle(ctx, requireIdentity(request));
      return reply.status(204).send(null);
    },
  );
}
