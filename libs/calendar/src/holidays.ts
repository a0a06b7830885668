import { HolidayOccurrence, HolidayRule, WEEKDAYS } from './types';
import { daysInMonth, dayNumberOf, isoDateOf, parseIsoDate, weekdayIndexOf } from './local-date';

/** Easter Sunday (Gregorian, anonymous algorithm of Meeus/Jones/Butcher) as a day number. */
export function easterSunday(year: number): number {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return dayNumberOf(year, month, day);
}

/** The same day when it is a Monday, otherwise the following Monday (Ley 51 de 1983). */
function toMonday(dayNumber: number): number {
  const wd = weekdayIndexOf(dayNumber);
  return wd === 0 ? dayNumber : dayNumber + (7 - wd);
}

/** Occurrence (day number) of a rule for the given rule year, before effective-date filtering; null if none. */
function occurrenceFor(rule: HolidayRule, year: number): number | null {
  switch (rule.kind) {
    case 'fixed': {
      if (rule.day > daysInMonth(year, rule.month)) return null; // e.g. 29 Feb in a common year
      const n = dayNumberOf(year, rule.month, rule.day);
      return rule.moveToMonday ? toMonday(n) : n;
    }
    case 'nth-weekday': {
      const target = WEEKDAYS.indexOf(rule.weekday);
      if (rule.nth === -1) {
        const last = dayNumberOf(year, rule.month, daysInMonth(year, rule.month));
        return last - ((weekdayIndexOf(last) - target + 7) % 7);
      }
      const first = dayNumberOf(year, rule.month, 1);
      const n = first + ((target - weekdayIndexOf(first) + 7) % 7) + 7 * (rule.nth - 1);
      return n < first + daysInMonth(year, rule.month) ? n : null; // no 5th such weekday this month
    }
    case 'easter': {
      const n = easterSunday(year) + rule.offsetDays;
      return rule.moveToMonday ? toMonday(n) : n;
    }
    case 'every-n-years': {
      if (year < rule.fromYear || (year - rule.fromYear) % rule.everyYears !== 0) return null;
      if (rule.day > daysInMonth(year, rule.month)) return null;
      return dayNumberOf(year, rule.month, rule.day);
    }
    case 'date': {
      const ymd = parseIsoDate(rule.date);
      return ymd && ymd.year === year ? dayNumberOf(ymd.year, ymd.month, ymd.day) : null;
    }
  }
}

/**
 * Holidays produced by `rules` that fall in `year` (observed dates, after moving to Monday and
 * applying from/until). Several rules landing on the same date yield one entry, names joined with " / ".
 * Sorted by date.
 */
export function expandHolidays(rules: readonly HolidayRule[], year: number, extraDates: readonly string[] = []): HolidayOccurrence[] {
  const byDate = new Map<string, string[]>();
  const add = (date: string, name: string) => {
    const names = byDate.get(date);
    if (!names) byDate.set(date, [name]);
    else if (!names.includes(name)) names.push(name);
  };
  for (const rule of rules) {
    // Moved or offset holidays may cross a year boundary, so look at the neighbouring rule years too.
    for (let y = year - 1; y <= year + 1; y++) {
      const n = occurrenceFor(rule, y);
      if (n === null) continue;
      const date = isoDateOf(n);
      if (!date.startsWith(`${String(year).padStart(4, '0')}-`)) continue;
      if (rule.kind !== 'date') {
        if (rule.from !== undefined && date < rule.from) continue;
        if (rule.until !== undefined && date > rule.until) continue;
      }
      add(date, rule.name);
    }
  }
  for (const date of extraDates) {
    const ymd = parseIsoDate(date);
    if (ymd && ymd.year === year) add(date, 'Día de descanso adicional');
  }
  return [...byDate.entries()]
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map(([date, names]) => ({ date, name: names.join(' / ') }));
}

const PRE_2006 = '2005-12-31';
const FROM_2006 = '2006-01-01';

/**
 * Mexico, Ley Federal del Trabajo art. 74 (mandatory rest days). The Monday rules apply from 2006
 * (reform published 17 Jan 2006); before, the fixed dates. The presidential transition day is
 * 1 Dec every six years up to 2018 and 1 Oct every six years from 2024. Election days are not rules:
 * a deployment adds them through `extraHolidays`.
 */
export const MEXICO_HOLIDAYS: HolidayRule[] = [
  { kind: 'fixed', name: 'Año Nuevo', month: 1, day: 1 },
  { kind: 'fixed', name: 'Día de la Constitución', month: 2, day: 5, until: PRE_2006 },
  { kind: 'nth-weekday', name: 'Día de la Constitución', month: 2, weekday: 'mon', nth: 1, from: FROM_2006 },
  { kind: 'fixed', name: 'Natalicio de Benito Juárez', month: 3, day: 21, until: PRE_2006 },
  { kind: 'nth-weekday', name: 'Natalicio de Benito Juárez', month: 3, weekday: 'mon', nth: 3, from: FROM_2006 },
  { kind: 'fixed', name: 'Día del Trabajo', month: 5, day: 1 },
  { kind: 'fixed', name: 'Día de la Independencia', month: 9, day: 16 },
  { kind: 'fixed', name: 'Día de la Revolución', month: 11, day: 20, until: PRE_2006 },
  { kind: 'nth-weekday', name: 'Día de la Revolución', month: 11, weekday: 'mon', nth: 3, from: FROM_2006 },
  {
    kind: 'every-n-years',
    name: 'Transmisión del Poder Ejecutivo Federal',
    month: 12,
    day: 1,
    everyYears: 6,
    fromYear: 1970,
    until: '2023-12-31',
  },
  {
    kind: 'every-n-years',
    name: 'Transmisión del Poder Ejecutivo Federal',
    month: 10,
    day: 1,
    everyYears: 6,
    fromYear: 2024,
    from: '2024-01-01',
  },
  { kind: 'fixed', name: 'Navidad', month: 12, day: 25 },
];

/** Colombia, Ley 51 de 1983 ("Ley Emiliani") plus the Easter-based holidays. */
export const COLOMBIA_HOLIDAYS: HolidayRule[] = [
  { kind: 'fixed', name: 'Año Nuevo', month: 1, day: 1 },
  { kind: 'fixed', name: 'Día de los Reyes Magos', month: 1, day: 6, moveToMonday: true },
  { kind: 'fixed', name: 'Día de San José', month: 3, day: 19, moveToMonday: true },
  { kind: 'easter', name: 'Jueves Santo', offsetDays: -3 },
  { kind: 'easter', name: 'Viernes Santo', offsetDays: -2 },
  { kind: 'fixed', name: 'Día del Trabajo', month: 5, day: 1 },
  { kind: 'easter', name: 'Ascensión del Señor', offsetDays: 39, moveToMonday: true },
  { kind: 'easter', name: 'Corpus Christi', offsetDays: 60, moveToMonday: true },
  { kind: 'easter', name: 'Sagrado Corazón de Jesús', offsetDays: 68, moveToMonday: true },
  { kind: 'fixed', name: 'San Pedro y San Pablo', month: 6, day: 29, moveToMonday: true },
  { kind: 'fixed', name: 'Día de la Independencia', month: 7, day: 20 },
  { kind: 'fixed', name: 'Batalla de Boyacá', month: 8, day: 7 },
  { kind: 'fixed', name: 'Asunción de la Virgen', month: 8, day: 15, moveToMonday: true },
  { kind: 'fixed', name: 'Día de la Raza', month: 10, day: 12, moveToMonday: true },
  { kind: 'fixed', name: 'Día de Todos los Santos', month: 11, day: 1, moveToMonday: true },
  { kind: 'fixed', name: 'Independencia de Cartagena', month: 11, day: 11, moveToMonday: true },
  { kind: 'fixed', name: 'Inmaculada Concepción', month: 12, day: 8 },
  { kind: 'fixed', name: 'Navidad', month: 12, day: 25 },
];
