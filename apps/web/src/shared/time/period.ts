/**
 * Periods in the company's time zone: the dates a filter starts with, a date turned into the
 * instant its day begins there (APIs that take instants), and month keys (YYYY-MM) for axes.
 */
import { DateTime } from 'luxon';
import type { Language } from '../api/views';
import { intlLocale } from './format';

export const DATE_RE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
export const MONTH_RE = /^\d{4}-(0[1-9]|1[0-2])$/;

/** the first day of the month `monthsBack` months before today's, in `zone` */
export function monthsAgoStart(zone: string, monthsBack: number): string {
  return DateTime.now().setZone(zone).startOf('month').minus({ months: monthsBack }).toISODate()!;
}

export function todayDate(zone: string): string {
  return DateTime.now().setZone(zone).toISODate()!;
}

export function currentMonth(zone: string): string {
  return DateTime.now().setZone(zone).toFormat('yyyy-MM');
}

export function monthOf(date: string): string {
  return date.slice(0, 7);
}

/** the instant (ISO with offset) at which `date` begins in `zone`; with `nextDay` the one after (an exclusive end) */
export function startOfDayInstant(date: string, zone: string, nextDay = false): string {
  let dt = DateTime.fromISO(date, { zone }).startOf('day');
  if (nextDay) dt = dt.plus({ days: 1 });
  return dt.toISO({ suppressMilliseconds: true })!;
}

/** "nov 2026" */
export function formatMonth(month: string, language: Language, long = false): string {
  const dt = DateTime.fromFormat(month, 'yyyy-MM', { zone: 'UTC' }).setLocale(intlLocale(language));
  return dt.isValid ? dt.toLocaleString({ month: long ? 'long' : 'short', year: 'numeric' }) : month;
}

/** every month from `from` to `to` inclusive (YYYY-MM) */
export function monthsBetween(from: string, to: string): string[] {
  const out: string[] = [];
  let dt = DateTime.fromFormat(from, 'yyyy-MM', { zone: 'UTC' });
  const end = DateTime.fromFormat(to, 'yyyy-MM', { zone: 'UTC' });
  if (!dt.isValid || !end.isValid) return out;
  while (dt <= end && out.length < 240) {
    out.push(dt.toFormat('yyyy-MM'));
    dt = dt.plus({ months: 1 });
  }
  return out;
}
