/**
 * The graded SLA state of a ticket's response target (like Jira Service Management): on track,
 * inside the warning window (at risk), breached, paused (with its reason) or met. The server
 * sends it (`sla.state`, CONTRACTS.md); for answers that do not carry it yet it is derived here
 * from the recorded fields (due and warning instants, pause, response).
 */
import type { GradedSla, PausedReason, QueueItem, SlaState, TicketDetail } from '../api/views';

export function gradeQueueItem(item: Omit<QueueItem, 'queueKey'>, nowMs: number): GradedSla {
  if (item.sla?.state) return item.sla;
  let state: SlaState;
  let pausedReason: PausedReason | null = null;
  if (item.responseDueAt === null && item.respondedAt === null && !item.paused) state = 'none';
  else if (item.respondedAt !== null) state = 'met';
  else if (item.paused || item.status === 'awaiting-customer') {
    state = 'paused';
    pausedReason = 'awaiting-customer';
  } else if (item.breached || (item.responseDueAt !== null && Date.parse(item.responseDueAt) <= nowMs)) state = 'breached';
  else if (item.warningAt !== null && Date.parse(item.warningAt) <= nowMs) state = 'at-risk';
  else state = 'on-track';
  return {
    state,
    pausedReason,
    responseDueAt: item.responseDueAt,
    warningAt: item.warningAt,
    businessMinutesLeft: null,
    businessMinutesElapsed: null,
    respondedAt: item.respondedAt,
  };
}

export function gradeTicket(ticket: Pick<TicketDetail, 'sla' | 'status' | 'respondedAt'>): GradedSla {
  const sla = ticket.sla;
  if (!sla) return { state: 'none', pausedReason: null, responseDueAt: null, warningAt: null, businessMinutesLeft: null, businessMinutesElapsed: null, respondedAt: null };
  const left = sla.businessMinutesLeft ?? sla.businessMinutesRemaining ?? null;
  if (sla.state) {
    return {
      state: sla.state,
      pausedReason: sla.pausedReason ?? null,
      responseDueAt: sla.responseDueAt,
      warningAt: sla.warningAt,
      businessMinutesLeft: left,
      businessMinutesElapsed: sla.businessMinutesElapsed,
      respondedAt: sla.respondedAt,
    };
  }
  let state: SlaState;
  let pausedReason: PausedReason | null = null;
  if (sla.respondedAt !== null) state = sla.breached ? 'breached' : 'met';
  else if (ticket.status === 'closed') state = 'none';
  else if (sla.paused) {
    state = 'paused';
    pausedReason = 'awaiting-customer';
  } else if (sla.breached) state = 'breached';
  else if (!sla.withinCalendarHours) {
    state = 'paused';
    pausedReason = 'outside-business-hours';
  } else if (sla.atRisk) state = 'at-risk';
  else state = 'on-track';
  return {
    state,
    pausedReason,
    responseDueAt: sla.responseDueAt,
    warningAt: sla.warningAt,
    businessMinutesLeft: sla.respondedAt !== null ? null : left !== null && sla.breached ? -Math.max(0, sla.businessMinutesElapsed - sla.targetMinutes) : left,
    businessMinutesElapsed: sla.businessMinutesElapsed,
    respondedAt: sla.respondedAt,
  };
}
