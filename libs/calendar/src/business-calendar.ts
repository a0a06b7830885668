import { DateTime, IANAZone } from 'luxon';
import { CalendarSpec, HolidayOccurrence, WEEKDAYS } from './types';
import { DAY_MS, MINUTE_MS, dayNumberOf, isoDateOf, parseClock, parseIsoDate, weekdayIndexOf, ymdOf } from './local-date';
import { expandHolidays } from './holidays';
import { validateCalendarSpec } from './validate';

/** Give up after this many consecutive days without business time (guards against endless loops). */
const MAX_IDLE_DAYS = 3_700;
/** Offsets a few hours before/after an instant, to find the other reading of an ambiguous wall-clock time. */
const AMBIGUITY_PROBE_MS = 6 * 3_600_000;

/** One local calendar date, resolved to instants. */
interface DayInfo {
  /** instant of local midnight (resolved forward if midnight does not exist) */
  readonly start: number;
  /** instant of the next local midnight */
  readonly end: number;
  /** business intervals as flat [start0, end0, start1, end1, ...] epoch ms, sorted, disjoint, inside [start, end) */
  readonly iv: readonly number[];
  /** total business ms of the day */
  readonly total: number;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

function assertInstant(ms: number, what: string): void {
  if (typeof ms !== 'number' || !Number.isFinite(ms)) throw new RangeError(`${what} must be a finite epoch-millisecond number, got ${String(ms)}`);
}

/**
 * A business calendar: working ranges per weekday in an IANA zone, minus holidays.
 * All computations are exact to the millisecond on real elapsed time; each local date is resolved
 * once (with luxon) to epoch-ms intervals and cached, so cost grows with the number of days spanned.
 */
export class BusinessCalendar {
  readonly spec: CalendarSpec;
  private readonly zone: IANAZone;
  /** working ranges per weekday index (0 = Monday) as [startMinute, endMinute] pairs, sorted */
  private readonly ranges: ReadonlyArray<ReadonlyArray<readonly [number, number]>>;
  private readonly guessOffsetMs: number;
  private readonly days = new Map<number, DayInfo>();
  private readonly holidayYears = new Map<number, Map<string, string>>();

  constructor(spec: CalendarSpec) {
    const problems = validateCalendarSpec(spec);
    if (problems.length > 0) {
      const id = typeof (spec as { id?: unknown } | null)?.id === 'string' ? ` "${(spec as CalendarSpec).id}"` : '';
      throw new Error(`Invalid business calendar${id}: ${problems.join('; ')}`);
    }
    this.spec = deepFreeze(structuredClone(spec));
    this.zone = IANAZone.create(spec.zone);
    this.ranges = WEEKDAYS.map((wd) =>
      (spec.week[wd] ?? [])
        .map((r) => [parseClock(r.start) as number, parseClock(r.end) as number] as const)
        .sort((a, b) => a[0] - b[0]),
    );
    this.guessOffsetMs = this.zone.offset(Date.UTC(2000, 0, 1)) * MINUTE_MS;
  }

  // ---------------------------------------------------------------- holidays

  /** Holidays of a (local) year, one entry per date, sorted; includes the deployment's extraHolidays. */
  holidaysOf(year: number): Array<{ date: string; name: string }> {
    return [...this.holidayMap(year).entries()].map(([date, name]): HolidayOccurrence => ({ date, name }));
  }

  isHoliday(localDate: string): boolean {
    const ymd = parseIsoDate(localDate);
    if (!ymd) throw new RangeError(`Not a 'YYYY-MM-DD' date: ${JSON.stringify(localDate)}`);
    return this.holidayMap(ymd.year).has(localDate);
  }

  /** A weekday with at least one working range that is not a holiday. */
  isBusinessDay(localDate: string): boolean {
    const ymd = parseIsoDate(localDate);
    if (!ymd) throw new RangeError(`Not a 'YYYY-MM-DD' date: ${JSON.stringify(localDate)}`);
    const n = dayNumberOf(ymd.year, ymd.month, ymd.day);
    return this.ranges[weekdayIndexOf(n)].length > 0 && !this.holidayMap(ymd.year).has(localDate);
  }

  private holidayMap(year: number): Map<string, string> {
    let map = this.holidayYears.get(year);
    if (!map) {
      map = new Map(expandHolidays(this.spec.holidays, year, this.spec.extraHolidays ?? []).map((h) => [h.date, h.name]));
      this.holidayYears.set(year, map);
    }
    return map;
  }

  // ---------------------------------------------------------------- days

  /**
   * Instant of a local wall-clock time. A time that does not exist (DST gap) resolves forward as
   * luxon does (02:30 -> 03:30); a time that occurs twice (DST fall-back) resolves to its FIRST
   * occurrence (luxon alone would pick the second).
   */
  private localInstant(year: number, month: number, day: number, minuteOfDay: number): number {
    const hour = Math.floor(minuteOfDay / 60);
    const minute = minuteOfDay % 60;
    const resolved = DateTime.fromObject({ year, month, day, hour, minute }, { zone: this.zone }).toMillis();
    const wall = dayNumberOf(year, month, day) * DAY_MS + minuteOfDay * MINUTE_MS; // wall clock read as UTC
    let best = resolved;
    for (const probe of [resolved - AMBIGUITY_PROBE_MS, resolved + AMBIGUITY_PROBE_MS]) {
      const offset = this.zone.offset(probe);
      const candidate = wall - offset * MINUTE_MS;
      if (candidate < best && this.zone.offset(candidate) === offset) best = candidate;
    }
    return best;
  }

  private day(n: number): DayInfo {
    const cached = this.days.get(n);
    if (cached !== undefined) return cached;
    const { year, month, day } = ymdOf(n);
    const next = ymdOf(n + 1);
    const start = this.localInstant(year, month, day, 0);
    const end = this.localInstant(next.year, next.month, next.day, 0);
    const ranges = this.ranges[weekdayIndexOf(n)];
    const iv: number[] = [];
    if (ranges.length > 0 && !this.holidayMap(year).has(isoDateOf(n))) {
      if (this.spec.mode === 'business-days') iv.push(start, end);
      else {
        for (const [s, e] of ranges) {
          const from = Math.max(start, this.localInstant(year, month, day, s));
          const to = e === 1440 ? end : Math.min(end, this.localInstant(year, month, day, e));
          if (to <= from) continue; // e.g. a range that vanishes in a DST gap
          const last = iv.length - 1;
          if (last > 0 && from <= iv[last]) iv[last] = Math.max(iv[last], to); // touching/overlapping after DST resolution
          else iv.push(from, to);
        }
      }
    }
    let total = 0;
    for (let i = 0; i < iv.length; i += 2) total += iv[i + 1] - iv[i];
    const info: DayInfo = { start, end, iv, total };
    this.days.set(n, info);
    return info;
  }

  /** Day number of the local date containing the instant. */
  private locate(ms: number): number {
    let n = Math.floor((ms + this.guessOffsetMs) / DAY_MS);
    let info = this.day(n);
    while (ms < info.start) info = this.day(--n);
    while (ms >= info.end) info = this.day(++n);
    return n;
  }

  // ---------------------------------------------------------------- queries

  /** Is the instant inside business time. */
  isOpen(ms: number): boolean {
    assertInstant(ms, 'ms');
    const iv = this.day(this.locate(ms)).iv;
    for (let i = 0; i < iv.length; i += 2) if (ms >= iv[i] && ms < iv[i + 1]) return true;
    return false;
  }

  /** Next instant >= ms that is inside business time. */
  nextOpening(ms: number): number {
    return this.addBusinessMinutes(ms, 0);
  }

  /**
   * Instant (epoch ms) after adding N business minutes from `startMs`; a start outside business time
   * begins at the next opening. N = 0 returns the next opening (or the start if inside). A target that
   * is used up exactly at the end of a working range ends there (e.g. 18:00), not at the next opening.
   */
  addBusinessMinutes(startMs: number, minutes: number): number {
    assertInstant(startMs, 'startMs');
    if (!Number.isInteger(minutes) || minutes < 0) throw new RangeError(`minutes must be a non-negative integer, got ${String(minutes)}`);
    let remaining = minutes * MINUTE_MS;
    let n = this.locate(startMs);
    let t = startMs;
    let idle = 0;
    for (;;) {
      const info = this.day(n);
      if (info.total > 0) {
        idle = 0;
        if (t <= info.start && remaining > info.total) remaining -= info.total;
        else {
          const iv = info.iv;
          for (let i = 0; i < iv.length; i += 2) {
            const e = iv[i + 1];
            if (e <= t) continue;
            const s = iv[i] > t ? iv[i] : t;
            const avail = e - s;
            if (remaining <= avail) return s + remaining;
            remaining -= avail;
          }
        }
      } else if (++idle > MAX_IDLE_DAYS) {
        throw new Error(`Calendar ${this.spec.id}: no business time within ${MAX_IDLE_DAYS} days after ${new Date(t).toISOString()}`);
      }
      t = info.end;
      n++;
    }
  }

  /**
   * The business time in [fromMs, toMs) as intervals [start, end) of epoch ms, clipped to it,
   * in order; intervals that touch (a range ending at 24:00 and the next day's starting at
   * 00:00, whole business days in business-days mode) are merged. At most `limit` intervals.
   */
  businessIntervals(fromMs: number, toMs: number, limit = 10_000): Array<[number, number]> {
    assertInstant(fromMs, 'fromMs');
    assertInstant(toMs, 'toMs');
    const out: Array<[number, number]> = [];
    if (toMs <= fromMs) return out;
    for (let n = this.locate(fromMs); ; n++) {
      const info = this.day(n);
      if (info.start >= toMs) return out;
      const iv = info.iv;
      for (let i = 0; i < iv.length; i += 2) {
        const s = iv[i] > fromMs ? iv[i] : fromMs;
        const e = iv[i + 1] < toMs ? iv[i + 1] : toMs;
        if (e <= s) continue;
        const last = out[out.length - 1];
        if (last && last[1] >= s) last[1] = Math.max(last[1], e);
        else {
          if (out.length >= limit) return out;
          out.push([s, e]);
        }
      }
    }
  }

  /** Business ms in [a, b), a < b. */
  private businessMs(a: number, b: number): number {
    let n = this.locate(a);
    let total = 0;
    for (;;) {
      const info = this.day(n);
      if (info.start >= b) return total;
      if (info.total > 0) {
        if (a <= info.start && info.end <= b) total += info.total;
        else {
          const iv = info.iv;
          for (let i = 0; i < iv.length; i += 2) {
            const s = iv[i] > a ? iv[i] : a;
            const e = iv[i + 1] < b ? iv[i + 1] : b;
            if (e > s) total += e - s;
          }
        }
      }
      n++;
    }
  }

  /**
   * Business minutes in [fromMs, toMs) minus the union of `pauses` (each [fromMs, toMs); they may
   * overlap; toMs = null means "until toMs"). Floor of whole minutes; 0 when toMs <= fromMs.
   */
  businessMinutesBetween(fromMs: number, toMs: number, pauses: Array<{ fromMs: number; toMs: number | null }> = []): number {
    assertInstant(fromMs, 'fromMs');
    assertInstant(toMs, 'toMs');
    if (toMs <= fromMs) return 0;
    const clipped: Array<[number, number]> = [];
    for (const p of pauses) {
      assertInstant(p.fromMs, 'pause.fromMs');
      if (p.toMs !== null) assertInstant(p.toMs, 'pause.toMs');
      const s = Math.max(p.fromMs, fromMs);
      const e = Math.min(p.toMs ?? toMs, toMs);
      if (e > s) clipped.push([s, e]);
    }
    clipped.sort((x, y) => x[0] - y[0]);
    let total = 0;
    let cursor = fromMs;
    for (const [s, e] of clipped) {
      if (s > cursor) total += this.businessMs(cursor, s);
      if (e > cursor) cursor = e;
    }
    if (cursor < toMs) total += this.businessMs(cursor, toMs);
    return Math.floor(total / MINUTE_MS);
  }
}

/** ISO 8601 with the zone's offset, e.g. 2026-03-02T09:00:00.000-06:00 ('Z' for UTC). */
export function isoInZone(ms: number, zone: string): string {
  assertInstant(ms, 'ms');
  const dt = DateTime.fromMillis(ms, { zone });
  if (!dt.isValid) throw new RangeError(`Invalid zone ${JSON.stringify(zone)}: ${dt.invalidExplanation ?? dt.invalidReason}`);
  return dt.toISO() as string;
}
