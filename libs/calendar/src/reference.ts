import { DateTime } from 'luxon';
import { BusinessCalendar } from './business-calendar';
import { WEEKDAYS } from './types';

/*
 * Deliberately simple minute-stepping reference, for tests and the benchmark. It decides minute by
 * minute whether an instant is business time, using luxon's own local-date view of the instant
 * (independent of the fast calendar's day cache and interval arithmetic). Exact when the inputs are
 * whole minutes (business-time boundaries always are). Holidays come from cal.isHoliday.
 */

const MINUTE = 60_000;
const MAX_STEPS = 20 * 366 * 24 * 60;

function referencePredicate(cal: BusinessCalendar): (ms: number) => boolean {
  const { zone, mode, week } = cal.spec;
  // memo of the local day currently being stepped through
  let dayStart = Infinity;
  let dayEnd = -Infinity;
  let business = false;
  let intervals: Array<[number, number]> = [];
  return (ms: number) => {
    if (!(ms >= dayStart && ms < dayEnd)) {
      const local = DateTime.fromMillis(ms, { zone });
      const midnight = local.startOf('day');
      const nextMidnight = midnight.plus({ days: 1 });
      dayStart = midnight.toMillis();
      dayEnd = nextMidnight.toMillis();
      const ranges = week[WEEKDAYS[local.weekday - 1]] ?? [];
      business = ranges.length > 0 && !cal.isHoliday(local.toISODate() as string);
      intervals = ranges.map((r) => {
        const [sh, sm] = r.start.split(':').map(Number);
        const [eh, em] = r.end.split(':').map(Number);
        const s = midnight.set({ hour: sh, minute: sm }).toMillis();
        const e = eh === 24 ? dayEnd : midnight.set({ hour: eh, minute: em }).toMillis();
        return [s, e];
      });
    }
    if (!business) return false;
    if (mode === 'business-days') return true;
    return intervals.some(([s, e]) => ms >= s && ms < e);
  };
}

export function referenceAddBusinessMinutes(cal: BusinessCalendar, startMs: number, minutes: number): number {
  const open = referencePredicate(cal);
  let t = startMs;
  let steps = 0;
  while (!open(t)) {
    t += MINUTE;
    if (++steps > MAX_STEPS) throw new Error('reference: no business time found');
  }
  let remaining = minutes;
  while (remaining > 0) {
    if (open(t)) remaining--;
    t += MINUTE;
    if (++steps > MAX_STEPS) throw new Error('reference: target too far');
  }
  return t;
}

export function referenceBusinessMinutesBetween(cal: BusinessCalendar, fromMs: number, toMs: number): number {
  const open = referencePredicate(cal);
  let count = 0;
  for (let t = fromMs; t + MINUTE <= toMs; t += MINUTE) if (open(t)) count++;
  return count;
}
