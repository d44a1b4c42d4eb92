import type { paths } from '../../api/schema';

/** An in-app notification as GET /api/v1/notifications lists it (and the live stream sends it). */
export type Notification = paths['/api/v1/notifications']['get']['responses'][200]['content']['application/json']['items'][number];
export type NotificationKind = Notification['kind'];
export type Preferences = paths['/api/v1/notifications/preferences']['get']['responses'][200]['content']['application/json'];
export type Channel = Preferences['channels'][NotificationKind];

/** What each kind is, for people; in the order the preferences table lists them. */
export const kindLabels: Readonly<Record<NotificationKind, string>> = {
  booking_confirmed: 'Booking confirmed',
  booking_held: 'Slot held until payment',
  booking_rescheduled: 'Booking moved',
  booking_cancelled: 'Booking cancelled',
  booking_expired: 'Hold expired',
  booking_reminder: 'Reminders before a booking',
  meeting_ready: 'Meeting link ready',
  waitlist_offer: 'Waitlist offers',
  payment_receipt: 'Payment receipts',
  welcome: 'Welcome message',
};

export const channelLabels: Readonly<Record<Channel, string>> = {
  email: 'Email and in-app',
  in_app: 'In-app only',
  off: 'Off',
};

/** The booking an entry is about, when it names one. */
export function bookingIdOf(notification: Notification): string | undefined {
  const id = notification.data.bookingId;
  return typeof id === 'string' && id !== '' ? id : undefined;
}
