import { DomainEvent } from '../../shared';
import { WorkKind } from '../../policies/plans';

export const QUOTE_KINDS = ['per-event', 'policy-estimate'] as const;
export type QuoteKind = (typeof QUOTE_KINDS)[number];

/** What the customer is asked to accept; copied verbatim into the authorization or decline. */
export type QuoteTerms = {
  kind: QuoteKind;
  minutes: number;
  /** per-event only: price of one hour in minor units of `currency` */
  hourlyRateMinor: number | null;
  /** per-event only: total price in minor units (default: rate * minutes / 60, half-up) */
  amountMinor: number | null;
  /** per-event only: ISO 4217 */
  currency: string | null;
  paymentTerms: string | null;
  /** per-event only: acceptance needs a purchase order (seed 003) */
  purchaseOrderRequired: boolean;
  /** policy-estimate only: the policy the minutes will be deducted from */
  policyId: string | null;
  description: string;
};

export type QuoteIssuedData = {
  ticketId: string;
  quoteId: string;
  terms: QuoteTerms;
  /** a quote for work beyond an accepted authorization */
  supplementary: boolean;
  /** for a supplementary quote: the latest accepted authorization it extends */
  supplementsAuthorizationId: string | null;
  /** the pending quote this one replaces (it becomes 'superseded') */
  supersedesQuoteId: string | null;
  issuedBy: string;
  issuedAt: string;
};

/**
 * The rights of the person who answered a quote, as they stood at that instant (recorded on
 * the answer, so a later revocation does not rewrite the past). `principal` 'user': a known
 * user, `userVersion` the version of their stream read at decision time; 'token': a bearer
 * token whose subject is no known user (its rights are the token's claims).
 * Answers recorded before people were users have no `approval`.
 */
export type ApprovalRecord = {
  principal: 'user' | 'token';
  userId: string;
  roles: string[];
  customerId: string | null;
  approver: boolean;
  userVersion: number | null;
};

export type ServiceAuthorizedData = {
  ticketId: string;
  customerId: string;
  /** equal to the quoteId: one authorization per accepted quote */
  authorizationId: string;
  quoteId: string;
  terms: QuoteTerms;
  purchaseOrder: string | null;
  comment: string | null;
  authorizedBy: string;
  authorizedAt: string;
  approval?: ApprovalRecord;
};

export type QuoteDeclinedData = {
  ticketId: string;
  customerId: string;
  quoteId: string;
  terms: QuoteTerms;
  comment: string | null;
  declinedBy: string;
  declinedAt: string;
  approval?: ApprovalRecord;
};

export type WorkLoggedData = {
  ticketId: string;
  entryId: string;
  authorizationId: string;
  minutes: number;
  workedOn: string;
  engineerId: string;
  description: string;
  kind: WorkKind;
  /** policy-backed work: the policy the minutes were deducted from (MinutesDeducted with the same entryId) */
  policyId: string | null;
  /** per-event work: charge in minor units (see money.ts for the rounding) */
  chargeMinor: number | null;
  currency: string | null;
  loggedBy: string;
  loggedAt: string;
};

export type QuoteIssued = DomainEvent<'QuoteIssued', QuoteIssuedData>;
export type ServiceAuthorized = DomainEvent<'ServiceAuthorized', ServiceAuthorizedData>;
export type QuoteDeclined = DomainEvent<'QuoteDeclined', QuoteDeclinedData>;
export type WorkLogged = DomainEvent<'WorkLogged', WorkLoggedData>;

export type BillingEvent = QuoteIssued | ServiceAuthorized | QuoteDeclined | WorkLogged;

const BILLING_EVENT_TYPES: ReadonlySet<string> = new Set<BillingEvent['type']>(['QuoteIssued', 'ServiceAuthorized', 'QuoteDeclined', 'WorkLogged']);

export function isBillingEvent(e: { type: string }): e is BillingEvent {
  return BILLING_EVENT_TYPES.has(e.type);
}
