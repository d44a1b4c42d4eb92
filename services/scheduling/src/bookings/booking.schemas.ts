import { z } from 'zod';
import { bookingStatuses, meetingStatuses } from '../tables';
import { earliestInstantMs, instantField, latestInstantMs } from '../time.schemas';

export { instantField };

export const idParams = z.object({ id: z.uuid({ message: 'must be a UUID' }) }).strict();

export const bookingSchema = z
  .object({
    id: z.uuid(),
    providerId: z.uuid(),
    serviceId: z.uuid(),
    clientId: z.uuid(),
    status: z.enum(bookingStatuses),
    start: z.iso.datetime({ offset: true }).describe('UTC.'),
    end: z.iso.datetime({ offset: true }).describe('UTC.'),
    seat: z.number().int().positive().describe('1 for one-to-one services; the seat number in a seated session.'),
    notes: z.string().nullable(),
    holdExpiresAt: z.iso.datetime({ offset: true }).nullable().describe('While pending_payment: when the hold is released.'),
    cancelReason: z.string().nullable(),
    meeting: z
      .object({
        status: z.enum(meetingStatuses),
        url: z.string().nullable(),
      })
      .describe('Video services: the link to join. pending: the link could not be made yet and will follow (the booking stands); none: no meeting.'),
    createdAt: z.iso.datetime({ offset: true }),
    updatedAt: z.iso.datetime({ offset: true }),
    service: z.object({
      name: z.string(),
      durationMinutes: z.number().int(),
      priceAmount: z.number().int().describe('Minor units; 0 = free.'),
      currency: z.string(),
    }),
  })
  .describe('A booking, as its client, its provider or an admin sees it.');

export type Booking = z.infer<typeof bookingSchema>;

export const createBookingBody = z
  .object({
    serviceId: z.uuid({ message: 'must be a UUID' }),
    start: instantField,
    notes: z.string().trim().max(2000, 'must be at most 2000 characters').optional(),
  })
  .strict()
  .describe('Book one slot of a service, as the signed-in user.');

export type CreateBookingInput = z.infer<typeof createBookingBody>;

export const idempotencyHeaders = z.looseObject({
  'idempotency-key': z
    .string()
    .min(1, 'must not be empty')
    .max(200, 'must be at most 200 characters')
    .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces')
    .optional()
    .describe('Retry safely: the same key with the same body replays the first response for 24 hours.'),
});

export const cancelBody = z
  .object({ reason: z.string().trim().max(500, 'must be at most 500 characters').optional() })
  .strict()
  .describe('Why the booking is cancelled (optional).');

export const rescheduleBody = z.object({ start: instantField }).strict().describe('The new start; the duration stays the same.');

/**
 * A cursor holds the last row's start in ms (booking.service decodes it); a forged one far outside
 * the range PostgreSQL stores would be a 500 there. Anything that is not such a pair is left to it.
 */
function cursorInRange(text: string): boolean {
  try {
    const value: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (!Array.isArray(value) || typeof value[0] !== 'number') return true;
    return value[0] >= earliestInstantMs && value[0] < latestInstantMs;
  } catch {
    return true;
  }
}

export const listBookingsQuery = z
  .object({
    role: z.enum(['client', 'provider']).optional().describe('Bookings I made (client) or bookings with me (provider); default by my role.'),
    status: z.enum(bookingStatuses).optional(),
    from: instantField.optional().describe('Bookings starting at or after this instant.'),
    to: instantField.optional().describe('Bookings starting before this instant.'),
    cursor: z.string().max(500).refine(cursorInRange, 'is not a cursor this API returned').optional().describe('nextCursor of the previous page.'),
    limit: z.coerce.number().int('must be an integer').min(1).max(100).default(20),
  })
  .strict()
  .refine((query) => query.from === undefined || query.to === undefined || Date.parse(query.from) < Date.parse(query.to), {
    message: 'must be after from',
    path: ['to'],
  });

export type ListBookingsQuery = z.infer<typeof listBookingsQuery>;

export const bookingPageSchema = z.object({
  items: z.array(bookingSchema),
  nextCursor: z.string().nullable().describe('Pass as cursor for the next page; null on the last page.'),
});
