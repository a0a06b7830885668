import { infiniteQueryOptions } from '@tanstack/react-query';
import { api, unwrap } from '../shared/api/client';
import type { Page, QueueItem } from '../shared/api/views';

export interface QueueFilters {
  department?: string;
  assigneeId?: string;
  priority?: 'low' | 'medium' | 'high' | '1' | '2' | '3' | '4';
  status?: 'open' | 'awaiting-customer';
  breached?: boolean;
}

/** the first page is small (the first screen shows fast); the next ones are the largest the API gives */
export const FIRST_PAGE = 50;
export const NEXT_PAGE = 200;

/** the queue's filters as the address keeps them (`assignee=me` needs who is signed in) */
export function filtersFromParams(params: URLSearchParams, meId: string | null): QueueFilters | null {
  const f: QueueFilters = {};
  const department = params.get('department');
  if (department) f.department = department;
  const assignee = params.get('assignee');
  if (assignee === 'me' && meId === null) return null;
  if (assignee) f.assigneeId = assignee === 'me' ? meId! : assignee;
  const priority = params.get('classification');
  if (priority && /^(low|medium|high|[1-4])$/.test(priority)) f.priority = priority as QueueFilters['priority'];
  if (params.get('waiting') === '1') f.status = 'awaiting-customer';
  if (params.get('breached') === '1') f.breached = true;
  return f;
}

/** the queue, page by page (the one query behind the screen and the boot-time prefetch) */
export const queueQuery = (filters: QueueFilters) =>
  infiniteQueryOptions({
    queryKey: ['queue', filters],
    initialPageParam: null as string | null,
    queryFn: ({ pageParam, signal }) =>
      unwrap<Page<QueueItem>>(
        api.GET('/api/queue', {
          params: { query: { ...filters, limit: pageParam ? NEXT_PAGE : FIRST_PAGE, ...(pageParam ? { cursor: pageParam } : {}) } },
          signal,
        }),
      ),
    getNextPageParam: (last) => last.nextCursor,
    staleTime: 10_000,
  });
