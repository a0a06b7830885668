import { DecisionContext, invalid } from '../shared';
import { ClassifySeverity } from './commands';
import { TicketClassified } from './events';
import { requireWorkableByStaff } from './guards';
import { retargetCycle } from './sla';
import { TicketState } from './state';
import { Classification, msOf, optionalText, Priority, Severity } from './values';
import { isPriority, isSeverity } from '../presets';

/**
 * Classifies by the preset's scheme (priority or severity). Classification is a decision by
 * staff and is always recorded with who made it (domain.md): a new class sets a new response
 * target that keeps the business time already elapsed; the class the ticket already has
 * (the preset's default, the reporter's, or an earlier one) is recorded as confirmed, and
 * the target does not move.
 */
export function decideClassifySeverity(command: ClassifySeverity, state: TicketState, ctx: DecisionContext): TicketClassified[] {
  requireWorkableByStaff(state, command.ticketId, ctx, 'classify tickets');
  const scheme = command.rules.preset.scheme;
  let value: Classification;
  if (scheme === 'priority') {
    if (command.severity !== undefined) throw invalid('severity', "this desk classifies by priority: send 'priority' (low, medium, high)");
    if (!isPriority(command.priority)) throw invalid('priority', "must be 'low', 'medium' or 'high'");
    value = command.priority;
  } else {
    if (command.priority !== undefined) throw invalid('priority', "this desk classifies by severity: send 'severity' (1-4)");
    if (!isSeverity(command.severity)) throw invalid('severity', 'must be 1, 2, 3 or 4');
    value = command.severity;
  }
  const reason = optionalText('reason', command.reason, 2000);
  const current = scheme === 'priority' ? state.priority : state.severity;
  const confirmed = current === value;
  const nowMs = msOf(ctx.now);
  return [
    {
      type: 'TicketClassified',
      data: {
        ticketId: command.ticketId,
        priority: scheme === 'priority' ? (value as Priority) : null,
        severity: scheme === 'severity' ? (value as Severity) : null,
        previousPriority: state.priority,
        previousSeverity: state.severity,
        reason,
        classifiedBy: ctx.actor.id,
        classifiedAt: new Date(nowMs).toISOString(),
        confirmed,
        previousSource: state.classificationSource ?? 'default',
        sla: confirmed ? null : retargetCycle(command.rules, state, value, 'classified', nowMs),
      },
    },
  ];
}
