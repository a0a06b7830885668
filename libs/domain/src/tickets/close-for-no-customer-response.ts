import { DecisionContext } from '../shared';
import { CloseForNoCustomerResponse } from './commands';
import { checkNoResponseClose } from './contact-attempts';
import { TicketClosed } from './events';
import { requireNotClosed, requireSystem, requireTicket } from './guards';
import { TicketState } from './state';
import { msOf, utc } from './values';

/**
 * Scheduler: closes as no-customer-response once the ticket awaits the customer, the contact
 * attempts are done and the announced wait has passed; otherwise no event (not due yet).
 */
export function decideCloseForNoCustomerResponse(command: CloseForNoCustomerResponse, state: TicketState, ctx: DecisionContext): TicketClosed[] {
  requireTicket(state, command.ticketId, ctx);
  requireSystem(ctx, 'close tickets automatically');
  requireNotClosed(state);
  const nowMs = msOf(ctx.now);
  if (state.status !== 'awaiting-customer') return [];
  if (!checkNoResponseClose(command.rules, state, nowMs).ok) return [];
  const cfg = command.rules.preset.contactAttempts;
  return [
    {
      type: 'TicketClosed',
      data: {
        ticketId: command.ticketId,
        reason: 'no-customer-response',
        resolution: `Closed without customer response after ${state.contactAttempts.length} contact attempts (${cfg.required} required) and the announced wait.`,
        duplicateOf: null,
        closedBy: ctx.actor.id,
        closedAt: utc(nowMs),
        automatic: true,
        cycle: state.sla?.cycle ?? 1,
      },
    },
  ];
}
