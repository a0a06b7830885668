/**
 * SLA due-date benchmark: fast BusinessCalendar.addBusinessMinutes vs the minute-stepping reference.
 * Random instants over 2026 and random targets of 60..4320 minutes, on the 003 Intecnia split-day
 * calendar (business hours, MX holidays) and the 001 Impera calendar (hours of business days).
 * Last line of output: {"bench":"sla","dueDatesPerSec":<int>,"naiveDueDatesPerSec":<int>}
 */
import {
  BusinessCalendar,
  CalendarSpec,
  MEXICO_HOLIDAYS,
  referenceAddBusinessMinutes,
} from '@helpdesk/calendar';
import { prng as rng } from '../test/support/prng';

const weekdays = (ranges: Array<{ start: string; end: string }>) => ({ mon: ranges, tue: ranges, wed: ranges, thu: ranges, fri: ranges });
const SPECS: CalendarSpec[] = [
  {
    id: 'intecnia',
    zone: 'America/Mexico_City',
    mode: 'business-hours',
    week: weekdays([
      { start: '09:00', end: '14:00' },
      { start: '16:00', end: '19:00' },
    ]),
    holidays: MEXICO_HOLIDAYS,
  },
  {
    id: 'impera',
    zone: 'America/Mexico_City',
    mode: 'business-days',
    week: weekdays([{ start: '09:00', end: '18:00' }]),
    holidays: MEXICO_HOLIDAYS,
  },
];


const YEAR_START = Date.parse('2026-01-01T06:00:00Z');
const YEAR_MINUTES = 365 * 24 * 60;
const N_FAST = 1_000_000; // per calendar
const N_REF = 300; // per calendar
const random = rng(20260302);
const makeSamples = (n: number) => {
  const starts = new Float64Array(n);
  const targets = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    starts[i] = YEAR_START + Math.floor(random() * YEAR_MINUTES) * 60_000;
    targets[i] = 60 + Math.floor(random() * (4320 - 60 + 1));
  }
  return { starts, targets };
};

const calendars = SPECS.map((s) => new BusinessCalendar(s));
let fastCalls = 0;
let fastMs = 0;
let refCalls = 0;
let refMs = 0;
let checked = 0;
let mismatches = 0;
let sink = 0;

for (const cal of calendars) {
  const { starts, targets } = makeSamples(N_FAST);
  // warm-up: fills the day/holiday caches and lets the JIT settle
  for (let i = 0; i < 50_000; i++) sink += cal.addBusinessMinutes(starts[i], targets[i]);
  const t0 = performance.now();
  for (let i = 0; i < N_FAST; i++) sink += cal.addBusinessMinutes(starts[i], targets[i]);
  const t1 = performance.now();
  fastCalls += N_FAST;
  fastMs += t1 - t0;
  console.log(`${cal.spec.id} (${cal.spec.mode}): fast ${Math.round(N_FAST / ((t1 - t0) / 1000)).toLocaleString('en-US')} due dates/s`);

  const ref = makeSamples(N_REF);
  const r0 = performance.now();
  const refResults = new Float64Array(N_REF);
  for (let i = 0; i < N_REF; i++) refResults[i] = referenceAddBusinessMinutes(cal, ref.starts[i], ref.targets[i]);
  const r1 = performance.now();
  refCalls += N_REF;
  refMs += r1 - r0;
  console.log(`${cal.spec.id} (${cal.spec.mode}): reference ${Math.round(N_REF / ((r1 - r0) / 1000)).toLocaleString('en-US')} due dates/s`);
  for (let i = 0; i < N_REF; i++) {
    checked++;
    const fast = cal.addBusinessMinutes(ref.starts[i], ref.targets[i]);
    if (fast !== refResults[i]) {
      mismatches++;
      if (mismatches <= 5)
        console.error(`MISMATCH ${cal.spec.id} start=${new Date(ref.starts[i]).toISOString()} +${ref.targets[i]}min fast=${new Date(fast).toISOString()} ref=${new Date(refResults[i]).toISOString()}`);
    }
  }
}

const dueDatesPerSec = Math.round(fastCalls / (fastMs / 1000));
const naiveDueDatesPerSec = Math.round(refCalls / (refMs / 1000));
console.log(`fast: ${dueDatesPerSec.toLocaleString('en-US')} due dates/s over ${fastCalls.toLocaleString('en-US')} calls`);
console.log(`reference (minute stepping): ${naiveDueDatesPerSec.toLocaleString('en-US')} due dates/s over ${refCalls} calls`);
console.log(`speed-up: ${(dueDatesPerSec / naiveDueDatesPerSec).toFixed(0)}x; agreement on ${checked} samples: ${mismatches === 0 ? 'all equal' : `${mismatches} MISMATCHES`} (checksum ${sink % 1000})`);
if (mismatches > 0) process.exitCode = 1;
console.log(JSON.stringify({ bench: 'sla', dueDatesPerSec, naiveDueDatesPerSec }));
