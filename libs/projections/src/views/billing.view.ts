/**
 * `billed` read model (finance): one row per WorkLogged, i.e. per deduction from a policy
 * (policyId set, no charge) or per per-event charge (chargeMinor + currency), each with its
 * authorization. WorkLogged does not name the customer, so the projection keeps its own
 * ticket -> customer lookup (`billed_tickets`) from ServiceAuthorized, which always precedes
 * work on a ticket; it never reads another projection's collections (they run on their own
 * checkpoints).
 */
import type { ServiceAuthorizedData, WorkKind, WorkLoggedData } from '@helpdesk/domain';
import type { LeanStoredEvent } from '@helpdesk/event-store';
import type { Doc } from '@helpdesk/read-store';
import type { Projection } from '../projection';
import { COLLECTIONS, utcIso } from './common';

export interface BilledRow extends Doc, BilledRowFields {}

export interface BilledRowFields {
  entryId: string;
  /** when the work was logged (UTC) */
  at: string;
  /** the day the work was done (YYYY-MM-DD) */
  workedOn: string;
  customerId: string | null;
  ticketId: string;
  policyId: string | null;
  authorizationId: string;
  /** the accepted quote (one authorization per accepted quote: same id) */
  quoteId: string;
  engineerId: string;
  minutes: number;
  chargeMinor: number | null;
  currency: string | null;
  kind: WorkKind;
  description: string;
  loggedBy: string;
  position: number;
}

export interface BilledTicketDoc extends Doc {
  customerId: string;
}

export const billedRowId = (ticketId: string, entryId: string) => `${ticketId}/${entryId}`;

export function billedRowOf(d: WorkLoggedData, customerId: string | null, event: LeanStoredEvent): BilledRow {
  return {
    _id: billedRowId(d.ticketId, d.entryId),
    entryId: d.entryId,
    at: utcIso(d.loggedAt),
    workedOn: d.workedOn,
    customerId,
    ticketId: d.ticketId,
    policyId: d.policyId,
    authorizationId: d.authorizationId,
    quoteId: d.authorizationId,
    engineerId: d.engineerId,
    minutes: d.minutes,
    chargeMinor: d.chargeMinor,
    currency: d.currency,
    kind: d.kind,
    description: d.description,
    loggedBy: d.loggedBy,
    position: Number(event.position),
  };
}

export const billingProjection: Projection = {
  name: 'billing',
  collections: [
    {
      name: COLLECTIONS.billed,
      indexes: [{ fields: [['workedOn', 1], ['at', 1]] }, { fields: [['customerId', 1], ['workedOn', 1], ['at', 1]] }, { fields: [['policyId', 1]] }],
    },
    { name: COLLECTIONS.billedTickets, indexes: [] },
  ],
  handles: new Set<string>(['ServiceAuthorized', 'WorkLogged']),
  async apply(event, ctx) {
    if (event.type === 'ServiceAuthorized') {
      const d = event.data as ServiceAuthorizedData;
      await ctx.update<BilledTicketDoc>(COLLECTIONS.billedTickets, d.ticketId, (doc) =>
        doc && doc.customerId === d.customerId ? doc : { _id: d.ticketId, customerId: d.customerId },
      );
      return;
    }
    const d = event.data as WorkLoggedData;
    const ticket = await ctx.get<BilledTicketDoc>(COLLECTIONS.billedTickets, d.ticketId);
    await ctx.update<BilledRow>(COLLECTIONS.billed, billedRowId(d.ticketId, d.entryId), () => billedRowOf(d, ticket?.customerId ?? null, event));
  },
};
