/**
 * `authorizations` read model (the audit trail of 000/001/003): one document per quote of a
 * ticket, created by QuoteIssued (decision null) and completed by the customer's answer,
 * ServiceAuthorized (decision 'accept') or QuoteDeclined (decision 'decline'). The audit
 * query returns only answered ones. The projection keeps the quote's issue facts itself
 * rather than reading the tickets collection, whose projection runs on its own checkpoint.
 */
import type { ApprovalRecord, QuoteDeclinedData, QuoteIssuedData, QuoteTerms, ServiceAuthorizedData } from '@helpdesk/domain';
import type { LeanStoredEvent } from '@helpdesk/event-store';
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
  /**
   * the answering person's rights at that instant, as recorded on the answer (roles, customer,
   * approver, their stream's version; `principal` 'token' for a token subject that is no user);
   * null for answers recorded before people were users
   */
  approval: ApprovalRecord | null;
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

/** every field written out (V8 copies a literal far faster than it spreads a spread result) */
function authorizationDoc(d: AuthorizationDoc): AuthorizationDoc {
  return {
    _id: d._id,
    ticketId: d.ticketId,
    quoteId: d.quoteId,
    decision: d.decision,
    authorizationId: d.authorizationId,
    customerId: d.customerId,
    terms: d.terms,
    purchaseOrder: d.purchaseOrder,
    comment: d.comment,
    by: d.by,
    at: d.at,
    approval: d.approval ?? null,
    quote: d.quote,
    position: d.position,
    version: d.version,
  };
}

export function applyAuthorizationEvent(doc: AuthorizationDoc | null, event: LeanStoredEvent): AuthorizationDoc | null {
  const base = (ticketId: string, quoteId: string, terms: QuoteTerms): AuthorizationDoc =>
    doc
      ? authorizationDoc(doc)
      : {
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
          approval: null,
          quote: emptyQuote(),
          position: Number(event.position),
          version: Number(event.version),
        };
  switch (event.type) {
    case 'QuoteIssued': {
      const d = event.data as QuoteIssuedData;
      const next = base(d.ticketId, d.quoteId, d.terms);
      if (next.decision === null) next.terms = d.terms;
      next.quote = {
        issuedBy: d.issuedBy,
        issuedAt: utcIso(d.issuedAt),
        supplementary: d.supplementary,
        supplementsAuthorizationId: d.supplementsAuthorizationId,
        supersedesQuoteId: d.supersedesQuoteId,
      };
      return next;
    }
    case 'ServiceAuthorized': {
      const d = event.data as ServiceAuthorizedData;
      const next = base(d.ticketId, d.quoteId, d.terms);
      next.decision = 'accept';
      next.authorizationId = d.authorizationId;
      next.customerId = d.customerId;
      next.terms = d.terms;
      next.purchaseOrder = d.purchaseOrder;
      next.comment = d.comment;
      next.by = d.authorizedBy;
      next.at = utcIso(d.authorizedAt);
      next.approval = d.approval ?? null;
      next.position = Number(event.position);
      next.version = Number(event.version);
      return next;
    }
    case 'QuoteDeclined': {
      const d = event.data as QuoteDeclinedData;
      const next = base(d.ticketId, d.quoteId, d.terms);
      next.decision = 'decline';
      next.authorizationId = null;
      next.customerId = d.customerId;
      next.terms = d.terms;
      next.purchaseOrder = null;
      next.comment = d.comment;
      next.by = d.declinedBy;
      next.at = utcIso(d.declinedAt);
      next.approval = d.approval ?? null;
      next.position = Number(event.position);
      next.version = Number(event.version);
      return next;
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
