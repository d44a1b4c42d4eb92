/**
 * Every kind of notification, in one place. A user's preferences are per kind; each kind has a
 * default channel. 'email' means in-app and email; 'in_app' in-app only.
 */
export const notificationKinds = [
  'welcome',
  'booking_confirmed',
  'booking_held',
  'booking_cancelled',
  'booking_rescheduled',
  'booking_expired',
  'booking_reminder',
  'meeting_ready',
  'waitlist_offer',
  'payment_receipt',
] as const;

export type NotificationKind = (typeof notificationKinds)[number];

export type Channel = 'email' | 'in_app' | 'off';

export const defaultChannels: Record<NotificationKind, Channel> = {
  welcome: 'email',
  booking_confirmed: 'email',
  booking_held: 'in_app',
  booking_cancelled: 'email',
  booking_rescheduled: 'email',
  booking_expired: 'email',
  booking_reminder: 'email',
  meeting_ready: 'email',
  waitlist_offer: 'email',
  payment_receipt: 'email',
};
