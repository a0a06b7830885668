import { infiniteQueryOptions, type QueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../shared/api/client';
import type { Page, QueueItem } from '../shared/api/views';
import { patchTicketRowsLive } from '../shared/live/live';
import { mergeQueueRows, type QueueData } from './queue-rows';

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

const settled = async (client: QueryClient, key: readonly unknown[]) => {
  // a page arriving builds on the pages held when it was asked for: patch after it, not under it
  for (let waited = 0; client.getQueryState(key)?.fetchStatus === 'fetching' && waited < 10_000; waited += 25) await new Promise((r) => setTimeout(r, 25));
};

/**
 * Live changes to the queue: a screen holding one page refetches it; one holding more asks
 * for the changed tickets alone (GET /api/queue?ticketIds=, same filters) and merges them.
 * Queues not on screen are marked stale and refetch when shown.
 */
async function patchQueues(client: QueryClient, ticketIds: string[]): Promise<void> {
  for (const query of client.getQueryCache().findAll({ queryKey: ['queue'] })) {
    const key = query.queryKey;
    const data = query.state.data as QueueData | undefined;
    if (!query.isActive() || !data) {
      void client.invalidateQueries({ queryKey: key, exact: true, refetchType: 'none' });
      continue;
    }
    if (data.pages.length <= 1) {
      await client.refetchQueries({ queryKey: key, exact: true }, { cancelRefetch: false });
      continue;
    }
    const filters = key[1] as QueueFilters;
    for (let from = 0; from < ticketIds.length; from += 200) {
      const ids = ticketIds.slice(from, from + 200);
      const fresh = await unwrap<Page<QueueItem>>(api.GET('/api/queue', { params: { query: { ...filters, ticketIds: ids.join(','), limit: 200 } } }));
      await settled(client, key);
      client.setQueryData<QueueData>(key, (held) => (held ? mergeQueueRows(held, ids, fresh.items) : held));
    }
  }
}
patchTicketRowsLive('queue', patchQueues);
