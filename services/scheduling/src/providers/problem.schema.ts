import { z } from 'zod';

/** RFC 9457 problem details as the kernel's error handler writes them, for the OpenAPI document. */
export const problemSchema = z
  .looseObject({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    code: z.string().describe('Stable error code, e.g. PROVIDER_NOT_FOUND.'),
    detail: z.string().optional(),
    instance: z.string().optional(),
    requestId: z.string().optional(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .describe('Problem details (application/problem+json).');

/** Error responses every route that reads a provider can give. */
export const readProblems = { 400: problemSchema, 401: problemSchema, 404: problemSchema } as const;
/** Error responses every route that changes a provider's data can give. */
export const writeProblems = { 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema } as const;
