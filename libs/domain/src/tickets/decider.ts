/**
 * The ticket aggregate (stream `ticket-${ticketId}`): lifecycle commands decided here,
 * billing commands (quotes, authorizations, work logs) delegated to ./billing.
 *
 * Rules: lifecycle commands given to `ticketDecider` carry `rules` (TicketRules);
 * `createTicketDecider(rules)` returns the same decider for commands without it.
 */
import { Decider, DecisionContext, notFound } from '../shared';
import { BillingCommand, BillingTicket, decideBilling, evolveBilling, initialBillingState, isBillingEvent } from './billing';
import { decideAssignTicket } from './assign-ticket';
import { decideClassifySeverity } from './classify-severity';
import { decideCloseForNoCustomerResponse } from './close-for-no-customer-response';
import { decideCloseTicket } from './close-ticket';
import { isLifecycleCommand, LifecycleCommand, LifecycleCommandInput, TicketCommand, TicketCommandInput } from './commands';
import { decideEscalate } from './escalate';
import { isLifecycleEvent, LifecycleEvent, TicketEvent } from './events';
import { decideOpenTicket } from './open-ticket';
import { decidePostMessage } from './post-message';
import { decideRecordContactAttempt } from './record-contact-attempt';
import { decideRecordSlaBreach } from './record-sla-breach';
import { decideRecordSlaWarning } from './record-sla-warning';
import { decideReopenTicket } from './reopen-ticket';
import { decideRequestCustomerInfo } from './request-customer-info';
import { decideRequestFollowUp } from './request-follow-up';
import { TicketRules } from './rules';
import { evolveLifecycle, initialLifecycleState, TicketState, withTicketChanges } from './state';
import { actorRole } from './values';

export const initialState = (): TicketState => initialLifecycleState(initialBillingState());

export function evolve(state: TicketState, event: TicketEvent): TicketState {
  if (isLifecycleEvent(event)) return evolveLifecycle(state, event);
  if (isBillingEvent(event)) return withTicketChanges(state, { billing: evolveBilling(state.billing, event) });
  return state;
}

export function decideLifecycle(command: LifecycleCommand, state: TicketState, ctx: DecisionContext): LifecycleEvent[] {
  switch (command.type) {
    case 'OpenTicket':
      return decideOpenTicket(command, state, ctx);
    case 'ClassifySeverity':
      return decideClassifySeverity(command, state, ctx);
    case 'AssignTicket':
      return decideAssignTicket(command, state, ctx);
    case 'PostMessage':
      return decidePostMessage(command, state, ctx);
    case 'Escalate':
      return decideEscalate(command, state, ctx);
    case 'RequestCustomerInfo':
      return decideRequestCustomerInfo(command, state, ctx);
    case 'RecordContactAttempt':
      return decideRecordContactAttempt(command, state, ctx);
    case 'CloseTicket':
      return decideCloseTicket(command, state, ctx);
    case 'ReopenTicket':
      return decideReopenTicket(command, state, ctx);
    case 'RecordSlaWarning':
      return decideRecordSlaWarning(command, state, ctx);
    case 'RecordSlaBreach':
      return decideRecordSlaBreach(command, state, ctx);
    case 'CloseForNoCustomerResponse':
      return decideCloseForNoCustomerResponse(command, state, ctx);
    case 'RequestFollowUp':
      return decideRequestFollowUp(command, state, ctx);
  }
}

/** What billing needs of the ticket. */
export function billingTicketOf(state: TicketState, ticketId?: string): BillingTicket {
  return {
    ticketId: state.ticketId ?? ticketId ?? '',
    customerId: state.customerId ?? '',
    status: state.status ?? 'none',
  };
}

function decideBillingCommand(command: BillingCommand, state: TicketState, ctx: DecisionContext): TicketEvent[] {
  // customers see only their own tickets (404 outside their scope), as for lifecycle commands
  if (state.ticketId !== null && actorRole(ctx) === 'customer' && ctx.actor.customerId !== state.customerId)
    throw notFound('ticket', state.ticketId);
  return decideBilling(command, billingTicketOf(state, command.ticketId), state.billing, ctx);
}

export function decideTicket(command: TicketCommand, state: TicketState, ctx: DecisionContext): TicketEvent[] {
  if (isLifecycleCommand(command)) return decideLifecycle(command, state, ctx);
  return decideBillingCommand(command, state, ctx);
}

/** The ticket aggregate; lifecycle commands carry `rules`. */
export const ticketDecider: Decider<TicketCommand, TicketState, TicketEvent> = {
  initialState,
  evolve,
  decide: decideTicket,
};

/** The ticket aggregate bound to the preset in force: commands need no `rules`. */
export function createTicketDecider(rules: TicketRules): Decider<TicketCommandInput, TicketState, TicketEvent> {
  return {
    initialState,
    evolve,
    decide: (command, state, ctx) =>
      isLifecycleCommand(command)
        ? decideLifecycle({ ...(command as LifecycleCommandInput), rules } as LifecycleCommand, state, ctx)
        : decideBillingCommand(command as BillingCommand, state, ctx),
  };
}
