/**
 * `authorizations` read model (the audit trail of 000/001/003): one document per quote of a
 * ticket, created by QuoteIssued (decision null) and completed by the customer's answer,
 * ServiceAuthorized (decision 'accept') or QuoteDeclined (decision 'decline'). The audit
 * query returns only answered ones. The projection keeps the quote's issue facts itself
 * rather than reading the tickets collection, whose projection runs on its own checkpoint.
 */
import type { QuoteDeclinedData, QuoteIssuedData, QuoteTerms, ServiceAuthorizedData } from '@helpdesk/domain';
import type { StoredEvent } from '@helpdesk/event-store';
import type { Doc } from '@helpdesk/read-store';
import type { Projection } from '../projection';
import { COLLECTIONS, utcIso } from './common';

export interface AuthorizationDoc extends Doc, AuthorizationFields {}

export interface AuthorizationFields {
  ticketId: string;
  quoteId: string;
  /** null until the customer answers */
  decision: 'accept' | 'decline' | null;
  /** equal to the quoteId for an acceptance; null for a decline */
  authorizationId: string | null;
  customerId: string | null;
  terms: QuoteTerms;
  purchaseOrder: string | null;
  comment: string | null;
  /** who answered and when (UTC) */
  by: string | null;
  at: string | null;
  quote: {
    issuedBy: string | null;
    issuedAt: string | null;
    supplementary: boolean;
    supplementsAuthorizationId: string | null;
    supersedesQuoteId: string | null;
  };
  /** global position of the deciding event (for tracing to the ticket history) */
  position: number;
  version: number;
}

export const authorizationDocId = (ticketId: string, quoteId: string) => `${ticketId}/${quoteId}`;

const emptyQuote = (): AuthorizationDoc['quote'] => ({
  issuedBy: null,
  issuedAt: null,
  supplementary: false,
  supplementsAuthorizationId: null,
  supersedesQuoteId: null,
});

export function applyAuthorizationEvent(doc: AuthorizationDoc | null, event: StoredEvent): AuthorizationDoc | null {
  const base = (ticketId: string, quoteId: string, terms: QuoteTerms): AuthorizationDoc =>
    doc ?? {
      _id: authorizationDocId(ticketId, quoteId),
      ticketId,
      quoteId,
      decision: null,
      authorizationId: null,
      customerId: null,
      terms,
      purchaseOrder: null,
      comment: null,
      by: null,
      at: null,
      quote: emptyQuote(),
      position: Number(event.position),
      version: Number(event.version),
    };
  switch (event.type) {
    case 'QuoteIssued': {
      const d = event.data as QuoteIssuedData;
      const current = base(d.ticketId, d.quoteId, d.terms);
      return {
        ...current,
        terms: current.decision === null ? d.terms : current.terms,
        quote: {
          issuedBy: d.issuedBy,
          issuedAt: utcIso(d.issuedAt),
          supplementary: d.supplementary,
          supplementsAuthorizationId: d.supplementsAuthorizationId,
          supersedesQuoteId: d.supersedesQuoteId,
        },
      };
    }
    case 'ServiceAuthorized': {
      const d = event.data as ServiceAuthorizedData;
      return {
        ...base(d.ticketId, d.quoteId, d.terms),
        decision: 'accept',
        authorizationId: d.authorizationId,
        customerId: d.customerId,
        terms: d.terms,
        purchaseOrder: d.purchaseOrder,
        comment: d.comment,
        by: d.authorizedBy,
        at: utcIso(d.authorizedAt),
        position: Number(event.position),
        version: Number(event.version),
      };
    }
    case 'QuoteDeclined': {
      const d = event.data as QuoteDeclinedData;
      return {
        ...base(d.ticketId, d.quoteId, d.terms),
        decision: 'decline',
        authorizationId: null,
        customerId: d.customerId,
        terms: d.terms,
        purchaseOrder: null,
        comment: d.comment,
        by: d.declinedBy,
        at: utcIso(d.declinedAt),
        position: Number(event.position),
        version: Number(event.version),
      };
    }
    default:
      return doc;
  }
}

export const authorizationsProjection: Projection = {
  name: 'authorizations',
  collections: [
    {
      name: COLLECTIONS.authorizations,
      indexes: [{ fields: [['at', 1]] }, { fields: [['customerId', 1], ['at', 1]] }, { fields: [['ticketId', 1]] }],
    },
  ],
  handles: new Set<string>(['QuoteIssued', 'ServiceAuthorized', 'QuoteDeclined']),
  async apply(event, ctx) {
    const d = event.data as { ticketId: string; quoteId: string };
    await ctx.update<AuthorizationDoc>(COLLECTIONS.authorizations, authorizationDocId(d.ticketId, d.quoteId), (doc) =>
      applyAuthorizationEvent(doc, event),
    );
  },
};
