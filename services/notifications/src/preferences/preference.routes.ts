import { problemSchema, requireIdentity, type App } from '@timeslot/kernel';
import type { NotificationsContext } from '../context';
import { preferencesSchema, updatePreferencesBody } from './preference.schemas';
import { getPreferences, updatePreferences } from './preference.service';

const tags = ['notifications'];
const security = [{ bearerAuth: [] }];

export function registerPreferenceRoutes(app: App, ctx: NotificationsContext): void {
  app.get(
    '/api/v1/notifications/preferences',
    {
      schema: {
        operationId: 'getNotificationPreferences',
        tags,
        security,
        summary: 'How I hear of each kind: by email (and in-app), in-app only, or not at all',
        response: { 200: preferencesSchema, 401: problemSchema },
      },
    },
    async (request) => getPreferences(ctx, requireIdentity(request)),
  );

  app.put(
    '/api/v1/notifications/preferences',
    {
      schema: {
        operationId: 'updateNotificationPreferences',
        tags,
        security,
        summary: 'Change the channel of some kinds (an unknown kind is refused)',
        body: updatePreferencesBody,
        response: { 200: preferencesSchema, 400: problemSchema, 401: problemSchema },
      },
    },
    async (request) => updatePreferences(ctx, requireIdentity(request), request.body),
  );
}
