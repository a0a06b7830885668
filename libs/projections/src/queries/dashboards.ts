/**
 * Supervisor dashboard queries. Each chart has a query and a drill-down that lists the
 * documents behind a bar or cell, filtered exactly as the count was made, so the two agree.
 *
 * - Response targets met / missed per month and classification: from the `dashboards` read
 *   models (one small document per month; the drill-down walks an index of the outcomes).
 * - Escalations by level per month: likewise.
 * - Tickets breached now and at risk (due within the next N business minutes on the ticket's
 *   own calendar), and the workload per agent by SLA state: these depend on the clock, so they
 *   are computed at query time from the tickets view's queue key (see tickets.view.ts), with
 *   index range counts; only the at-risk window's candidates are read (and only when the
 *   preset's calendars disagree on where the window ends). The dashboard's `dash_agents`
 *   says which agents hold open work.
 *
 * SLA states of an open ticket (its current response cycle), from the queue key:
 *   breached  - not answered, clock running, due instant passed (the queue's `breached`);
 *   at-risk   - not answered, clock running, due within the next N business minutes;
 *   on-track  - not answered, clock running, due later;
 *   paused    - awaiting the customer (the clock is stopped, whatever happened before);
 *   responded - answered, still open.
 */
import type { BusinessCalendar } from '@helpdesk/calendar';
import { gradeSla, slaSnapshot } from '@helpdesk/domain';
import type { SlaGrading } from '@helpdesk/domain';
import type { Condition, Filter, ReadStore, Scalar, SortSpec } from '@helpdesk/read-store';
import { COLLECTIONS } from '../views/common';
import {
  DASHBOARD_COLLECTIONS,
  type AgentWorkloadDoc,
  type EscalationDoc,
  type EscalationMonthDoc,
  type ResponseMonthDoc,
  type ResponseOutcome,
  type ResponseOutcomeDoc,
} from '../views/dashboards.view';
import { isMonth } from '../views/months';
import { ticketStateOf, type TicketDoc } from '../views/tickets.view';
import { InvalidQueryError, Page, instantParam, pageLimit, readCursor, writeCursor } from './common';
import type { CalendarSource } from './tickets';

/** the business calendars of the preset in force (a TicketRules is one) */
export interface CalendarCatalog extends CalendarSource {
  hasCalendar(calendarId: string): boolean;
  readonly preset: { calendars: Record<string, unknown> };
}

export interface MonthRange {
  /** YYYY-MM, inclusive */
  from?: string;
  /** YYYY-MM, inclusive */
  to?: string;
}

function monthRange(q: MonthRange & { month?: string }): { from: string | null; to: string | null } {
  for (const key of ['month', 'from', 'to'] as const) {
    const v = q[key];
    if (v !== undefined && !isMonth(v)) throw new InvalidQueryError(key, 'must be a month YYYY-MM');
  }
  if (q.month !== undefined && (q.from !== undefined || q.to !== undefined)) throw new InvalidQueryError('month', 'give month, or from and to, not both', 'conflicting-parameters');
  const from = q.month ?? q.from ?? null;
  const to = q.month ?? q.to ?? null;
  if (from !== null && to !== null && from > to) throw new InvalidQueryError('from', 'must not be after to', 'conflicting-parameters');
  return { from, to };
}

function monthCondition(r: { from: string | null; to: string | null }): Condition | undefined {
  if (r.from !== null && r.to !== null && r.from === r.to) return r.from;
  const c: { $gte?: string; $lte?: string } = {};
  if (r.from !== null) c.$gte = r.from;
  if (r.to !== null) c.$lte = r.to;
  return c.$gte === undefined && c.$lte === undefined ? undefined : c;
}

const percent = (part: number, total: number): number | null => (total === 0 ? null : Math.round((part * 1000) / total) / 10);

// ---------------------------------------------------------------- response targets

export const CLASSIFICATION_ORDER = ['high', 'medium', 'low', '1', '2', '3', '4'];
const classificationRank = (c: string) => {
  const i = CLASSIFICATION_ORDER.indexOf(c);
  return i < 0 ? CLASSIFICATION_ORDER.length : i;
};
const byClassification = (a: { classification: string }, b: { classification: string }) =>
  classificationRank(a.classification) - classificationRank(b.classification) || (a.classification < b.classification ? -1 : a.classification > b.classification ? 1 : 0);

export interface OutcomeFigures {
  met: number;
  missed: number;
  total: number;
  /** met / total, in percent with one decimal; null when total is 0 */
  metPercent: number | null;
  missedPercent: number | null;
}

const figures = (met: number, missed: number): OutcomeFigures => ({
  met,
  missed,
  total: met + missed,
  metPercent: percent(met, met + missed),
  missedPercent: percent(missed, met + missed),
});

export interface ResponseTargetsMonth extends OutcomeFigures {
  month: string;
  byClassification: Array<OutcomeFigures & { classification: string }>;
}

export interface ResponseTargetsReport {
  from: string | null;
  to: string | null;
  months: ResponseTargetsMonth[];
  totals: OutcomeFigures & { byClassification: Array<OutcomeFigures & { classification: string }> };
}

/** Response targets met and missed per month (months with no decided target are left out) and classification. */
export async function responseTargets(store: ReadStore, query: MonthRange & { classification?: string } = {}): Promise<ResponseTargetsReport> {
  const range = monthRange(query);
  const filter: Filter = {};
  const cond = monthCondition(range);
  if (cond !== undefined) filter._id = cond;
  const docs = await store.find<ResponseMonthDoc>(DASHBOARD_COLLECTIONS.outcomeMonths, { filter, sort: [['_id', 1]] });
  const overall = new Map<string, { met: number; missed: number }>();
  const months: ResponseTargetsMonth[] = [];
  for (const doc of docs) {
    let met = 0;
    let missed = 0;
    const rows: ResponseTargetsMonth['byClassification'] = [];
    for (const [classification, c] of Object.entries(doc.counts)) {
      if (query.classification !== undefined && classification !== query.classification) continue;
      met += c.met;
      missed += c.missed;
      rows.push({ classification, ...figures(c.met, c.missed) });
      const o = overall.get(classification) ?? { met: 0, missed: 0 };
      overall.set(classification, { met: o.met + c.met, missed: o.missed + c.missed });
    }
    if (rows.length === 0) continue;
    months.push({ month: doc.month, ...figures(met, missed), byClassification: rows.sort(byClassification) });
  }
  const byClass = [...overall].map(([classification, c]) => ({ classification, ...figures(c.met, c.missed) })).sort(byClassification);
  const met = byClass.reduce((s, c) => s + c.met, 0);
  const missed = byClass.reduce((s, c) => s + c.missed, 0);
  return { from: range.from, to: range.to, months, totals: { ...figures(met, missed), byClassification: byClass } };
}

export interface OutcomeTicketsQuery extends MonthRange {
  month?: string;
  classification?: string;
  outcome?: ResponseOutcome;
  limit?: number;
  cursor?: string;
}

export type OutcomeTicket = Omit<ResponseOutcomeDoc, '_id' | '_pos' | 'position'>;

const OUTCOME_SORT: SortSpec = [
  ['month', 1],
  ['decidedAt', 1],
];

/** The response cycles behind a bar or cell of the response-targets chart (total = how many match). */
export async function responseTargetTickets(store: ReadStore, query: OutcomeTicketsQuery): Promise<Page<OutcomeTicket> & { total: number }> {
  const limit = pageLimit(query.limit);
  const filter: Filter = {};
  const cond = monthCondition(monthRange(query));
  if (cond !== undefined) filter.month = cond;
  if (query.classification !== undefined) filter.classification = query.classification;
  if (query.outcome !== undefined) {
    if (query.outcome !== 'met' && query.outcome !== 'missed') throw new InvalidQueryError('outcome', 'must be met or missed');
    filter.outcome = query.outcome;
  }
  const after = readCursor(query.cursor, OUTCOME_SORT.length);
  const [docs, total] = await Promise.all([
    store.find<ResponseOutcomeDoc>(DASHBOARD_COLLECTIONS.outcomes, { filter, sort: OUTCOME_SORT, limit: limit + 1, after }),
    store.count(DASHBOARD_COLLECTIONS.outcomes, filter),
  ]);
  const items = docs.slice(0, limit).map(({ _id, _pos, position: _p, ...rest }) => rest);
  const last = docs.length > limit ? docs[limit - 1] : null;
  return { items, nextCursor: last ? writeCursor([last.month, last.decidedAt], last._id) : null, total };
}

// ---------------------------------------------------------------- escalations

export interface EscalationLevelFigures {
  level: number;
  levelName: string;
  count: number;
  /** of which by the scheduler (automatic escalation on breach) */
  automatic: number;
}

export interface EscalationsReport {
  from: string | null;
  to: string | null;
  months: Array<{ month: string; total: number; levels: EscalationLevelFigures[] }>;
  totals: { total: number; levels: EscalationLevelFigures[] };
}

export async function escalationsByLevel(store: ReadStore, query: MonthRange = {}): Promise<EscalationsReport> {
  const range = monthRange(query);
  const filter: Filter = {};
  const cond = monthCondition(range);
  if (cond !== undefined) filter._id = cond;
  const docs = await store.find<EscalationMonthDoc>(DASHBOARD_COLLECTIONS.escalationMonths, { filter, sort: [['_id', 1]] });
  const overall = new Map<number, EscalationLevelFigures>();
  const months: EscalationsReport['months'] = [];
  for (const doc of docs) {
    const levels = Object.entries(doc.levels)
      .map(([level, l]) => ({ level: Number(level), levelName: l.levelName, count: l.count, automatic: l.automatic }))
      .sort((a, b) => a.level - b.level);
    for (const l of levels) {
      const o = overall.get(l.level) ?? { level: l.level, levelName: l.levelName, count: 0, automatic: 0 };
      overall.set(l.level, { level: l.level, levelName: l.levelName, count: o.count + l.count, automatic: o.automatic + l.automatic });
    }
    months.push({ month: doc.month, total: levels.reduce((s, l) => s + l.count, 0), levels });
  }
  const levels = [...overall.values()].sort((a, b) => a.level - b.level);
  return { from: range.from, to: range.to, months, totals: { total: levels.reduce((s, l) => s + l.count, 0), levels } };
}

export interface EscalationTicketsQuery extends MonthRange {
  month?: string;
  level?: number;
  limit?: number;
  cursor?: string;
}

export type EscalationTicket = Omit<EscalationDoc, '_id' | '_pos' | 'position'>;

const ESCALATION_SORT: SortSpec = [
  ['month', 1],
  ['level', 1],
  ['escalatedAt', 1],
];

export async function escalationTickets(store: ReadStore, query: EscalationTicketsQuery): Promise<Page<EscalationTicket> & { total: number }> {
  const limit = pageLimit(query.limit);
  const filter: Filter = {};
  const cond = monthCondition(monthRange(query));
  if (cond !== undefined) filter.month = cond;
  if (query.level !== undefined) {
    if (!Number.isInteger(query.level) || query.level < 0) throw new InvalidQueryError('level', 'must be a non-negative integer');
    filter.level = query.level;
  }
  const after = readCursor(query.cursor, ESCALATION_SORT.length);
  const [docs, total] = await Promise.all([
    store.find<EscalationDoc>(DASHBOARD_COLLECTIONS.escalations, { filter, sort: ESCALATION_SORT, limit: limit + 1, after }),
    store.count(DASHBOARD_COLLECTIONS.escalations, filter),
  ]);
  const items = docs.slice(0, limit).map(({ _id, _pos, position: _p, ...rest }) => rest);
  const last = docs.length > limit ? docs[limit - 1] : null;
  return { items, nextCursor: last ? writeCursor([last.month, last.level, last.escalatedAt], last._id) : null, total };
}

// ---------------------------------------------------------------- SLA now: breached, at risk, workload

export const SLA_NOW_STATES = ['breached', 'at-risk', 'on-track', 'paused', 'responded'] as const;
export type SlaNowState = (typeof SLA_NOW_STATES)[number];

export const DEFAULT_AT_RISK_MINUTES = 240;
export const MAX_AT_RISK_MINUTES = 10_080;

/** the clock-dependent limits of one query: where "now" and the at-risk window fall on each calendar */
class SlaWindow {
  readonly now: string;
  readonly nowMs: number;
  /** the end of the window on each calendar of the preset (UTC ISO) */
  private readonly limits = new Map<string, string>();
  /** the widest end (tickets on a calendar the preset no longer has use it) */
  readonly widest: string;
  /** every calendar ends the window at the same instant: the key range alone decides */
  readonly uniform: boolean;
  /** the at-risk window's tickets, read once per query when the calendars disagree */
  candidates: Promise<TicketDoc[]> | null = null;

  constructor(
    nowIso: string,
    readonly withinMinutes: number,
    private readonly calendars: CalendarCatalog,
  ) {
    if (!Number.isInteger(withinMinutes) || withinMinutes < 1 || withinMinutes > MAX_AT_RISK_MINUTES) {
      throw new InvalidQueryError('withinBusinessMinutes', `must be an integer from 1 to ${MAX_AT_RISK_MINUTES}`);
    }
    this.now = instantParam('now', nowIso);
    this.nowMs = Date.parse(this.now);
    for (const id of Object.keys(calendars.preset.calendars)) {
      this.limits.set(id, new Date(calendars.calendar(id).addBusinessMinutes(this.nowMs, withinMinutes)).toISOString());
    }
    const ends = [...new Set(this.limits.values())].sort();
    this.widest = ends[ends.length - 1] ?? new Date(this.nowMs + withinMinutes * 60_000).toISOString();
    this.uniform = ends.length <= 1;
  }

  calendarOf(doc: Pick<TicketDoc, 'slaCalendarId'>): BusinessCalendar | null {
    return doc.slaCalendarId && this.calendars.hasCalendar(doc.slaCalendarId) ? this.calendars.calendar(doc.slaCalendarId) : null;
  }

  /** a running, not yet due ticket's response is due inside the window */
  inWindow(doc: Pick<TicketDoc, 'slaCalendarId' | 'responseDueAt'>): boolean {
    if (doc.responseDueAt === null) return false;
    const limit = (doc.slaCalendarId && this.limits.get(doc.slaCalendarId)) || this.widest;
    return doc.responseDueAt <= limit;
  }

  /** queue-key ranges [lo, hi) of each state (tickets.view.ts) */
  range(state: SlaNowState): { lo: string; hi: string | null } {
    switch (state) {
      case 'breached':
        return { lo: '0|', hi: `0|${this.now}` };
      case 'at-risk':
        // due instants equal to the window's end are in it: '|' < '~' after the instant
        return { lo: `0|${this.now}`, hi: `0|${this.widest}~` };
      case 'on-track':
        return { lo: `0|${this.now}`, hi: '1' };
      case 'responded':
        return { lo: '1', hi: '2' };
      case 'paused':
        return { lo: '2', hi: null };
    }
  }
}

const rangeCondition = (r: { lo: string; hi: string | null }): Condition => (r.hi === null ? { $gte: r.lo } : { $gte: r.lo, $lt: r.hi });

function scopeFilter(scope: { assigneeId?: string | null }): Filter {
  return scope.assigneeId === undefined ? {} : { assigneeId: scope.assigneeId };
}

/**
 * How many open tickets of the scope are in the at-risk window: an index count when every
 * calendar ends the window at the same instant; otherwise the window's candidates (read once
 * per query) are checked against their own calendar's end.
 */
async function countAtRisk(store: ReadStore, w: SlaWindow, scope: { assigneeId?: string | null }): Promise<number> {
  const filter = { ...scopeFilter(scope), queueKey: rangeCondition(w.range('at-risk')) };
  if (w.uniform) return store.count(COLLECTIONS.tickets, filter);
  w.candidates ??= store.find<TicketDoc>(COLLECTIONS.tickets, { filter: { queueKey: rangeCondition(w.range('at-risk')) }, sort: [['queueKey', 1]] });
  const docs = await w.candidates;
  return docs.filter((d) => (scope.assigneeId === undefined || d.assigneeId === scope.assigneeId) && w.inWindow(d)).length;
}

export interface SlaStateCounts {
  open: number;
  breached: number;
  atRisk: number;
  onTrack: number;
  paused: number;
  responded: number;
}

async function stateCounts(store: ReadStore, w: SlaWindow, scope: { assigneeId?: string | null }): Promise<SlaStateCounts> {
  const base = scopeFilter(scope);
  const count = (r: { lo: string; hi: string | null }) => store.count(COLLECTIONS.tickets, { ...base, queueKey: rangeCondition(r) });
  const [running, breached, atRisk, responded, paused] = await Promise.all([
    count({ lo: '0', hi: '1' }),
    count(w.range('breached')),
    countAtRisk(store, w, scope),
    count(w.range('responded')),
    count(w.range('paused')),
  ]);
  return { open: running + responded + paused, breached, atRisk, onTrack: running - breached - atRisk, paused, responded };
}

export interface SlaNowTicket {
  ticketId: string;
  subject: string | null;
  customerId: string | null;
  department: string | null;
  assigneeId: string | null;
  status: string | null;
  classification: string | null;
  escalationLevel: number;
  state: SlaNowState;
  calendarId: string | null;
  responseDueAt: string | null;
  warningAt: string | null;
  respondedAt: string | null;
  /** business minutes until the response is due (running tickets not yet due; null otherwise or on an unknown calendar) */
  businessMinutesLeft: number | null;
  /** business minutes past the due instant (breached tickets; null otherwise or on an unknown calendar) */
  businessMinutesOverdue: number | null;
  /** the graded SLA state the queue and ticket detail show (gradeSla); null on a calendar the preset no longer has */
  sla: SlaGrading | null;
}

function ticketRow(doc: TicketDoc, state: SlaNowState, w: SlaWindow): SlaNowTicket {
  const calendar = w.calendarOf(doc);
  const dueMs = doc.responseDueAt === null ? null : Date.parse(doc.responseDueAt);
  const running = state === 'at-risk' || state === 'on-track';
  return {
    ticketId: doc.ticketId,
    subject: doc.subject,
    customerId: doc.customerId,
    department: doc.department,
    assigneeId: doc.assigneeId,
    status: doc.status,
    classification: doc.classification === null ? null : String(doc.classification),
    escalationLevel: doc.escalationLevel,
    state,
    calendarId: doc.slaCalendarId,
    responseDueAt: doc.responseDueAt,
    warningAt: doc.warningAt,
    respondedAt: doc.respondedAt,
    businessMinutesLeft: running && calendar && dueMs !== null ? calendar.businessMinutesBetween(w.nowMs, dueMs) : null,
    businessMinutesOverdue: state === 'breached' && calendar && dueMs !== null ? calendar.businessMinutesBetween(dueMs, w.nowMs) : null,
    sla: calendar ? gradeSla(slaSnapshot(ticketStateOf(doc), w.nowMs, calendar), doc.status) : null,
  };
}

export interface SlaNowQuery {
  withinBusinessMinutes?: number;
  /** a string: that agent's tickets; null: unassigned tickets; absent: all */
  assigneeId?: string | null;
}

export interface SlaNowTicketsQuery extends SlaNowQuery {
  state: SlaNowState;
  limit?: number;
  cursor?: string;
}

/** The open tickets in one SLA state, in queue order (earliest due first), paged by cursor; `total` counts them all. */
export async function slaNowTickets(
  store: ReadStore,
  query: SlaNowTicketsQuery,
  nowIso: string,
  calendars: CalendarCatalog,
): Promise<Page<SlaNowTicket> & { total: number; now: string; withinBusinessMinutes: number }> {
  if (!(SLA_NOW_STATES as readonly string[]).includes(query.state)) throw new InvalidQueryError('state', `must be one of ${SLA_NOW_STATES.join(', ')}`);
  const limit = pageLimit(query.limit);
  const w = new SlaWindow(nowIso, query.withinBusinessMinutes ?? DEFAULT_AT_RISK_MINUTES, calendars);
  const base = scopeFilter(query);
  const range = w.range(query.state);
  // at-risk and on-track share the running, not yet due range: the window on each ticket's calendar splits it
  const keep = query.state === 'at-risk' ? (d: TicketDoc) => w.inWindow(d) : query.state === 'on-track' ? (d: TicketDoc) => !w.inWindow(d) : () => true;
  const filtered = query.state === 'at-risk' || query.state === 'on-track';
  const filter: Filter = { ...base, queueKey: rangeCondition(range) };
  let after: { values: Scalar[]; id: string } | undefined = readCursor(query.cursor, 1);
  const found: TicketDoc[] = [];
  const chunk = filtered ? Math.max(100, limit * 2) : limit + 1;
  for (;;) {
    const docs = await store.find<TicketDoc>(COLLECTIONS.tickets, { filter, sort: [['queueKey', 1]], limit: chunk, after });
    for (const doc of docs) {
      if (!keep(doc)) continue;
      found.push(doc);
      if (found.length > limit) break;
    }
    if (found.length > limit || docs.length < chunk) break;
    const last = docs[docs.length - 1];
    after = { values: [last.queueKey], id: last._id };
  }
  const page = found.slice(0, limit);
  const last = found.length > limit ? page[page.length - 1] : null;
  const total = await stateTotal(store, w, query);
  return {
    now: w.now,
    withinBusinessMinutes: w.withinMinutes,
    total,
    items: page.map((d) => ticketRow(d, query.state, w)),
    nextCursor: last ? writeCursor([last.queueKey], last._id) : null,
  };
}

async function stateTotal(store: ReadStore, w: SlaWindow, query: SlaNowTicketsQuery): Promise<number> {
  const scope = { assigneeId: query.assigneeId };
  if (query.state === 'at-risk') return countAtRisk(store, w, scope);
  if (query.state === 'on-track') {
    const running = await store.count(COLLECTIONS.tickets, { ...scopeFilter(scope), queueKey: rangeCondition(w.range('on-track')) });
    return running - (await countAtRisk(store, w, scope));
  }
  return store.count(COLLECTIONS.tickets, { ...scopeFilter(scope), queueKey: rangeCondition(w.range(query.state)) });
}

export interface SlaNowReport {
  now: string;
  withinBusinessMinutes: number;
  counts: SlaStateCounts;
  /** the first tickets of each list, earliest due first */
  breached: SlaNowTicket[];
  atRisk: SlaNowTicket[];
}

/** Tickets breached now and at risk in the next N business minutes (counts and the first `limit` of each). */
export async function slaNow(store: ReadStore, query: SlaNowQuery & { limit?: number }, nowIso: string, calendars: CalendarCatalog): Promise<SlaNowReport> {
  const w = new SlaWindow(nowIso, query.withinBusinessMinutes ?? DEFAULT_AT_RISK_MINUTES, calendars);
  const limit = pageLimit(query.limit, 200, 10);
  const [counts, breached, atRisk] = await Promise.all([
    stateCounts(store, w, query),
    slaNowTickets(store, { ...query, state: 'breached', limit }, nowIso, calendars),
    slaNowTickets(store, { ...query, state: 'at-risk', limit }, nowIso, calendars),
  ]);
  return { now: w.now, withinBusinessMinutes: w.withinMinutes, counts, breached: breached.items, atRisk: atRisk.items };
}

export interface WorkloadRow extends SlaStateCounts {
  /** null: the open tickets nobody is assigned to */
  agentId: string | null;
  /** the agent's name when the agent is a known user (users view); null otherwise */
  agentName: string | null;
}

export interface WorkloadReport {
  now: string;
  withinBusinessMinutes: number;
  agents: WorkloadRow[];
  unassigned: WorkloadRow;
  totals: SlaStateCounts;
}

/** Open tickets per assigned agent by SLA state (agents with no open work are left out), and the unassigned ones. */
export async function workload(store: ReadStore, query: { withinBusinessMinutes?: number }, nowIso: string, calendars: CalendarCatalog): Promise<WorkloadReport> {
  const w = new SlaWindow(nowIso, query.withinBusinessMinutes ?? DEFAULT_AT_RISK_MINUTES, calendars);
  const docs = await store.find<AgentWorkloadDoc>(DASHBOARD_COLLECTIONS.agents, { filter: { open: { $gt: 0 } }, sort: [['_id', 1]] });
  const users = await store.getMany<{ _id: string; name?: string }>(COLLECTIONS.users, docs.map((d) => d.agentId));
  const names = new Map(users.map((u) => [u._id, typeof u.name === 'string' ? u.name : null]));
  const agents: WorkloadRow[] = [];
  for (const doc of docs) {
    const counts = await stateCounts(store, w, { assigneeId: doc.agentId });
    if (counts.open > 0) agents.push({ agentId: doc.agentId, agentName: names.get(doc.agentId) ?? null, ...counts });
  }
  const unassigned: WorkloadRow = { agentId: null, agentName: null, ...(await stateCounts(store, w, { assigneeId: null })) };
  const totals = await stateCounts(store, w, {});
  return { now: w.now, withinBusinessMinutes: w.withinMinutes, agents, unassigned, totals };
}
