/**
 * Instants in the company's time zone (luxon), dates, business durations and money, in the
 * user's language. Durations are integer minutes (the API's unit).
 */
import { DateTime } from 'luxon';
import type { Language } from '../api/views';
import { intlLocale } from '../i18n/locale';
import type { Translate } from '../i18n/types';
import { currencyDigits, formatMinor } from '../money';

export { intlLocale };

/**
 * Intl's formatters, one per language, zone and shape. Building a DateTimeFormat costs far more
 * than using one, and a queue screen shows dozens of instants at once.
 */
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(locale: string, zone: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}|${zone}|${JSON.stringify(options)}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, { ...options, timeZone: zone });
    formatters.set(key, f);
  }
  return f;
}

/** an instant the API gives: UTC or with its offset */
const INSTANT = /^\d{4}-\d\d-\d\dT\d\d:\d\d(?::\d\d(?:\.\d+)?)?(?:[zZ]|[+-]\d\d:?\d\d)$/;

/** "lun 16 nov 2026, 14:00" in `zone` (the year only when it is not this year's) */
export function formatInstant(iso: string | null | undefined, zone: string, language: Language, options: { seconds?: boolean; weekday?: boolean } = {}): string {
  if (!iso) return '—';
  const shape = (sameYear: boolean): Intl.DateTimeFormatOptions => ({
    ...(options.weekday === false ? {} : { weekday: 'short' }),
    day: 'numeric',
    month: 'short',
    ...(sameYear ? {} : { year: 'numeric' }),
    hour: '2-digit',
    minute: '2-digit',
    ...(options.seconds ? { second: '2-digit' } : {}),
    hourCycle: 'h23',
  });
  const at = INSTANT.test(iso) ? Date.parse(iso) : NaN;
  if (Number.isNaN(at)) {
    // anything else luxon reads as it always has (a local time in the zone), or shows as given
    const dt = DateTime.fromISO(iso, { zone }).setLocale(intlLocale(language));
    if (!dt.isValid) return iso;
    return dt.toLocaleString(shape(dt.year === DateTime.now().setZone(zone).year));
  }
  const year = formatter('en-US', zone, { year: 'numeric' });
  return formatter(intlLocale(language), zone, shape(year.format(at) === year.format(Date.now()))).format(at);
}

/** a YYYY-MM-DD date: "16 nov 2026" */
export function formatDate(date: string | null | undefined, language: Language): string {
  if (!date) return '—';
  const dt = DateTime.fromISO(date.slice(0, 10), { zone: 'UTC' }).setLocale(intlLocale(language));
  return dt.isValid ? dt.toLocaleString({ day: 'numeric', month: 'short', year: 'numeric' }) : date;
}

/** today's date in `zone`, YYYY-MM-DD */
export const todayIn = (zone: string): string => DateTime.now().setZone(zone).toISODate() ?? new Date().toISOString().slice(0, 10);

/** the short name of the zone at that instant ("CST", "GMT-5") */
export function zoneAbbreviation(zone: string, language: Language, iso?: string | null): string {
  const dt = (iso ? DateTime.fromISO(iso, { zone }) : DateTime.now().setZone(zone)).setLocale(intlLocale(language));
  return dt.isValid ? dt.toFormat('ZZZZ') : zone;
}

/** the zone as people say it, with its offset: "hora estándar central (UTC-06:00)", never the IANA id alone */
export function zoneLabel(zone: string, language: Language, iso?: string | null): string {
  const dt = (iso ? DateTime.fromISO(iso, { zone }) : DateTime.now().setZone(zone)).setLocale(intlLocale(language));
  if (!dt.isValid) return zone;
  const offset = dt.offset === 0 ? 'UTC' : `UTC${dt.toFormat('ZZ')}`;
  return `${dt.toFormat('ZZZZZ')} (${offset})`;
}

/** "3 h 20 min", "45 min", "72 h" */
export function formatMinutes(minutes: number, t: Translate): string {
  const m = Math.abs(Math.round(minutes));
  const h = Math.floor(m / 60);
  const rest = m % 60;
  if (h === 0) return t('duration.minutes', { m: rest });
  if (rest === 0) return t('duration.hours', { h });
  return t('duration.hoursMinutes', { h, m: rest });
}

/** "3 h 20 min hábiles" (left) or "vencido hace 1 h 5 min hábiles" (negative) */
export function formatBusinessLeft(minutes: number, t: Translate): string {
  return minutes < 0 ? t('duration.businessOverdue', { d: formatMinutes(-minutes, t) }) : t('duration.businessLeft', { d: formatMinutes(minutes, t) });
}

/** minor units of a currency, e.g. 125000 MXN -> "$1,250.00 MXN" (exact: shared/money.ts) */
export const formatMoney = formatMinor;

/** the number of minor units in one major unit of `currency` (100 for MXN), as the console reads and writes amounts */
export function minorPerMajor(currency: string): number {
  return 10 ** currencyDigits(currency);
}
