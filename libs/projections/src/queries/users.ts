/**
 * People: the users list (by name) and one user, in the shape the API answers (CONTRACTS.md,
 * Users), and the access log for auditors.
 */
import type { Filter, ReadStore, SortSpec } from '@helpdesk/read-store';
import { COLLECTIONS } from '../views/common';
import type { UserDoc, UserFields } from '../views/users.view';
import type { AccessEntryDoc, AccessEntryFields } from '../views/access-log.view';
import { Page, instantParam, isDateParam, nextDay, pageLimit, readCursor, writeCursor, InvalidQueryError } from './common';

export type UserRecord = UserFields & { _id: string };

export function userRecord(doc: UserDoc): UserRecord {
  const { state: _s, roleFlags: _r, _pos, ...record } = doc;
  return record;
}

export async function getUser(store: ReadStore, userId: string): Promise<UserRecord | null> {
  const doc = await store.get<UserDoc>(COLLECTIONS.users, userId);
  return doc ? userRecord(doc) : null;
}

export interface ListUsersQuery {
  kind?: 'staff' | 'contact';
  customerId?: string;
  role?: string;
  status?: 'invited' | 'active' | 'deactivated';
  limit?: number;
  cursor?: string;
}

const USER_SORT: SortSpec = [['name', 1]];

/** people by name (then id), paged by keyset cursor */
export async function listUsers(store: ReadStore, query: ListUsersQuery = {}): Promise<Page<UserRecord>> {
  const limit = pageLimit(query.limit);
  const filter: Filter = {};
  if (query.kind !== undefined) filter.kind = query.kind;
  if (query.customerId !== undefined) filter.customerId = query.customerId;
  if (query.status !== undefined) filter.status = query.status;
  if (query.role !== undefined) filter[`roleFlags.${query.role}`] = true;
  const after = readCursor(query.cursor, USER_SORT.length);
  const docs = await store.find<UserDoc>(COLLECTIONS.users, { filter, sort: USER_SORT, limit: limit + 1, after });
  const items = docs.slice(0, limit).map(userRecord);
  const last = docs.length > limit ? docs[limit - 1] : null;
  return { items, nextCursor: last ? writeCursor([last.name], last._id) : null };
}

export async function countUsers(store: ReadStore): Promise<number> {
  return store.count(COLLECTIONS.users);
}

export interface AccessLogQuery {
  /** inclusive: an instant, or a date (from its 00:00 UTC) */
  from?: string;
  /** an instant (exclusive), or a date (inclusive: through its end, UTC) */
  to?: string;
  userId?: string;
  limit?: number;
  cursor?: string;
}

export type AccessEntry = AccessEntryFields;

const ACCESS_SORT: SortSpec = [
  ['at', 1],
  ['position', 1],
];

function bound(path: 'from' | 'to', value: string): string {
  if (typeof value !== 'string') throw new InvalidQueryError(path, 'must be a date or an instant');
  if (isDateParam(value)) return `${path === 'to' ? nextDay(value) : value}T00:00:00.000Z`;
  return instantParam(path, value);
}

/** the access log, oldest first, paged by keyset cursor */
export async function accessLog(store: ReadStore, query: AccessLogQuery = {}): Promise<Page<AccessEntry>> {
  const limit = pageLimit(query.limit);
  const filter: Filter = {};
  const at: { $gte?: string; $lt?: string } = {};
  if (query.from !== undefined) at.$gte = bound('from', query.from);
  if (query.to !== undefined) at.$lt = bound('to', query.to);
  if (at.$gte !== undefined || at.$lt !== undefined) filter.at = at;
  if (query.userId !== undefined) filter.userId = query.userId;
  const after = readCursor(query.cursor, ACCESS_SORT.length);
  const docs = await store.find<AccessEntryDoc>(COLLECTIONS.accessLog, { filter, sort: ACCESS_SORT, limit: limit + 1, after });
  const items = docs.slice(0, limit).map(({ _id, _pos, ...entry }) => entry);
  const last = docs.length > limit ? docs[limit - 1] : null;
  return { items, nextCursor: last ? writeCursor([last.at, last.position], last._id) : null };
}
