import { DecisionContext } from '../shared';
import { RequestCustomerInfo } from './commands';
import { CustomerInfoRequested } from './events';
import { requireWorkableByStaff } from './guards';
import { TicketState } from './state';
import { msOf, requireText, utc } from './values';

/**
 * Asks the customer for information: the ticket awaits the customer and the response clock
 * pauses until the customer answers (003: response time is affected by the customer's).
 * A follow-up question while already waiting does not open a second pause.
 */
export function decideRequestCustomerInfo(command: RequestCustomerInfo, state: TicketState, ctx: DecisionContext): CustomerInfoRequested[] {
  requireWorkableByStaff(state, command.ticketId, ctx, 'request information from the customer');
  const question = requireText('question', command.question);
  return [
    {
      type: 'CustomerInfoRequested',
      data: {
        ticketId: command.ticketId,
        question,
        requestedBy: ctx.actor.id,
        requestedAt: utc(msOf(ctx.now)),
        clockPaused: state.status !== 'awaiting-customer',
        cycle: state.sla?.cycle ?? 1,
      },
    },
  ];
}
