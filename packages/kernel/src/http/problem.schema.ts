import { z } from 'zod';

/** RFC 9457 problem details as the error handler writes them (see `Problem`), for OpenAPI. */
export const problemSchema = z
  .looseObject({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    code: z.string().describe('Stable error code, e.g. VALIDATION_FAILED (docs/errors.md lists them all).'),
    detail: z.string().optional(),
    instance: z.string().optional(),
    requestId: z.string().optional(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .describe('Problem details (application/problem+json).');
