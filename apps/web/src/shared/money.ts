/**
 * Money from exact integer minor units: the amount is written as a decimal string (never
 * divided as a float) and formatted by Intl in the user's language with the currency's symbol.
 * The number of decimals is ISO 4217's minor unit, as the API defines amounts (MXN 2, COP 2:
 * centavos), not Intl's display default (CLDR shows COP without decimals, which would read an
 * amount in centavos as pesos). The server's e-mails use the same table
 * (libs/notifications/src/mail/templates.ts).
 */
import type { Language } from './api/views';
import { intlLocale } from './i18n/locale';

/** ISO 4217 minor-unit exponents of the currencies a preset may use; others: Intl's */
export const ISO_4217_DIGITS: Readonly<Record<string, number>> = { MXN: 2, COP: 2, USD: 2 };

const digitsCache = new Map<string, number>();

export function currencyDigits(currency: string): number {
  let d = digitsCache.get(currency);
  if (d === undefined) {
    d = ISO_4217_DIGITS[currency] ?? new Intl.NumberFormat('en-US', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
    digitsCache.set(currency, d);
  }
  return d;
}

/** 123456 minor units of MXN -> "1234.56" (exact, for any safe integer) */
export function minorToDecimalString(minor: number, currency: string): string {
  const digits = currencyDigits(currency);
  const negative = minor < 0;
  const abs = String(Math.abs(Math.trunc(minor))).padStart(digits + 1, '0');
  const major = digits > 0 ? abs.slice(0, abs.length - digits) : abs;
  const fraction = digits > 0 ? `.${abs.slice(abs.length - digits)}` : '';
  return `${negative ? '-' : ''}${major}${fraction}`;
}

/** "$1,234.56 MXN" (es-MX), "$ 1.234,56 COP" (es-CO) */
export function formatMinor(minor: number | null | undefined, currency: string | null | undefined, language: Language): string {
  if (minor === null || minor === undefined || !currency) return '—';
  const digits = currencyDigits(currency);
  const format = new Intl.NumberFormat(intlLocale(language), { style: 'currency', currency, currencyDisplay: 'symbol', minimumFractionDigits: digits, maximumFractionDigits: digits });
  // Intl formats a decimal string exactly (no float rounding)
  const text = format.format(minorToDecimalString(minor, currency) as unknown as number);
  return `${text} ${currency}`;
}

/** totals by currency ({ MXN: 125000 }) as one line */
export function formatByCurrency(byCurrency: Record<string, number> | null | undefined, language: Language): string {
  const entries = Object.entries(byCurrency ?? {}).filter(([, v]) => typeof v === 'number');
  if (entries.length === 0) return '—';
  return entries.map(([c, v]) => formatMinor(v, c, language)).join(' · ');
}
