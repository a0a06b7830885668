import { BusinessCalendar, COLOMBIA_HOLIDAYS, MEXICO_HOLIDAYS, easterSunday, expandHolidays, HolidayRule } from '@helpdesk/calendar';

const dates = (rules: HolidayRule[], year: number, extra: string[] = []) => expandHolidays(rules, year, extra).map((h) => h.date);

describe('Mexico (LFT art. 74)', () => {
  it('2023', () => {
    expect(dates(MEXICO_HOLIDAYS, 2023)).toEqual(['2023-01-01', '2023-02-06', '2023-03-20', '2023-05-01', '2023-09-16', '2023-11-20', '2023-12-25']);
  });
  it('2024 includes the 1 Oct presidential transition and no 1 Dec', () => {
    expect(dates(MEXICO_HOLIDAYS, 2024)).toEqual([
      '2024-01-01', '2024-02-05', '2024-03-18', '2024-05-01', '2024-09-16', '2024-10-01', '2024-11-18', '2024-12-25',
    ]);
  });
  it('2025 has no transition day', () => {
    expect(dates(MEXICO_HOLIDAYS, 2025)).toEqual(['2025-01-01', '2025-02-03', '2025-03-17', '2025-05-01', '2025-09-16', '2025-11-17', '2025-12-25']);
  });
  it('2030 (next transition, 1 Oct)', () => {
    expect(dates(MEXICO_HOLIDAYS, 2030)).toEqual([
      '2030-01-01', '2030-02-04', '2030-03-18', '2030-05-01', '2030-09-16', '2030-10-01', '2030-11-18', '2030-12-25',
    ]);
  });
  it('2018 had the 1 Dec transition (pre-reform rule)', () => {
    expect(dates(MEXICO_HOLIDAYS, 2018)).toEqual([
      '2018-01-01', '2018-02-05', '2018-03-19', '2018-05-01', '2018-09-16', '2018-11-19', '2018-12-01', '2018-12-25',
    ]);
  });
  it('before 2006 the fixed dates apply (2005), and 2000 had 1 Dec', () => {
    expect(dates(MEXICO_HOLIDAYS, 2005)).toEqual(['2005-01-01', '2005-02-05', '2005-03-21', '2005-05-01', '2005-09-16', '2005-11-20', '2005-12-25']);
    expect(dates(MEXICO_HOLIDAYS, 2000)).toContain('2000-12-01');
    expect(dates(MEXICO_HOLIDAYS, 2036)).toContain('2036-10-01');
    expect(dates(MEXICO_HOLIDAYS, 2036)).not.toContain('2036-12-01');
  });
  it('names the days', () => {
    const y = expandHolidays(MEXICO_HOLIDAYS, 2024);
    expect(y.find((h) => h.date === '2024-10-01')?.name).toBe('Transmisión del Poder Ejecutivo Federal');
    expect(y.find((h) => h.date === '2024-11-18')?.name).toBe('Día de la Revolución');
  });
});

describe('Colombia (Ley 51 de 1983 + Easter)', () => {
  it('Easter Sunday', () => {
    const iso = (n: number) => new Date(n * 86_400_000).toISOString().slice(0, 10);
    expect(iso(easterSunday(2025))).toBe('2025-04-20');
    expect(iso(easterSunday(2026))).toBe('2026-04-05');
    expect(iso(easterSunday(2024))).toBe('2024-03-31');
    expect(iso(easterSunday(2019))).toBe('2019-04-21');
    expect(iso(easterSunday(2038))).toBe('2038-04-25');
  });
  it('2025 official list (Sagrado Corazón and San Pedro share 30 Jun)', () => {
    const list = expandHolidays(COLOMBIA_HOLIDAYS, 2025);
    expect(list.map((h) => h.date)).toEqual([
      '2025-01-01', '2025-01-06', '2025-03-24', '2025-04-17', '2025-04-18', '2025-05-01', '2025-06-02', '2025-06-23',
      '2025-06-30', '2025-07-20', '2025-08-07', '2025-08-18', '2025-10-13', '2025-11-03', '2025-11-17', '2025-12-08', '2025-12-25',
    ]);
    expect(list.find((h) => h.date === '2025-06-30')?.name).toBe('Sagrado Corazón de Jesús / San Pedro y San Pablo');
  });
  it('2026 official list (18 days)', () => {
    expect(dates(COLOMBIA_HOLIDAYS, 2026)).toEqual([
      '2026-01-01', '2026-01-12', '2026-03-23', '2026-04-02', '2026-04-03', '2026-05-01', '2026-05-18', '2026-06-08', '2026-06-15',
      '2026-06-29', '2026-07-20', '2026-08-07', '2026-08-17', '2026-10-12', '2026-11-02', '2026-11-16', '2026-12-08', '2026-12-25',
    ]);
  });
});

describe('rule kinds', () => {
  it('nth-weekday: last and missing 5th', () => {
    const last: HolidayRule = { kind: 'nth-weekday', name: 'Memorial', month: 5, weekday: 'mon', nth: -1 };
    expect(dates([last], 2026)).toEqual(['2026-05-25']);
    const fifthFriday: HolidayRule = { kind: 'nth-weekday', name: 'x', month: 2, weekday: 'fri', nth: 5 };
    expect(dates([fifthFriday], 2026)).toEqual([]); // Feb 2026 has 4 Fridays
    expect(dates([fifthFriday], 2008)).toEqual(['2008-02-29']);
  });
  it('moveToMonday may cross into the next year; from/until filter the observed date', () => {
    const r: HolidayRule = { kind: 'fixed', name: 'NYE', month: 12, day: 31, moveToMonday: true };
    expect(dates([r], 2026)).toEqual(['2026-01-05']); // from 2025-12-31 (Wednesday); 2026-12-31 (Thursday) -> 2027-01-04
    expect(dates([r], 2027)).toEqual(['2027-01-04']);
    const bounded: HolidayRule = { kind: 'fixed', name: 'b', month: 6, day: 1, from: '2025-06-01', until: '2026-06-01' };
    expect([2024, 2025, 2026, 2027].flatMap((y) => dates([bounded], y))).toEqual(['2025-06-01', '2026-06-01']);
  });
  it('one-off dates, 29 Feb, every-n-years and extra holidays', () => {
    expect(dates([{ kind: 'date', name: 'Elección', date: '2027-06-06' }], 2027)).toEqual(['2027-06-06']);
    expect(dates([{ kind: 'date', name: 'Elección', date: '2027-06-06' }], 2026)).toEqual([]);
    expect(dates([{ kind: 'fixed', name: 'leap', month: 2, day: 29 }], 2025)).toEqual([]);
    expect(dates([{ kind: 'fixed', name: 'leap', month: 2, day: 29 }], 2028)).toEqual(['2028-02-29']);
    const every4: HolidayRule = { kind: 'every-n-years', name: 'q', month: 7, day: 4, everyYears: 4, fromYear: 2020 };
    expect([2019, 2020, 2021, 2024].flatMap((y) => dates([every4], y))).toEqual(['2020-07-04', '2024-07-04']);
    expect(dates([], 2027, ['2027-06-06', '2026-01-02'])).toEqual(['2027-06-06']);
  });
});

describe('BusinessCalendar holidays', () => {
  const cal = new BusinessCalendar({
    id: 'mx',
    zone: 'America/Mexico_City',
    mode: 'business-hours',
    week: { mon: [{ start: '09:00', end: '18:00' }], tue: [{ start: '09:00', end: '18:00' }], sat: [] },
    holidays: MEXICO_HOLIDAYS,
    extraHolidays: ['2027-06-07'],
  });
  it('isHoliday / isBusinessDay / holidaysOf', () => {
    expect(cal.isHoliday('2026-11-16')).toBe(true);
    expect(cal.isBusinessDay('2026-11-16')).toBe(false); // Monday holiday
    expect(cal.isBusinessDay('2026-11-17')).toBe(true); // Tuesday
    expect(cal.isBusinessDay('2026-11-18')).toBe(false); // Wednesday has no ranges
    expect(cal.isBusinessDay('2026-11-21')).toBe(false); // Saturday, empty ranges
    expect(cal.isHoliday('2027-06-07')).toBe(true);
    expect(cal.holidaysOf(2027).map((h) => h.date)).toContain('2027-06-07');
    expect(cal.holidaysOf(2024)).toHaveLength(8);
    expect(() => cal.isHoliday('2026-02-30')).toThrow(RangeError);
  });
});
