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

export function evolveBilling(state: BillingState, event: BillingEvent): BillingState {
  switch (event.type) {
    case 'QuoteIssued': {
      const d = event.data;
      const quotes = { ...state.quotes };
      const replaced = d.supersedesQuoteId ? quotes[d.supersedesQuoteId] : undefined;
      if (replaced) quotes[replaced.quoteId] = { ...replaced, status: 'superseded' };
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
      return { ...state, quotes, quoteOrder: [...state.quoteOrder, d.quoteId] };
    }
    case 'ServiceAuthorized': {
      const d = event.data;
      const quote = state.quotes[d.quoteId];
      const quotes = quote
        ? {
            ...state.quotes,
            [d.quoteId]: {
              ...quote,
              status: 'accepted' as const,
              decision: { decision: 'accept' as const, purchaseOrder: d.purchaseOrder, comment: d.comment, by: d.authorizedBy, at: d.authorizedAt },
            },
          }
        : state.quotes;
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
      return {
        ...state,
        quotes,
        authorizations: { ...state.authorizations, [d.authorizationId]: authorization },
        authorizationOrder: [...state.authorizationOrder, d.authorizationId],
      };
    }
    case 'QuoteDeclined': {
      const d = event.data;
      const quote = state.quotes[d.quoteId];
      if (!quote) return state;
      return {
        ...state,
        quotes: {
          ...state.quotes,
          [d.quoteId]: {
            ...quote,
            status: 'declined',
            decision: { decision: 'decline', purchaseOrder: null, comment: d.comment, by: d.declinedBy, at: d.declinedAt },
          },
        },
      };
    }
    case 'WorkLogged': {
      const d = event.data;
      const authorization = state.authorizations[d.authorizationId];
      const authorizations = authorization
        ? {
            ...state.authorizations,
            [d.authorizationId]: {
              ...authorization,
              minutesLogged: authorization.minutesLogged + d.minutes,
              chargedMinor: authorization.chargedMinor + (d.chargeMinor ?? 0),
            },
          }
        : state.authorizations;
      return { ...state, authorizations, workLogs: { ...state.workLogs, [d.entryId]: d } };
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
