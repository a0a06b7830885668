import { DecisionContext, DomainError, invalid } from '../../shared';
import { canonicalJson, idReused, optionalText, requireInteger, requireOneOf, requireText, toUtcIso } from '../../policies/values';
import { BillingTicket, IssueQuote } from './commands';
import { BillingEvent, QUOTE_KINDS, QuoteTerms } from './events';
import { priceForMinutes } from './money';
import { BillingQuote, BillingState, pendingQuote } from './state';
import { requireNotClosed, requireTicket } from './ticket-guards';

/** the most minutes one quote may cover (a year of full days) */
export const MAX_QUOTE_MINUTES = 525_600;
const MAX_RATE_MINOR = 1_000_000_000_000;

/** the parts of a quote the agent chose; a retry with the same quoteId must repeat them */
const quoteBody = (terms: Omit<QuoteTerms, 'policyId'>, supplementary: boolean, supersedes: string | null) => ({
  kind: terms.kind,
  minutes: terms.minutes,
  hourlyRateMinor: terms.hourlyRateMinor,
  amountMinor: terms.amountMinor,
  currency: terms.currency,
  paymentTerms: terms.paymentTerms,
  purchaseOrderRequired: terms.purchaseOrderRequired,
  description: terms.description,
  supplementary,
  supersedes,
});

const recordedBody = (q: BillingQuote) => quoteBody(q.terms, q.supplementary, q.supersedesQuoteId);

function optionalBoolean(value: unknown, path: string): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value !== 'boolean') throw invalid(path, 'must be a boolean');
  return value;
}

function termsFrom(command: IssueQuote): Omit<QuoteTerms, 'policyId'> {
  const kind = requireOneOf(command.kind, 'kind', QUOTE_KINDS);
  const minutes = requireInteger(command.minutes, 'minutes', 1, MAX_QUOTE_MINUTES);
  const description = requireText(command.description, 'description', 5000);
  const paymentTerms = optionalText(command.paymentTerms, 'paymentTerms', 2000);
  if (kind === 'policy-estimate') {
    for (const field of ['hourlyRateMinor', 'amountMinor', 'currency', 'purchaseOrderRequired'] as const) {
      if (command[field] !== undefined && command[field] !== null) throw invalid(field, 'not allowed for a policy-estimate');
    }
    return { kind, minutes, hourlyRateMinor: null, amountMinor: null, currency: null, paymentTerms, purchaseOrderRequired: false, description };
  }
  if (command.hourlyRateMinor === undefined || command.hourlyRateMinor === null) throw invalid('hourlyRateMinor', 'required for a per-event quote');
  const hourlyRateMinor = requireInteger(command.hourlyRateMinor, 'hourlyRateMinor', 0, MAX_RATE_MINOR);
  if (typeof command.currency !== 'string' || !/^[A-Z]{3}$/.test(command.currency)) {
    throw invalid('currency', 'required for a per-event quote: an ISO 4217 code such as MXN');
  }
  const amountMinor =
    command.amountMinor === undefined || command.amountMinor === null
      ? priceForMinutes(hourlyRateMinor, minutes)
      : requireInteger(command.amountMinor, 'amountMinor', 0, Number.MAX_SAFE_INTEGER);
  const purchaseOrderRequired = optionalBoolean(command.purchaseOrderRequired, 'purchaseOrderRequired');
  return { kind, minutes, hourlyRateMinor, amountMinor, currency: command.currency, paymentTerms, purchaseOrderRequired, description };
}

/**
 * IssueQuote -> QuoteIssued. Checks, in order:
 *  404 no ticket -> 400 fields (per-event needs hourlyRateMinor and currency; amountMinor
 *  defaults to the half-up price, see money.ts; a policy-estimate takes no money fields) ->
 *  idempotency by quoteId (same body -> [], other body -> 409 id-reused) ->
 *  409 ticket-closed ->
 *  409 quote-pending while another quote awaits the customer's answer, unless the command
 *  names it in `supersedes` (it then becomes 'superseded'); `supersedes` naming a quote that is
 *  not pending -> 422 quote-not-pending ->
 *  422 authorization-required for a supplementary quote without an accepted authorization ->
 *  422 no-coverage for a policy-estimate without facts.activePolicyId.
 */
export function decideIssueQuote(command: IssueQuote, ticket: BillingTicket, billing: BillingState, ctx: DecisionContext): BillingEvent[] {
  requireTicket(ticket);
  const quoteId = requireText(command.quoteId, 'quoteId', 200);
  const terms = termsFrom(command);
  const supplementary = optionalBoolean(command.supplementary, 'supplementary');
  const supersedes = optionalText(command.supersedes, 'supersedes', 200);

  const existing = billing.quotes[quoteId];
  if (existing) {
    if (canonicalJson(recordedBody(existing)) === canonicalJson(quoteBody(terms, supplementary, supersedes))) return [];
    throw idReused('quote', quoteId);
  }
  requireNotClosed(ticket);

  const pending = pendingQuote(billing);
  if (supersedes !== null) {
    const replaced = billing.quotes[supersedes];
    if (!replaced || replaced.status !== 'pending') {
      throw new DomainError('quote-not-pending', 422, `quote ${supersedes} is not pending`, {
        quoteId: supersedes,
        status: replaced?.status ?? null,
      });
    }
  } else if (pending) {
    throw new DomainError('quote-pending', 409, `quote ${pending.quoteId} is still waiting for the customer's answer`, {
      pendingQuoteId: pending.quoteId,
    });
  }

  let supplementsAuthorizationId: string | null = null;
  if (supplementary) {
    const last = billing.authorizationOrder[billing.authorizationOrder.length - 1];
    if (last === undefined) {
      throw new DomainError('authorization-required', 422, 'a supplementary quote extends an accepted authorization; there is none', {
        ticketId: ticket.ticketId,
      });
    }
    supplementsAuthorizationId = last;
  }

  let policyId: string | null = null;
  if (terms.kind === 'policy-estimate') {
    const active = command.facts?.activePolicyId;
    if (typeof active !== 'string' || active.length === 0) {
      throw new DomainError('no-coverage', 422, `customer ${ticket.customerId} has no active policy`, { customerId: ticket.customerId });
    }
    policyId = active;
  }

  return [
    {
      type: 'QuoteIssued',
      data: {
        ticketId: ticket.ticketId,
        quoteId,
        terms: { ...terms, policyId },
        supplementary,
        supplementsAuthorizationId,
        supersedesQuoteId: supersedes,
        issuedBy: ctx.actor.id,
        issuedAt: toUtcIso(ctx.now),
      },
    },
  ];
}
