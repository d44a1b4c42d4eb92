import { z } from 'zod';
import { cursorField, timeZoneField } from '@timeslot/kernel';
import { roles } from '@timeslot/ports';

/** Field rules shared by registration, profile updates and create-admin. */
export const emailField = z
  .string()
  .trim()
  .max(254)
  .pipe(z.email({ message: 'must be an email address' }))
  .describe('Email address; unique regardless of letter case.')
  // The pipe documents only its input (a string); say what the output check requires.
  .meta({ format: 'email', example: 'ada@example.com' });

export const passwordField = z
  .string()
  .min(8, 'must be at least 8 characters')
  .max(128, 'must be at most 128 characters')
  .describe('Password, 8 to 128 characters.');

export const nameField = z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters').describe('Display name.');

function canonicalLocale(value: string): string | undefined {
  try {
    return Intl.getCanonicalLocales(value)[0];
  } catch {
    return undefined;
  }
}

export { timeZoneField };

/** A BCP 47 tag, stored in its canonical form ("EN-us" becomes "en-US"). */
export const localeField = z
  .string()
  .trim()
  .min(1)
  .max(35)
  .transform((value, ctx) => {
    const locale = canonicalLocale(value);
    if (locale === undefined) {
      ctx.addIssue({ code: 'custom', message: 'must be a BCP 47 language tag such as en-US' });
      return z.NEVER;
    }
    return locale;
  })
  .describe('BCP 47 language tag, e.g. en-US.')
  .meta({ example: 'en-US' });

export const userSchema = z
  .object({
    id: z.uuid(),
    email: z.string().describe('Email address as entered at registration.'),
    name: z.string(),
    role: z.enum(roles).describe('client books time, provider offers it, admin operates the platform.'),
    timeZone: z.string().describe('IANA time zone used to show times to this user.'),
    locale: z.string().describe('BCP 47 language tag for messages and formats.'),
    createdAt: z.iso.datetime({ offset: true }),
    updatedAt: z.iso.datetime({ offset: true }),
  })
  .describe('A user account as its owner sees it.');

export type User = z.infer<typeof userSchema>;

export const updateProfileBody = z
  .object({
    name: nameField.optional(),
    timeZone: timeZoneField.optional(),
    locale: localeField.optional(),
  })
  .strict()
  .refine((body) => body.name !== undefined || body.timeZone !== undefined || body.locale !== undefined, {
    message: 'give at least one of name, timeZone, locale',
  })
  .describe('The profile fields to change; at least one.');

export type ProfileChanges = z.infer<typeof updateProfileBody>;

export const adminUserSchema = userSchema
  .extend({
    disabledAt: z.iso.datetime({ offset: true }).nullable().describe('When an administrator disabled the account; null while it is enabled.'),
    disabledReason: z.string().nullable().describe('The reason given when it was disabled, if any.'),
  })
  .describe('A user account as an administrator sees it.');

export type AdminUser = z.infer<typeof adminUserSchema>;

export const userStatuses = ['active', 'disabled'] as const;
export type UserStatus = (typeof userStatuses)[number];

/** Where the next page of the user list starts: the last row's sort key. Opaque to clients. */
export interface UserCursor {
  /**
   * created_at as PostgreSQL keeps it, to the microsecond (`2030-01-07T08:00:00.123456Z`): a Date
   * keeps milliseconds only, and a cursor rounded to them would skip the rows created later in
   * the same millisecond.
   */
  readonly createdAt: string;
  readonly id: string;
}

export function encodeUserCursor(cursor: UserCursor): string {
  return Buffer.from(JSON.stringify([cursor.createdAt, cursor.id])).toString('base64url');
}

const microsecondInstant = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

/** A real instant (no 30 February), so that PostgreSQL never meets one it cannot cast. */
function isInstant(text: string): boolean {
  const millis = `${text.slice(0, 23)}Z`;
  const date = new Date(millis);
  return !Number.isNaN(date.getTime()) && date.toISOString() === millis;
}

const cursorTuple = z.tuple([z.string().regex(microsecondInstant).refine(isInstant), z.uuid()]);

function decodeUserCursor(value: string): UserCursor | undefined {
  if (!/^[A-Za-z0-9_-]+$/.test(value)) return undefined;
  try {
    const parsed = cursorTuple.safeParse(JSON.parse(Buffer.from(value, 'base64url').toString('utf8')));
    return parsed.success ? { createdAt: parsed.data[0], id: parsed.data[1] } : undefined;
  } catch {
    return undefined;
  }
}

export const listUsersQuery = z
  .object({
    q: z
      .string()
      .trim()
      .max(100)
      .optional()
      .describe('Part of the email address or display name, in any letter case; % and _ match only themselves. Empty matches everyone.'),
    role: z.enum(roles).optional(),
    status: z.enum(userStatuses).optional().describe('active: can sign in; disabled: disabled by an administrator.'),
    cursor: cursorField(decodeUserCursor),
    limit: z.coerce.number().int('must be an integer').min(1).max(100).default(20).describe('Page size, 1 to 100 (default 20).'),
  })
  .strict();

export type ListUsersQuery = z.infer<typeof listUsersQuery>;

export const adminUserPageSchema = z
  .object({
    items: z.array(adminUserSchema),
    nextCursor: z.string().nullable().describe('Pass as cursor for the next page; null on the last page.'),
  })
  .describe('Accounts, newest first.');

export type AdminUserPage = z.infer<typeof adminUserPageSchema>;

export const userIdParams = z.object({ id: z.uuid().describe('The user’s id.') }).strict();

export const disableBody = z
  .object({
    reason: z.string().trim().min(1).max(500).optional().describe('Why, for the audit trail (logged and sent with the user.disabled event).'),
  })
  .strict()
  .describe('Optional details of the decision.');
