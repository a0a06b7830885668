/** Checks shared by the ticket decide functions. */
import { DecisionContext, DomainError, notFound } from '../shared';
import { TicketState } from './state';
import { actorRole, forbidden } from './values';

/** Unknown ticket, or one outside a customer's scope: 404 not-found. */
export function requireTicket(state: TicketState, ticketId: string, ctx: DecisionContext): void {
  if (state.ticketId === null || state.status === null) throw notFound('ticket', ticketId);
  if (actorRole(ctx) === 'customer' && ctx.actor.customerId !== state.customerId) throw notFound('ticket', ticketId);
}

export function requireNotClosed(state: TicketState): void {
  if (state.status === 'closed')
    throw new DomainError('ticket-closed', 409, `ticket ${state.ticketId} is closed`, { ticketId: state.ticketId, closedAt: state.closedAt });
}

export function requireStaff(ctx: DecisionContext, action: string): void {
  if (actorRole(ctx) !== 'staff') throw forbidden(`only staff may ${action}`);
}

export function requireStaffOrCustomer(ctx: DecisionContext, action: string): void {
  if (actorRole(ctx) === 'system') throw forbidden(`the scheduler may not ${action}`);
}

export function requireSystem(ctx: DecisionContext, action: string): void {
  if (actorRole(ctx) !== 'system') throw forbidden(`only the scheduler (role 'system') may ${action}`);
}

/** Ticket exists, is in scope, and the actor is staff; then not closed. */
export function requireWorkableByStaff(state: TicketState, ticketId: string, ctx: DecisionContext, action: string): void {
  requireTicket(state, ticketId, ctx);
  requireStaff(ctx, action);
  requireNotClosed(state);
}
