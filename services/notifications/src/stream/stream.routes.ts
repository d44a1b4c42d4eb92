import { z } from 'zod';
import { problemSchema, requireIdentity, type App } from '@timeslot/kernel';
import type { NotificationsContext } from '../context';
import type { StreamHub } from './stream.hub';
import { openStream } from './stream.service';

const streamQuery = z
  .object({
    access_token: z
      .string()
      .max(8192)
      .optional()
      .describe('The access token, for browsers’ EventSource, which cannot send an Authorization header. Only this route reads it; it is never logged.'),
  })
  .strict();

const streamHeaders = z.looseObject({
  'last-event-id': z.string().max(200).optional().describe('Sent by EventSource on reconnect: the entries stored after this one come first.'),
});

/**
 * Server-Sent Events: each new notification of the signed-in user as an `event: notification`
 * whose `id` is the entry's and whose `data` is the entry as GET /api/v1/notifications shows it.
 */
export function registerStreamRoutes(app: App, ctx: NotificationsContext, hub: StreamHub): void {
  app.get(
    '/api/v1/notifications/stream',
    {
      config: { accessTokenInQuery: true },
      schema: {
        operationId: 'streamNotifications',
        tags: ['notifications'],
        security: [{ bearerAuth: [] }],
        summary: 'My new notifications as they arrive (Server-Sent Events)',
        description:
          'A text/event-stream that stays open: `retry:` first, then `event: notification` with `id:` (the entry id) and `data:` (the entry as JSON) for each new entry, and a `: heartbeat` comment every 15 s. Reconnect with `Last-Event-ID` to get what was stored meanwhile (the newest 100). Authenticate with the bearer header or, from a browser EventSource, `?access_token=`. At most 5 open streams per user per server (429 TOO_MANY_STREAMS). The server closes streams when it shuts down; clients reconnect.',
        produces: ['text/event-stream'],
        querystring: streamQuery,
        headers: streamHeaders,
        response: {
          200: z.string().describe('An endless text/event-stream.'),
          400: problemSchema,
          401: problemSchema,
          429: problemSchema,
        },
      },
    },
    async (request, reply) => {
      const stream = await openStream(ctx, hub, requireIdentity(request), request.headers['last-event-id']);
      // The response's close is the client going away (or our own end): either way, done. A
      // client that left while the inbox was read is gone already, and must not hold a slot.
      reply.raw.once('close', () => stream.close());
      if (reply.raw.destroyed) stream.close();
      return reply
        .header('content-type', 'text/event-stream; charset=utf-8')
        .header('cache-control', 'no-cache, no-transform')
        // Reverse proxies (nginx) would otherwise buffer the stream.
        .header('x-accel-buffering', 'no')
        // A stream is piped as is; the 200 schema (a string) only documents what flows through it.
        .send(stream.output as unknown as string);
    },
  );
}
