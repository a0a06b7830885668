/** Calendar-date arithmetic on "day numbers" (days since 1970-01-01, proleptic Gregorian). Zone-free. */
export const MINUTE_MS = 60_000;
export const DAY_MS = 86_400_000;

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const scratch = new Date(0);

export function dayNumberOf(year: number, month: number, day: number): number {
  scratch.setTime(0);
  scratch.setUTCFullYear(year, month - 1, day);
  return Math.round(scratch.getTime() / DAY_MS);
}

export interface Ymd {
  year: number;
  month: number;
  day: number;
}

export function ymdOf(dayNumber: number): Ymd {
  scratch.setTime(dayNumber * DAY_MS);
  return { year: scratch.getUTCFullYear(), month: scratch.getUTCMonth() + 1, day: scratch.getUTCDate() };
}

export function isoDateOf(dayNumber: number): string {
  const { year, month, day } = ymdOf(dayNumber);
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** 0 = Monday ... 6 = Sunday (1970-01-01 was a Thursday). */
export function weekdayIndexOf(dayNumber: number): number {
  return (((dayNumber + 3) % 7) + 7) % 7;
}

export function daysInMonth(year: number, month: number): number {
  return dayNumberOf(year, month + 1, 1) - dayNumberOf(year, month, 1);
}

/** Parses a strict 'YYYY-MM-DD' real calendar date; null when malformed or impossible. */
export function parseIsoDate(s: unknown): Ymd | null {
  if (typeof s !== 'string') return null;
  const m = DATE_RE.exec(s);
  if (!m) return null;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  return { year, month, day };
}

export function isIsoDate(s: unknown): s is string {
  return parseIsoDate(s) !== null;
}

/** 'HH:mm' -> minutes of the day; '24:00' -> 1440; null when malformed. */
export function parseClock(s: unknown): number | null {
  if (typeof s !== 'string') return null;
  const m = /^(\d{2}):(\d{2})$/.exec(s);
  if (!m) return null;
  const h = Number(m[1]);
  const min = Number(m[2]);
  if (h === 24 && min === 0) return 1440;
  if (h > 23 || min > 59) return null;
  return h * 60 + min;
}
