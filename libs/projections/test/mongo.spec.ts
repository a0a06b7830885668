/**
 * The same read models and queries over MongoDB (or the FerretDB test server the jest global
 * setup starts): documents and query answers equal the embedded store's.
 */
import { randomBytes } from 'crypto';
import {
  allProjections,
  authorizationsAudit,
  billedMinutes,
  customerPolicies,
  queryQueue,
  slaTimers,
  listTickets,
  type QueueQuery,
} from '@helpdesk/projections';
import { MongoReadStore, SqliteReadStore, type ReadStore } from '@helpdesk/read-store';
import { buildQueueHistory } from './histories';
import { buildScenario } from './scenario';
import { at, dump, impera, project } from './support';

const url = process.env.MONGO_URL;

(url ? describe : describe.skip)('read models over MongoDB (MONGO_URL)', () => {
  const events = [...buildScenario().events];
  // a second history on top: renumber its positions after the scenario's
  for (const e of buildQueueHistory(5).events.filter((e) => !e.streamId.startsWith('customer-'))) {
    events.push({ ...e, position: BigInt(events.length + 1) });
  }
  let mongo: MongoReadStore;
  let sqlite: SqliteReadStore;
  const dbName = `proj_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;

  beforeAll(async () => {
    mongo = await MongoReadStore.connect(url as string, dbName);
    sqlite = SqliteReadStore.open(':memory:');
    await project(mongo, allProjections(), events, 97);
    await project(sqlite, allProjections(), events, 97);
  }, 120_000);
  afterAll(async () => {
    await mongo?.db.dropDatabase().catch(() => undefined);
    await mongo?.close();
    await sqlite?.close();
  });

  const normalize = (x: unknown) => JSON.parse(JSON.stringify(x));

  it('stores the same documents', async () => {
    expect(normalize(await dump(mongo, allProjections()))).toEqual(normalize(await dump(sqlite, allProjections())));
  }, 60_000);

  const pages = async (store: ReadStore, query: QueueQuery, now: string) => {
    const ids: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await queryQueue(store, { ...query, cursor }, now);
      ids.push(...page.items.map((i) => i._id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return ids;
  };

  it('answers the queue, lists, timers, audit and billing alike', async () => {
    const now = at('2026-03-09T12:00');
    for (const q of [{ limit: 13 }, { limit: 4, department: 'sales' }, { limit: 5, breached: true }, { limit: 8, breached: false, status: 'open' as const }]) {
      const expected = await pages(sqlite, q, now);
      expect(expected.length).toBeGreaterThan(0);
      expect(await pages(mongo, q, now)).toEqual(expected);
    }
    // a few tickets by id (how a screen refreshes the ones that changed)
    const some = (await pages(sqlite, { limit: 200 }, now)).filter((_, i) => i % 3 === 0).slice(0, 6);
    const byIds = await pages(sqlite, { ticketIds: [...some, 'no-such-ticket'], limit: 4 }, now);
    expect(byIds).toEqual(some);
    expect(await pages(mongo, { ticketIds: [...some, 'no-such-ticket'], limit: 4 }, now)).toEqual(byIds);
    expect(normalize(await listTickets(mongo, { customerId: 'acme', limit: 20 }))).toEqual(normalize(await listTickets(sqlite, { customerId: 'acme', limit: 20 })));
    for (const state of [undefined, 'running', 'paused', 'at-risk', 'breached'] as const) {
      expect(await slaTimers(mongo, { state, limit: 200 }, now, impera)).toEqual(await slaTimers(sqlite, { state, limit: 200 }, now, impera));
    }
    expect(normalize(await authorizationsAudit(mongo, { from: '2026-03-02' }))).toEqual(normalize(await authorizationsAudit(sqlite, { from: '2026-03-02' })));
    expect(normalize(await billedMinutes(mongo))).toEqual(normalize(await billedMinutes(sqlite)));
    expect((await billedMinutes(mongo)).rows).toHaveLength(2);
    expect(await customerPolicies(mongo, 'acme', now)).toEqual(await customerPolicies(sqlite, 'acme', now));
  }, 180_000);
});
