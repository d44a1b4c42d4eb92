import { createBookingProjection } from './bookings/booking.projection';
import { createEmailRows } from './delivery/email.rows';
import { createDeferredDeliveries } from './inbox/deferred.repository';
import { createInboxRepository } from './inbox/inbox.repository';
import { createPreferenceRepository } from './preferences/preference.repository';
import { createRecipientRepository } from './recipients/recipient.repository';
import type { NotificationsTables } from './tables';

/** Every repository of the service over one set of tables, built once per service. */
export function createNotificationsStore(tables: NotificationsTables) {
  return {
    recipients: createRecipientRepository(tables),
    bookings: createBookingProjection(tables),
    inbox: createInboxRepository(tables),
    deferred: createDeferredDeliveries(tables),
    preferences: createPreferenceRepository(tables),
    emails: createEmailRows(tables),
  };
}

export type NotificationsStore = ReturnType<typeof createNotificationsStore>;
