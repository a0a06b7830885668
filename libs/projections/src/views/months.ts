/**
 * Calendar months of instants in a time zone ('YYYY-MM'), for the dashboards' monthly figures.
 * A month is always taken in the zone recorded with the fact (a response target's calendar
 * zone), never in today's configuration.
 */

const formatters = new Map<string, Intl.DateTimeFormat>();
/** per zone, the last month found and the instants it spans [startMs, endMs) */
const lastMonth = new Map<string, { startMs: number; endMs: number; month: string }>();

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    formatters.set(zone, f);
  }
  return f;
}

function parts(ms: number, zone: string): { year: number; month: number; day: number; hour: number; minute: number } {
  const out: Record<string, number> = {};
  for (const p of formatter(zone).formatToParts(new Date(ms))) if (p.type !== 'literal') out[p.type] = Number(p.value);
  return { year: out.year, month: out.month, day: out.day, hour: out.hour, minute: out.minute };
}

const monthKey = (year: number, month: number) => `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}`;

/** the first instant of the local day `year-month-day` in `zone` (zones' offsets are found by probing) */
function localMidnightMs(year: number, month: number, day: number, zone: string): number {
  let guess = Date.UTC(year, month - 1, day);
  // two corrections settle every real zone (offsets change at most once around a midnight)
  for (let i = 0; i < 3; i++) {
    const p = parts(guess, zone);
    const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute);
    const diff = asUtc - Date.UTC(year, month - 1, day);
    if (diff === 0) break;
    guess -= diff;
  }
  return guess;
}

/** the calendar month (YYYY-MM) of an instant in `zone` */
export function monthOf(instant: string | number, zone: string): string {
  const ms = typeof instant === 'number' ? instant : Date.parse(instant);
  if (Number.isNaN(ms)) throw new TypeError(`not an instant: ${instant}`);
  const cached = lastMonth.get(zone);
  if (cached && ms >= cached.startMs && ms < cached.endMs) return cached.month;
  const p = parts(ms, zone);
  const month = monthKey(p.year, p.month);
  const next = p.month === 12 ? { year: p.year + 1, month: 1 } : { year: p.year, month: p.month + 1 };
  const startMs = localMidnightMs(p.year, p.month, 1, zone);
  const endMs = localMidnightMs(next.year, next.month, 1, zone);
  if (ms >= startMs && ms < endMs) lastMonth.set(zone, { startMs, endMs, month });
  return month;
}

/** the calendar date (YYYY-MM-DD) of an instant in `zone` */
export function dateOf(instant: string | number, zone: string): string {
  const ms = typeof instant === 'number' ? instant : Date.parse(instant);
  const p = parts(ms, zone);
  return `${monthKey(p.year, p.month)}-${String(p.day).padStart(2, '0')}`;
}

const MONTH_RE = /^(\d{4})-(0[1-9]|1[0-2])$/;

export function isMonth(value: unknown): value is string {
  return typeof value === 'string' && MONTH_RE.test(value);
}

/** the month after `month` */
export function nextMonth(month: string): string {
  const [y, m] = month.split('-').map(Number);
  return m === 12 ? monthKey(y + 1, 1) : monthKey(y, m + 1);
}

/** `month` plus `n` months (n may be negative) */
export function addMonths(month: string, n: number): string {
  const [y, m] = month.split('-').map(Number);
  const index = y * 12 + (m - 1) + n;
  return monthKey(Math.floor(index / 12), (index % 12) + 1);
}
