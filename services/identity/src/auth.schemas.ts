import { z } from 'zod';
import { emailField, localeField, nameField, passwordField, timeZoneField, userSchema } from './user.schemas';

export const registerBody = z
  .object({
    email: emailField,
    password: passwordField,
    name: nameField,
    role: z.enum(['client', 'provider']).describe('client to book time, provider to offer it. Administrators are created by an operator.'),
    timeZone: timeZoneField.optional().describe('IANA time zone; UTC when omitted.'),
    locale: localeField.optional().describe('BCP 47 language tag; "en" when omitted.'),
  })
  .strict()
  .describe('A new account.');

export type RegisterInput = z.infer<typeof registerBody>;

export const loginBody = z
  .object({
    // Not validated as an email: a malformed one simply matches no account.
    email: z.string().trim().min(1).max(254).describe('Email address, in any letter case. Not checked for form: a malformed one is refused like a wrong password (401).'),
    password: z.string().min(1).max(128),
  })
  .strict();

export type LoginInput = z.infer<typeof loginBody>;

const refreshTokenField = z.string().min(1).max(512).describe('The refresh token from the last sign-in or refresh.');

export const refreshBody = z.object({ refreshToken: refreshTokenField }).strict();
export const logoutBody = z.object({ refreshToken: refreshTokenField }).strict();

export const sessionSchema = z
  .object({
    user: userSchema,
    accessToken: z.string().describe('JWT (EdDSA) to send as "Authorization: Bearer <token>".'),
    refreshToken: z.string().describe('Opaque token for POST /api/v1/auth/refresh; usable once.'),
    expiresIn: z.number().int().positive().describe('Seconds until the access token expires.'),
  })
  .describe('A signed-in session.');

export type Session = z.infer<typeof sessionSchema>;
