import type { NotificationKind } from '../../kinds';

/** A value in a message's details: plain text, or text with a link. */
export interface Detail {
  readonly text: string;
  readonly href?: string;
}

/**
 * Everything a template may say, already formatted for the recipient (their language, zone and
 * number style). Templates only arrange these; the layout escapes every one of them in HTML.
 */
export interface Facts {
  /** The recipient's display name. */
  readonly name: string;
  readonly audience: 'client' | 'provider' | 'user';
  /** The service booked, when the email is about one. */
  readonly service?: string;
  /** The other side of the booking. */
  readonly counterpart?: string;
  /** "Mon, Jan 7, 2030, 10:00 AM – 10:30 AM (Europe/Berlin)". */
  readonly when?: string;
  readonly previousWhen?: string;
  /** The meeting link, the address, or how to call. */
  readonly where?: Detail;
  readonly price?: string;
  readonly reason?: string;
  readonly cancelledBy?: 'client' | 'provider' | 'admin';
  readonly holdExpires?: string;
  readonly offerExpires?: string;
  /** How long before the start a reminder goes out: "24 hours". */
  readonly startsIn?: string;
  readonly payment?: { readonly amount: string; readonly paidAt: string; readonly id: string };
  readonly links: { readonly home: string; readonly booking?: string; readonly waitlist: string };
}

/** What one email says, before layout: the layout adds the greeting, the action button and the footer. */
export interface Message {
  readonly subject: string;
  readonly intro: string;
  readonly details: readonly (readonly [label: string, value: Detail | undefined])[];
  readonly action?: { readonly label: string; readonly url: string };
  /** A closing sentence above the footer. */
  readonly outro?: string;
}

/** One language: a template per kind plus the words the layout needs. */
export interface Catalog {
  readonly greeting: (name: string) => string;
  readonly footer: string;
  /** Where a booking happens when there is no link or address to show. */
  readonly places: { readonly videoPending: string; readonly phone: string; readonly inPerson: string };
  readonly templates: { readonly [K in NotificationKind]: (facts: Facts) => Message };
}
