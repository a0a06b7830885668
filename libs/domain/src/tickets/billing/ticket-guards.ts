import { DomainError, notFound } from '../../shared';
import { BillingTicket } from './commands';

export function requireTicket(ticket: BillingTicket): void {
  if (ticket.status === 'none') throw notFound('ticket', ticket.ticketId);
}

export function requireNotClosed(ticket: BillingTicket): void {
  if (ticket.status === 'closed') {
    throw new DomainError('ticket-closed', 409, `ticket ${ticket.ticketId} is closed`, { ticketId: ticket.ticketId });
  }
}
