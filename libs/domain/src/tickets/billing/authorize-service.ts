import { DecisionContext, DomainError, invalid, notFound } from '../../shared';
import { optionalText, requireOneOf, requireText, toUtcIso } from '../../policies/values';
import { AuthorizeService, BillingTicket } from './commands';
import { BillingEvent } from './events';
import { BillingState } from './state';
import { requireNotClosed, requireTicket } from './ticket-guards';

/**
 * AuthorizeService -> ServiceAuthorized (accept) or QuoteDeclined (decline). Checks, in order:
 *  404 no ticket -> 403 forbidden unless the actor has role 'customer' (staff never
 *  authorize on the customer's behalf) -> 404 for a customer of another customer (scope) ->
 *  404 no such quote -> 400 fields -> 403 forbidden for a contact without approver rights
 *  (when the application resolved them: `approval`) -> the same answer already recorded -> [] (retry) ->
 *  409 ticket-closed -> 422 quote-not-pending (already answered differently, superseded) ->
 *  400 purchaseOrder for accepting a per-event quote that requires one.
 * The authorization's id is the quote's id (one authorization per quote, unique in the ticket).
 * The answer records the approver's rights at that instant (`approval`) when they were resolved.
 */
export function decideAuthorizeService(
  command: AuthorizeService,
  ticket: BillingTicket,
  billing: BillingState,
  ctx: DecisionContext,
): BillingEvent[] {
  requireTicket(ticket);
  if (!ctx.actor.roles.includes('customer')) {
    throw new DomainError('forbidden', 403, 'only the customer authorizes or declines a quote', { actorId: ctx.actor.id });
  }
  if (ctx.actor.customerId !== ticket.customerId) throw notFound('ticket', ticket.ticketId);
  const quoteId = requireText(command.quoteId, 'quoteId', 200);
  const quote = billing.quotes[quoteId];
  if (!quote) throw notFound('quote', quoteId);
  const decision = requireOneOf(command.decision, 'decision', ['accept', 'decline'] as const);
  const purchaseOrder = optionalText(command.purchaseOrder, 'purchaseOrder', 200);
  const comment = optionalText(command.comment, 'comment', 5000);
  const approval = command.approval;
  if (approval && !approval.approver) {
    throw new DomainError('forbidden', 403, 'only an approver of the customer accepts or declines a quote; ask an approver or an administrator', {
      actorId: ctx.actor.id,
    });
  }

  const answered = quote.decision;
  if (
    answered &&
    answered.decision === decision &&
    answered.comment === comment &&
    (decision === 'decline' || answered.purchaseOrder === purchaseOrder)
  ) {
    return [];
  }
  requireNotClosed(ticket);
  if (quote.status !== 'pending') {
    throw new DomainError('quote-not-pending', 422, `quote ${quoteId} is ${quote.status}`, { quoteId, status: quote.status });
  }

  const at = toUtcIso(ctx.now);
  if (decision === 'decline') {
    return [
      {
        type: 'QuoteDeclined',
        data: {
          ticketId: ticket.ticketId,
          customerId: ticket.customerId,
          quoteId,
          terms: quote.terms,
          comment,
          declinedBy: ctx.actor.id,
          declinedAt: at,
          ...(approval ? { approval } : {}),
        },
      },
    ];
  }
  if (quote.terms.kind === 'per-event' && quote.terms.purchaseOrderRequired && purchaseOrder === null) {
    throw invalid('purchaseOrder', 'this quote requires a purchase order to be accepted');
  }
  return [
    {
      type: 'ServiceAuthorized',
      data: {
        ticketId: ticket.ticketId,
        customerId: ticket.customerId,
        authorizationId: quoteId,
        quoteId,
        terms: quote.terms,
        purchaseOrder,
        comment,
        authorizedBy: ctx.actor.id,
        authorizedAt: at,
        ...(approval ? { approval } : {}),
      },
    },
  ];
}
