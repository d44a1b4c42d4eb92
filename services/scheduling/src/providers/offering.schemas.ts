import { z } from 'zod';
import { locationKinds } from '../tables';
import { instantOutput } from '../time.schemas';

/*
 * A provider's services (event types: "30-minute consultation", "Group yoga"). The code calls them
 * offerings so they are not confused with this code base's *.service.ts domain modules; the API
 * and the database call them services.
 */

const minutes = (min: number, max: number) =>
  z
    .number()
    .int('must be a whole number of minutes')
    .min(min, `must be at least ${min}`)
    .max(max, `must be at most ${max}`);

export const locationSchema = z
  .object({
    kind: z.enum(locationKinds),
    address: z.string().trim().min(1, 'must not be empty').max(500).optional(),
  })
  .strict()
  .refine((location) => location.kind !== 'in_person' || location.address !== undefined, {
    message: 'an in-person service needs an address',
    path: ['address'],
  })
  .describe('Where the session happens; in_person needs an address.');

const offeringFields = {
  name: z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters'),
  description: z.string().trim().max(5000, 'must be at most 5000 characters'),
  durationMinutes: minutes(5, 1440).describe('Length of one session, 5 to 1440 minutes.'),
  slotIntervalMinutes: minutes(5, 1440).describe('Minutes between possible start times (default: the duration).'),
  bufferBeforeMinutes: minutes(0, 1440).describe('Time kept free before each session.'),
  bufferAfterMinutes: minutes(0, 1440).describe('Time kept free after each session.'),
  minNoticeMinutes: minutes(0, 525_600).describe('How long before its start a slot can still be booked.'),
  bookingWindowDays: z.number().int().min(1).max(730).describe('How many days ahead a slot can be booked (1 to 730).'),
  capacity: z.number().int().min(1).max(1000).describe('1 = one-to-one; more = seats in one session.'),
  priceAmount: z.number().int('must be in minor units (an integer)').min(0).max(Number.MAX_SAFE_INTEGER).describe('Price in minor units; 0 = free.'),
  currency: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as EUR').describe('ISO 4217 currency code.'),
  location: locationSchema,
  cancellationWindowMinutes: minutes(0, 525_600).describe('A client may cancel until this long before the start.'),
  active: z.boolean().describe('Inactive services are hidden from clients and cannot be booked.'),
};

export const offeringSchema = z
  .object({
    id: z.uuid(),
    providerId: z.uuid(),
    name: z.string(),
    description: z.string(),
    durationMinutes: z.number().int(),
    slotIntervalMinutes: z.number().int(),
    bufferBeforeMinutes: z.number().int(),
    bufferAfterMinutes: z.number().int(),
    minNoticeMinutes: z.number().int(),
    bookingWindowDays: z.number().int(),
    capacity: z.number().int(),
    priceAmount: z.number().int(),
    currency: z.string(),
    location: z.object({ kind: z.enum(locationKinds), address: z.string().optional() }),
    cancellationWindowMinutes: z.number().int(),
    active: z.boolean(),
    createdAt: instantOutput,
    updatedAt: instantOutput,
  })
  .describe('A service (event type) a provider offers.');

export type Offering = z.infer<typeof offeringSchema>;

export const createOfferingBody = z
  .object({
    name: offeringFields.name,
    description: offeringFields.description.default(''),
    durationMinutes: offeringFields.durationMinutes,
    slotIntervalMinutes: offeringFields.slotIntervalMinutes.optional(),
    bufferBeforeMinutes: offeringFields.bufferBeforeMinutes.default(0),
    bufferAfterMinutes: offeringFields.bufferAfterMinutes.default(0),
    minNoticeMinutes: offeringFields.minNoticeMinutes.default(0),
    bookingWindowDays: offeringFields.bookingWindowDays.default(60),
    capacity: offeringFields.capacity.default(1),
    priceAmount: offeringFields.priceAmount.default(0),
    currency: offeringFields.currency.default('USD'),
    location: offeringFields.location.default({ kind: 'video' }),
    cancellationWindowMinutes: offeringFields.cancellationWindowMinutes.default(0),
    active: offeringFields.active.default(true),
  })
  .strict()
  .describe('A new service; only name and durationMinutes are required.');

export type NewOfferingInput = z.infer<typeof createOfferingBody>;

export const updateOfferingBody = z
  .object({
    name: offeringFields.name.optional(),
    description: offeringFields.description.optional(),
    durationMinutes: offeringFields.durationMinutes.optional(),
    slotIntervalMinutes: offeringFields.slotIntervalMinutes.optional(),
    bufferBeforeMinutes: offeringFields.bufferBeforeMinutes.optional(),
    bufferAfterMinutes: offeringFields.bufferAfterMinutes.optional(),
    minNoticeMinutes: offeringFields.minNoticeMinutes.optional(),
    bookingWindowDays: offeringFields.bookingWindowDays.optional(),
    capacity: offeringFields.capacity.optional(),
    priceAmount: offeringFields.priceAmount.optional(),
    currency: offeringFields.currency.optional(),
    location: offeringFields.location.optional(),
    cancellationWindowMinutes: offeringFields.cancellationWindowMinutes.optional(),
    active: offeringFields.active.optional(),
  })
  .strict()
  .refine((body) => Object.values(body).some((value) => value !== undefined), { message: 'give at least one field to change' })
  .describe('The service fields to change; at least one. location is replaced as a whole.');

export type OfferingChanges = z.infer<typeof updateOfferingBody>;

export const offeringParams = z.object({ id: z.uuid(), serviceId: z.uuid() });

export const offeringListSchema = z
  .object({ items: z.array(offeringSchema) })
  .describe("A provider's services: active ones for everyone, all of them for the provider and administrators.");
