import { DateTime } from 'luxon';

/** The languages emails are written in; every other locale falls back to English. */
export const languages = ['en', 'de'] as const;
export type Language = (typeof languages)[number];

/**
 * A recipient's locale as a well-formed BCP 47 tag ('en' when it is not one), kept whole for
 * dates and amounts (de-AT writes "Jän."), and the language of the words ('de-AT' → 'de').
 */
export function resolveLocale(locale: string): { readonly locale: string; readonly language: Language } {
  let canonical = 'en';
  try {
    canonical = Intl.getCanonicalLocales(locale.replace(/_/g, '-'))[0] ?? 'en';
  } catch {
    // A malformed tag (from an old row, or another client): English rather than no email.
  }
  const base = canonical.split('-')[0]?.toLowerCase() ?? 'en';
  const language = (languages as readonly string[]).includes(base) ? (base as Language) : 'en';
  return { locale: canonical, language };
}

/** A zone Luxon knows, else UTC: a bad zone on a profile must not stop its emails. */
export function resolveZone(zone: string): string {
  return DateTime.now().setZone(zone).isValid ? zone : 'UTC';
}

/** "Mon, Jan 7, 2030, 10:00 AM – 10:30 AM (Europe/Berlin)", in the locale and zone given. */
export function formatRange(startIso: string, endIso: string | undefined, zone: string, locale: string): string {
  const start = DateTime.fromISO(startIso, { zone }).setLocale(locale);
  const head = start.toLocaleString(DateTime.DATETIME_MED_WITH_WEEKDAY);
  if (endIso === undefined) return `${head} (${zone})`;
  const end = DateTime.fromISO(endIso, { zone }).setLocale(locale);
  const tail = end.hasSame(start, 'day') ? end.toLocaleString(DateTime.TIME_SIMPLE) : end.toLocaleString(DateTime.DATETIME_MED_WITH_WEEKDAY);
  return `${head} – ${tail} (${zone})`;
}

/** One instant, e.g. a deadline: "Mon, Jan 7, 2030, 10:00 AM (Europe/Berlin)". */
export function formatInstant(iso: string, zone: string, locale: string): string {
  return formatRange(iso, undefined, zone, locale);
}

/** An amount in minor units (as events carry it) in the currency's own number of decimals. */
export function formatMoney(minorUnits: number, currency: string, locale: string): string {
  try {
    const format = new Intl.NumberFormat(locale, { style: 'currency', currency });
    const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
    return format.format(minorUnits / 10 ** digits);
  } catch {
    // A currency code Intl refuses: the plain figure, still readable.
    return `${(minorUnits / 100).toFixed(2)} ${currency}`;
  }
}

/** "24 hours", "1 Stunde", "30 minutes": how long before the start a reminder goes out. */
export function formatLead(minutes: number, locale: string): string {
  const hours = minutes % 60 === 0;
  return new Intl.NumberFormat(locale, { style: 'unit', unit: hours ? 'hour' : 'minute', unitDisplay: 'long' }).format(hours ? minutes / 60 : minutes);
}

/** Text made safe inside HTML elements and double- or single-quoted attributes. */
export function escapeHtml(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** Only http(s) URLs become links: a `javascript:` meeting "link" stays text. */
export function safeHttpUrl(value: string | null | undefined): string | undefined {
  if (value === null || value === undefined) return undefined;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.toString() : undefined;
  } catch {
    return undefined;
  }
}

/** A link under the public URL, whatever slashes either side brings. */
export function publicLink(publicUrl: string, pathname: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/${pathname.replace(/^\/+/, '')}`;
}

/** One line for a header: no line breaks, no runs of spaces. */
export function oneLine(value: string): string {
  return value.replace(/\s+/g, ' ').trim();
}
