import type { EmailData } from '../email/email.data';
import { catalogs, fallbacks, type Text, type Words } from './catalog';
import { formatInstant, formatMoney, readerFor } from './format';

/** What rendering needs to know of the recipient (a row of `recipients`). */
export interface RenderTarget {
  readonly userId: string;
  readonly name: string;
  readonly locale: string;
  readonly timeZone: string;
}

export interface RenderedEntry extends Text {
  /** For clients to link and act on, in no language: ids, instants (UTC), URLs. */
  readonly data: Record<string, unknown>;
}

/**
 * An in-app entry's text in the recipient's language, with every instant on their wall clock
 * (their zone, their locale's style). The same EmailData goes into the email row, so the email
 * and the entry say the same thing.
 */
export function renderEntry(data: EmailData, recipient: RenderTarget): RenderedEntry {
  const reader = readerFor(recipient.locale, recipient.timeZone);
  const fallback = fallbacks[reader.language];
  const booking = data.booking;
  const when = (iso: string | null | undefined) => (iso === null || iso === undefined ? '' : formatInstant(reader, iso));
  const by = data.cancellation?.by;
  const words: Words = {
    name: recipient.name,
    audience: data.audience,
    service: booking?.serviceName ?? fallback.service,
    provider: booking?.providerName ?? fallback.provider,
    counterpart: data.counterpartName ?? (data.audience === 'provider' ? fallback.client : (booking?.providerName ?? fallback.provider)),
    when: when(booking?.startsAt),
    previousWhen: when(data.previous?.startsAt),
    holdUntil: when(booking?.holdExpiresAt),
    offerUntil: when(data.offer?.offerExpiresAt),
    locationKind: booking?.locationKind,
    address: booking?.locationAddress ?? null,
    meetingUrl: booking?.meetingUrl ?? null,
    cancelledBy: by === undefined ? 'admin' : by === data.audience ? 'you' : by,
    reason: data.cancellation?.reason ?? null,
    reminderMinutes: data.reminder?.offsetMinutes ?? 0,
    amount: data.payment === undefined ? '' : formatMoney(reader, data.payment.amount, data.payment.currency),
  };
  const text = catalogs[reader.language][data.kind](words);
  return { title: text.title.trim(), body: text.body.trim(), data: entryData(data) };
}

function entryData(data: EmailData): Record<string, unknown> {
  const booking = data.booking;
  if (booking === undefined) return {};
  return {
    bookingId: booking.bookingId,
    startsAt: booking.startsAt,
    endsAt: booking.endsAt,
    ...(booking.meetingUrl ? { meetingUrl: booking.meetingUrl } : {}),
    ...(data.previous === undefined ? {} : { previousStartsAt: data.previous.startsAt }),
    ...(data.offer === undefined ? {} : { offerExpiresAt: data.offer.offerExpiresAt }),
  };
}
