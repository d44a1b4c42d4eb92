import type { EmailData } from '../email.data';
import type { Catalog, Detail, Facts } from './catalog';
import { de } from './de';
import { en } from './en';
import { formatInstant, formatLead, formatMoney, formatRange, oneLine, publicLink, resolveLocale, resolveZone, safeHttpUrl, type Language } from './format';
import { layout, type RenderedEmail } from './layout';

export type { RenderedEmail } from './layout';

const catalogs: Record<Language, Catalog> = { en, de };

/** Who an email is for, as the `recipients` projection knows them at send time. */
export interface EmailRecipient {
  readonly name: string;
  readonly email: string;
  readonly timeZone: string;
  readonly locale: string;
}

export interface RenderInput {
  readonly data: EmailData;
  readonly recipient: EmailRecipient;
  /** Where links point (the web front end). */
  readonly publicUrl: string;
}

function where(data: EmailData, catalog: Catalog): Detail | undefined {
  const booking = data.booking;
  if (booking === undefined) return undefined;
  const link = safeHttpUrl(booking.meetingUrl);
  if (link !== undefined) return { text: link, href: link };
  const address = booking.locationAddress ?? undefined;
  switch (booking.locationKind) {
    case 'video':
      return { text: booking.meetingUrl ?? catalog.places.videoPending };
    case 'phone':
      return { text: address === undefined ? catalog.places.phone : `${catalog.places.phone}: ${address}` };
    case 'in_person':
      return { text: address ?? catalog.places.inPerson };
    case undefined:
      return address === undefined ? undefined : { text: address };
  }
}

/** The facts of an email, formatted for its recipient: the templates only arrange them. */
function factsOf(input: RenderInput, catalog: Catalog, locale: string): Facts {
  const { data, recipient } = input;
  const zone = resolveZone(recipient.timeZone);
  const booking = data.booking;
  const at = (iso: string): string => formatInstant(iso, zone, locale);
  const startsAt = booking?.startsAt ?? data.offer?.startsAt;
  const service = booking?.serviceName ?? data.offer?.serviceName;
  const counterpart = data.counterpartName ?? (data.audience === 'client' ? booking?.providerName : undefined);
  const place = where(data, catalog);
  return {
    name: recipient.name,
    audience: data.audience,
    ...(service === undefined ? {} : { service }),
    ...(counterpart === undefined ? {} : { counterpart }),
    ...(startsAt === undefined ? {} : { when: formatRange(startsAt, booking?.endsAt, zone, locale) }),
    ...(data.previous === undefined ? {} : { previousWhen: formatRange(data.previous.startsAt, data.previous.endsAt, zone, locale) }),
    ...(place === undefined ? {} : { where: place }),
    ...(booking === undefined || booking.priceAmount <= 0 ? {} : { price: formatMoney(booking.priceAmount, booking.currency, locale) }),
    ...(data.cancellation?.reason == null ? {} : { reason: data.cancellation.reason }),
    ...(data.cancellation === undefined ? {} : { cancelledBy: data.cancellation.by }),
    ...(booking?.holdExpiresAt == null ? {} : { holdExpires: at(booking.holdExpiresAt) }),
    ...(data.offer === undefined ? {} : { offerExpires: at(data.offer.offerExpiresAt) }),
    ...(data.reminder === undefined ? {} : { startsIn: formatLead(data.reminder.offsetMinutes, locale) }),
    ...(data.payment === undefined
      ? {}
      : { payment: { amount: formatMoney(data.payment.amount, data.payment.currency, locale), paidAt: at(data.payment.paidAt), id: data.payment.paymentId } }),
    links: {
      home: publicLink(input.publicUrl, '/'),
      waitlist: publicLink(input.publicUrl, '/waitlist'),
      ...(booking === undefined ? {} : { booking: publicLink(input.publicUrl, `/bookings/${encodeURIComponent(booking.bookingId)}`) }),
    },
  };
}

/**
 * An email in its recipient's language (English, or German for any de-* locale) and time zone, as
 * plain text and HTML. Pure: no I/O, no clock.
 */
export function renderEmail(input: RenderInput): RenderedEmail & { readonly language: Language } {
  const { locale, language } = resolveLocale(input.recipient.locale);
  const catalog = catalogs[language];
  const message = catalog.templates[input.data.kind](factsOf(input, catalog, locale));
  const rendered = layout(catalog, input.recipient.name, { ...message, subject: oneLine(message.subject) });
  return { ...rendered, language };
}
