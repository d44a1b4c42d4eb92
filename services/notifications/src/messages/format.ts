import { DateTime, IANAZone } from 'luxon';

/** The languages the message catalog speaks; any other locale reads English. */
export const languages = ['en', 'de'] as const;
export type Language = (typeof languages)[number];

/** How one recipient reads dates and text: their language, and the locale and zone dates use. */
export interface Reader {
  readonly language: Language;
  /** An Intl locale of that language (the recipient's own when it is one), for dates and numbers. */
  readonly locale: string;
  /** A valid IANA zone (the recipient's, or UTC when theirs is unknown to this runtime). */
  readonly zone: string;
}

function supported(locale: string): boolean {
  try {
    return Intl.DateTimeFormat.supportedLocalesOf([locale]).length > 0;
  } catch {
    // A malformed tag (RangeError): not a locale this runtime can use.
    return false;
  }
}

/**
 * The reader for a recipient's stored locale and zone. A regional variant of a catalog language
 * keeps its own date style (en-GB writes "8 January", de-AT "Jänner"); any other language falls
 * back to English text with English dates, so no message mixes two languages.
 */
export function readerFor(locale: string, timeZone: string): Reader {
  const primary = locale.split(/[-_]/)[0]?.toLowerCase() ?? '';
  const language: Language = (languages as readonly string[]).includes(primary) ? (primary as Language) : 'en';
  const tag = locale.replace('_', '-');
  return {
    language,
    locale: primary === language && supported(tag) ? tag : language,
    zone: IANAZone.isValidZone(timeZone) ? timeZone : 'UTC',
  };
}

const dateTimeFormat: Intl.DateTimeFormatOptions = {
  weekday: 'long',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  timeZoneName: 'short',
};

/** An instant as the reader's wall clock, with the day and the zone's name: "Tuesday, 8 January 2030 at 11:00 CET". */
export function formatInstant(reader: Reader, iso: string): string {
  const instant = DateTime.fromISO(iso, { zone: 'utc' });
  if (!instant.isValid) return iso;
  // ICU puts a narrow no-break space before "AM"; plain-text mail and some fonts show it badly.
  return instant.setZone(reader.zone).setLocale(reader.locale).toLocaleString(dateTimeFormat).replaceAll('\u202f', ' ');
}

/** Minor units as the reader writes money: 5000 EUR → "€50.00" / "50,00 €". */
export function formatMoney(reader: Reader, amount: number, currency: string): string {
  try {
    const digits = new Intl.NumberFormat(reader.locale, { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
    return new Intl.NumberFormat(reader.locale, { style: 'currency', currency }).format(amount / 10 ** digits);
  } catch {
    // An unknown currency code: still say the amount.
    return `${amount} ${currency}`;
  }
}
