import { queryQueue, summaryOf, ticketsProjection, type QueueQuery, type TicketDoc } from '@helpdesk/projections';
import { SqliteReadStore } from '@helpdesk/read-store';
import { buildQueueHistory } from './histories';
import { at, project } from './support';

/** the queue order as the spec states it, written independently of the stored key */
function reference(docs: TicketDoc[], query: QueueQuery, now: string): string[] {
  const rank = (d: TicketDoc) => (d.status === 'awaiting-customer' ? 2 : d.respondedAt === null ? 0 : 1);
  const breached = (d: TicketDoc) => rank(d) === 0 && d.responseDueAt !== null && d.responseDueAt < now;
  return docs
    .filter((d) => d.status !== 'closed')
    .filter((d) => query.department === undefined || d.department === query.department)
    .filter((d) => query.assigneeId === undefined || d.assigneeId === query.assigneeId)
    .filter((d) => query.priority === undefined || d.priority === query.priority)
    .filter((d) => query.status === undefined || d.status === query.status)
    .filter((d) => query.breached === undefined || breached(d) === query.breached)
    .filter((d) => query.ticketIds === undefined || query.ticketIds.includes(d._id))
    .sort((a, b) => {
      const ka = [rank(a), a.responseDueAt ?? a.receivedAt!, -a.urgency, a._id];
      const kb = [rank(b), b.responseDueAt ?? b.receivedAt!, -b.urgency, b._id];
      for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return ka[i] < kb[i] ? -1 : 1;
      return 0;
    })
    .map((d) => d._id);
}

async function allPages(store: SqliteReadStore, query: QueueQuery, now: string): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | undefined;
  for (let guard = 0; guard < 1000; guard++) {
    const page = await queryQueue(store, { ...query, cursor }, now);
    expect(page.items.length).toBeLessThanOrEqual(query.limit ?? 50);
    ids.push(...page.items.map((i) => i._id));
    if (!page.nextCursor) return ids;
    expect(page.items.length).toBe(query.limit ?? 50);
    cursor = page.nextCursor;
  }
  throw new Error('cursor loop');
}

describe('queue', () => {
  const log = buildQueueHistory(7);
  let store: SqliteReadStore;
  let docs: TicketDoc[];
  const now = at('2026-03-09T12:00');

  beforeAll(async () => {
    store = SqliteReadStore.open(':memory:');
    await project(store, [ticketsProjection], log.events, 100);
    docs = await store.find<TicketDoc>('tickets');
  });
  afterAll(() => store.close());

  it('the history gives every kind of queue entry', () => {
    const statuses = new Set(docs.map((d) => d.status));
    expect(statuses).toEqual(new Set(['open', 'awaiting-customer', 'closed']));
    expect(docs.some((d) => d.status === 'open' && d.respondedAt !== null)).toBe(true);
    expect(docs.filter((d) => d.status === 'open' && d.respondedAt === null && d.responseDueAt! < now).length).toBeGreaterThan(5);
    expect(docs.filter((d) => d.status === 'open' && d.respondedAt === null && d.responseDueAt! >= now).length).toBeGreaterThan(5);
  });

  const queries: QueueQuery[] = [
    {},
    { limit: 7 },
    { limit: 1, department: 'billing' },
    { limit: 5, assigneeId: 'beto' },
    { limit: 4, priority: 'high' },
    { limit: 6, status: 'open' },
    { limit: 6, status: 'awaiting-customer' },
    { limit: 3, breached: true },
    { limit: 9, breached: false },
    { limit: 2, breached: true, department: 'support', priority: 'medium' },
    { limit: 200, breached: false, status: 'awaiting-customer' },
  ];
  it.each(queries)('pages through %j in deadline order with no gap or duplicate', async (query) => {
    const expected = reference(docs, query, now);
    const got = await allPages(store, query, now);
    expect(got).toEqual(expected);
    expect(new Set(got).size).toBe(got.length);
  });

  it('ticketIds: only those tickets, as the queue under the other filters shows them, in its order', async () => {
    const all = reference(docs, {}, now);
    const closed = docs.filter((d) => d.status === 'closed').map((d) => d._id);
    const picked = [all[3], all[0], all[all.length - 1], closed[0], 'no-such-ticket', all[7]];
    for (const query of [{ ticketIds: picked }, { ticketIds: picked, breached: false }, { ticketIds: picked, status: 'awaiting-customer' as const }, { ticketIds: picked, limit: 2 }]) {
      expect(await allPages(store, query, now)).toEqual(reference(docs, query, now));
    }
    const page = await queryQueue(store, { ticketIds: picked }, now);
    expect(page.items.map((i) => i._id)).toEqual([all[0], all[3], all[7], all[all.length - 1]]);
    // each carries its sort key: the client places it among the rows it holds by comparing the strings
    const keys = page.items.map((i) => `${i.queueKey}\u0000${i.ticketId}`);
    expect([...keys].sort()).toEqual(keys);
  });

  it('marks breached items at now and sorts the most urgent first on equal deadlines', async () => {
    const page = await queryQueue(store, { limit: 200 }, now);
    for (const item of page.items) {
      expect(item.breached).toBe(item.status === 'open' && item.respondedAt === null && item.responseDueAt! < now);
      expect(item).not.toHaveProperty('state');
    }
    const ids = page.items.map((i) => i._id);
    for (let i = 1; i < page.items.length; i++) {
      const [a, b] = [page.items[i - 1], page.items[i]];
      if (a.responseDueAt === b.responseDueAt && a.status === b.status && (a.respondedAt === null) === (b.respondedAt === null)) {
        expect(a.urgency).toBeGreaterThanOrEqual(b.urgency);
      }
    }
    expect(ids).toEqual(reference(docs, {}, now).slice(0, 200));
  });

  it('a ticket changing between pages neither repeats nor hides the others', async () => {
    const first = await queryQueue(store, { limit: 10 }, now);
    // the first item is closed between two page reads: the rest continues from the cursor
    const victim = await store.get<TicketDoc>('tickets', first.items[0]._id);
    await store.applyBatch([{ kind: 'put', collection: 'tickets', doc: { ...victim!, status: 'closed', queueKey: null, _pos: 1e9 } }]);
    const second = await queryQueue(store, { limit: 10, cursor: first.nextCursor! }, now);
    const expected = reference(docs, {}, now).slice(10, 20);
    expect(second.items.map((i) => i._id)).toEqual(expected);
    await store.applyBatch([{ kind: 'put', collection: 'tickets', doc: { ...victim!, _pos: 1e9 + 1 } }]);
  });

  it('rejects a bad limit, status or cursor; closed asks for nothing', async () => {
    await expect(queryQueue(store, { limit: 201 }, now)).rejects.toMatchObject({ code: 'invalid-request', path: 'limit' });
    await expect(queryQueue(store, { status: 'pending' as never }, now)).rejects.toMatchObject({ path: 'status' });
    await expect(queryQueue(store, { cursor: Buffer.from('[[1,2],"x"]').toString('base64url') }, now)).rejects.toMatchObject({ path: 'cursor' });
    expect(await queryQueue(store, { status: 'closed' }, now)).toEqual({ items: [], nextCursor: null });
  });

  it('summaries carry no folded state', () => {
    expect(Object.keys(summaryOf(docs[0]))).not.toContain('state');
  });
});
