import { problemSchema, requireIdentity, type App } from '@timeslot/kernel';
import { updateProfileBody, userSchema } from './user.schemas';
import type { UserService } from './user.service';

const tags = ['users'];
const security = [{ bearerAuth: [] }];

export function registerUserRoutes(app: App, users: UserService): void {
  app.get(
    '/api/v1/users/me',
    {
      schema: {
        tags,
        security,
        summary: 'The signed-in user',
        description: '401 ACCOUNT_NOT_FOUND when the token outlived its account; 403 ACCOUNT_DISABLED (or 401 TOKEN_REVOKED) for a disabled one.',
        response: { 200: userSchema, 401: problemSchema, 403: problemSchema },
      },
    },
    async (request) => users.getProfile(requireIdentity(request).userId),
  );

  app.patch(
    '/api/v1/users/me',
    {
      schema: {
        tags,
        security,
        summary: 'Change the signed-in user’s profile',
        body: updateProfileBody,
        response: { 200: userSchema, 400: problemSchema, 401: problemSchema, 403: problemSchema },
      },
    },
    async (request) => users.updateProfile(requireIdentity(request).userId, request.body, request.id),
  );
}
