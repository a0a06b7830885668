import { DecisionContext, DomainError, invalid, refusedField } from '../shared';
import { CloseTicket } from './commands';
import { checkNoResponseClose } from './contact-attempts';
import { TicketClosed } from './events';
import { requireWorkableByStaff } from './guards';
import { TicketState } from './state';
import { CLOSE_REASONS, msOf, requireOneOf, requireText, utc } from './values';

/**
 * Closes the ticket with a reason and the resolution. 'duplicate' needs duplicateOf;
 * 'no-customer-response' needs the contact attempts and the announced wait
 * (422 contact-attempts-required). A closed ticket: 409 ticket-closed.
 */
export function decideCloseTicket(command: CloseTicket, state: TicketState, ctx: DecisionContext): TicketClosed[] {
  requireWorkableByStaff(state, command.ticketId, ctx, 'close tickets');
  const reason = requireOneOf('reason', command.reason, CLOSE_REASONS);
  const resolution = requireText('resolution', command.resolution);
  let duplicateOf: string | null = null;
  if (reason === 'duplicate') {
    duplicateOf = requireText('duplicateOf', command.duplicateOf, 200);
    if (duplicateOf === command.ticketId) throw refusedField('duplicate-of-itself', 'duplicateOf', 'a ticket cannot be a duplicate of itself');
  } else if (command.duplicateOf !== undefined) throw invalid('duplicateOf', "only with reason 'duplicate'");
  const nowMs = msOf(ctx.now);
  if (reason === 'no-customer-response') {
    const check = checkNoResponseClose(command.rules, state, nowMs);
    if (!check.ok) throw new DomainError('contact-attempts-required', 422, check.message, check.details);
  }
  return [
    {
      type: 'TicketClosed',
      data: {
        ticketId: command.ticketId,
        reason,
        resolution,
        duplicateOf,
        closedBy: ctx.actor.id,
        closedAt: utc(nowMs),
        automatic: false,
        cycle: state.sla?.cycle ?? 1,
      },
    },
  ];
}
