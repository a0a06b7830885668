import { useInfiniteQuery } from '@tanstack/react-query';
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

export function useQueue(filters: QueueFilters) {
  return useInfiniteQuery({
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
}
