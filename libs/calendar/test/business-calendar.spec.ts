import { BusinessCalendar, isoInZone, validateCalendarSpec, CalendarSpec, HolidayRule } from '@helpdesk/calendar';
import { ALWAYS_BOGOTA, ALWAYS_CHICAGO, CHICAGO_BUSINESS_DAYS, CHICAGO_NIGHT, CHICAGO_OFFICE, IMPERA, INTECNIA, at } from './fixtures';

const MX = 'America/Mexico_City';
const CHI = 'America/Chicago';

describe('split-day business hours (003 Intecnia, 09-14 & 16-19 Mexico City)', () => {
  const cal = new BusinessCalendar(INTECNIA);
  const add = (iso: string, minutes: number) => isoInZone(cal.addBusinessMinutes(at(iso), minutes), MX);

  it('8 business hours from Monday 13:00 end Tuesday 13:00 (1 h + 3 h Monday, 4 h Tuesday)', () => {
    expect(add('2026-03-02T13:00:00-06:00', 480)).toBe('2026-03-03T13:00:00.000-06:00');
  });
  it('a target used up exactly at closing time ends at closing time', () => {
    expect(add('2026-03-02T09:00:00-06:00', 480)).toBe('2026-03-02T19:00:00.000-06:00');
    expect(add('2026-03-02T13:30:00-06:00', 30)).toBe('2026-03-02T14:00:00.000-06:00');
  });
  it('the lunch gap is skipped; 0 minutes gives the next opening', () => {
    expect(add('2026-03-02T14:00:00-06:00', 0)).toBe('2026-03-02T16:00:00.000-06:00');
    expect(add('2026-03-02T14:30:00-06:00', 1)).toBe('2026-03-02T16:01:00.000-06:00');
    expect(add('2026-03-02T10:15:00-06:00', 0)).toBe('2026-03-02T10:15:00.000-06:00');
    expect(isoInZone(cal.nextOpening(at('2026-03-06T19:00:00-06:00')), MX)).toBe('2026-03-09T09:00:00.000-06:00');
  });
  it('skips the weekend and a Monday holiday (16 Mar 2026, third Monday of March)', () => {
    expect(add('2026-03-13T17:00:00-06:00', 480)).toBe('2026-03-17T17:00:00.000-06:00');
  });
  it('a Saturday start begins Monday 09:00', () => {
    expect(add('2026-03-07T10:00:00-06:00', 480)).toBe('2026-03-09T19:00:00.000-06:00');
  });
  it('24 business hours = three working days', () => {
    expect(add('2026-03-02T09:00:00-06:00', 1440)).toBe('2026-03-04T19:00:00.000-06:00');
  });
  it('keeps seconds of a start inside business time', () => {
    expect(cal.addBusinessMinutes(at('2026-03-02T10:00:30-06:00'), 5)).toBe(at('2026-03-02T10:05:30-06:00'));
    expect(cal.addBusinessMinutes(at('2026-03-02T13:59:30-06:00'), 1)).toBe(at('2026-03-02T16:00:30-06:00'));
  });
  it('businessMinutesBetween counts only working ranges and floors partial minutes', () => {
    expect(cal.businessMinutesBetween(at('2026-03-02T09:00:00-06:00'), at('2026-03-03T19:00:00-06:00'))).toBe(960);
    expect(cal.businessMinutesBetween(at('2026-03-02T00:00:00-06:00'), at('2026-03-09T00:00:00-06:00'))).toBe(5 * 480);
    expect(cal.businessMinutesBetween(at('2026-03-13T00:00:00-06:00'), at('2026-03-18T00:00:00-06:00'))).toBe(2 * 480); // Mon 16 is a holiday
    expect(cal.businessMinutesBetween(at('2026-03-02T10:00:30-06:00'), at('2026-03-02T10:02:00-06:00'))).toBe(1);
    expect(cal.businessMinutesBetween(at('2026-03-02T14:00:00-06:00'), at('2026-03-02T16:00:00-06:00'))).toBe(0);
    expect(cal.businessMinutesBetween(at('2026-03-03T00:00:00-06:00'), at('2026-03-02T00:00:00-06:00'))).toBe(0);
  });
  it('isOpen respects range ends, lunch and holidays', () => {
    expect(cal.isOpen(at('2026-03-02T13:59:59.999-06:00'))).toBe(true);
    expect(cal.isOpen(at('2026-03-02T14:00:00-06:00'))).toBe(false);
    expect(cal.isOpen(at('2026-03-02T16:00:00-06:00'))).toBe(true);
    expect(cal.isOpen(at('2026-03-02T08:59:59-06:00'))).toBe(false);
    expect(cal.isOpen(at('2026-03-16T10:00:00-06:00'))).toBe(false);
    expect(cal.isOpen(at('2026-03-07T10:00:00-06:00'))).toBe(false);
  });
  it('inverse: minutes between start and due date equal the target', () => {
    const start = at('2026-03-13T17:20:00-06:00');
    for (const target of [1, 59, 60, 100, 480, 600, 720, 1440, 4320]) {
      expect(cal.businessMinutesBetween(start, cal.addBusinessMinutes(start, target))).toBe(target);
    }
  });
});

describe('hours of business days (001 Impera)', () => {
  const cal = new BusinessCalendar(IMPERA);
  const add = (iso: string, minutes: number) => isoInZone(cal.addBusinessMinutes(at(iso), minutes), MX);

  it('Friday 15:00 + 24 h before a Monday holiday (16 Nov 2026) -> Tuesday 15:00', () => {
    expect(add('2026-11-13T15:00:00-06:00', 1440)).toBe('2026-11-17T15:00:00.000-06:00');
    expect(cal.businessMinutesBetween(at('2026-11-13T15:00:00-06:00'), at('2026-11-17T15:00:00-06:00'))).toBe(1440);
  });
  it('a ticket received Saturday starts counting Monday 00:00', () => {
    expect(add('2026-03-07T10:00:00-06:00', 0)).toBe('2026-03-09T00:00:00.000-06:00');
    expect(add('2026-03-07T10:00:00-06:00', 4320)).toBe('2026-03-12T00:00:00.000-06:00');
  });
  it('evening hours of a business day count; holidays are skipped', () => {
    expect(add('2026-03-11T22:00:00-06:00', 120)).toBe('2026-03-12T00:00:00.000-06:00');
    expect(add('2026-03-11T10:00:00-06:00', 2880)).toBe('2026-03-13T10:00:00.000-06:00');
    expect(add('2026-03-11T10:00:00-06:00', 4320)).toBe('2026-03-17T10:00:00.000-06:00');
    expect(cal.isOpen(at('2026-03-11T23:30:00-06:00'))).toBe(true);
    expect(cal.isOpen(at('2026-03-16T12:00:00-06:00'))).toBe(false);
  });
});

describe('24/7', () => {
  const cal = new BusinessCalendar(ALWAYS_BOGOTA);
  it('every minute counts, weekends and holidays included', () => {
    const s = at('2026-01-01T03:17:00-05:00');
    expect(cal.addBusinessMinutes(s, 60)).toBe(s + 3_600_000);
    expect(cal.addBusinessMinutes(s, 4320)).toBe(s + 3 * 86_400_000);
    expect(cal.addBusinessMinutes(s, 0)).toBe(s);
    expect(cal.businessMinutesBetween(s, s + 10 * 86_400_000 + 59_999)).toBe(14_400);
    expect(cal.isOpen(at('2026-01-03T23:59:59-05:00'))).toBe(true);
  });
  it('counts real minutes across DST days in Chicago (23 h and 25 h days)', () => {
    const chi = new BusinessCalendar(ALWAYS_CHICAGO);
    expect(chi.businessMinutesBetween(at('2026-03-08T00:00:00-06:00'), at('2026-03-09T00:00:00-05:00'))).toBe(1380);
    expect(chi.businessMinutesBetween(at('2026-11-01T00:00:00-05:00'), at('2026-11-02T00:00:00-06:00'))).toBe(1500);
    expect(isoInZone(chi.addBusinessMinutes(at('2026-03-07T12:00:00-06:00'), 1440), CHI)).toBe('2026-03-08T13:00:00.000-05:00');
  });
});

describe('DST zone (America/Chicago)', () => {
  const cal = new BusinessCalendar(CHICAGO_OFFICE);
  it('across the spring-forward weekend (2026-03-08)', () => {
    expect(isoInZone(cal.addBusinessMinutes(at('2026-03-06T16:00:00-06:00'), 120), CHI)).toBe('2026-03-09T10:00:00.000-05:00');
    expect(cal.businessMinutesBetween(at('2026-03-06T16:00:00-06:00'), at('2026-03-09T10:00:00-05:00'))).toBe(120);
  });
  it('across the fall-back weekend (2026-11-01) and Thanksgiving', () => {
    expect(isoInZone(cal.addBusinessMinutes(at('2026-10-30T16:00:00-05:00'), 120), CHI)).toBe('2026-11-02T10:00:00.000-06:00');
    expect(isoInZone(cal.addBusinessMinutes(at('2026-11-25T16:00:00-06:00'), 120), CHI)).toBe('2026-11-27T10:00:00.000-06:00');
  });
  it('ranges inside the switch hours count real elapsed minutes', () => {
    const night = new BusinessCalendar(CHICAGO_NIGHT);
    const day = (iso: string) => night.businessMinutesBetween(at(iso), at(iso) + 86_400_000 * 2).valueOf();
    // Normal day: 60 + 45 + 135 + 120 = 360 minutes
    expect(night.businessMinutesBetween(at('2026-03-04T00:00:00-06:00'), at('2026-03-05T00:00:00-06:00'))).toBe(360);
    // 8 Mar: 02:00-03:00 does not exist. 01:45-02:30 -> 01:45 CST..03:30 CDT = 45 real minutes; 02:45 -> 03:45 CDT, so 02:45-05:00 = 75
    expect(night.businessMinutesBetween(at('2026-03-08T00:00:00-06:00'), at('2026-03-09T00:00:00-05:00'))).toBe(60 + 45 + 75 + 120);
    // 1 Nov: 01:00-02:00 occurs twice; ambiguous times take their first occurrence:
    // 00:30-01:30 (first) = 60; 01:45 (first, CDT) .. 02:30 CST = 105; 02:45-05:00 = 135
    expect(night.businessMinutesBetween(at('2026-11-01T00:00:00-05:00'), at('2026-11-02T00:00:00-06:00'))).toBe(60 + 105 + 135 + 120);
    expect(night.isOpen(at('2026-11-01T01:50:00-06:00'))).toBe(true); // second 01:50, inside 01:45(CDT)-02:30(CST)
    expect(night.isOpen(at('2026-11-01T01:35:00-05:00'))).toBe(false); // first 01:35, between ranges
    // 48 real hours from 7 Mar 00:00 CST end 9 Mar 01:00 CDT: 360 + 300 + (00:30-01:00 on the 9th)
    expect(day('2026-03-07T00:00:00-06:00')).toBe(360 + 300 + 30);
  });
  it('business-days mode on DST days counts the real 23 h / 25 h of the day', () => {
    const cal2 = new BusinessCalendar(CHICAGO_BUSINESS_DAYS); // Sun-Fri business days
    expect(cal2.businessMinutesBetween(at('2026-03-08T00:00:00-06:00'), at('2026-03-09T00:00:00-05:00'))).toBe(1380);
    expect(cal2.businessMinutesBetween(at('2026-11-01T00:00:00-05:00'), at('2026-11-02T00:00:00-06:00'))).toBe(1500);
    // Saturday 10:00 start -> Sunday 00:00 CST; 24 h of real time on a 23 h day ends Monday 01:00 CDT
    expect(isoInZone(cal2.addBusinessMinutes(at('2026-03-07T10:00:00-06:00'), 1440), CHI)).toBe('2026-03-09T01:00:00.000-05:00');
  });
});

describe('pauses', () => {
  const cal = new BusinessCalendar(INTECNIA);
  const from = at('2026-03-02T09:00:00-06:00');
  const to = at('2026-03-03T19:00:00-06:00'); // 960 business minutes
  it('subtracts only the business part of a pause', () => {
    expect(cal.businessMinutesBetween(from, to, [{ fromMs: at('2026-03-02T13:00:00-06:00'), toMs: at('2026-03-02T17:00:00-06:00') }])).toBe(840);
  });
  it('overlapping pauses are subtracted once (union)', () => {
    expect(
      cal.businessMinutesBetween(from, to, [
        { fromMs: at('2026-03-02T13:00:00-06:00'), toMs: at('2026-03-02T17:00:00-06:00') },
        { fromMs: at('2026-03-02T12:00:00-06:00'), toMs: at('2026-03-02T13:30:00-06:00') },
        { fromMs: at('2026-03-02T16:30:00-06:00'), toMs: at('2026-03-02T16:45:00-06:00') },
      ]),
    ).toBe(960 - 180);
  });
  it('an open-ended pause runs until toMs; pauses outside the window are ignored', () => {
    expect(
      cal.businessMinutesBetween(from, to, [
        { fromMs: at('2026-03-03T18:00:00-06:00'), toMs: null },
        { fromMs: at('2026-02-27T10:00:00-06:00'), toMs: at('2026-03-02T09:30:00-06:00') },
        { fromMs: at('2026-03-04T10:00:00-06:00'), toMs: null },
      ]),
    ).toBe(960 - 60 - 30);
  });
  it('a pause covering everything leaves 0', () => {
    expect(cal.businessMinutesBetween(from, to, [{ fromMs: from - 1, toMs: null }])).toBe(0);
  });
});

describe('validation', () => {
  it('accepts the fixtures', () => {
    for (const spec of [INTECNIA, IMPERA, ALWAYS_BOGOTA, CHICAGO_NIGHT, CHICAGO_BUSINESS_DAYS]) expect(validateCalendarSpec(spec)).toEqual([]);
  });
  it('reports bad zone, times, order, overlap, weekday, rules and dates', () => {
    const bad = {
      id: 'bad',
      zone: 'Mars/Olympus',
      mode: 'hours',
      week: {
        mon: [{ start: '9:00', end: '18:00' }],
        tue: [{ start: '10:00', end: '09:00' }],
        wed: [
          { start: '09:00', end: '13:00' },
          { start: '12:00', end: '18:00' },
        ],
        thu: [{ start: '09:00', end: '24:01' }],
        funday: [],
      },
      holidays: [
        { kind: 'fixed', name: 'x', month: 2, day: 30 },
        { kind: 'nth-weekday', name: 'y', month: 5, weekday: 'monday', nth: 6 },
        { kind: 'easter', name: '', offsetDays: 1.5 },
        { kind: 'lunar', name: 'z' },
        { kind: 'fixed', name: 'w', month: 1, day: 2, from: '2026-01-01', until: '2025-01-01' },
      ],
      extraHolidays: ['2026-13-01'],
    };
    const problems = validateCalendarSpec(bad);
    const expectProblem = (re: RegExp) => expect(problems.some((p) => re.test(p))).toBe(true);
    expectProblem(/zone "Mars\/Olympus"/);
    expectProblem(/mode/);
    expectProblem(/week\.mon\[0\]\.start/);
    expectProblem(/week\.tue\[0\]: start 10:00 must be before end 09:00/);
    expectProblem(/week\.wed: ranges 09:00-13:00 and 12:00-18:00 overlap/);
    expectProblem(/week\.thu\[0\]\.end/);
    expectProblem(/unknown weekday "funday"/);
    expectProblem(/holidays\[0\]: day 30/);
    expectProblem(/holidays\[1\]: weekday/);
    expectProblem(/holidays\[1\]: nth/);
    expectProblem(/holidays\[2\]: name/);
    expectProblem(/holidays\[2\]: offsetDays/);
    expectProblem(/holidays\[3\]: unknown kind "lunar"/);
    expectProblem(/holidays\[4\]: from/);
    expectProblem(/extraHolidays\[0\]/);
    expect(validateCalendarSpec(null)).toEqual(['calendar spec must be an object']);
  });
  it('rejects a week without working time, and the constructor throws with the problems', () => {
    const noWork: CalendarSpec = { id: 'none', zone: 'UTC', mode: 'business-hours', week: { sat: [] }, holidays: [] };
    expect(validateCalendarSpec(noWork)).toEqual(['week has no working ranges on any day; business time would never start']);
    expect(() => new BusinessCalendar(noWork)).toThrow(/Invalid business calendar "none": week has no working ranges/);
  });
  it('touching ranges are fine; spec is frozen; bad arguments throw', () => {
    const cal = new BusinessCalendar({
      id: 't',
      zone: 'UTC',
      mode: 'business-hours',
      week: { mon: [{ start: '12:00', end: '13:00' }, { start: '09:00', end: '12:00' }] },
      holidays: [],
    });
    expect(cal.businessMinutesBetween(at('2026-03-02T00:00:00Z'), at('2026-03-03T00:00:00Z'))).toBe(240);
    expect(cal.addBusinessMinutes(at('2026-03-02T11:00:00Z'), 90)).toBe(at('2026-03-02T12:30:00Z'));
    expect(Object.isFrozen(cal.spec.week)).toBe(true);
    expect(() => cal.addBusinessMinutes(0, -1)).toThrow(RangeError);
    expect(() => cal.addBusinessMinutes(0, 1.5)).toThrow(RangeError);
    expect(() => cal.addBusinessMinutes(NaN, 1)).toThrow(RangeError);
  });
  it('a calendar whose only working day is always a holiday fails instead of looping', () => {
    const everyMonday: HolidayRule[] = [];
    for (let month = 1; month <= 12; month++)
      for (let nth = 1; nth <= 5; nth++) everyMonday.push({ kind: 'nth-weekday', name: `m${month}-${nth}`, month, weekday: 'mon', nth });
    const cal = new BusinessCalendar({
      id: 'never',
      zone: 'UTC',
      mode: 'business-days',
      week: { mon: [{ start: '00:00', end: '24:00' }] },
      holidays: everyMonday,
    });
    expect(cal.isBusinessDay('2026-03-02')).toBe(false);
    expect(() => cal.addBusinessMinutes(at('2026-01-05T00:00:00Z'), 0)).toThrow(/no business time within/);
  });
});

describe('isoInZone', () => {
  it('formats with the zone offset', () => {
    expect(isoInZone(at('2026-03-02T15:00:00Z'), MX)).toBe('2026-03-02T09:00:00.000-06:00');
    expect(isoInZone(at('2026-07-02T15:00:00Z'), CHI)).toBe('2026-07-02T10:00:00.000-05:00');
    expect(() => isoInZone(0, 'Nowhere/Land')).toThrow(RangeError);
  });
});

describe('businessIntervals: the business time of a span as intervals', () => {
  const iso = (ms: number, zone = MX) => isoInZone(ms, zone).slice(0, 16);
  const show = (cal: BusinessCalendar, from: string, to: string, zone = MX) => cal.businessIntervals(at(from), at(to)).map(([s, e]) => `${iso(s, zone)}..${iso(e, zone)}`);

  it('split day: each range, clipped to the span, weekend and holiday skipped', () => {
    const cal = new BusinessCalendar(INTECNIA);
    expect(show(cal, '2026-03-13T12:00:00-06:00', '2026-03-17T10:00:00-06:00')).toEqual([
      '2026-03-13T12:00..2026-03-13T14:00',
      '2026-03-13T16:00..2026-03-13T19:00',
      '2026-03-17T09:00..2026-03-17T10:00', // Mon 16 is a holiday
    ]);
    expect(cal.businessIntervals(at('2026-03-07T10:00:00-06:00'), at('2026-03-08T10:00:00-06:00'))).toEqual([]);
  });

  it('business-days mode: whole business days, consecutive ones merged across midnight', () => {
    const cal = new BusinessCalendar(IMPERA);
    expect(show(cal, '2026-03-12T15:00:00-06:00', '2026-03-18T08:00:00-06:00')).toEqual(['2026-03-12T15:00..2026-03-14T00:00', '2026-03-17T00:00..2026-03-18T08:00']);
  });

  it('24/7 is one interval; the sum of the intervals is businessMinutesBetween', () => {
    const always = new BusinessCalendar(ALWAYS_BOGOTA);
    expect(always.businessIntervals(at('2026-03-01T10:00:00-05:00'), at('2026-03-09T10:00:00-05:00'))).toEqual([[at('2026-03-01T10:00:00-05:00'), at('2026-03-09T10:00:00-05:00')]]);
    const cal = new BusinessCalendar(CHICAGO_NIGHT);
    const [from, to] = [at('2026-03-06T12:00:00-06:00'), at('2026-03-10T12:00:00-05:00')]; // across the DST switch
    const sum = cal.businessIntervals(from, to).reduce((m, [s, e]) => m + (e - s), 0);
    expect(Math.floor(sum / 60_000)).toBe(cal.businessMinutesBetween(from, to));
  });
});
