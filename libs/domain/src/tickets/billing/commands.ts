import type { MinutesDeductedData } from '../../policies/events';
import { WorkKind } from '../../policies/plans';
import { ApprovalRecord, QuoteKind } from './events';

export type IssueQuote = {
  type: 'IssueQuote';
  ticketId?: string;
  quoteId: string;
  kind: QuoteKind;
  minutes: number;
  hourlyRateMinor?: number;
  amountMinor?: number;
  currency?: string;
  paymentTerms?: string;
  purchaseOrderRequired?: boolean;
  description: string;
  supplementary?: boolean;
  /** quoteId of the pending quote this one replaces; without it a pending quote blocks a new one */
  supersedes?: string;
  /** resolved by the application, not sent by the client */
  facts: { activePolicyId?: string | null };
};

export type AuthorizeService = {
  type: 'AuthorizeService';
  ticketId?: string;
  quoteId: string;
  decision: 'accept' | 'decline';
  purchaseOrder?: string;
  comment?: string;
  /**
   * resolved by the application at decision time: the acting contact's rights (from the
   * user's stream, or the token's for a subject that is no known user). Absent: not checked
   * (commands from before people were users).
   */
  approval?: ApprovalRecord;
};

export type LogWork = {
  type: 'LogWork';
  ticketId?: string;
  entryId: string;
  minutes: number;
  workedOn: string;
  description: string;
  kind?: WorkKind;
  engineerId: string;
  authorizationId?: string;
};

/**
 * The ticket side of a policy-backed work log: records on the ticket the WorkLogged that
 * matches a MinutesDeducted already on the policy stream (see record-deducted-work.ts).
 */
export type RecordDeductedWork = {
  type: 'RecordDeductedWork';
  ticketId?: string;
  deduction: MinutesDeductedData;
};

export type BillingCommand = IssueQuote | AuthorizeService | LogWork | RecordDeductedWork;

const BILLING_COMMAND_TYPES: ReadonlySet<string> = new Set<BillingCommand['type']>(['IssueQuote', 'AuthorizeService', 'LogWork', 'RecordDeductedWork']);

export function isBillingCommand(c: { type: string }): c is BillingCommand {
  return BILLING_COMMAND_TYPES.has(c.type);
}

/** What billing needs to know about the ticket it is part of. */
export type BillingTicket = {
  ticketId: string;
  customerId: string;
  status: 'none' | 'open' | 'awaiting-customer' | 'closed';
};
