import { maxEscalationLevel } from '../presets';
import { DecisionContext } from '../shared';
import { RecordSlaBreach } from './commands';
import { escalationEvent } from './escalate';
import { SlaBreachRecorded, TicketEscalated } from './events';
import { requireNotClosed, requireSystem, requireTicket } from './guards';
import { elapsedBusinessMinutes, isPaused } from './sla';
import { TicketState } from './state';
import { msOf, utc } from './values';

/**
 * Scheduler: the due instant of the current target passed without a response. At most once
 * per target (stale id, answered, paused, already recorded or not yet due: no event). With a
 * preset that escalates on breach, the ticket also goes up one level (actor: the scheduler).
 */
export function decideRecordSlaBreach(
  command: RecordSlaBreach,
  state: TicketState,
  ctx: DecisionContext,
): Array<SlaBreachRecorded | TicketEscalated> {
  requireTicket(state, command.ticketId, ctx);
  requireSystem(ctx, 'record SLA breaches');
  requireNotClosed(state);
  const sla = state.sla;
  const nowMs = msOf(ctx.now);
  if (!sla || sla.targetId !== command.targetId || sla.respondedAt !== null || sla.breachRecorded || isPaused(sla)) return [];
  if (sla.dueAt === null || nowMs < msOf(sla.dueAt)) return [];
  const rules = command.rules;
  const events: Array<SlaBreachRecorded | TicketEscalated> = [
    {
      type: 'SlaBreachRecorded',
      data: {
        ticketId: command.ticketId,
        cycle: sla.cycle,
        targetId: sla.targetId,
        dueAt: sla.dueAt,
        targetMinutes: sla.targetMinutes,
        elapsedBusinessMinutes: elapsedBusinessMinutes(rules.calendar(sla.calendarId), sla, nowMs),
        recordedAt: utc(nowMs),
      },
    },
  ];
  if (rules.preset.escalation.autoEscalateOnBreach && state.escalationLevel < maxEscalationLevel(rules.preset))
    events.push(
      escalationEvent(rules, state, ctx.actor.id, 'system', `response target ${sla.targetId} breached (due ${sla.dueAt})`, true, null, nowMs, command.ticketId),
    );
  return events;
}
