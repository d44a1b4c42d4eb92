import type { paths } from '../../api/schema';

/* The shapes the provider pages work with, named once, all taken from the generated schema. */

type Json<T> = T extends { content: { 'application/json': infer Body } } ? Body : never;

export type Provider = Json<paths['/api/v1/providers/me']['get']['responses'][200]>;
export type NewProvider = NonNullable<paths['/api/v1/providers']['post']['requestBody']>['content']['application/json'];
export type ProviderChanges = NonNullable<paths['/api/v1/providers/{id}']['patch']['requestBody']>['content']['application/json'];

export type Offering = Json<paths['/api/v1/providers/{id}/services']['get']['responses'][200]>['items'][number];
export type NewOffering = NonNullable<paths['/api/v1/providers/{id}/services']['post']['requestBody']>['content']['application/json'];
export type OfferingChanges = NonNullable<paths['/api/v1/providers/{id}/services/{serviceId}']['patch']['requestBody']>['content']['application/json'];
export type LocationKind = Offering['location']['kind'];

export type AvailabilityData = Json<paths['/api/v1/providers/{id}/availability']['get']['responses'][200]>;
export type AvailabilityBody = NonNullable<paths['/api/v1/providers/{id}/availability']['put']['requestBody']>['content']['application/json'];

export type Booking = Json<paths['/api/v1/bookings']['get']['responses'][200]>['items'][number];
export type BookingStatus = Booking['status'];
export type BookingQuery = NonNullable<paths['/api/v1/bookings']['get']['parameters']['query']>;

export type CalendarConnection = Json<paths['/api/v1/calendar/connections']['get']['responses'][200]>['items'][number];
