import { DecisionContext, DomainError } from '../shared';
import { ReopenTicket } from './commands';
import { TicketReopened } from './events';
import { requireStaffOrCustomer, requireTicket } from './guards';
import { decideTarget, ticketCalendarId } from './sla';
import { TicketState } from './state';
import { actorRole, Classification, msOf, requireText, utc } from './values';

/**
 * Reopens a closed ticket (the ticket's customer or staff): a new response cycle with a fresh
 * target from the preset in force, counted from now, on the ticket's calendar.
 */
export function decideReopenTicket(command: ReopenTicket, state: TicketState, ctx: DecisionContext): TicketReopened[] {
  requireTicket(state, command.ticketId, ctx);
  requireStaffOrCustomer(ctx, 'reopen tickets');
  const reason = requireText('reason', command.reason, 2000);
  if (state.status !== 'closed')
    throw new DomainError('ticket-not-closed', 409, `ticket ${command.ticketId} is not closed`, { ticketId: command.ticketId, ticketStatus: state.status });
  const rules = command.rules;
  const nowMs = msOf(ctx.now);
  const now = utc(nowMs);
  const classification: Classification =
    (rules.preset.scheme === 'priority' ? state.priority : state.severity) ?? rules.preset.defaultClassification;
  const sla = decideTarget({
    rules,
    classification,
    supportLevel: state.supportLevel,
    calendarId: ticketCalendarId(rules, state),
    cycle: (state.sla?.cycle ?? 0) + 1,
    revision: 0,
    reason: 'reopened',
    startedAt: now,
    atMs: nowMs,
    elapsed: 0,
    paused: false,
  });
  return [
    {
      type: 'TicketReopened',
      data: { ticketId: command.ticketId, reason, reopenedBy: ctx.actor.id, reopenedByRole: actorRole(ctx), reopenedAt: now, sla },
    },
  ];
}
