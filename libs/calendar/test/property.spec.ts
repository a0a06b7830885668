import fc from 'fast-check';
import { BusinessCalendar, CalendarSpec, referenceAddBusinessMinutes, referenceBusinessMinutesBetween } from '@helpdesk/calendar';
import { ALWAYS_CHICAGO, CHICAGO_BUSINESS_DAYS, CHICAGO_NIGHT, CHICAGO_OFFICE, IMPERA, INTECNIA, at } from './fixtures';

const MIN = 60_000;
const YEAR_START = at('2025-12-01T00:00:00Z');
const YEAR_MINUTES = 400 * 24 * 60;
/** Instants near the 2026 US DST switches, to hit them often. */
const DST_SWITCHES = [at('2026-03-08T08:00:00Z'), at('2026-11-01T07:00:00Z')];

const minuteInstant = fc.oneof(
  fc.integer({ min: 0, max: YEAR_MINUTES }).map((m) => YEAR_START + m * MIN),
  fc
    .tuple(fc.constantFrom(...DST_SWITCHES), fc.integer({ min: -4 * 24 * 60, max: 2 * 24 * 60 }))
    .map(([base, m]) => base + m * MIN),
);
const target = fc.oneof(fc.integer({ min: 0, max: 4320 }), fc.constantFrom(0, 1, 60, 480, 1440, 2880, 4320));

const specs: CalendarSpec[] = [INTECNIA, IMPERA, CHICAGO_OFFICE, CHICAGO_NIGHT, CHICAGO_BUSINESS_DAYS, ALWAYS_CHICAGO];

describe.each(specs.map((s) => [s.id, s] as const))('fast calendar vs minute-stepping reference: %s', (_id, spec) => {
  const cal = new BusinessCalendar(spec);

  it('addBusinessMinutes', () => {
    fc.assert(
      fc.property(minuteInstant, target, (start, minutes) => {
        expect(cal.addBusinessMinutes(start, minutes)).toBe(referenceAddBusinessMinutes(cal, start, minutes));
      }),
      { numRuns: 100 },
    );
  });

  it('businessMinutesBetween', () => {
    fc.assert(
      fc.property(minuteInstant, fc.integer({ min: 0, max: 6 * 24 * 60 }), (from, span) => {
        const to = from + span * MIN;
        expect(cal.businessMinutesBetween(from, to)).toBe(referenceBusinessMinutesBetween(cal, from, to));
      }),
      { numRuns: 100 },
    );
  });

  it('round trip: business minutes from a start to its due date equal the target', () => {
    fc.assert(
      fc.property(minuteInstant, fc.integer({ min: 0, max: 59_999 }), target, (start, ms, minutes) => {
        const s = start + ms; // also with seconds
        const due = cal.addBusinessMinutes(s, minutes);
        expect(due).toBeGreaterThanOrEqual(s);
        expect(cal.businessMinutesBetween(s, due)).toBe(minutes);
        if (minutes > 0) expect(cal.isOpen(due - 1)).toBe(true);
        else expect(cal.isOpen(due)).toBe(true);
        expect(cal.nextOpening(s)).toBe(cal.addBusinessMinutes(s, 0));
      }),
      { numRuns: 200 },
    );
  });

  it('pauses: subtracting the union equals counting open, unpaused minutes', () => {
    const pause = fc.record({
      from: fc.integer({ min: -600, max: 3 * 24 * 60 }),
      len: fc.option(fc.integer({ min: 0, max: 24 * 60 }), { nil: null }),
    });
    fc.assert(
      fc.property(minuteInstant, fc.integer({ min: 0, max: 3 * 24 * 60 }), fc.array(pause, { maxLength: 4 }), (from, span, ps) => {
        const to = from + span * MIN;
        const pauses = ps.map((p) => ({ fromMs: from + p.from * MIN, toMs: p.len === null ? null : from + (p.from + p.len) * MIN }));
        let expected = 0;
        for (let t = from; t < to; t += MIN) {
          const paused = pauses.some((p) => t >= p.fromMs && (p.toMs === null || t < p.toMs));
          if (!paused && cal.isOpen(t)) expected++;
        }
        expect(cal.businessMinutesBetween(from, to, pauses)).toBe(expected);
      }),
      { numRuns: 60 },
    );
  });
});
