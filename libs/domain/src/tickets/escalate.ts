import { escalationLevelName, isClassificationOf, maxEscalationLevel, urgencyOf } from '../presets';
import { DecisionContext, DomainError, invalid, refusedField } from '../shared';
import { Escalate } from './commands';
import { TicketEscalated } from './events';
import { requireNotClosed, requireStaffOrCustomer, requireTicket } from './guards';
import { retargetCycle } from './sla';
import { TicketState } from './state';
import { actorRole, Classification, msOf, requireText, utc } from './values';

/**
 * Escalates one level (up to the preset's last level: 422 escalation-limit beyond), recording
 * who asked, why, the level reached and any priority raise. A raise sets a new response
 * target keeping the business time already elapsed (003 Escalamiento).
 */
export function decideEscalate(command: Escalate, state: TicketState, ctx: DecisionContext): TicketEscalated[] {
  requireTicket(state, command.ticketId, ctx);
  requireStaffOrCustomer(ctx, 'escalate on request');
  requireNotClosed(state);
  const reason = requireText('reason', command.reason, 2000);
  const preset = command.rules.preset;
  const current: Classification = (preset.scheme === 'priority' ? state.priority : state.severity) ?? preset.defaultClassification;
  let raiseTo: Classification | null = null;
  if (command.raisePriorityTo !== undefined && command.raisePriorityTo !== null) {
    if (!isClassificationOf(preset.scheme, command.raisePriorityTo))
      throw invalid('raisePriorityTo', preset.scheme === 'priority' ? "must be 'low', 'medium' or 'high'" : 'must be a severity 1, 2, 3 or 4');
    if (urgencyOf(command.raisePriorityTo) <= urgencyOf(current))
      throw refusedField('not-more-urgent', 'raisePriorityTo', `must be more urgent than the current ${preset.scheme} ${String(current)}`);
    raiseTo = command.raisePriorityTo;
  }
  const max = maxEscalationLevel(preset);
  if (state.escalationLevel >= max)
    throw new DomainError('escalation-limit', 422, `ticket ${command.ticketId} is already at the last escalation level (${max}, ${escalationLevelName(preset, max)})`, {
      level: state.escalationLevel,
      maxLevel: max,
    });
  const nowMs = msOf(ctx.now);
  return [escalationEvent(command.rules, state, ctx.actor.id, actorRole(ctx), reason, false, raiseTo, nowMs, command.ticketId)];
}

/** The escalation event (also used by the automatic escalation on an SLA breach). */
export function escalationEvent(
  rules: Escalate['rules'],
  state: TicketState,
  by: string,
  byRole: TicketEscalated['data']['requestedByRole'],
  reason: string,
  automatic: boolean,
  raiseTo: Classification | null,
  nowMs: number,
  ticketId: string,
): TicketEscalated {
  const preset = rules.preset;
  const current: Classification = (preset.scheme === 'priority' ? state.priority : state.severity) ?? preset.defaultClassification;
  const level = state.escalationLevel + 1;
  return {
    type: 'TicketEscalated',
    data: {
      ticketId,
      fromLevel: state.escalationLevel,
      level,
      levelName: escalationLevelName(preset, level),
      requestedBy: by,
      requestedByRole: byRole,
      reason,
      automatic,
      priorityChange: raiseTo === null ? null : { from: current, to: raiseTo },
      escalatedAt: utc(nowMs),
      sla: raiseTo === null ? null : retargetCycle(rules, state, raiseTo, 'escalated', nowMs),
    },
  };
}
