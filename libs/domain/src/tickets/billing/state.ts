import { QuoteTerms, BillingEvent, WorkLoggedData } from './events';

export type QuoteStatus = 'pending' | 'accepted' | 'declined' | 'superseded';

export type BillingQuote = {
  quoteId: string;
  status: QuoteStatus;
  terms: QuoteTerms;
  supplementary: boolean;
  supplementsAuthorizationId: string | null;
  supersedesQuoteId: string | null;
  issuedBy: string;
  issuedAt: string;
  /** the customer's answer, once given */
  decision: { decision: 'accept' | 'decline'; purchaseOrder: string | null; comment: string | null; by: string; at: string } | null;
};

export type BillingAuthorization = {
  authorizationId: string;
  quoteId: string;
  terms: QuoteTerms;
  minutesAuthorized: number;
  minutesLogged: number;
  /** sum of the per-event charges of its work logs */
  chargedMinor: number;
  policyId: string | null;
  purchaseOrder: string | null;
  authorizedBy: string;
  authorizedAt: string;
};

export type BillingState = {
  quotes: Record<string, BillingQuote>;
  /** quote ids in issue order */
  quoteOrder: string[];
  authorizations: Record<string, BillingAuthorization>;
  /** authorization ids in the order they were given */
  authorizationOrder: string[];
  workLogs: Record<string, WorkLoggedData>;
};

export const initialBillingState = (): BillingState => ({
  quotes: {},
  quoteOrder: [],
  authorizations: {},
  authorizationOrder: [],
  workLogs: {},
});

/*
 * Copies written out field by field: V8 copies an object literal far faster than it spreads an
 * object that was itself built by a spread, which is what a fold does event after event. The
 * type checker keeps them complete.
 */
const copyBilling = (s: BillingState): BillingState => ({
  quotes: s.quotes,
  quoteOrder: s.quoteOrder,
  authorizations: s.authorizations,
  authorizationOrder: s.authorizationOrder,
  workLogs: s.workLogs,
});

const copyQuote = (q: BillingQuote): BillingQuote => ({
  quoteId: q.quoteId,
  status: q.status,
  terms: q.terms,
  supplementary: q.supplementary,
  supplementsAuthorizationId: q.supplementsAuthorizationId,
  supersedesQuoteId: q.supersedesQuoteId,
  issuedBy: q.issuedBy,
  issuedAt: q.issuedAt,
  decision: q.decision,
});

const copyAuthorization = (a: BillingAuthorization): BillingAuthorization => ({
  authorizationId: a.authorizationId,
  quoteId: a.quoteId,
  terms: a.terms,
  minutesAuthorized: a.minutesAuthorized,
  minutesLogged: a.minutesLogged,
  chargedMinor: a.chargedMinor,
  policyId: a.policyId,
  purchaseOrder: a.purchaseOrder,
  authorizedBy: a.authorizedBy,
  authorizedAt: a.authorizedAt,
});

export function evolveBilling(state: BillingState, event: BillingEvent): BillingState {
  switch (event.type) {
    case 'QuoteIssued': {
      const d = event.data;
      const quotes = { ...state.quotes };
      const replaced = d.supersedesQuoteId ? quotes[d.supersedesQuoteId] : undefined;
      if (replaced) {
        const superseded = copyQuote(replaced);
        superseded.status = 'superseded';
        quotes[replaced.quoteId] = superseded;
      }
      quotes[d.quoteId] = {
        quoteId: d.quoteId,
        status: 'pending',
        terms: d.terms,
        supplementary: d.supplementary,
        supplementsAuthorizationId: d.supplementsAuthorizationId,
        supersedesQuoteId: d.supersedesQuoteId,
        issuedBy: d.issuedBy,
        issuedAt: d.issuedAt,
        decision: null,
      };
      const next = copyBilling(state);
      next.quotes = quotes;
      next.quoteOrder = [...state.quoteOrder, d.quoteId];
      return next;
    }
    case 'ServiceAuthorized': {
      const d = event.data;
      const quote = state.quotes[d.quoteId];
      let quotes = state.quotes;
      if (quote) {
        const accepted = copyQuote(quote);
        accepted.status = 'accepted';
        accepted.decision = { decision: 'accept', purchaseOrder: d.purchaseOrder, comment: d.comment, by: d.authorizedBy, at: d.authorizedAt };
        quotes = { ...state.quotes, [d.quoteId]: accepted };
      }
      const authorization: BillingAuthorization = {
        authorizationId: d.authorizationId,
        quoteId: d.quoteId,
        terms: d.terms,
        minutesAuthorized: d.terms.minutes,
        minutesLogged: 0,
        chargedMinor: 0,
        policyId: d.terms.policyId,
        purchaseOrder: d.purchaseOrder,
        authorizedBy: d.authorizedBy,
        authorizedAt: d.authorizedAt,
      };
      const next = copyBilling(state);
      next.quotes = quotes;
      next.authorizations = { ...state.authorizations, [d.authorizationId]: authorization };
      next.authorizationOrder = [...state.authorizationOrder, d.authorizationId];
      return next;
    }
    case 'QuoteDeclined': {
      const d = event.data;
      const quote = state.quotes[d.quoteId];
      if (!quote) return state;
      const declined = copyQuote(quote);
      declined.status = 'declined';
      declined.decision = { decision: 'decline', purchaseOrder: null, comment: d.comment, by: d.declinedBy, at: d.declinedAt };
      const next = copyBilling(state);
      next.quotes = { ...state.quotes, [d.quoteId]: declined };
      return next;
    }
    case 'WorkLogged': {
      const d = event.data;
      const authorization = state.authorizations[d.authorizationId];
      let authorizations = state.authorizations;
      if (authorization) {
        const charged = copyAuthorization(authorization);
        charged.minutesLogged = authorization.minutesLogged + d.minutes;
        charged.chargedMinor = authorization.chargedMinor + (d.chargeMinor ?? 0);
        authorizations = { ...state.authorizations, [d.authorizationId]: charged };
      }
      const next = copyBilling(state);
      next.authorizations = authorizations;
      next.workLogs = { ...state.workLogs, [d.entryId]: d };
      return next;
    }
    default:
      return state;
  }
}

/** the pending quote of the ticket, if any (at most one) */
export function pendingQuote(state: BillingState): BillingQuote | null {
  for (const id of state.quoteOrder) if (state.quotes[id]?.status === 'pending') return state.quotes[id];
  return null;
}
