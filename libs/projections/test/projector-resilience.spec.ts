import { randomUUID } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { EventStore, EventStoreUnavailableError, NewEvent, SqliteEventStore, Subscription } from '@helpdesk/event-store';
import { SqliteReadStore } from '@helpdesk/read-store';
import { Projection, Projector } from '../src';

const counted: Projection = {
  name: 'counted',
  collections: [{ name: 'counts', indexes: [] }],
  handles: new Set(['Counted']),
  async apply(event, ctx) {
    await ctx.update<{ _id: string; n: number }>('counts', String(event.data.key), (doc) => ({ _id: String(event.data.key), n: (doc?.n ?? 0) + 1 }));
  },
};

const counted1 = (key: string): NewEvent => ({
  id: randomUUID(),
  type: 'Counted',
  data: { key },
  metadata: { actor: 'test', occurredAt: new Date().toISOString(), correlationId: randomUUID(), causationId: null, schemaVersion: 1 },
});

/** An event store whose subscriptions drop after a few pages, like a lost EventStoreDB connection. */
function flaky(inner: EventStore, dropAfterPages: number, drops: { count: number }): EventStore {
  return new Proxy(inner, {
    get(target, prop, receiver) {
      if (prop !== 'subscribeToAll') return Reflect.get(target, prop, receiver);
      return (handler: Parameters<EventStore['subscribeToAll']>[0], options: Parameters<EventStore['subscribeToAll']>[1]): Subscription => {
        let pages = 0;
        let fail!: (e: Error) => void;
        const dropped = new Promise<void>((_, reject) => (fail = reject));
        const sub = target.subscribeToAll(async (events) => {
          if (drops.count < 3 && ++pages > dropAfterPages) {
            drops.count++;
            fail(new EventStoreUnavailableError('connection lost'));
            throw new EventStoreUnavailableError('connection lost');
          }
          await handler(events);
        }, options);
        const done = Promise.race([sub.done, dropped]);
        done.catch(() => undefined);
        return { done, close: () => sub.close() };
      };
    },
  });
}

describe('projector: keeps going through store disconnects', () => {
  it('resubscribes from its checkpoints with backoff and ends with every event applied exactly once', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'projector-resilience-'));
    const events = SqliteEventStore.open(path.join(dir, 'events.db'));
    const views = SqliteReadStore.open(path.join(dir, 'views.db'));
    for (let i = 0; i < 300; i++) await events.append(`s-${i % 7}`, [counted1(`k${i % 5}`)], 'any');
    const drops = { count: 0 };
    const logs: string[] = [];
    const projector = new Projector(flaky(events, 2, drops), views, [counted], {
      batchSize: 20,
      backoffMs: { initial: 5, max: 20 },
      log: (m) => logs.push(m),
    });
    await projector.start();
    // live events while it is dropping and resubscribing
    for (let i = 300; i < 400; i++) await events.append(`s-${i % 7}`, [counted1(`k${i % 5}`)], 'any');
    expect(await projector.waitFor(await events.headPosition(), 10_000)).toBe(true);
    expect(drops.count).toBe(3);
    expect(logs.filter((l) => l.includes('connection lost')).length).toBe(3);
    const docs = await views.find<{ _id: string; n: number }>('counts', { sort: [['_id', 1]] });
    expect(docs.map((d) => [d._id, d.n])).toEqual([['k0', 80], ['k1', 80], ['k2', 80], ['k3', 80], ['k4', 80]]);
    expect(projector.status()[0]).toMatchObject({ healthy: true, lastError: null });
    await projector.stop();
    await views.close();
    await events.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
