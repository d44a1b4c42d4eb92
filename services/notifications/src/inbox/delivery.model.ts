import type { EmailData } from '../email/email.data';

/**
 * What one event means for one recipient: the entry to store and, by their preference, the email
 * to send. Kept as is (in `deferred_deliveries`) while the recipient is unknown here.
 */
export interface Delivery {
  readonly userId: string;
  readonly eventId: string;
  /** When the event happened (ISO 8601): the order a booking's emails go out in. */
  readonly occurredAt: string;
  readonly data: EmailData;
}
