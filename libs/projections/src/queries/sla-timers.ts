/**
 * SLA timers, one per open ticket's current response cycle, shaped like Jira Service
 * Management's SLA cycles and computed with the domain's `slaSnapshot` at `now`.
 *
 * `clock`: 'running' (not answered, not paused), 'paused' (awaiting the customer, not
 * answered) or 'stopped' (answered: the cycle is completed and `met` says how).
 * Filters: running = clock running (at risk or breached included); paused = clock paused;
 * at-risk = past the warning point, not breached, not answered; breached = past due (or
 * recorded as breached) and not answered. Only tickets still in the queue (not closed) have
 * timers here; a closed ticket's cycles are in its own SLA section.
 * Order: the queue order (response due instant, then urgency), paged by the same cursor.
 */
import { slaSnapshot } from '@helpdesk/domain';
import type { Filter, ReadStore, Scalar } from '@helpdesk/read-store';
import { COLLECTIONS } from '../views/common';
import type { TicketDoc } from '../views/tickets.view';
import { InvalidQueryError, Page, instantParam, pageLimit, readCursor, writeCursor } from './common';
import type { CalendarSource } from './tickets';

export const SLA_TIMER_STATES = ['running', 'paused', 'at-risk', 'breached'] as const;
export type SlaTimerState = (typeof SLA_TIMER_STATES)[number];

export interface SlaTimer {
  ticketId: string;
  customerId: string | null;
  department: string | null;
  assigneeId: string | null;
  priority: string | null;
  severity: number | null;
  status: string | null;
  cycle: number;
  targetId: string;
  calendarId: string;
  clock: 'running' | 'paused' | 'stopped';
  /** target, business minutes */
  goal: number;
  warningMinutes: number;
  elapsedBusinessMinutes: number;
  remainingBusinessMinutes: number;
  breached: boolean;
  paused: boolean;
  atRisk: boolean;
  /** `now` falls inside the calendar's business time */
  withinCalendarHours: boolean;
  startedAt: string;
  /** breach time; null while paused before a due instant was decided */
  dueAt: string | null;
  warningAt: string | null;
  respondedAt: string | null;
  /** completed cycles only: answered within the target */
  met: boolean | null;
}

export interface SlaTimersQuery {
  state?: SlaTimerState;
  limit?: number;
  cursor?: string;
}

type Range = { lo: string; hi: string | null };

/** key ranges of the queue (see tickets.view.ts) that hold every candidate, in key order */
function rangesFor(state: SlaTimerState | undefined, now: string): Range[] {
  switch (state) {
    case undefined:
      return [{ lo: '0', hi: null }];
    case 'running':
      return [{ lo: '0', hi: '1' }];
    case 'paused':
      return [{ lo: '2', hi: null }];
    case 'at-risk':
      return [
        { lo: `0|${now}`, hi: '1' },
        { lo: '2', hi: null },
      ];
    case 'breached':
      return [
        { lo: '0|', hi: `0|${now}` },
        { lo: '2', hi: null },
      ];
    default:
      throw new InvalidQueryError('state', `must be one of ${SLA_TIMER_STATES.join(', ')}`);
  }
}

export function slaTimerOf(doc: TicketDoc, nowMs: number, calendars: CalendarSource): SlaTimer | null {
  const sla = doc.state.sla;
  if (!sla) return null;
  const s = slaSnapshot(doc.state, nowMs, calendars.calendar(sla.calendarId));
  if (!s) return null;
  const stopped = s.respondedAt !== null || doc.state.status === 'closed';
  return {
    ticketId: doc.ticketId,
    customerId: doc.customerId,
    department: doc.department,
    assigneeId: doc.assigneeId,
    priority: doc.priority,
    severity: doc.severity,
    status: doc.status,
    cycle: s.cycle,
    targetId: s.targetId,
    calendarId: s.calendarId,
    clock: stopped ? 'stopped' : s.paused ? 'paused' : 'running',
    goal: s.targetMinutes,
    warningMinutes: s.warningMinutes,
    elapsedBusinessMinutes: s.elapsedBusinessMinutes,
    remainingBusinessMinutes: s.remainingBusinessMinutes,
    breached: s.breached,
    paused: s.paused,
    atRisk: s.atRisk,
    withinCalendarHours: s.withinCalendarHours,
    startedAt: s.startedAt,
    dueAt: s.dueAt,
    warningAt: s.warningAt,
    respondedAt: s.respondedAt,
    met: s.met,
  };
}

function matches(timer: SlaTimer, state: SlaTimerState | undefined): boolean {
  switch (state) {
    case undefined:
      return true;
    case 'running':
      return timer.clock === 'running';
    case 'paused':
      return timer.clock === 'paused';
    case 'at-risk':
      return timer.atRisk && timer.clock !== 'stopped';
    case 'breached':
      return timer.breached && timer.clock !== 'stopped';
  }
}

export async function slaTimers(store: ReadStore, query: SlaTimersQuery, nowIso: string, calendars: CalendarSource): Promise<Page<SlaTimer>> {
  const limit = pageLimit(query.limit);
  const now = instantParam('now', nowIso);
  const nowMs = Date.parse(now);
  const ranges = rangesFor(query.state, now);
  const chunk = Math.max(100, limit * 2);
  let after: { values: Scalar[]; id: string } | undefined = readCursor(query.cursor, 1);
  const found: Array<{ timer: SlaTimer; key: string; id: string }> = [];
  for (const range of ranges) {
    if (found.length > limit) break;
    if (after && range.hi !== null && String(after.values[0]) >= range.hi) continue;
    for (;;) {
      const filter: Filter = { queueKey: range.hi === null ? { $gte: range.lo } : { $gte: range.lo, $lt: range.hi } };
      const docs = await store.find<TicketDoc>(COLLECTIONS.tickets, { filter, sort: [['queueKey', 1]], limit: chunk, after });
      for (const doc of docs) {
        const timer = slaTimerOf(doc, nowMs, calendars);
        if (timer && matches(timer, query.state)) {
          found.push({ timer, key: doc.queueKey as string, id: doc._id });
          if (found.length > limit) break;
        }
      }
      if (found.length > limit || docs.length < chunk) break;
      const last = docs[docs.length - 1];
      after = { values: [last.queueKey], id: last._id };
    }
  }
  const page = found.slice(0, limit);
  const last = found.length > limit ? page[page.length - 1] : null;
  return { items: page.map((f) => f.timer), nextCursor: last ? writeCursor([last.key], last.id) : null };
}
