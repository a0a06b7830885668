/**
 * Audit of authorizations: every acceptance and decline with its quote's terms, who, when
 * and through which ticket, oldest first.
 */
import type { Filter, ReadStore } from '@helpdesk/read-store';
import { COLLECTIONS } from '../views/common';
import type { AuthorizationDoc, AuthorizationFields } from '../views/authorizations.view';
import { csvField } from './billing';
import { InvalidQueryError, instantParam, isDateParam, nextDay } from './common';

export interface PeriodQuery {
  /** inclusive: an instant, or a date (from its 00:00 UTC) */
  from?: string;
  /** an instant (exclusive), or a date (inclusive: through its end, UTC) */
  to?: string;
  customerId?: string;
}

export type AuthorizationRecord = AuthorizationFields & { _id: string; decision: 'accept' | 'decline'; at: string };

function bound(path: 'from' | 'to', value: string): string {
  if (typeof value !== 'string') throw new InvalidQueryError(path, 'must be a date or an instant');
  if (isDateParam(value)) return `${path === 'to' ? nextDay(value) : value}T00:00:00.000Z`;
  return instantParam(path, value);
}

export async function authorizationsAudit(store: ReadStore, query: PeriodQuery = {}): Promise<AuthorizationRecord[]> {
  const at: { $gte?: string; $lt?: string } = {};
  if (query.from !== undefined) at.$gte = bound('from', query.from);
  if (query.to !== undefined) at.$lt = bound('to', query.to);
  const filter: Filter = { decision: { $in: ['accept', 'decline'] } };
  if (at.$gte !== undefined || at.$lt !== undefined) filter.at = at;
  if (query.customerId !== undefined) filter.customerId = query.customerId;
  const docs = await store.find<AuthorizationDoc>(COLLECTIONS.authorizations, { filter, sort: [['at', 1]] });
  return docs.map(({ _pos, ...doc }) => ({ ...doc, approval: doc.approval ?? null }) as unknown as AuthorizationRecord);
}

export const AUTHORIZATIONS_CSV_COLUMNS = [
  'at',
  'decision',
  'customerId',
  'ticketId',
  'quoteId',
  'authorizationId',
  'by',
  'approvalPrincipal',
  'approvalRoles',
  'approvalApprover',
  'approvalUserVersion',
  'kind',
  'minutes',
  'hourlyRateMinor',
  'amountMinor',
  'currency',
  'paymentTerms',
  'purchaseOrderRequired',
  'purchaseOrder',
  'policyId',
  'comment',
  'quoteDescription',
  'issuedBy',
  'issuedAt',
  'supplementary',
  'position',
] as const;

/**
 * The authorizations audit as CSV (RFC 4180, CRLF, UTF-8; text a spreadsheet would run as a
 * formula gets a leading apostrophe, as in the billed-minutes CSV). The `approval*` columns
 * are the answering person's rights as the decision recorded them (principal user or token,
 * roles separated by spaces, approver true/false, the version of their user stream read then);
 * empty for answers recorded before people were users.
 */
export function authorizationsCsv(records: AuthorizationRecord[]): string {
  const lines: string[] = [AUTHORIZATIONS_CSV_COLUMNS.join(',')];
  for (const r of records) {
    const a = r.approval;
    const t = r.terms;
    lines.push(
      [
        r.at,
        r.decision,
        r.customerId,
        r.ticketId,
        r.quoteId,
        r.authorizationId,
        r.by,
        a?.principal ?? null,
        a ? a.roles.join(' ') : null,
        a ? String(a.approver) : null,
        a?.userVersion ?? null,
        t.kind,
        t.minutes,
        t.hourlyRateMinor,
        t.amountMinor,
        t.currency,
        t.paymentTerms,
        String(t.purchaseOrderRequired),
        r.purchaseOrder,
        t.policyId,
        r.comment,
        t.description,
        r.quote.issuedBy,
        r.quote.issuedAt,
        String(r.quote.supplementary),
        r.position,
      ]
        .map(csvField)
        .join(','),
    );
  }
  return lines.join('\r\n') + '\r\n';
}
