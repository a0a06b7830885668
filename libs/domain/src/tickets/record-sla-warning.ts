import { DecisionContext } from '../shared';
import { RecordSlaWarning } from './commands';
import { SlaWarningRecorded } from './events';
import { requireNotClosed, requireSystem, requireTicket } from './guards';
import { elapsedBusinessMinutes, isPaused } from './sla';
import { TicketState } from './state';
import { msOf, utc } from './values';

/**
 * Scheduler: the warning point of the current target is reached. At most once per target:
 * a stale target id, an answered cycle, a paused clock, a warning already recorded or an
 * instant before the warning point give no event.
 */
export function decideRecordSlaWarning(command: RecordSlaWarning, state: TicketState, ctx: DecisionContext): SlaWarningRecorded[] {
  requireTicket(state, command.ticketId, ctx);
  requireSystem(ctx, 'record SLA warnings');
  requireNotClosed(state);
  const sla = state.sla;
  const nowMs = msOf(ctx.now);
  if (!sla || sla.targetId !== command.targetId || sla.respondedAt !== null || sla.warningRecorded || isPaused(sla)) return [];
  if (sla.warningAt === null || sla.dueAt === null || nowMs < msOf(sla.warningAt)) return [];
  return [
    {
      type: 'SlaWarningRecorded',
      data: {
        ticketId: command.ticketId,
        cycle: sla.cycle,
        targetId: sla.targetId,
        warningAt: sla.warningAt,
        dueAt: sla.dueAt,
        elapsedBusinessMinutes: elapsedBusinessMinutes(command.rules.calendar(sla.calendarId), sla, nowMs),
        recordedAt: utc(nowMs),
      },
    },
  ];
}
