import { z } from 'zod';

export const connectResponseSchema = z
  .object({
    authorizationUrl: z.url().describe("Google's consent page: send the provider's browser there."),
    expiresAt: z.iso.datetime({ offset: true }).describe('The authorization must come back (callback) before this.'),
  })
  .describe('Where to grant Timeslot access to a Google Calendar.');

/** Google adds parameters of its own (scope, authuser, prompt, hd, iss …): unknown ones are ignored. */
export const callbackQuery = z
  .object({
    state: z.string().min(1, 'must not be empty').max(512, 'must be at most 512 characters'),
    code: z.string().min(1).max(4096).optional(),
    error: z.string().min(1).max(200).optional().describe('Set by Google instead of code when access was not granted.'),
  })
  .refine((query) => query.code !== undefined || query.error !== undefined, { message: 'is required', path: ['code'] });

export const connectionSchema = z
  .object({
    provider: z.literal('google'),
    account: z.string().nullable().describe('The Google account, when Google named it.'),
    calendarId: z.string(),
    status: z.enum(['active', 'reconnect_needed']).describe('reconnect_needed: Google refused the stored grant (revoked): connect again.'),
    connectedAt: z.iso.datetime({ offset: true }),
    busyTimes: z.object({
      syncedAt: z.iso.datetime({ offset: true }).nullable().describe('Last successful read of the busy times.'),
      stale: z.boolean().describe('The last read failed or is too old: slots use the last known busy times.'),
    }),
  })
  .describe("A provider's connected calendar.");

export type Connection = z.infer<typeof connectionSchema>;

export const connectionListSchema = z.object({ items: z.array(connectionSchema) });

export const providerParams = z.object({ provider: z.enum(['google']) }).strict();
