import { IANAZone } from 'luxon';
import { z } from 'zod';

/**
 * Request fields every service validates the same way.
 *
 * An IANA zone, its letter case corrected where the runtime knows it ("europe/paris" becomes
 * "Europe/Paris").
 */
export const timeZoneField = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .transform((value, ctx) => {
    // Node 22+ (newer ICU) also accepts UTC offsets such as "+05:30" as zones; they are not IANA
    // names (no DST rules), so a name must start with a letter.
    if (!/^[A-Za-z]/.test(value) || !IANAZone.isValidZone(value)) {
      ctx.addIssue({ code: 'custom', message: 'must be an IANA time zone such as Europe/Paris' });
      return z.NEVER;
    }
    // Intl fixes the letter case but also maps current names to ICU's legacy ones (Asia/Kathmandu
    // to Asia/Katmandu, Europe/Kyiv to Europe/Kiev): take its spelling only when it is the same name.
    const resolved = new Intl.DateTimeFormat('en-US', { timeZone: value }).resolvedOptions().timeZone;
    return resolved.toLowerCase() === value.toLowerCase() ? resolved : value;
  })
  .describe('IANA time zone, e.g. Europe/Paris.')
  .meta({ example: 'Europe/Paris' });

/**
 * An opaque page cursor (the `nextCursor` of the previous page), decoded by the service that made
 * it: one it cannot decode (edited, truncated, from another list) is a 400 field error, never a 500.
 */
export function cursorField<T>(decode: (value: string) => T | undefined) {
  return z
    .string()
    .max(400)
    .transform((value, ctx) => {
      const cursor = decode(value);
      if (cursor === undefined) {
        ctx.addIssue({ code: 'custom', message: 'is not a cursor this API returned' });
        return z.NEVER;
      }
      return cursor;
    })
    .optional()
    .describe('nextCursor of the previous page.');
}
