import { CalendarSpec, MEXICO_HOLIDAYS, WorkingRange, Weekday } from '@helpdesk/calendar';

export const weekdays = (ranges: WorkingRange[], days: Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri']) =>
  Object.fromEntries(days.map((d) => [d, ranges])) as Partial<Record<Weekday, WorkingRange[]>>;

/** 003 Intecnia: Mon-Fri 09:00-14:00 and 16:00-19:00, central Mexico time, business hours. */
export const INTECNIA: CalendarSpec = {
  id: 'intecnia',
  zone: 'America/Mexico_City',
  mode: 'business-hours',
  week: weekdays([
    { start: '09:00', end: '14:00' },
    { start: '16:00', end: '19:00' },
  ]),
  holidays: MEXICO_HOLIDAYS,
};

/** 001 Impera: attention Mon-Fri 09:00-18:00; targets in hours of business days. */
export const IMPERA: CalendarSpec = {
  id: 'impera',
  zone: 'America/Mexico_City',
  mode: 'business-days',
  week: weekdays([{ start: '09:00', end: '18:00' }]),
  holidays: MEXICO_HOLIDAYS,
};

export const ALL_WEEK: Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

export const ALWAYS_BOGOTA: CalendarSpec = {
  id: '24x7-bogota',
  zone: 'America/Bogota',
  mode: 'business-hours',
  week: weekdays([{ start: '00:00', end: '24:00' }], ALL_WEEK),
  holidays: [],
};

export const CHICAGO_OFFICE: CalendarSpec = {
  id: 'chicago-office',
  zone: 'America/Chicago',
  mode: 'business-hours',
  week: weekdays([{ start: '09:00', end: '17:00' }]),
  holidays: [{ kind: 'nth-weekday', name: 'Thanksgiving', month: 11, weekday: 'thu', nth: 4 }],
};

export const ALWAYS_CHICAGO: CalendarSpec = { ...ALWAYS_BOGOTA, id: '24x7-chicago', zone: 'America/Chicago' };

/** Night shifts that straddle the DST switch hours every day (worst case for wall-clock resolution). */
export const CHICAGO_NIGHT: CalendarSpec = {
  id: 'chicago-night',
  zone: 'America/Chicago',
  mode: 'business-hours',
  week: weekdays(
    [
      { start: '00:30', end: '01:30' },
      { start: '01:45', end: '02:30' },
      { start: '02:45', end: '05:00' },
      { start: '22:00', end: '24:00' },
    ],
    ALL_WEEK,
  ),
  holidays: [],
};

export const CHICAGO_BUSINESS_DAYS: CalendarSpec = {
  id: 'chicago-days',
  zone: 'America/Chicago',
  mode: 'business-days',
  week: weekdays([{ start: '08:00', end: '12:00' }], ['mon', 'tue', 'wed', 'thu', 'fri', 'sun']),
  holidays: [{ kind: 'fixed', name: 'Independence Day', month: 7, day: 4 }],
};

export const at = (iso: string): number => {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new Error(`bad test instant ${iso}`);
  return ms;
};
