import { z } from 'zod';
import { cursorField, timeZoneField } from '@timeslot/kernel';
import { instantOutput } from '../time.schemas';

export { timeZoneField };

export { instantField } from '../time.schemas';

const displayNameField = z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters');
const titleField = z.string().trim().max(100, 'must be at most 100 characters');
const specialtyField = z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters');
const bioField = z.string().trim().max(5000, 'must be at most 5000 characters');
const photoUrlField = z
  .url({ protocol: /^https?$/, message: 'must be an http or https URL' })
  .max(2048, 'must be at most 2048 characters')
  .describe('Photo URL (http or https).');

export const providerIdParams = z.object({ id: z.uuid() });

export const providerSchema = z
  .object({
    id: z.uuid(),
    userId: z.uuid().describe('The identity user who owns this profile.'),
    displayName: z.string(),
    title: z.string(),
    specialty: z.string().nullable(),
    bio: z.string(),
    timeZone: z.string().describe('IANA zone the availability rules are written in.'),
    photoUrl: z.string().nullable(),
    published: z.boolean().describe('Unpublished profiles are visible only to their owner and administrators.'),
    createdAt: instantOutput,
    updatedAt: instantOutput,
  })
  .describe('A provider profile.');

export type Provider = z.infer<typeof providerSchema>;

export const createProviderBody = z
  .object({
    displayName: displayNameField,
    title: titleField.default(''),
    specialty: specialtyField.nullable().default(null),
    bio: bioField.default(''),
    timeZone: timeZoneField,
    photoUrl: photoUrlField.nullable().default(null),
    published: z.boolean().default(false),
  })
  .strict()
  .describe('A new provider profile for the signed-in provider account (one per account).');

export type NewProviderInput = z.infer<typeof createProviderBody>;

export const updateProviderBody = z
  .object({
    displayName: displayNameField.optional(),
    title: titleField.optional(),
    specialty: specialtyField.nullable().optional(),
    bio: bioField.optional(),
    timeZone: timeZoneField.optional(),
    photoUrl: photoUrlField.nullable().optional(),
    published: z.boolean().optional(),
  })
  .strict()
  .refine((body) => Object.values(body).some((value) => value !== undefined), { message: 'give at least one field to change' })
  .describe('The profile fields to change; at least one. null clears specialty or photoUrl.');

export type ProviderChanges = z.infer<typeof updateProviderBody>;

/** Where the next page starts: the last row's sort key. Opaque to clients. */
export interface SearchCursor {
  readonly displayName: string;
  readonly id: string;
}

export function encodeCursor(cursor: SearchCursor): string {
  return Buffer.from(JSON.stringify([cursor.displayName, cursor.id])).toString('base64url');
}

const cursorTuple = z.tuple([z.string().max(100), z.uuid()]);

function decodeCursor(value: string): SearchCursor | undefined {
  if (!/^[A-Za-z0-9_-]+$/.test(value)) return undefined;
  try {
    const parsed = cursorTuple.safeParse(JSON.parse(Buffer.from(value, 'base64url').toString('utf8')));
    return parsed.success ? { displayName: parsed.data[0], id: parsed.data[1] } : undefined;
  } catch {
    return undefined;
  }
}

export const searchQuery = z
  .object({
    q: z.string().trim().max(100).optional().describe('Matches display name, title or specialty, in any letter case.'),
    specialty: z.string().trim().min(1).max(100).optional().describe('Exact specialty, in any letter case.'),
    cursor: cursorField(decodeCursor),
    limit: z.coerce.number().int().min(1).max(100).default(20).describe('Page size, 1 to 100 (default 20).'),
  });

export type SearchQuery = z.infer<typeof searchQuery>;

export const providerPageSchema = z
  .object({
    items: z.array(providerSchema),
    nextCursor: z.string().nullable().describe('Pass as cursor for the next page; null on the last page.'),
  })
  .describe('Published providers ordered by display name.');

export type ProviderPage = z.infer<typeof providerPageSchema>;
