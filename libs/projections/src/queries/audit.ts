/**
 * Audit of authorizations: every acceptance and decline with its quote's terms, who, when
 * and through which ticket, oldest first.
 */
import type { Filter, ReadStore } from '@helpdesk/read-store';
import { COLLECTIONS } from '../views/common';
import type { AuthorizationDoc, AuthorizationFields } from '../views/authorizations.view';
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
  return docs.map(({ _pos, ...doc }) => doc as unknown as AuthorizationRecord);
}
