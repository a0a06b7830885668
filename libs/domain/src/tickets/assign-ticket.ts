import { DecisionContext } from '../shared';
import { AssignTicket } from './commands';
import { TicketAssigned } from './events';
import { requireWorkableByStaff } from './guards';
import { TicketState } from './state';
import { msOf, requireText, utc } from './values';

/** Assigns the ticket to an engineer; assigning the current assignee again writes nothing. */
export function decideAssignTicket(command: AssignTicket, state: TicketState, ctx: DecisionContext): TicketAssigned[] {
  requireWorkableByStaff(state, command.ticketId, ctx, 'assign tickets');
  const assigneeId = requireText('assigneeId', command.assigneeId, 200);
  if (assigneeId === state.assigneeId) return [];
  return [
    {
      type: 'TicketAssigned',
      data: {
        ticketId: command.ticketId,
        assigneeId,
        previousAssigneeId: state.assigneeId,
        assignedBy: ctx.actor.id,
        assignedAt: utc(msOf(ctx.now)),
      },
    },
  ];
}
