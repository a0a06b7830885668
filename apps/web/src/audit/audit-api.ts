/**
 * The audit reads: quote authorizations and declines (GET /api/audit/authorizations, JSON and
 * the server's CSV) and the access log (GET /api/audit/access, paged; its CSV is made here from
 * every page, in the same format as the API's files). Date filters are days in the company's
 * zone, sent as the instants they begin (the `to` day's end is exclusive).
 */
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { api, request, unwrap } from '../shared/api/client';
import type { GetAnswer } from '../shared/api/answers';
import { toCsv } from '../shared/csv';
import { downloadFromApi, saveBlob } from '../shared/download';
import { startOfDayInstant } from '../shared/time/period';

export type AuthorizationRecord = GetAnswer<'/api/audit/authorizations'>[number];
export type AccessPage = GetAnswer<'/api/audit/access'>;
export type AccessEntry = AccessPage['items'][number];

export interface AuditPeriod {
  from: string;
  to: string;
  customerId: string;
}

export const periodQuery = (p: AuditPeriod, zone: string) => ({
  from: startOfDayInstant(p.from, zone),
  to: startOfDayInstant(p.to, zone, true),
  ...(p.customerId ? { customerId: p.customerId } : {}),
});

export function useAuthorizations(p: AuditPeriod, zone: string, enabled: boolean) {
  const query = periodQuery(p, zone);
  return useQuery({
    queryKey: ['audit', 'authorizations', query],
    enabled,
    queryFn: ({ signal }) => unwrap<AuthorizationRecord[]>(api.GET('/api/audit/authorizations', { params: { query }, signal })),
    staleTime: 10_000,
  });
}

export function downloadAuthorizationsCsv(p: AuditPeriod, zone: string): Promise<string> {
  const qs = new URLSearchParams({ ...periodQuery(p, zone), format: 'csv' });
  return downloadFromApi(`/api/audit/authorizations?${qs.toString()}`, `authorizations-${p.from}-${p.to}.csv`, 'text/csv');
}

export interface AccessFilters {
  from: string;
  to: string;
  userId: string;
}

function accessQuery(f: AccessFilters, zone: string, cursor?: string | null) {
  const qs = new URLSearchParams({ from: startOfDayInstant(f.from, zone), to: startOfDayInstant(f.to, zone, true), limit: '200' });
  if (f.userId) qs.set('userId', f.userId);
  if (cursor) qs.set('cursor', cursor);
  return `/api/audit/access?${qs.toString()}`;
}

export function useAccessLog(f: AccessFilters, zone: string, enabled: boolean) {
  return useInfiniteQuery({
    queryKey: ['audit', 'access', f, zone],
    enabled,
    initialPageParam: null as string | null,
    queryFn: ({ pageParam, signal }) => request<AccessPage>('GET', accessQuery(f, zone, pageParam), undefined, { signal }),
    getNextPageParam: (last) => last.nextCursor,
    staleTime: 10_000,
  });
}

export const ACCESS_CSV_COLUMNS = ['at', 'action', 'userId', 'email', 'by', 'ip', 'userAgent', 'detail', 'entryId', 'streamId', 'position'];

/** every entry of the filters (all pages) as CSV; `keep` narrows them (the customer filter) */
export async function downloadAccessCsv(f: AccessFilters, zone: string, keep: (e: AccessEntry) => boolean): Promise<string> {
  const entries: AccessEntry[] = [];
  let cursor: string | null = null;
  for (let i = 0; i < 500; i++) {
    const page: AccessPage = await request<AccessPage>('GET', accessQuery(f, zone, cursor));
    entries.push(...page.items.filter(keep));
    cursor = page.nextCursor;
    if (!cursor) break;
  }
  const csv = toCsv(ACCESS_CSV_COLUMNS, entries as unknown as Array<Record<string, unknown>>);
  const name = `access-log-${f.from}-${f.to}.csv`;
  saveBlob(new Blob([csv], { type: 'text/csv;charset=utf-8' }), name);
  return name;
}
