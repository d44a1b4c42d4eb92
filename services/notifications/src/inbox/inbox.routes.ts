import { problemSchema, requireIdentity, type App } from '@timeslot/kernel';
import type { NotificationsContext } from '../context';
import { listNotificationsQuery, notificationIdParams, notificationPageSchema, notificationSchema, readAllSchema, unreadCountSchema } from './inbox.schemas';
import { countUnread, listNotifications, markAllRead, markRead } from './inbox.service';

const tags = ['notifications'];
const security = [{ bearerAuth: [] }];

/** The signed-in user's in-app inbox. Thin: authenticate, one domain call. */
export function registerInboxRoutes(app: App, ctx: NotificationsContext): void {
  app.get(
    '/api/v1/notifications',
    {
      schema: {
        operationId: 'listNotifications',
        tags,
        security,
        summary: 'My notifications, newest first',
        querystring: listNotificationsQuery,
        response: { 200: notificationPageSchema, 400: problemSchema, 401: problemSchema },
      },
    },
    async (request) => listNotifications(ctx, requireIdentity(request), request.query),
  );

  app.get(
    '/api/v1/notifications/unread-count',
    {
      schema: { operationId: 'countUnreadNotifications', tags, security, summary: 'How many of my notifications are unread', response: { 200: unreadCountSchema, 401: problemSchema } },
    },
    async (request) => ({ count: await countUnread(ctx, requireIdentity(request)) }),
  );

  app.post(
    '/api/v1/notifications/:id/read',
    {
      schema: {
        operationId: 'markNotificationRead',
        tags,
        security,
        summary: 'Mark one of my notifications read (again: no change)',
        params: notificationIdParams,
        response: { 200: notificationSchema, 400: problemSchema, 401: problemSchema, 404: problemSchema },
      },
    },
    async (request) => markRead(ctx, requireIdentity(request), request.params.id),
  );

  app.post(
    '/api/v1/notifications/read-all',
    {
      schema: { operationId: 'markAllNotificationsRead', tags, security, summary: 'Mark all my notifications read', response: { 200: readAllSchema, 401: problemSchema } },
    },
    async (request) => ({ marked: await markAllRead(ctx, requireIdentity(request)) }),
  );
}
