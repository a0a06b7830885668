/**
 * A rebuild split across threads (projections other than tickets on a worker thread with
 * their own connection, the embedded store committing on its writer thread, pages folded while
 * the previous one commits) yields exactly the read models of a plain single-threaded run.
 */
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { SqliteEventStore, type StoredEvent } from '@helpdesk/event-store';
import { ParallelPages, PipelinedPages, ProjectionWorker, allProjections, rebuildProjections, splitForWorker, BatchApplier } from '@helpdesk/projections';
import { SqliteReadStore } from '@helpdesk/read-store';
import { buildScenario } from './scenario';
import { buildQueueHistory } from './histories';
import { appendInOrder, dump, project } from './support';

describe('rebuild across threads', () => {
  let dir: string;
  let events: StoredEvent[];
  let expected: Awaited<ReturnType<typeof dump>>;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'projections-parallel-'));
    const log = buildScenario();
    const bulk = buildQueueHistory(5);
    let position = 0n;
    events = [...log.events, ...bulk.events.filter((e) => !e.streamId.startsWith('customer-acme'))].map((e) => ({ ...e, position: ++position }));
    const fresh = SqliteReadStore.open(':memory:');
    await project(fresh, allProjections(), events, 100_000);
    expected = await dump(fresh, allProjections());
    await fresh.close();
    expect(events.length).toBeGreaterThan(400);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('splits every projection but tickets off to the worker with two or more cores, none with one', () => {
    const { local, remote } = splitForWorker(allProjections(), true, 2);
    expect(local.map((p) => p.name)).toEqual(['tickets']);
    expect(remote.map((p) => p.name).sort()).toEqual(allProjections().map((p) => p.name).filter((n) => n !== 'tickets').sort());
    expect(remote.length).toBeGreaterThanOrEqual(5);
    expect(splitForWorker(allProjections(), false, 2).remote).toEqual([]);
    expect(splitForWorker(allProjections(), true, 1).remote).toEqual([]);
    expect(splitForWorker(allProjections().slice(1), true, 2).remote).toEqual([]);
  });

  it('a worker that cannot open its store fails its start with the reason', async () => {
    await expect(
      ProjectionWorker.start({ kind: 'sqlite', file: join(dir, 'no-such-dir', 'x.db') }, allProjections().slice(1), {
        shadow: false,
        startsEmpty: true,
        checkpoint: null,
        flushEvery: 10,
      }),
    ).rejects.toThrow(/projection worker: .*(directory does not exist|unable to open)/i);
  });

  it('worker thread + writer thread + pipelined pages give the same documents as one thread', async () => {
    const file = join(dir, 'split.db');
    const store = SqliteReadStore.open(file, { writerThread: true });
    const projections = allProjections();
    await store.ensureCollections(projections.flatMap((p) => p.collections), { deferIndexes: true });
    const { local, remote } = splitForWorker(projections, true, 2);
    const worker = await ProjectionWorker.start({ kind: 'sqlite', file }, remote, { shadow: false, startsEmpty: true, checkpoint: null, flushEvery: 50 });
    const pages = new ParallelPages([
      worker,
      // a tiny cache: documents are evicted and read back while their flush may still be committing
      new PipelinedPages(local.map((p) => new BatchApplier(store, p, undefined, { startsEmpty: true, cacheLimit: 5 })), null, 50),
    ]);
    for (let i = 0; i < events.length; i += 17) await pages.apply(events.slice(i, i + 17));
    await pages.finish();
    await pages.close();
    expect(await dump(store, projections)).toEqual(expected);
    for (const p of projections) expect(await store.getCheckpoint(p.name)).toBe(events[events.length - 1].position);
    await store.close();
  });

  it('rebuildProjections with a worker location swaps in the same read models', async () => {
    const eventsFile = join(dir, 'events.db');
    const eventStore = SqliteEventStore.open(eventsFile);
    await appendInOrder(eventStore, events);
    const file = join(dir, 'rebuilt.db');
    const store = SqliteReadStore.open(file, { writerThread: true });
    const result = await rebuildProjections(eventStore, store, allProjections(), { pageSize: 31, flushEvery: 62, workerLocation: { kind: 'sqlite', file } });
    expect(result.events).toBe(events.length);
    expect(await dump(store, allProjections())).toEqual(expected);
    expect((await store.listCollections()).filter((c) => c.endsWith('__rebuild'))).toEqual([]);
    await store.close();
    await eventStore.close();
  });
});
