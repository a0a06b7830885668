import { randomUUID } from 'crypto';
import { EventStore, InvalidEventError, NewEvent, StoredEvent, WrongExpectedVersionError } from '../src';

export interface EventStoreFixture {
  store: EventStore;
  /** closes the current store and opens it again on the same data */
  reopen: () => Promise<EventStore>;
  cleanup: () => Promise<void>;
}

export function newEvent(type = 'Something', data: Record<string, unknown> = {}): NewEvent {
  return {
    id: randomUUID(),
    type,
    data,
    metadata: {
      actor: 'contract',
      occurredAt: new Date().toISOString(),
      correlationId: randomUUID(),
      causationId: null,
      schemaVersion: 1,
    },
  };
}

/**
 * The contract every event-store adapter passes. Stream ids are random per run, and reads of
 * $all only look at this run's streams, so it can run against a shared server.
 */
export function describeEventStoreContract(name: string, factory: () => Promise<EventStoreFixture>): void {
  describe(`event-store contract: ${name}`, () => {
    let fx: EventStoreFixture;
    let store: EventStore;
    const run = randomUUID().slice(0, 8);
    const sid = (s: string) => `contract${run}-${s}-${randomUUID().slice(0, 8)}`;

    beforeAll(async () => {
      fx = await factory();
      store = fx.store;
    });
    afterAll(async () => {
      await fx.cleanup();
    });

    it('appends and reads a stream forwards and backwards with versions and metadata', async () => {
      const s = sid('basic');
      const events = [newEvent('A', { n: 1 }), newEvent('B', { n: 2, nested: { ok: true } }), newEvent('C', { n: 3 })];
      const r = await store.append(s, events, 'no-stream');
      expect(r.nextExpectedVersion).toBe(2n);
      expect(r.position > 0n).toBe(true);
      const read = await store.readStream(s);
      expect(read.map((e) => [e.type, e.version, e.data])).toEqual([
        ['A', 0n, { n: 1 }],
        ['B', 1n, { n: 2, nested: { ok: true } }],
        ['C', 2n, { n: 3 }],
      ]);
      expect(read[0].id).toBe(events[0].id);
      expect(read[0].metadata).toMatchObject({ actor: 'contract', schemaVersion: 1, causationId: null });
      expect(read[2].position).toBe(r.position);
      expect(read[0].position < read[1].position && read[1].position < read[2].position).toBe(true);
      const back = await store.readStream(s, { direction: 'backwards', maxCount: 2 });
      expect(back.map((e) => e.type)).toEqual(['C', 'B']);
      const fromOne = await store.readStream(s, { fromVersion: 1n, maxCount: 1 });
      expect(fromOne.map((e) => e.type)).toEqual(['B']);
      const backFromOne = await store.readStream(s, { direction: 'backwards', fromVersion: 1n });
      expect(backFromOne.map((e) => e.type)).toEqual(['B', 'A']);
      expect(await store.readStream(sid('missing'))).toEqual([]);
    });

    it('enforces expected versions', async () => {
      const s = sid('expected');
      await store.append(s, [newEvent()], 'no-stream');
      await expect(store.append(s, [newEvent()], 'no-stream')).rejects.toBeInstanceOf(WrongExpectedVersionError);
      await expect(store.append(s, [newEvent()], 5n)).rejects.toBeInstanceOf(WrongExpectedVersionError);
      await expect(store.append(sid('none'), [newEvent()], 0n)).rejects.toBeInstanceOf(WrongExpectedVersionError);
      const r = await store.append(s, [newEvent()], 0n);
      expect(r.nextExpectedVersion).toBe(1n);
      const any = await store.append(s, [newEvent()], 'any');
      expect(any.nextExpectedVersion).toBe(2n);
      expect((await store.readStream(s)).length).toBe(3);
    });

    it('lets exactly one of many parallel appenders win each version', async () => {
      const s = sid('race');
      await store.append(s, [newEvent('Start')], 'no-stream');
      const rounds = 10;
      const appenders = 20;
      for (let round = 0; round < rounds; round++) {
        const expected = BigInt(round);
        const results = await Promise.allSettled(
          Array.from({ length: appenders }, (_, i) => store.append(s, [newEvent('Race', { round, i })], expected)),
        );
        const won = results.filter((r) => r.status === 'fulfilled');
        const lost = results.filter((r) => r.status === 'rejected') as PromiseRejectedResult[];
        expect(won.length).toBe(1);
        expect(lost.every((r) => r.reason instanceof WrongExpectedVersionError)).toBe(true);
      }
      const read = await store.readStream(s);
      expect(read.map((e) => e.version)).toEqual(Array.from({ length: rounds + 1 }, (_, i) => BigInt(i)));
    });

    it('serializes many appenders that retry on conflict, losing none', async () => {
      const s = sid('retry');
      const appenders = 30;
      await Promise.all(
        Array.from({ length: appenders }, async (_, i) => {
          for (;;) {
            const last = await store.readStream(s, { direction: 'backwards', maxCount: 1 });
            const expected = last.length ? last[0].version : ('no-stream' as const);
            try {
              await store.append(s, [newEvent('Retry', { i })], expected);
              return;
            } catch (e) {
              if (!(e instanceof WrongExpectedVersionError)) throw e;
            }
          }
        }),
      );
      const read = await store.readStream(s);
      expect(read.length).toBe(appenders);
      expect(new Set(read.map((e) => e.data.i)).size).toBe(appenders);
    });

    it('treats re-appending the same event ids at the same expected version as an idempotent success', async () => {
      const s = sid('idem');
      const first = [newEvent('A'), newEvent('B')];
      const r1 = await store.append(s, first, 'no-stream');
      const r2 = await store.append(s, first, 'no-stream');
      expect(r2.nextExpectedVersion).toBe(r1.nextExpectedVersion);
      expect(r2.position).toBe(r1.position);
      const second = [newEvent('C')];
      const r3 = await store.append(s, second, 1n);
      const r4 = await store.append(s, second, 1n);
      expect(r4).toEqual(r3);
      expect((await store.readStream(s)).map((e) => e.type)).toEqual(['A', 'B', 'C']);
    });

    it('refuses bad events and stores nothing of their batch', async () => {
      const s = sid('bad');
      const noType = { ...newEvent(), type: '' };
      await expect(store.append(s, [newEvent('Ok'), noType], 'any')).rejects.toBeInstanceOf(InvalidEventError);
      const notJson = newEvent('X', { n: 10n as unknown as number });
      await expect(store.append(s, [newEvent('Ok'), notJson], 'any')).rejects.toBeInstanceOf(InvalidEventError);
      const big = newEvent('Big', { blob: 'x'.repeat(1024 * 1024 + 1) });
      await expect(store.append(s, [newEvent('Ok'), big], 'any')).rejects.toBeInstanceOf(InvalidEventError);
      expect(await store.readStream(s)).toEqual([]);
    });

    it('keeps $all in one total order consistent with every stream', async () => {
      const streams = Array.from({ length: 5 }, (_, i) => sid(`all${i}`));
      const before = await store.headPosition();
      await Promise.all(
        streams.flatMap((s) => Array.from({ length: 10 }, (_, i) => store.append(s, [newEvent('N', { i })], 'any'))),
      );
      const mine = new Set(streams);
      const all = (await readAllFrom(store, before)).filter((e) => mine.has(e.streamId));
      expect(all.length).toBe(50);
      for (let i = 1; i < all.length; i++) expect(all[i].position > all[i - 1].position).toBe(true);
      for (const s of streams) {
        const versions = all.filter((e) => e.streamId === s).map((e) => e.version);
        expect(versions).toEqual(Array.from({ length: 10 }, (_, i) => BigInt(i)));
      }
      expect(await store.headPosition()).toBeGreaterThanOrEqual(all[all.length - 1].position);
    });

    it("reads $all with only occurredAt of the metadata when asked (what rebuilds read), the same events otherwise", async () => {
      const s = sid('lean');
      const before = await store.headPosition();
      const events = [newEvent('L', { n: 1, text: 'acentuación ñ' }), newEvent('M', { n: 2 })];
      await store.append(s, events, 'no-stream');
      const full = (await readAllFrom(store, before)).filter((e) => e.streamId === s);
      const lean = (await store.readAll({ after: before, metadata: 'occurredAt' })).filter((e) => e.streamId === s);
      expect(full.map((e) => e.metadata.actor)).toEqual(['contract', 'contract']);
      expect(lean.map(({ metadata, ...rest }) => rest)).toEqual(full.map(({ metadata, ...rest }) => rest));
      expect(lean.map((e) => e.metadata.occurredAt)).toEqual(events.map((e) => e.metadata.occurredAt));
      // paging is the same as for full reads
      const first = await store.readAll({ after: before, maxCount: 1, metadata: 'occurredAt' });
      expect(first).toHaveLength(1);
      expect(first[0].position).toBe((await store.readAll({ after: before, maxCount: 1 }))[0].position);
      // an event recorded without occurredAt (not by the command pipeline) comes whole
      const odd = newEvent('O');
      delete (odd.metadata as Partial<typeof odd.metadata>).occurredAt;
      const at = await store.append(s, [odd], 1n);
      const [read] = await store.readAll({ after: at.position - 1n, maxCount: 1, metadata: 'occurredAt' });
      expect(read.id).toBe(odd.id);
      expect(read.metadata).toMatchObject({ actor: 'contract', correlationId: odd.metadata.correlationId });
    });

    it('subscribes to $all: catches up, then goes live, with no gap and no duplicate', async () => {
      const s = sid('sub');
      const start = await store.headPosition();
      for (let i = 0; i < 50; i++) await store.append(s, [newEvent('Sub', { i })], 'any');
      const seen: StoredEvent[] = [];
      let resolveAll!: () => void;
      const allSeen = new Promise<void>((r) => (resolveAll = r));
      const sub = store.subscribeToAll(
        async (events) => {
          for (const e of events) if (e.streamId === s) seen.push(e);
          await new Promise((r) => setTimeout(r, 1)); // a slow handler: back-pressure
          if (seen.length >= 150) resolveAll();
        },
        { after: start, batchSize: 16 },
      );
      // live appends while the subscription catches up
      await Promise.all(Array.from({ length: 100 }, (_, i) => store.append(s, [newEvent('Sub', { i: 50 + i })], 'any')));
      await Promise.race([allSeen, new Promise((_, rej) => setTimeout(() => rej(new Error('subscription stalled')), 15000))]);
      await sub.close();
      expect(seen.length).toBe(150);
      expect(seen.map((e) => e.version)).toEqual(Array.from({ length: 150 }, (_, i) => BigInt(i)));
      expect(new Set(seen.map((e) => e.id)).size).toBe(150);
    });

    it('loses nothing acknowledged across close and reopen', async () => {
      const s = sid('reopen');
      const acks = await Promise.all(Array.from({ length: 25 }, (_, i) => store.append(s, [newEvent('K', { i })], 'any')));
      store = await fx.reopen();
      const read = await store.readStream(s);
      expect(read.length).toBe(25);
      const positions = new Set(read.map((e) => e.position));
      for (const a of acks) expect(positions.has(a.position)).toBe(true);
      const r = await store.append(s, [newEvent('After')], 24n);
      expect(r.nextExpectedVersion).toBe(25n);
    });
  });
}

export async function readAllFrom(store: EventStore, after: bigint): Promise<StoredEvent[]> {
  const out: StoredEvent[] = [];
  let from = after;
  for (;;) {
    const page = await store.readAll({ after: from, maxCount: 1000 });
    if (page.length === 0) return out;
    out.push(...page);
    from = page[page.length - 1].position;
  }
}
