/*
 * Prices are entered in major units ("45.50") and sent in minor units (4550), with as many
 * decimals as the currency has (JPY none, EUR two, BHD three): the same digits formatPrice uses.
 */

export const currencies = ['USD', 'EUR', 'GBP', 'INR', 'CAD', 'AUD', 'NZD', 'CHF', 'SEK', 'NOK', 'DKK', 'PLN', 'CZK', 'JPY', 'SGD', 'BRL', 'MXN', 'ZAR', 'AED'] as const;

export function currencyDigits(currency: string): number {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

/** "EUR – Euro" in the viewer's language, or the bare code. */
export function currencyLabel(currency: string, locale: string): string {
  try {
    const name = new Intl.DisplayNames([locale], { type: 'currency' }).of(currency);
    return name === undefined || name === currency ? currency : `${currency} – ${name}`;
  } catch {
    return currency;
  }
}

/** Minor units of a typed amount ("45", "45.5", "45,50"), or undefined when it is not one. */
export function toMinorUnits(text: string, currency: string): number | undefined {
  const digits = currencyDigits(currency);
  const value = text.trim().replace(',', '.');
  const pattern = digits === 0 ? /^\d+$/ : new RegExp(`^\\d+(?:\\.\\d{1,${digits}})?$`);
  if (!pattern.test(value)) return undefined;
  const [whole = '0', fraction = ''] = value.split('.');
  const minor = Number(whole) * 10 ** digits + Number(fraction.padEnd(digits, '0') || '0');
  return Number.isSafeInteger(minor) ? minor : undefined;
}

/** The amount to put back in the field: 4550 EUR → "45.50", 0 → "0". */
export function fromMinorUnits(minor: number, currency: string): string {
  if (minor === 0) return '0';
  const digits = currencyDigits(currency);
  if (digits === 0) return String(minor);
  const text = String(minor).padStart(digits + 1, '0');
  return `${text.slice(0, -digits)}.${text.slice(-digits)}`;
}
