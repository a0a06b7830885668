import { IANAZone } from 'luxon';
import { WEEKDAYS } from './types';
import { daysInMonth, parseClock, parseIsoDate } from './local-date';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isInt = (v: unknown, min: number, max: number): v is number =>
  typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;

function validateRule(rule: unknown, where: string, problems: string[]): void {
  if (!isObject(rule)) {
    problems.push(`${where}: must be an object`);
    return;
  }
  if (typeof rule.name !== 'string' || rule.name.trim() === '') problems.push(`${where}: name must be a non-empty string`);
  const checkMonthDay = () => {
    if (!isInt(rule.month, 1, 12)) problems.push(`${where}: month must be an integer 1..12`);
    else if (!isInt(rule.day, 1, daysInMonth(2000, rule.month))) problems.push(`${where}: day ${String(rule.day)} is not a day of month ${rule.month}`);
  };
  const checkEffective = () => {
    if (rule.from !== undefined && !parseIsoDate(rule.from)) problems.push(`${where}: from must be a 'YYYY-MM-DD' date`);
    if (rule.until !== undefined && !parseIsoDate(rule.until)) problems.push(`${where}: until must be a 'YYYY-MM-DD' date`);
    if (parseIsoDate(rule.from) && parseIsoDate(rule.until) && (rule.from as string) > (rule.until as string))
      problems.push(`${where}: from (${String(rule.from)}) is after until (${String(rule.until)})`);
  };
  const checkMove = () => {
    if (rule.moveToMonday !== undefined && typeof rule.moveToMonday !== 'boolean') problems.push(`${where}: moveToMonday must be a boolean`);
  };
  switch (rule.kind) {
    case 'fixed':
      checkMonthDay();
      checkMove();
      checkEffective();
      break;
    case 'nth-weekday':
      if (!isInt(rule.month, 1, 12)) problems.push(`${where}: month must be an integer 1..12`);
      if (!WEEKDAYS.includes(rule.weekday as never)) problems.push(`${where}: weekday must be one of ${WEEKDAYS.join(', ')}`);
      if (!(isInt(rule.nth, 1, 5) || rule.nth === -1)) problems.push(`${where}: nth must be 1..5 or -1 (last)`);
      checkEffective();
      break;
    case 'easter':
      if (!isInt(rule.offsetDays, -300, 300)) problems.push(`${where}: offsetDays must be an integer -300..300`);
      checkMove();
      checkEffective();
      break;
    case 'every-n-years':
      checkMonthDay();
      if (!isInt(rule.everyYears, 1, 1000)) problems.push(`${where}: everyYears must be a positive integer`);
      if (!isInt(rule.fromYear, 1, 9999)) problems.push(`${where}: fromYear must be an integer year`);
      checkEffective();
      break;
    case 'date':
      if (!parseIsoDate(rule.date)) problems.push(`${where}: date must be a 'YYYY-MM-DD' date`);
      break;
    default:
      problems.push(`${where}: unknown kind ${JSON.stringify(rule.kind)}`);
  }
}

/** Human-readable problems with a calendar spec; [] when valid. */
export function validateCalendarSpec(spec: unknown): string[] {
  const problems: string[] = [];
  if (!isObject(spec)) return ['calendar spec must be an object'];
  if (typeof spec.id !== 'string' || spec.id.trim() === '') problems.push('id must be a non-empty string');
  if (typeof spec.zone !== 'string' || !IANAZone.isValidZone(spec.zone)) problems.push(`zone ${JSON.stringify(spec.zone)} is not a valid IANA time zone`);
  if (spec.mode !== 'business-hours' && spec.mode !== 'business-days')
    problems.push(`mode must be 'business-hours' or 'business-days', got ${JSON.stringify(spec.mode)}`);

  if (!isObject(spec.week)) problems.push('week must be an object keyed by weekday');
  else {
    let workingDays = 0;
    for (const [key, ranges] of Object.entries(spec.week)) {
      if (!WEEKDAYS.includes(key as never)) {
        problems.push(`week: unknown weekday ${JSON.stringify(key)} (use ${WEEKDAYS.join(', ')})`);
        continue;
      }
      if (ranges === undefined) continue;
      if (!Array.isArray(ranges)) {
        problems.push(`week.${key} must be an array of working ranges`);
        continue;
      }
      const parsed: Array<[number, number, string]> = [];
      ranges.forEach((r: unknown, i) => {
        const where = `week.${key}[${i}]`;
        if (!isObject(r)) return void problems.push(`${where} must be {start, end}`);
        const s = parseClock(r.start);
        const e = parseClock(r.end);
        if (s === null || s === 1440) problems.push(`${where}.start ${JSON.stringify(r.start)} is not a valid 'HH:mm' time`);
        if (e === null) problems.push(`${where}.end ${JSON.stringify(r.end)} is not a valid 'HH:mm' time ('24:00' allowed)`);
        if (s !== null && e !== null && s !== 1440) {
          if (s >= e) problems.push(`${where}: start ${String(r.start)} must be before end ${String(r.end)}`);
          else parsed.push([s, e, `${String(r.start)}-${String(r.end)}`]);
        }
      });
      parsed.sort((a, b) => a[0] - b[0]);
      for (let i = 1; i < parsed.length; i++) {
        if (parsed[i][0] < parsed[i - 1][1]) problems.push(`week.${key}: ranges ${parsed[i - 1][2]} and ${parsed[i][2]} overlap`);
      }
      if (ranges.length > 0) workingDays++;
    }
    if (workingDays === 0) problems.push('week has no working ranges on any day; business time would never start');
  }

  if (!Array.isArray(spec.holidays)) problems.push('holidays must be an array of holiday rules');
  else spec.holidays.forEach((rule: unknown, i) => validateRule(rule, `holidays[${i}]`, problems));

  if (spec.extraHolidays !== undefined) {
    if (!Array.isArray(spec.extraHolidays)) problems.push('extraHolidays must be an array of YYYY-MM-DD dates');
    else
      spec.extraHolidays.forEach((d: unknown, i) => {
        if (!parseIsoDate(d)) problems.push(`extraHolidays[${i}] ${JSON.stringify(d)} is not a 'YYYY-MM-DD' date`);
      });
  }
  return problems;
}
