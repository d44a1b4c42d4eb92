import { queryOptions } from '@tanstack/react-query';
import { api, data } from '../../api/client';
import type { paths } from '../../api/schema';

/*
 * The client pages' server state: one place for the query keys (resource first, as everywhere in
 * the app) and the types, taken from the generated schema only.
 */

type Json<T> = T extends { content: { 'application/json': infer Body } } ? Body : never;

export type Provider = Json<paths['/api/v1/providers/{id}']['get']['responses'][200]>;
export type Service = Json<paths['/api/v1/providers/{id}/services']['get']['responses'][200]>['items'][number];
export type SlotPage = Json<paths['/api/v1/providers/{id}/slots']['get']['responses'][200]>;
export type Slot = SlotPage['slots'][number];
export type Booking = Json<paths['/api/v1/bookings/{id}']['get']['responses'][200]>;
export type CreatedBooking = Json<paths['/api/v1/bookings']['post']['responses'][201]>;
export type BookingPayment = Json<paths['/api/v1/bookings/{id}/payment']['get']['responses'][200]>;
export type Payment = Json<paths['/api/v1/payments/{id}']['get']['responses'][200]>;
export type WaitlistEntry = Json<paths['/api/v1/waitlist']['get']['responses'][200]>['items'][number];
export type BookingStatus = Booking['status'];

export function providerQuery(id: string) {
  return queryOptions({
    queryKey: ['providers', id],
    queryFn: async () => data(await api.GET('/api/v1/providers/{id}', { params: { path: { id } } })),
    staleTime: 5 * 60_000,
  });
}

export function servicesQuery(providerId: string) {
  return queryOptions({
    queryKey: ['providers', providerId, 'services'],
    queryFn: async () => data(await api.GET('/api/v1/providers/{id}/services', { params: { path: { id: providerId } } })).items,
  });
}

export function serviceQuery(providerId: string, serviceId: string) {
  return queryOptions({
    queryKey: ['providers', providerId, 'services', serviceId],
    queryFn: async () => data(await api.GET('/api/v1/providers/{id}/services/{serviceId}', { params: { path: { id: providerId, serviceId } } })),
    staleTime: 5 * 60_000,
  });
}

/** Free slots of a service in [from, to), with local times in the viewer's zone. */
export function slotsQuery(providerId: string, serviceId: string, from: string, to: string, timeZone: string) {
  return queryOptions({
    queryKey: ['slots', providerId, serviceId, from, to, timeZone],
    queryFn: async () => data(await api.GET('/api/v1/providers/{id}/slots', { params: { path: { id: providerId }, query: { serviceId, from, to, timeZone } } })),
  });
}

export function bookingQuery(id: string) {
  return queryOptions({
    queryKey: ['bookings', id],
    queryFn: async () => data(await api.GET('/api/v1/bookings/{id}', { params: { path: { id } } })),
  });
}

export function bookingPaymentQuery(id: string) {
  return queryOptions({
    queryKey: ['bookings', id, 'payment'],
    queryFn: async () => data(await api.GET('/api/v1/bookings/{id}/payment', { params: { path: { id } } })),
  });
}

export const statusLabels: Record<BookingStatus, string> = {
  pending_payment: 'Awaiting payment',
  confirmed: 'Confirmed',
  expired: 'Expired',
  cancelled: 'Cancelled',
  completed: 'Completed',
  no_show: 'Missed',
};

export function locationLabel(location: Service['location']): string {
  switch (location.kind) {
    case 'video':
      return 'Video call';
    case 'phone':
      return 'Phone call';
    case 'in_person':
      return location.address === undefined ? 'In person' : `In person: ${location.address}`;
  }
}

/** "30 min", "1 h 30 min". */
export function formatDuration(minutes: number): string {
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  if (hours === 0) return `${rest} min`;
  return rest === 0 ? `${hours} h` : `${hours} h ${rest} min`;
}
