/**
 * Small pure value helpers shared by the customer, policy and ticket-billing code:
 * calendar dates ('YYYY-MM-DD'), instants, validation and canonical comparison of
 * command bodies (for idempotency). No clock: every "now" is passed in.
 */
import { DomainError, invalid, textLength } from '../shared';

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const INSTANT_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/** true for a real calendar date written as YYYY-MM-DD (rejects 2025-02-30). */
export function isIsoDate(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const m = DATE_RE.exec(value);
  if (!m) return false;
  return dayExists(Number(m[1]), Number(m[2]), Number(m[3]));
}

/** a real calendar day in any year 0000-9999 (Date.UTC would read year 50 as 1950) */
export function dayExists(year: number, month: number, day: number): boolean {
  const t = new Date(0);
  t.setUTCFullYear(year, month - 1, day);
  return t.getUTCFullYear() === year && t.getUTCMonth() === month - 1 && t.getUTCDate() === day;
}

/** true for an ISO 8601 instant with an explicit offset ('Z' or ±hh:mm). */
export function isIsoInstant(value: unknown): value is string {
  return (
    typeof value === 'string' &&
    INSTANT_RE.test(value) &&
    !Number.isNaN(Date.parse(value)) &&
    dayExists(Number(value.slice(0, 4)), Number(value.slice(5, 7)), Number(value.slice(8, 10)))
  );
}

/** epoch milliseconds of an ISO instant; throws a plain Error for a malformed clock value. */
export function instantMs(iso: string): number {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new Error(`not an ISO 8601 instant: ${iso}`);
  return ms;
}

/** Normalises an instant to UTC 'Z' form (milliseconds kept). */
export function toUtcIso(iso: string): string {
  return new Date(instantMs(iso)).toISOString();
}

/** date + n days (n may be negative), in the proleptic Gregorian calendar. */
export function addDays(date: string, days: number): string {
  const m = DATE_RE.exec(date);
  if (!m) throw new Error(`not a date: ${date}`);
  const t = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + days));
  return t.toISOString().slice(0, 10);
}

/**
 * Last day of a one-year term starting on `date`, inclusive:
 * 2025-03-10 -> 2026-03-09; 2024-02-29 -> 2025-02-28 (one year after 29 Feb is 1 Mar).
 */
export function oneYearTermEnd(date: string): string {
  const m = DATE_RE.exec(date);
  if (!m) throw new Error(`not a date: ${date}`);
  const t = new Date(Date.UTC(Number(m[1]) + 1, Number(m[2]) - 1, Number(m[3]) - 1));
  return t.toISOString().slice(0, 10);
}

/** true when `zone` is an IANA time zone the runtime knows (or 'UTC'). */
export function isTimeZone(zone: unknown): zone is string {
  if (typeof zone !== 'string' || zone.length === 0) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/**
 * One formatter per zone: making an Intl.DateTimeFormat costs far more than using one (it was
 * 40% of a ticket read's CPU time once the ticket view asked policies for their status per
 * authorization, bench:http).
 */
const dayFormats = new Map<string, Intl.DateTimeFormat>();

/** The calendar date of an instant in an IANA zone, as YYYY-MM-DD. */
export function dateInZone(iso: string, zone: string): string {
  let format = dayFormats.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' });
    dayFormats.set(zone, format);
  }
  const parts = format.formatToParts(new Date(instantMs(iso)));
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}

/** JSON with object keys sorted, so two bodies compare equal regardless of key order. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value as Record<string, unknown>).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = sortKeys(v);
    }
    return out;
  }
  return value;
}

export const idReused = (what: string, id: string) =>
  new DomainError('id-reused', 409, `${what} ${id} was already used with a different body`, { id });

// ---- validation helpers: each throws a 400 invalid-request naming the field ----

export function requireText(value: unknown, path: string, maxLength = 10_000): string {
  if (typeof value !== 'string' || value.trim().length === 0) throw invalid(path, 'must be a non-empty string');
  if (value.length > maxLength && textLength(value) > maxLength) throw invalid(path, `must be at most ${maxLength} characters`);
  return value;
}

export function optionalText(value: unknown, path: string, maxLength = 10_000): string | null {
  if (value === undefined || value === null) return null;
  return requireText(value, path, maxLength);
}

export function requireInteger(value: unknown, path: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) throw invalid(path, 'must be an integer');
  if (value < min || value > max) throw invalid(path, `must be between ${min} and ${max}`);
  return value;
}

export function requireDate(value: unknown, path: string): string {
  if (!isIsoDate(value)) throw invalid(path, 'must be a calendar date YYYY-MM-DD');
  return value;
}

export function requireOneOf<T extends string>(value: unknown, path: string, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw invalid(path, `must be one of ${allowed.join(', ')}`);
  }
  return value as T;
}
