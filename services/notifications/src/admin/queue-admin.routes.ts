import { z } from 'zod';
import { problemSchema, requireRole, type App } from '@timeslot/kernel';
import { failedJobListSchema, failedJobsQuery, jobParams, queueListSchema, queueParams } from './queue-admin.schemas';
import { createQueueAdmin, type QueueAdminDeps } from './queue-admin.service';

const tags = ['admin'];
const security = [{ bearerAuth: [] }];
const problems = { 401: problemSchema, 403: problemSchema, 503: problemSchema } as const;

/**
 * The job-queue admin API (administrators only), the same in embedded and distributed mode: queue
 * counts, recent failures, and a retry. The role is checked before the request is validated, so
 * anyone but an admin learns nothing about the routes' parameters.
 */
export function registerQueueAdminRoutes(app: App, deps: QueueAdminDeps): void {
  const admin = createQueueAdmin(deps);
  const adminOnly = async (request: Parameters<typeof requireRole>[0]) => {
    requireRole(request, 'admin');
  };

  app.get(
    '/api/v1/admin/queues',
    {
      onRequest: adminOnly,
      schema: {
        operationId: 'listJobQueues',
        tags,
        security,
        summary: 'The job queues and their jobs by state (administrators)',
        response: { 200: queueListSchema, ...problems },
      },
    },
    async () => ({ items: await admin.list() }),
  );

  app.get(
    '/api/v1/admin/queues/:queue/failed',
    {
      onRequest: adminOnly,
      schema: {
        operationId: 'listFailedJobs',
        tags,
        security,
        summary: 'The most recent failed jobs of a queue, without their data (administrators)',
        params: queueParams,
        querystring: failedJobsQuery,
        response: { 200: failedJobListSchema, 400: problemSchema, 404: problemSchema, ...problems },
      },
    },
    async (request) => ({ items: await admin.failed(request.params.queue, request.query.limit) }),
  );

  app.post(
    '/api/v1/admin/queues/:queue/jobs/:jobId/retry',
    {
      onRequest: adminOnly,
      schema: {
        operationId: 'retryFailedJob',
        tags,
        security,
        summary: 'Run a failed job again, with a fresh attempt budget (administrators)',
        params: jobParams,
        response: { 204: z.null().describe('Queued again; no body.'), 400: problemSchema, 404: problemSchema, ...problems },
      },
    },
    async (request, reply) => {
      await admin.retry(request.params.queue, request.params.jobId);
      return reply.status(204).send(null);
    },
  );
}
