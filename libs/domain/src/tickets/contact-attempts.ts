/** Contact-attempt rules (003 Cierre de casos): attempts on distinct business days, announced wait. */
import { DateTime } from 'luxon';
import type { BusinessCalendar } from '@helpdesk/calendar';
import { invalid, refusedField } from '../shared';
import type { CloseAfter } from './commands';
import type { TicketRules } from './rules';
import { TicketState } from './state';
import { isDate, isInstant, msOf } from './values';

export function localDateOf(ms: number, zone: string): string {
  return DateTime.fromMillis(ms, { zone }).toISODate() as string;
}

/** instant of local 00:00 of the day after `date` in `zone` */
function startOfNextDay(date: string, zone: string): number {
  return DateTime.fromISO(date, { zone }).plus({ days: 1 }).startOf('day').toMillis();
}

function plusDays(date: string, days: number): string {
  return DateTime.fromISO(date, { zone: 'UTC' }).plus({ days }).toISODate() as string;
}

/** Resolves the announced wait of an attempt made at `nowMs` to the instant closing becomes possible. */
export function resolveCloseAfter(closeAfter: CloseAfter | undefined, rules: TicketRules, calendar: BusinessCalendar, nowMs: number): number {
  const zone = calendar.spec.zone;
  const today = localDateOf(nowMs, zone);
  const value = closeAfter ?? { businessDays: rules.preset.contactAttempts.defaultWaitBusinessDays };
  if (typeof value === 'object' && value !== null) {
    const n = value.businessDays;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > 60)
      throw invalid('closeAfter.businessDays', 'must be an integer number of business days from 0 to 60');
    if (n === 0) return nowMs;
    let date = today;
    let counted = 0;
    for (let guard = 0; counted < n; guard++) {
      if (guard > 3700) throw new Error(`calendar ${calendar.spec.id} has no business days`);
      date = plusDays(date, 1);
      if (calendar.isBusinessDay(date)) counted++;
    }
    return startOfNextDay(date, zone);
  }
  if (isDate(value)) {
    if (value < today) throw refusedField('in-the-past', 'closeAfter', `the announced date ${value} is in the past (today is ${today} in ${zone})`);
    return startOfNextDay(value, zone);
  }
  if (isInstant(value)) {
    const ms = msOf(value);
    if (ms <= nowMs) throw refusedField('in-the-past', 'closeAfter', 'the announced instant must be in the future');
    return ms;
  }
  throw invalid('closeAfter', "must be {businessDays: n}, a date 'YYYY-MM-DD' or an ISO 8601 instant");
}

export type NoResponseCheck =
  | { ok: true }
  | { ok: false; message: string; details: { attempts: number; businessDays: number; required: number; closeAfter: string | null } };

/**
 * Whether the ticket may close as no-customer-response at `nowMs`: the required attempts
 * since the customer last wrote, on that many distinct business days (in the contact
 * calendar's zone), and the wait announced in the last attempt has passed.
 */
export function checkNoResponseClose(rules: TicketRules, state: TicketState, nowMs: number): NoResponseCheck {
  const cfg = rules.preset.contactAttempts;
  const attempts = state.contactAttempts;
  const days = new Set(attempts.filter((a) => a.businessDay).map((a) => a.localDate)).size;
  const counted = cfg.distinctBusinessDays ? days : attempts.length;
  const last = attempts[attempts.length - 1];
  const details = { attempts: attempts.length, businessDays: days, required: cfg.required, closeAfter: last ? last.closeAfter : null };
  if (counted < cfg.required)
    return {
      ok: false,
      message: `closing without customer response needs ${cfg.required} contact attempts${cfg.distinctBusinessDays ? ' on distinct business days' : ''}; there are ${attempts.length} on ${days} business day(s)`,
      details,
    };
  if (nowMs < msOf(last.closeAfter))
    return { ok: false, message: `the wait announced to the customer runs until ${last.closeAfter}`, details };
  return { ok: true };
}

export const contactCalendar = (rules: TicketRules) => rules.calendar(rules.preset.contactAttempts.calendarId);
