import type { EventData, events } from '@timeslot/ports';
import type { BookingRow, ServiceRow, locationKinds } from '../tables';
import type { Offering } from '../providers/offering.schemas';
import type { Provider } from '../providers/provider.schemas';
import type { Booking } from './booking.schemas';

/** Events name their publisher. */
export const eventSource = 'scheduling';

/** The service fields a booking shows and its events carry. */
export type BookedService = Pick<ServiceRow, 'id' | 'name' | 'durationMinutes' | 'priceAmount' | 'currency' | 'cancellationWindowMinutes'>;

export function toBooking(row: BookingRow, service: BookedService): Booking {
  return {
    id: row.id,
    providerId: row.providerId,
    serviceId: row.serviceId,
    clientId: row.clientId,
    status: row.status,
    start: row.startsAt.toISOString(),
    end: row.endsAt.toISOString(),
    seat: row.seat,
    notes: row.notes,
    holdExpiresAt: row.holdExpiresAt?.toISOString() ?? null,
    cancelReason: row.cancelReason,
    meeting: { status: row.meetingStatus, url: row.meetingUrl },
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    service: {
      name: service.name,
      durationMinutes: service.durationMinutes,
      priceAmount: service.priceAmount,
      currency: service.currency,
    },
  };
}

/** Who and what a booking is with, as its events name them, so consumers need no call back. */
export interface BookingParties {
  readonly providerUserId: string;
  readonly providerName: string;
  readonly providerTimeZone: string;
  readonly serviceName: string;
  readonly locationKind: (typeof locationKinds)[number];
  readonly locationAddress: string | null;
}

/** The parties of a booking about to be made, from the target the slot was checked against. */
export function partiesOf(target: { readonly service: Offering; readonly provider: Provider }): BookingParties {
  return {
    providerUserId: target.provider.userId,
    providerName: target.provider.displayName,
    providerTimeZone: target.provider.timeZone,
    serviceName: target.service.name,
    locationKind: target.service.location.kind,
    locationAddress: target.service.location.address ?? null,
  };
}

/** What every booking event carries (see packages/ports/src/events.ts). */
export function snapshot(row: BookingRow, service: BookedService, parties: BookingParties): EventData<typeof events.bookingHeld> {
  return {
    ...parties,
    bookingId: row.id,
    providerId: row.providerId,
    serviceId: row.serviceId,
    clientId: row.clientId,
    status: row.status,
    startsAt: row.startsAt.toISOString(),
    endsAt: row.endsAt.toISOString(),
    seat: row.seat,
    priceAmount: service.priceAmount,
    currency: service.currency,
    holdExpiresAt: row.holdExpiresAt?.toISOString() ?? null,
    meetingStatus: row.meetingStatus,
    meetingUrl: row.meetingUrl,
    cancellationWindowMinutes: service.cancellationWindowMinutes,
  };
}

/** The provider's occupied range: the booking plus the service's buffers, as a tstzrange literal. */
export function occupiedRange(start: Date, end: Date, bufferBeforeMinutes: number, bufferAfterMinutes: number): string {
  const from = new Date(start.getTime() - bufferBeforeMinutes * 60_000);
  const to = new Date(end.getTime() + bufferAfterMinutes * 60_000);
  return `[${from.toISOString()},${to.toISOString()})`;
}

/**
 * One-to-one bookings are their own session (so they overlap nothing); seats of a seated service
 * share one key per session, which is what lets them overlap each other and nothing else.
 */
export function sessionKeyFor(bookingId: string, serviceId: string, capacity: number, start: Date): string {
  return capacity > 1 ? `${serviceId}@${start.toISOString()}` : bookingId;
}
