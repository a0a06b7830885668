import { useInfiniteQuery } from '@tanstack/react-query';
import { api, unwrap } from '../shared/api/client';
import type { Page, TicketSummary } from '../shared/api/views';

/** the customer's tickets, newest first (the server scopes them to the contact's customer) */
export function useMyTickets(status?: 'open' | 'awaiting-customer' | 'closed') {
  return useInfiniteQuery({
    queryKey: ['tickets', { status: status ?? null }],
    initialPageParam: null as string | null,
    queryFn: ({ pageParam, signal }) =>
      unwrap<Page<TicketSummary>>(api.GET('/api/tickets', { params: { query: { limit: 50, ...(status ? { status } : {}), ...(pageParam ? { cursor: pageParam } : {}) } }, signal })),
    getNextPageParam: (last) => last.nextCursor,
    staleTime: 10_000,
  });
}
