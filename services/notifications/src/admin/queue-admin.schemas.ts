import { z } from 'zod';

const count = z.number().int().nonnegative();

export const queueCountsSchema = z
  .object({ waiting: count, active: count, delayed: count, failed: count, completed: count })
  .describe('Jobs by state. `completed` counts the ones still kept (the last 1000) for deduplication.');

export const queueListSchema = z
  .object({ items: z.array(z.object({ name: z.string(), counts: queueCountsSchema })) })
  .describe('The job queues of this service, in a fixed order.');

export const queueParams = z.object({ queue: z.string().min(1).max(100).describe('A queue name, as GET /api/v1/admin/queues lists it.') }).strict();

export const jobParams = z
  .object({
    queue: queueParams.shape.queue,
    // Fastify's router takes path segments of up to 100 characters (maxParamLength).
    jobId: z.string().min(1).max(100).describe('A job id, as the failed-jobs list gives it.'),
  })
  .strict();

export const failedJobsQuery = z
  .object({ limit: z.coerce.number().int('must be an integer').min(1).max(100).default(20).describe('How many, 1 to 100 (default 20).') })
  .strict();

/**
 * A failed job without its data: payloads carry personal data (addresses, names, booking
 * details), and an admin needs the id, the job's kind and why it failed to decide on a retry.
 */
export const failedJobSchema = z.object({
  id: z.string(),
  name: z.string().describe('What the job does, e.g. "send".'),
  attempt: z.number().int().nonnegative().describe('Attempts made before it was given up.'),
  error: z.string().describe('The message of the last attempt’s error.'),
  failedAt: z.iso.datetime({ offset: true }),
  requestId: z.string().nullable().describe('The request that enqueued it, to find in the logs; null when none.'),
});

export const failedJobListSchema = z.object({ items: z.array(failedJobSchema) }).describe('The most recent failures first.');

export type QueueSummary = z.infer<typeof queueListSchema>['items'][number];
export type FailedJobSummary = z.infer<typeof failedJobSchema>;
