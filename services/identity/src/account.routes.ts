import { problemSchema, requireRole, type App } from '@timeslot/kernel';
import type { AccountService } from './account.service';
import { adminUserPageSchema, adminUserSchema, disableBody, listUsersQuery, userIdParams } from './user.schemas';

const tags = ['users'];
const security = [{ bearerAuth: [] }];
const responses = {
  200: adminUserSchema,
  400: problemSchema,
  401: problemSchema,
  403: problemSchema,
  404: problemSchema,
  503: problemSchema,
};

/** Administrators list, disable and re-enable accounts. */
export function registerAccountRoutes(app: App, accounts: AccountService): void {
  app.get(
    '/api/v1/users',
    {
      schema: {
        tags,
        security,
        summary: 'List and search accounts (administrators)',
        description:
          'Newest first, in pages: pass nextCursor back as cursor for the next one (with the same filters). q matches part of the email address or display name in any letter case; role and status narrow the list.',
        querystring: listUsersQuery,
        response: { 200: adminUserPageSchema, 400: problemSchema, 401: problemSchema, 403: problemSchema, 503: problemSchema },
      },
    },
    async (request) => {
      requireRole(request, 'admin');
      return accounts.list(request.query);
    },
  );

  app.post(
    '/api/v1/users/:id/disable',
    {
      schema: {
        tags,
        security,
        summary: 'Disable an account (administrators)',
        description:
          'Refuses the account’s login (403 ACCOUNT_DISABLED) and refresh, revokes its refresh tokens, and makes every service refuse its access tokens within seconds (401 TOKEN_REVOKED). Disabling a disabled account changes nothing. Administrators cannot disable themselves (409). The body may be omitted.',
        params: userIdParams,
        body: disableBody,
        response: { ...responses, 409: problemSchema },
      },
      // The body is optional: a POST without one counts as `{}`.
      preValidation: async (request) => {
        request.body ??= {};
      },
    },
    async (request) => {
      const admin = requireRole(request, 'admin');
      return accounts.disable(request.params.id, request.body.reason, { adminId: admin.userId, requestId: request.id });
    },
  );

  app.post(
    '/api/v1/users/:id/enable',
    {
      schema: {
        tags,
        security,
        summary: 'Re-enable a disabled account (administrators)',
        description: 'The user can sign in again; access tokens issued before stay refused. Enabling an enabled account changes nothing.',
        params: userIdParams,
        response: responses,
      },
    },
    async (request) => {
      const admin = requireRole(request, 'admin');
      return accounts.enable(request.params.id, { adminId: admin.userId, requestId: request.id });
    },
  );
}
