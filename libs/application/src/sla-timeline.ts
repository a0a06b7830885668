/**
 * The SLA timeline of a case, computed from its recorded facts only: the targets its events
 * recorded (minutes, due and warning instants, calendar id, zone, counting mode), the pauses
 * (awaiting the customer), the responses, the warnings and breaches the scheduler recorded,
 * and the gaps in business time of the calendar each target recorded while its clock ran.
 * Nothing is recomputed with today's rules: due and warning instants are the recorded ones;
 * the calendar's working ranges and holidays are those of the calendar id the target
 * recorded, read with the zone and counting mode the target recorded.
 */
import { BusinessCalendar } from '@helpdesk/calendar';
import type { CountingMode } from '@helpdesk/calendar';
import { evolve, fold, gradeSla, initialState, slaSnapshot } from '@helpdesk/domain';
import type { SlaGrade, SlaPauseReason, SlaTargetData, TicketEvent, TicketRules } from '@helpdesk/domain';
import type { StoredEvent } from '@helpdesk/event-store';

export const SLA_TIMELINE_KINDS = [
  'started',
  'paused',
  'resumed',
  'warning',
  'breached',
  'retargeted',
  'responded',
  'outside-business-hours',
  'business-hours',
] as const;
export type SlaTimelineKind = (typeof SLA_TIMELINE_KINDS)[number];

export interface SlaTimelineEntry {
  at: string;
  kind: SlaTimelineKind;
  reason: string | null;
  detail: Record<string, unknown>;
}

export interface SlaTimeline {
  now: string;
  state: SlaGrade;
  pausedReason: SlaPauseReason | null;
  responseDueAt: string | null;
  warningAt: string | null;
  businessMinutesLeft: number;
  businessMinutesElapsed: number;
  /** the calendar of the current target as recorded; `known` false when the preset in force no longer has it */
  calendar: { id: string; zone: string; mode: CountingMode; known: boolean; presetVersion: string } | null;
  entries: SlaTimelineEntry[];
}

/** the business calendar for a recorded calendar id, zone and mode; null when it is unknown */
export type RecordedCalendars = (calendarId: string, zone: string, mode: CountingMode) => BusinessCalendar | null;

/**
 * Recorded calendars from the preset in force: the working ranges and holidays of the calendar
 * id, with the zone and counting mode the target recorded (a calendar whose zone or mode the
 * preset has since changed is rebuilt with the recorded ones); null for an id it no longer has.
 */
export function recordedCalendars(rules: TicketRules): RecordedCalendars {
  const cache = new Map<string, BusinessCalendar>();
  return (calendarId, zone, mode) => {
    if (!rules.hasCalendar(calendarId)) return null;
    const current = rules.calendar(calendarId);
    if (current.spec.zone === zone && current.spec.mode === mode) return current;
    const key = `${calendarId}|${zone}|${mode}`;
    let calendar = cache.get(key);
    if (!calendar) {
      calendar = new BusinessCalendar({ ...current.spec, zone, mode });
      cache.set(key, calendar);
    }
    return calendar;
  };
}

/** at most this many business-hours gap entries per response cycle */
const MAX_GAP_ENTRIES = 2_000;

const ms = (iso: string) => Date.parse(iso);
const iso = (t: number) => new Date(t).toISOString();

interface Target {
  targetId: string;
  cycle: number;
  setAtMs: number;
  dueAt: string | null;
  warningAt: string | null;
  calendarId: string;
  zone: string;
  mode: CountingMode;
}

interface Cycle {
  cycle: number;
  startedAtMs: number;
  target: Target;
  /** the running stretches so far, each on the calendar of the target in force */
  stretches: Array<{ from: number; to: number | null; target: Target }>;
  paused: boolean;
  stopped: boolean;
}

export function slaTimeline(events: StoredEvent[], nowIso: string, calendars: RecordedCalendars): SlaTimeline {
  const nowMs = ms(nowIso);
  const entries: Array<SlaTimelineEntry & { order: number }> = [];
  let order = 0;
  const push = (atMs: number, kind: SlaTimelineKind, reason: string | null, detail: Record<string, unknown>) =>
    entries.push({ at: iso(atMs), kind, reason, detail, order: order++ });

  // warnings and breaches the scheduler recorded, by target
  const recordedWarning = new Map<string, { recordedAt: string }>();
  const recordedBreach = new Map<string, { recordedAt: string }>();
  for (const e of events) {
    if (e.type === 'SlaWarningRecorded') recordedWarning.set(String(e.data.targetId), { recordedAt: String(e.data.recordedAt) });
    if (e.type === 'SlaBreachRecorded') recordedBreach.set(String(e.data.targetId), { recordedAt: String(e.data.recordedAt) });
  }
  const warned = new Set<string>();
  const breached = new Set<string>();
  let cycle = null as Cycle | null;

  const targetOf = (sla: SlaTargetData): Target => ({
    targetId: sla.targetId,
    cycle: sla.cycle,
    setAtMs: ms(sla.setAt),
    dueAt: sla.dueAt,
    warningAt: sla.warningAt,
    calendarId: sla.calendarId,
    zone: sla.zone,
    mode: sla.mode,
  });
  const targetDetail = (sla: SlaTargetData) => ({
    cycle: sla.cycle,
    targetId: sla.targetId,
    classification: sla.classification,
    supportLevel: sla.supportLevel,
    targetMinutes: sla.targetMinutes,
    warningMinutes: sla.warningMinutes,
    elapsedBusinessMinutes: sla.elapsedBusinessMinutes,
    dueAt: sla.dueAt,
    warningAt: sla.warningAt,
    calendarId: sla.calendarId,
    zone: sla.zone,
    mode: sla.mode,
    presetName: sla.presetName,
    presetVersion: sla.presetVersion,
  });

  /** warnings and breaches of the running target whose instants have passed by `untilMs` */
  const advance = (untilMs: number) => {
    if (!cycle || cycle.paused || cycle.stopped) return;
    const t = cycle.target;
    if (t.warningAt && ms(t.warningAt) <= untilMs && !warned.has(t.targetId)) {
      warned.add(t.targetId);
      const recorded = recordedWarning.get(t.targetId);
      push(Math.max(ms(t.warningAt), t.setAtMs), 'warning', null, { targetId: t.targetId, warningAt: t.warningAt, recorded: !!recorded, recordedAt: recorded?.recordedAt ?? null });
    }
    if (t.dueAt && ms(t.dueAt) < untilMs && !breached.has(t.targetId)) {
      breached.add(t.targetId);
      const recorded = recordedBreach.get(t.targetId);
      push(Math.max(ms(t.dueAt), t.setAtMs), 'breached', null, { targetId: t.targetId, dueAt: t.dueAt, recorded: !!recorded, recordedAt: recorded?.recordedAt ?? null });
    }
  };
  const openStretch = (from: number) => cycle!.stretches.push({ from, to: null, target: cycle!.target });
  const closeStretch = (to: number) => {
    const last = cycle!.stretches[cycle!.stretches.length - 1];
    if (last && last.to === null) last.to = to;
  };
  const retarget = (sla: SlaTargetData, atMs: number) => {
    if (!cycle) return;
    cycle.target = targetOf(sla);
    if (!cycle.paused && !cycle.stopped) {
      closeStretch(atMs);
      openStretch(atMs);
    }
  };
  const startCycle = (sla: SlaTargetData, reason: string) => {
    if (cycle) flushGaps(cycle);
    const startedAtMs = ms(sla.startedAt);
    cycle = { cycle: sla.cycle, startedAtMs, target: targetOf(sla), stretches: [], paused: false, stopped: false };
    openStretch(startedAtMs);
    push(startedAtMs, 'started', reason, targetDetail(sla));
  };
  /** the gaps in business time while the cycle's clock ran */
  const flushGaps = (c: Cycle) => {
    let budget = MAX_GAP_ENTRIES;
    // stretches that follow each other on the same calendar are one (a retarget is no gap)
    const merged: Cycle['stretches'] = [];
    for (const s of c.stretches) {
      const last = merged[merged.length - 1];
      const same = last && last.to === s.from && last.target.calendarId === s.target.calendarId && last.target.zone === s.target.zone && last.target.mode === s.target.mode;
      if (same) last.to = s.to;
      else merged.push({ ...s });
    }
    for (const s of merged) {
      const to = s.to ?? nowMs;
      if (to <= s.from || budget <= 0) continue;
      const calendar = calendars(s.target.calendarId, s.target.zone, s.target.mode);
      if (!calendar) continue;
      const open = calendar.businessIntervals(s.from, to, MAX_GAP_ENTRIES);
      let cursor = s.from;
      for (const [start, end] of open) {
        if (start > cursor && budget-- > 0) {
          push(cursor, 'outside-business-hours', null, { calendarId: s.target.calendarId, cycle: c.cycle });
          if (budget-- > 0) push(start, 'business-hours', null, { calendarId: s.target.calendarId, cycle: c.cycle });
        }
        cursor = end;
      }
      if (cursor < to && budget-- > 0) push(cursor, 'outside-business-hours', null, { calendarId: s.target.calendarId, cycle: c.cycle });
    }
  };

  for (const e of events) {
    const d = e.data as Record<string, unknown>;
    switch (e.type) {
      case 'TicketOpened': {
        const sla = d.sla as SlaTargetData;
        startCycle(sla, 'opened');
        break;
      }
      case 'TicketReopened': {
        const sla = d.sla as SlaTargetData;
        advance(ms(sla.startedAt));
        startCycle(sla, 'reopened');
        break;
      }
      case 'TicketClassified':
      case 'TicketEscalated': {
        const sla = d.sla as SlaTargetData | null;
        if (!sla || !cycle) break;
        const atMs = ms(sla.setAt);
        advance(atMs);
        const previous = cycle.target;
        retarget(sla, atMs);
        push(atMs, 'retargeted', e.type === 'TicketClassified' ? 'classified' : 'escalated', {
          ...targetDetail(sla),
          previousTargetId: previous.targetId,
          previousDueAt: previous.dueAt,
          ...(e.type === 'TicketEscalated' ? { level: d.level, priorityChange: d.priorityChange ?? null } : {}),
        });
        advance(atMs);
        break;
      }
      case 'CustomerInfoRequested': {
        if (!cycle || cycle.stopped || d.clockPaused !== true) break;
        const atMs = ms(String(d.requestedAt));
        advance(atMs);
        closeStretch(atMs);
        cycle.paused = true;
        push(atMs, 'paused', 'awaiting-customer', { question: true });
        break;
      }
      case 'ClockResumed': {
        if (!cycle) break;
        const atMs = ms(String(d.resumedAt));
        if (cycle.target.targetId === d.targetId) {
          cycle.target = { ...cycle.target, dueAt: (d.dueAt as string | null) ?? null, warningAt: (d.warningAt as string | null) ?? null };
        }
        if (!cycle.paused || cycle.stopped) break;
        cycle.paused = false;
        openStretch(atMs);
        push(atMs, 'resumed', String(d.cause ?? 'customer-message'), {
          pausedAt: d.pausedAt,
          pausedBusinessMinutes: d.pausedBusinessMinutes,
          elapsedBusinessMinutes: d.elapsedBusinessMinutes,
          previousDueAt: d.previousDueAt,
          dueAt: d.dueAt,
          warningAt: d.warningAt,
        });
        advance(atMs);
        break;
      }
      case 'ResponseRecorded': {
        if (!cycle) break;
        const atMs = ms(String(d.respondedAt));
        advance(atMs);
        if (!cycle.paused) closeStretch(atMs);
        cycle.stopped = true;
        push(atMs, 'responded', null, { cycle: d.cycle, targetId: d.targetId, met: d.met, elapsedBusinessMinutes: d.elapsedBusinessMinutes, dueAt: d.dueAt, respondedBy: d.respondedBy });
        break;
      }
      case 'TicketClosed': {
        if (!cycle || cycle.stopped) break;
        const atMs = ms(String(d.closedAt));
        advance(atMs);
        if (!cycle.paused) closeStretch(atMs);
        cycle.stopped = true;
        push(atMs, 'paused', 'ticket-closed', { closeReason: d.reason, automatic: d.automatic ?? false });
        break;
      }
      case 'SlaWarningRecorded':
      case 'SlaBreachRecorded': {
        const targetId = String(d.targetId);
        const done = e.type === 'SlaWarningRecorded' ? warned : breached;
        if (done.has(targetId)) break;
        done.add(targetId);
        const instant = String(e.type === 'SlaWarningRecorded' ? d.warningAt : d.dueAt);
        push(ms(instant), e.type === 'SlaWarningRecorded' ? 'warning' : 'breached', null, {
          targetId,
          [e.type === 'SlaWarningRecorded' ? 'warningAt' : 'dueAt']: instant,
          recorded: true,
          recordedAt: d.recordedAt,
        });
        break;
      }
      default:
        break;
    }
  }
  advance(nowMs);
  if (cycle) flushGaps(cycle);
  entries.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.order - b.order));

  // the case now, folded with the command side's evolve and graded like the queue
  const state = fold(evolve, initialState(), events.map((e) => ({ type: e.type, data: e.data }) as TicketEvent));
  const sla = state.sla;
  const calendar = sla ? calendars(sla.calendarId, sla.zone, sla.mode) : null;
  const snapshot = sla && calendar ? slaSnapshot(state, nowMs, calendar) : null;
  const graded = gradeSla(snapshot, state.status);
  return {
    now: iso(nowMs),
    state: graded.state,
    pausedReason: graded.pausedReason,
    responseDueAt: sla?.dueAt ?? null,
    warningAt: sla?.warningAt ?? null,
    businessMinutesLeft: snapshot?.remainingBusinessMinutes ?? 0,
    businessMinutesElapsed: snapshot?.elapsedBusinessMinutes ?? 0,
    calendar: sla ? { id: sla.calendarId, zone: sla.zone, mode: sla.mode, known: calendar !== null, presetVersion: sla.presetVersion } : null,
    entries: entries.map(({ order: _o, ...entry }) => entry),
  };
}
