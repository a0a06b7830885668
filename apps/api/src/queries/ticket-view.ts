import type { PolicyState } from '@helpdesk/domain';
import { TicketDoc, CalendarSource, gradedSlaOf, summaryOf, ticketSla, ticketStateOf } from '@helpdesk/projections';
import { followUpAvailableAt } from '@helpdesk/domain';
import { workLogLimits } from './work-log-limits';

/**
 * GET /api/tickets/{id}: the ticket document shaped for people — summary fields, the SLA of
 * the current response cycle at `now` (api.md names: responseDueAt, respondedAt, paused,
 * breached, businessMinutesElapsed), quotes, authorizations, work logs, escalations, version.
 */
export function ticketView(
  doc: TicketDoc,
  nowIso: string,
  calendars: CalendarSource,
  options: { publicOnly: boolean; followUpMinutes?: number; workLog?: { engineerId: string; policies: ReadonlyMap<string, PolicyState> } },
) {
  const s = ticketStateOf(doc); // record keys unescaped
  const snapshot = ticketSla(doc, nowIso, calendars);
  const billing = s.billing;
  const { queueKey: _q, lastPosition: _p, ...summary } = summaryOf(doc);
  return {
    ...summary,
    description: s.description,
    attachments: s.attachments,
    supportLevel: s.supportLevel,
    pendingQuestion: s.pendingQuestion,
    closeReason: s.closeReason,
    resolution: s.resolution,
    duplicateOf: s.duplicateOf,
    reopenCount: s.reopenCount,
    messageCount: options.publicOnly ? s.publicMessageCount : s.messageCount,
    sla: snapshot && {
      ...gradedSlaOf(snapshot, s.status),
      cycle: snapshot.cycle,
      targetId: snapshot.targetId,
      targetMinutes: snapshot.targetMinutes,
      warningMinutes: snapshot.warningMinutes,
      calendarId: snapshot.calendarId,
      countingMode: snapshot.mode,
      startedAt: snapshot.startedAt,
      responseDueAt: snapshot.dueAt,
      warningAt: snapshot.warningAt,
      respondedAt: snapshot.respondedAt,
      paused: snapshot.paused,
      atRisk: snapshot.atRisk,
      breached: snapshot.breached,
      met: snapshot.met,
      businessMinutesElapsed: snapshot.elapsedBusinessMinutes,
      businessMinutesRemaining: snapshot.remainingBusinessMinutes,
      withinCalendarHours: snapshot.withinCalendarHours,
      presetVersion: snapshot.presetVersion,
    },
    previousCycles: s.previousCycles.map((c) => ({ cycle: c.cycle, targetMinutes: c.targetMinutes, dueAt: c.dueAt, respondedAt: c.respondedAt, met: c.met })),
    escalations: s.escalations,
    contactAttempts: s.contactAttempts,
    quotes: billing.quoteOrder.map((id) => billing.quotes[id]),
    authorizations: billing.authorizationOrder
      .map((id) => billing.authorizations[id])
      .filter((a) => !!a)
      .map((a) => ({ ...a, minutesLeft: Math.max(0, a.minutesAuthorized - a.minutesLogged) })),
    followUp: {
      count: s.followUpCount ?? 0,
      lastRequestedAt: s.lastFollowUpAt ?? null,
      /** the first instant the customer may ask for the next one; null once closed */
      availableAt: s.status === 'closed' ? null : followUpAvailableAt(s, options.followUpMinutes ?? 40),
    },
    workLog: options.workLog ? workLogLimits(s, options.workLog.policies, options.workLog.engineerId, nowIso) : null,
    workLogs: Object.values(billing.workLogs),
    minutesLogged: Object.values(billing.workLogs).reduce((sum, w) => sum + w.minutes, 0),
  };
}
