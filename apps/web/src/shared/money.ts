/**
 * Money from exact integer minor units: the amount is written as a decimal string (never
 * divided as a float) and formatted by Intl in the user's language with the currency's symbol
 * and its number of decimals as Intl (CLDR) gives it, the same everywhere: the quote form reads
 * amounts with it and the server's e-mails write them with it (MXN 2; COP 0 in current CLDR data).
 */
import type { Language } from './api/views';
import { intlLocale } from './i18n/locale';

const digitsCache = new Map<string, number>();

export function currencyDigits(currency: string): number {
  let d = digitsCache.get(currency);
  if (d === undefined) {
    d = new Intl.NumberFormat('en-US', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
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
  const format = new Intl.NumberFormat(intlLocale(language), { style: 'currency', currency, currencyDisplay: 'symbol' });
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
