export type { Weekday, WorkingRange, CountingMode, HolidayRule, CalendarSpec, HolidayOccurrence } from './types';
export { WEEKDAYS } from './types';
export { MEXICO_HOLIDAYS, COLOMBIA_HOLIDAYS, easterSunday, expandHolidays } from './holidays';
export { validateCalendarSpec } from './validate';
export { BusinessCalendar, isoInZone } from './business-calendar';
export { referenceAddBusinessMinutes, referenceBusinessMinutesBetween } from './reference';
