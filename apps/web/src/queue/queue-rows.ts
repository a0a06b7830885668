/**
 * The queue's rows held by the screen (pages of an infinite query), kept current by merging the
 * tickets that changed instead of fetching every page again. Pure: no requests, no React.
 */
import type { Page, QueueItem } from '../shared/api/views';

/** the infinite query's data (TanStack's InfiniteData, written out: this module imports nothing) */
export interface QueueData {
  pages: Array<Page<QueueItem>>;
  pageParams: Array<string | null>;
}

/** the queue's order: queueKey, then ticketId, as strings (\u0000 sorts a shorter key first, as the tuple does) */
export const queueOrder = (item: Pick<QueueItem, 'queueKey' | 'ticketId'>): string => `${item.queueKey ?? ''}\u0000${item.ticketId}`;

/** the last page's last row as it was fetched: the next page continues after it, whatever patches did since */
const boundaries = new WeakMap<Page<QueueItem>, string>();

/**
 * The rows held with the tickets that changed put in place: each changed ticket leaves its old
 * place; its fresh row (absent when it left this queue) goes where its order falls, if that is
 * within the rows held. One beyond them comes with the next page, which continues after the
 * last row as it was fetched.
 */
export function mergeQueueRows(data: QueueData, ticketIds: string[], fresh: QueueItem[]): QueueData {
  const changed = new Set(ticketIds);
  const lastPage = data.pages[data.pages.length - 1];
  const complete = lastPage.nextCursor === null;
  const boundary = boundaries.get(lastPage) ?? (lastPage.items.length ? queueOrder(lastPage.items[lastPage.items.length - 1]) : null);
  const pages = data.pages.map((p) => ({ ...p, items: p.items.filter((i) => !changed.has(i.ticketId)) }));
  for (const item of [...fresh].sort((a, b) => (queueOrder(a) < queueOrder(b) ? -1 : 1))) {
    const key = queueOrder(item);
    if (!complete && (boundary === null || key > boundary)) continue;
    let target = pages.length - 1;
    for (let p = 0; p < pages.length; p++) {
      const items = pages[p].items;
      if (items.length && queueOrder(items[items.length - 1]) > key) {
        target = p;
        break;
      }
    }
    const items = pages[target].items;
    const at = items.findIndex((i) => queueOrder(i) > key);
    items.splice(at < 0 ? items.length : at, 0, item);
  }
  if (!complete && boundary !== null) boundaries.set(pages[pages.length - 1], boundary);
  return { ...data, pages };
}
