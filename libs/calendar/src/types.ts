/** Day of the week, lower-case English three-letter abbreviation. */
export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';

/** Weekdays in ISO order (index 0 = Monday). */
export const WEEKDAYS: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/** A local wall-clock working range, [start, end). 'HH:mm'; end may be '24:00'. */
export interface WorkingRange {
  start: string;
  end: string;
}

/**
 * How response targets are counted:
 * - 'business-hours': only minutes inside the working ranges of business days count;
 * - 'business-days': every minute of a business day (local 00:00-24:00) counts, whole days off are skipped.
 */
export type CountingMode = 'business-hours' | 'business-days';

/** from/until: 'YYYY-MM-DD' effective dates (inclusive), compared with the observed (possibly moved) date. */
export type HolidayRule =
  | { kind: 'fixed'; name: string; month: number; day: number; moveToMonday?: boolean; from?: string; until?: string }
  | { kind: 'nth-weekday'; name: string; month: number; weekday: Weekday; nth: number; from?: string; until?: string }
  | { kind: 'easter'; name: string; offsetDays: number; moveToMonday?: boolean; from?: string; until?: string }
  | {
      kind: 'every-n-years';
      name: string;
      month: number;
      day: number;
      everyYears: number;
      fromYear: number;
      from?: string;
      until?: string;
    }
  | { kind: 'date'; name: string; date: string };

export interface CalendarSpec {
  id: string;
  /** IANA zone, e.g. America/Mexico_City */
  zone: string;
  mode: CountingMode;
  /** missing or empty = day off */
  week: Partial<Record<Weekday, WorkingRange[]>>;
  holidays: HolidayRule[];
  /** 'YYYY-MM-DD' dates added by a deployment (e.g. election days) */
  extraHolidays?: string[];
}

export interface HolidayOccurrence {
  date: string;
  name: string;
}
