import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { problemSchema, requireIdentity, type App } from '@timeslot/kernel';
import type { AccountService } from './account.service';
import type { AuthService } from './auth.service';
import { loginBody, logoutBody, refreshBody, registerBody, sessionSchema } from './auth.schemas';

const tags = ['auth'];

/**
 * RFC 6749 §5.1: responses that carry tokens must not be stored by any cache. Set before the
 * handler runs, so the route's error answers carry it too.
 */
async function noStore(_request: FastifyRequest, reply: FastifyReply): Promise<void> {
  void reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
}

export function registerAuthRoutes(app: App, auth: AuthService, accounts: AccountService): void {
  app.post(
    '/api/v1/auth/register',
    {
      onRequest: noStore,
      schema: {
        tags,
        summary: 'Create an account',
        description: 'Creates a client or provider account and signs it in. Limited per client IP.',
        body: registerBody,
        response: { 201: sessionSchema, 400: problemSchema, 401: problemSchema, 409: problemSchema, 429: problemSchema, 503: problemSchema },
      },
    },
    async (request, reply) => {
      const session = await auth.register(request.body, { ip: request.ip, requestId: request.id });
      return reply.status(201).send(session);
    },
  );

  app.post(
    '/api/v1/auth/login',
    {
      onRequest: noStore,
      schema: {
        tags,
        summary: 'Sign in with email and password',
        description:
          'Attempts are limited per email address and per client IP (429 with Retry-After); a successful one does not count. A disabled account gets 403 ACCOUNT_DISABLED, but only with its right password. When more sign-ins arrive than the server can hash in about two seconds, the newest get 503 SERVICE_UNAVAILABLE with Retry-After (and keep their attempt).',
        body: loginBody,
        response: { 200: sessionSchema, 400: problemSchema, 401: problemSchema, 403: problemSchema, 429: problemSchema, 503: problemSchema },
      },
    },
    async (request) => auth.login(request.body, { ip: request.ip, requestId: request.id }),
  );

  app.post(
    '/api/v1/auth/refresh',
    {
      onRequest: noStore,
      schema: {
        tags,
        summary: 'Exchange a refresh token for a new session',
        description:
          'Each refresh token works once. Presenting one again signs out every session of its family. A disabled account gets 403 ACCOUNT_DISABLED.',
        body: refreshBody,
        response: { 200: sessionSchema, 400: problemSchema, 401: problemSchema, 403: problemSchema },
      },
    },
    async (request) => auth.refresh(request.body.refreshToken, { ip: request.ip, requestId: request.id }),
  );

  app.post(
    '/api/v1/auth/logout',
    {
      schema: {
        tags,
        summary: 'Sign out',
        description: 'Revokes the refresh token and every token rotated from the same sign-in. Always 204.',
        body: logoutBody,
        response: { 204: z.null().describe('Signed out; no body.'), 400: problemSchema, 401: problemSchema },
      },
    },
    async (request, reply) => {
      await auth.logout(request.body.refreshToken);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/v1/auth/logout-all',
    {
      onRequest: noStore,
      schema: {
        tags,
        security: [{ bearerAuth: [] }],
        summary: 'Sign out everywhere',
        description:
          'Ends every session of the signed-in user: every refresh token is revoked (401 INVALID_REFRESH_TOKEN), and every service refuses the access tokens issued before the call within seconds (401 TOKEN_REVOKED), the one that made it included. Tokens from a sign-in after the answer work. No body (or {}). The answer may take up to a second.',
        response: { 204: z.null().describe('Signed out everywhere; no body.'), 401: problemSchema, 403: problemSchema, 503: problemSchema },
      },
    },
    async (request, reply) => {
      await accounts.logoutAll(requireIdentity(request).userId, { requestId: request.id });
      return reply.status(204).send(null);
    },
  );
}
