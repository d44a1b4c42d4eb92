import { z } from 'zod';
import { waitlistStatuses } from '../tables';
import { dateField, instantField } from '../time.schemas';

export const joinWaitlistBody = z
  .object({
    serviceId: z.uuid({ message: 'must be a UUID' }),
    start: instantField.optional().describe('Wait for this slot…'),
    date: dateField.optional().describe('…or for any slot of this date (provider’s zone).'),
  })
  .strict()
  .refine((body) => (body.start === undefined) !== (body.date === undefined), {
    message: 'give exactly one of start and date',
    path: ['start'],
  })
  // The refinement above gives the clearer message; this states the same rule in the document.
  .meta({ oneOf: [{ required: ['start'] }, { required: ['date'] }] })
  .describe('Join the waitlist of a full slot or a full day.');

export type JoinWaitlistInput = z.infer<typeof joinWaitlistBody>;

export const waitlistEntrySchema = z
  .object({
    id: z.uuid(),
    serviceId: z.uuid(),
    providerId: z.uuid(),
    start: z.iso.datetime({ offset: true }).nullable().describe('The slot waited for (UTC), or null for a whole day.'),
    date: z.iso.date().nullable().describe('The day waited for (provider’s zone), or null for one slot.'),
    status: z.enum(waitlistStatuses).describe('waiting → offered → booked; cancelled when left or when an offer lapsed.'),
    offeredBookingId: z.uuid().nullable().describe('While offered: the held booking to claim with POST /api/v1/bookings/:id/confirm-offer.'),
    offerExpiresAt: z.iso.datetime({ offset: true }).nullable(),
    createdAt: z.iso.datetime({ offset: true }),
  })
  .describe('A place on a waitlist.');

export type WaitlistEntry = z.infer<typeof waitlistEntrySchema>;

export const waitlistListSchema = z.object({ items: z.array(waitlistEntrySchema) });
