/**
 * Response-target arithmetic on business calendars: setting a target (keeping the business
 * time already elapsed), elapsed time with pauses, and the SLA snapshot views use.
 */
import type { BusinessCalendar, CountingMode } from '@helpdesk/calendar';
import { SlaTargetData, SlaTargetReason } from './events';
import type { TicketRules } from './rules';
import { SlaPause, SlaState, TicketState } from './state';
import { Classification, msOf, utc } from './values';

export const pausesInMs = (pauses: SlaPause[]) => pauses.map((p) => ({ fromMs: msOf(p.from), toMs: p.to === null ? null : msOf(p.to) }));

/** Business minutes of the cycle elapsed at `atMs` (pauses excluded; an open pause runs until atMs). */
export function elapsedBusinessMinutes(calendar: BusinessCalendar, sla: Pick<SlaState, 'startedAt' | 'pauses'>, atMs: number): number {
  return calendar.businessMinutesBetween(msOf(sla.startedAt), atMs, pausesInMs(sla.pauses));
}

/**
 * The instant the cycle's clock reaches `minutes` business minutes, given `elapsed` at `atMs`:
 * ahead of atMs while the minutes are not used up; otherwise the past instant they were
 * reached (walking the running stretches from the start, pauses skipped), so that a target
 * already exceeded when it is set (a priority raise late in the cycle) is due, and breached,
 * when it really was, not at the moment of the change.
 */
export function instantOfElapsed(
  calendar: BusinessCalendar,
  sla: Pick<SlaState, 'startedAt' | 'pauses'>,
  atMs: number,
  elapsed: number,
  minutes: number,
): number {
  if (minutes > elapsed) return calendar.addBusinessMinutes(atMs, minutes - elapsed);
  const pauses = pausesInMs(sla.pauses)
    .map((p) => ({ fromMs: p.fromMs, toMs: p.toMs ?? atMs }))
    .sort((a, b) => a.fromMs - b.fromMs);
  let remaining = minutes;
  let cursor = msOf(sla.startedAt);
  for (const p of pauses) {
    if (p.fromMs > cursor) {
      const stretch = calendar.businessMinutesBetween(cursor, Math.min(p.fromMs, atMs));
      if (remaining <= stretch) return calendar.addBusinessMinutes(cursor, remaining);
      remaining -= stretch;
    }
    if (p.toMs > cursor) cursor = p.toMs;
  }
  return calendar.addBusinessMinutes(cursor, remaining);
}

export const isPaused = (sla: Pick<SlaState, 'pauses'>) => sla.pauses.length > 0 && sla.pauses[sla.pauses.length - 1].to === null;

/** The calendar a ticket keeps for its life: the one of its current target when the preset still has it. */
export function ticketCalendarId(rules: TicketRules, state: TicketState): string | null {
  const id = state.sla?.calendarId;
  return id && rules.hasCalendar(id) ? id : null;
}

export interface TargetRequest {
  rules: TicketRules;
  classification: Classification;
  supportLevel: number | null;
  /** a calendar that overrides the support level's (the customer's own, or the ticket's) */
  calendarId?: string | null;
  cycle: number;
  revision: number;
  reason: SlaTargetReason;
  startedAt: string;
  /** when the target is set */
  atMs: number;
  /** business minutes of the cycle already elapsed at atMs */
  elapsed: number;
  /** the clock is paused at atMs: due and warning instants are decided on resuming */
  paused: boolean;
  /** the cycle's pauses so far (to place a target already exceeded at atMs in the past) */
  pauses?: SlaPause[];
}

/** Decides a response target: due = atMs + (target - elapsed) business minutes on the target's calendar. */
export function decideTarget(r: TargetRequest): SlaTargetData {
  const t = r.rules.targetFor(r.classification, r.supportLevel, r.calendarId);
  const calendar = r.rules.calendar(t.calendarId);
  const clock = { startedAt: r.startedAt, pauses: r.pauses ?? [] };
  const dueAt = r.paused ? null : utc(instantOfElapsed(calendar, clock, r.atMs, r.elapsed, t.minutes));
  const warningAt = r.paused ? null : utc(instantOfElapsed(calendar, clock, r.atMs, r.elapsed, t.warningMinutes));
  return {
    cycle: r.cycle,
    revision: r.revision,
    targetId: `${r.cycle}.${r.revision}`,
    reason: r.reason,
    classification: r.classification,
    supportLevel: t.supportLevel,
    targetMinutes: t.minutes,
    warningMinutes: t.warningMinutes,
    calendarId: t.calendarId,
    mode: t.mode,
    zone: t.zone,
    startedAt: r.startedAt,
    setAt: utc(r.atMs),
    elapsedBusinessMinutes: r.elapsed,
    dueAt,
    warningAt,
    presetName: r.rules.preset.name,
    presetVersion: r.rules.preset.version,
  };
}

/** A new target within the current cycle at `nowMs` (after a classification or a priority raise). */
export function retargetCycle(rules: TicketRules, state: TicketState, classification: Classification, reason: SlaTargetReason, nowMs: number): SlaTargetData | null {
  const sla = state.sla;
  if (!sla || sla.respondedAt !== null) return null;
  const elapsed = elapsedBusinessMinutes(rules.calendar(sla.calendarId), sla, nowMs);
  return decideTarget({
    rules,
    classification,
    supportLevel: state.supportLevel,
    calendarId: ticketCalendarId(rules, state),
    cycle: sla.cycle,
    revision: sla.revision + 1,
    reason,
    startedAt: sla.startedAt,
    atMs: nowMs,
    elapsed,
    paused: isPaused(sla),
    pauses: sla.pauses,
  });
}

export interface SlaSnapshot {
  cycle: number;
  targetId: string;
  targetMinutes: number;
  warningMinutes: number;
  calendarId: string;
  mode: CountingMode;
  startedAt: string;
  dueAt: string | null;
  warningAt: string | null;
  respondedAt: string | null;
  elapsedBusinessMinutes: number;
  remainingBusinessMinutes: number;
  paused: boolean;
  /** past the warning point, not answered, not breached */
  atRisk: boolean;
  breached: boolean;
  /** null until answered */
  met: boolean | null;
  /** the instant falls inside the calendar's business time */
  withinCalendarHours: boolean;
  presetVersion: string;
}

/**
 * SLA figures of the current response cycle at `nowMs`, on the target's calendar
 * (pass `rules.calendar(state.sla.calendarId)`). The clock stops at the response, or at
 * closing. Null for a ticket that was never opened.
 */
export function slaSnapshot(state: TicketState, nowMs: number, calendar: BusinessCalendar): SlaSnapshot | null {
  const sla = state.sla;
  if (!sla) return null;
  const stops = [nowMs];
  if (sla.respondedAt) stops.push(msOf(sla.respondedAt));
  if (state.status === 'closed' && state.closedAt) stops.push(msOf(state.closedAt));
  const until = Math.min(...stops);
  const elapsed = calendar.businessMinutesBetween(msOf(sla.startedAt), until, pausesInMs(sla.pauses));
  const responded = sla.respondedAt !== null;
  const paused = !responded && state.status !== 'closed' && isPaused(sla);
  let breached: boolean;
  let atRisk = false;
  if (responded) breached = sla.met === false;
  else if (paused || sla.dueAt === null) {
    breached = sla.breachRecorded || elapsed > sla.targetMinutes;
    atRisk = !breached && state.status !== 'closed' && elapsed >= sla.warningMinutes;
  } else {
    breached = sla.breachRecorded || until > msOf(sla.dueAt);
    atRisk = !breached && state.status !== 'closed' && sla.warningAt !== null && nowMs >= msOf(sla.warningAt);
  }
  return {
    cycle: sla.cycle,
    targetId: sla.targetId,
    targetMinutes: sla.targetMinutes,
    warningMinutes: sla.warningMinutes,
    calendarId: sla.calendarId,
    mode: sla.mode,
    startedAt: sla.startedAt,
    dueAt: sla.dueAt,
    warningAt: sla.warningAt,
    respondedAt: sla.respondedAt,
    elapsedBusinessMinutes: elapsed,
    remainingBusinessMinutes: Math.max(0, sla.targetMinutes - elapsed),
    paused,
    atRisk,
    breached,
    met: responded ? sla.met : null,
    withinCalendarHours: calendar.isOpen(nowMs),
    presetVersion: sla.presetVersion,
  };
}

/** The graded SLA state of a response cycle, what the console shows (a colour and a word each). */
export const SLA_GRADES = ['on-track', 'at-risk', 'breached', 'paused', 'met', 'none'] as const;
export type SlaGrade = (typeof SLA_GRADES)[number];
/** why the clock is not counting now */
export const SLA_PAUSE_REASONS = ['awaiting-customer', 'outside-business-hours'] as const;
export type SlaPauseReason = (typeof SLA_PAUSE_REASONS)[number];

export interface SlaGrading {
  state: SlaGrade;
  pausedReason: SlaPauseReason | null;
}

/**
 * Grades a snapshot (slaSnapshot at `now`), from the recorded facts it was computed from:
 * - answered: `met` (within the target) or `breached` (late); the clock has stopped;
 * - closed without an answer: `breached` if it was, else `none` (no clock runs);
 * - open, not answered: `breached` past the due instant (or recorded as breached); else
 *   `paused` while awaiting the customer; else `at-risk` inside the warning window; else
 *   `paused` when the calendar is closed now (the clock is not counting outside its working
 *   ranges: nights, weekends, holidays); else `on-track`.
 * `pausedReason` says why the clock is not counting now (awaiting-customer first), also when
 * the state is `breached` or `at-risk`: an at-risk ticket at night is at risk, and its clock
 * is stopped until the next opening.
 */
export function gradeSla(snapshot: SlaSnapshot | null, status: TicketState['status']): SlaGrading {
  if (!snapshot) return { state: 'none', pausedReason: null };
  if (snapshot.respondedAt !== null) return { state: snapshot.met === false ? 'breached' : 'met', pausedReason: null };
  if (status === 'closed' || status === null) return { state: snapshot.breached ? 'breached' : 'none', pausedReason: null };
  const pausedReason: SlaPauseReason | null = snapshot.paused ? 'awaiting-customer' : snapshot.withinCalendarHours ? null : 'outside-business-hours';
  if (snapshot.breached) return { state: 'breached', pausedReason };
  if (snapshot.paused) return { state: 'paused', pausedReason };
  if (snapshot.atRisk) return { state: 'at-risk', pausedReason };
  if (pausedReason) return { state: 'paused', pausedReason };
  return { state: 'on-track', pausedReason: null };
}
