import { problemSchema } from '@timeslot/kernel';

/** Error responses every route that reads a provider can give. */
export const readProblems = { 400: problemSchema, 401: problemSchema, 404: problemSchema } as const;
/** Error responses every route that changes a provider's data can give. */
export const writeProblems = { 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema } as const;
