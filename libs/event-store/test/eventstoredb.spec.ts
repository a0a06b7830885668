import { randomUUID } from 'crypto';
import { PassThrough, Readable } from 'stream';
import {
  ANY,
  BACKWARDS,
  DeadlineExceededError,
  MaxAppendSizeExceededError,
  NO_STREAM,
  StreamNotFoundError,
  UnavailableError,
  WrongExpectedVersionError as ClientWrongExpectedVersionError,
  type AllStreamResolvedEvent,
  type AppendExpectedRevision,
  type AppendResult as ClientAppendResult,
  type EventData,
  type Position,
  type ReadPosition,
} from '@eventstore/db-client';
import {
  EventStoreUnavailableError,
  InvalidEventError,
  WrongExpectedVersionError,
  type NewEvent,
  type StoredEvent,
} from '../src/event-store.port';
import {
  EventStoreDbEventStore,
  Semaphore,
  mapClientError,
  toActualVersion,
  toExpectedRevision,
  toReadPosition,
  toStoredEvent,
  type EventStoreDbClientLike,
} from '../src/eventstoredb';
import { describeEventStoreContract } from './event-store.contract';

// ---------------------------------------------------------------------------------------------
// The shared contract, against a real server when EVENTSTORE_URL is set
// ---------------------------------------------------------------------------------------------

const EVENTSTORE_URL = process.env.EVENTSTORE_URL;

if (EVENTSTORE_URL) {
  describeEventStoreContract('EventStoreDB', async () => {
    let store = EventStoreDbEventStore.connect(EVENTSTORE_URL);
    await store.ping();
    return {
      store,
      reopen: async () => {
        await store.close();
        store = EventStoreDbEventStore.connect(EVENTSTORE_URL);
        return store;
      },
      // stream ids are random per run; nothing is deleted on a shared server
      cleanup: async () => store.close(),
    };
  });
} else {
  console.warn('EventStoreDB contract suite SKIPPED: EVENTSTORE_URL not set');
  describe.skip('event-store contract: EventStoreDB (SKIPPED: EVENTSTORE_URL not set)', () => {
    it('runs only against a server', () => undefined);
  });
}

// ---------------------------------------------------------------------------------------------
// Unit tests that need no server
// ---------------------------------------------------------------------------------------------

function newEvent(type = 'Something', data: Record<string, unknown> = {}): NewEvent {
  return {
    id: randomUUID(),
    type,
    data,
    metadata: {
      actor: 'user-1',
      occurredAt: '2025-03-01T10:00:00Z',
      correlationId: randomUUID(),
      causationId: null,
      schemaVersion: 1,
    },
  };
}

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('Semaphore', () => {
  it('never lets more than `limit` tasks run at once and finishes them all', async () => {
    const semaphore = new Semaphore(3);
    let running = 0;
    let maxRunning = 0;
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        semaphore.run(async () => {
          running++;
          maxRunning = Math.max(maxRunning, running);
          await new Promise((r) => setTimeout(r, 1 + (i % 3)));
          running--;
          return i;
        }),
      ),
    );
    expect(maxRunning).toBe(3);
    expect(results).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(semaphore.inFlight).toBe(0);
    expect(semaphore.queued).toBe(0);
  });

  it('starts queued tasks in FIFO order', async () => {
    const semaphore = new Semaphore(1);
    const started: number[] = [];
    let release!: () => void;
    const first = semaphore.run(() => new Promise<void>((r) => (release = r)));
    const rest = [1, 2, 3].map((i) => semaphore.run(async () => void started.push(i)));
    await tick();
    expect(semaphore.queued).toBe(3);
    expect(started).toEqual([]);
    release();
    await Promise.all([first, ...rest]);
    expect(started).toEqual([1, 2, 3]);
  });

  it('releases the permit when a task fails', async () => {
    const semaphore = new Semaphore(1);
    await expect(semaphore.run(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(semaphore.inFlight).toBe(0);
    await expect(semaphore.run(async () => 'ok')).resolves.toBe('ok');
  });

  it('refuses a limit that is not a positive integer', () => {
    expect(() => new Semaphore(0)).toThrow(RangeError);
    expect(() => new Semaphore(1.5)).toThrow(RangeError);
  });
});

describe('EventStoreDB mapping helpers', () => {
  it('maps expected versions to the client expected revisions', () => {
    expect(toExpectedRevision('any')).toBe(ANY);
    expect(toExpectedRevision('no-stream')).toBe(NO_STREAM);
    expect(toExpectedRevision(0n)).toBe(0n);
    expect(toExpectedRevision(41n)).toBe(41n);
    expect(() => toExpectedRevision(-1n)).toThrow(InvalidEventError);
  });

  it("maps the client's current revision to the port's actual version", () => {
    expect(toActualVersion(NO_STREAM)).toBe('no-stream');
    expect(toActualVersion(7n)).toBe(7n);
    expect(toActualVersion(-1n)).toBe('no-stream');
    expect(toActualVersion(undefined)).toBe('no-stream');
  });

  it('reads $all from the start for 0n and from {commit, prepare} otherwise', () => {
    expect(toReadPosition(0n)).toBe('start');
    expect(toReadPosition(1234n)).toEqual({ commit: 1234n, prepare: 1234n });
  });

  it("maps the client's wrong-expected-version error with the actual version", () => {
    const clientError = new ClientWrongExpectedVersionError(undefined, {
      streamName: 'ticket-1',
      expected: 3n,
      current: 5n,
    });
    const mapped = mapClientError(clientError, { streamId: 'ticket-1', expected: 3n });
    expect(mapped).toBeInstanceOf(WrongExpectedVersionError);
    expect(mapped).toMatchObject({ streamId: 'ticket-1', expected: 3n, actual: 5n, code: 'version-conflict' });

    const noStream = mapClientError(
      new ClientWrongExpectedVersionError(undefined, { streamName: 'ticket-2', expected: 0n, current: NO_STREAM }),
    );
    expect(noStream).toMatchObject({ streamId: 'ticket-2', expected: 0n, actual: 'no-stream' });
  });

  it('maps connection failures to EventStoreUnavailableError and keeps the cause', () => {
    const unavailable = new UnavailableError(undefined, 'no connection');
    const mapped = mapClientError(unavailable);
    expect(mapped).toBeInstanceOf(EventStoreUnavailableError);
    expect((mapped as EventStoreUnavailableError).cause).toBe(unavailable);
    expect(mapClientError(new DeadlineExceededError())).toBeInstanceOf(EventStoreUnavailableError);
    expect(mapClientError(new Error('connect ECONNREFUSED 127.0.0.1:2113'))).toBeInstanceOf(EventStoreUnavailableError);
    const grpc = Object.assign(new Error('14 UNAVAILABLE: no healthy upstream'), { code: 14 });
    expect(mapClientError(grpc)).toBeInstanceOf(EventStoreUnavailableError);
  });

  it('maps an append over the server size limit to InvalidEventError and leaves other errors alone', () => {
    expect(mapClientError(new MaxAppendSizeExceededError(undefined, 1024), { streamId: 's' })).toBeInstanceOf(
      InvalidEventError,
    );
    const other = new TypeError('a bug');
    expect(mapClientError(other)).toBe(other);
  });

  it('maps a recorded event to a StoredEvent and skips system events', () => {
    const metadata = { actor: 'agent-7', occurredAt: '2025-03-01T10:00:00Z', correlationId: 'c', causationId: null, schemaVersion: 1 };
    const resolved = recorded({ streamId: 'ticket-9', type: 'TicketOpened', revision: 4n, position: 9000n, data: { a: 1 }, metadata });
    expect(toStoredEvent(resolved)).toEqual({
      id: resolved.event!.id,
      type: 'TicketOpened',
      streamId: 'ticket-9',
      version: 4n,
      position: 9000n,
      data: { a: 1 },
      metadata,
    });
    // metadata that reached us as bytes is parsed
    const bytes = recorded({ streamId: 'ticket-9', type: 'X', revision: 0n, position: 1n, data: {}, metadata: Buffer.from(JSON.stringify(metadata)) });
    expect(toStoredEvent(bytes)!.metadata).toEqual(metadata);
    // system event types and system streams are not domain events
    expect(toStoredEvent(recorded({ streamId: '$stats-0', type: '$statsCollected', revision: 0n, position: 5n }))).toBeNull();
    expect(toStoredEvent(recorded({ streamId: '$$ticket-9', type: '$metadata', revision: 0n, position: 6n }))).toBeNull();
    expect(toStoredEvent(recorded({ streamId: '$ce-ticket', type: 'Linked', revision: 0n, position: 7n }))).toBeNull();
    expect(toStoredEvent({})).toBeNull();
    // "no position" (2^64 - 1) is reported as -1n
    expect(toStoredEvent(recorded({ streamId: 's', type: 'X', revision: 0n, position: (1n << 64n) - 1n }))!.position).toBe(-1n);
  });
});

// ---------------------------------------------------------------------------------------------
// The adapter against an in-memory fake of the client (server semantics as documented:
// forward $all reads are inclusive of the start position, backward reads exclusive,
// positions are sparse, system events are interleaved)
// ---------------------------------------------------------------------------------------------

interface FakeRecord {
  streamId: string;
  id: string;
  type: string;
  revision: bigint;
  position: bigint;
  data: unknown;
  metadata: unknown;
}

function recorded(r: Partial<FakeRecord> & { streamId: string; type: string; revision: bigint; position: bigint }): AllStreamResolvedEvent {
  const position: Position = { commit: r.position, prepare: r.position };
  return {
    event: {
      streamId: r.streamId,
      id: r.id ?? randomUUID(),
      isJson: true,
      revision: r.revision,
      type: r.type,
      created: new Date(0),
      data: (r.data ?? {}) as Record<string, unknown>,
      metadata: (r.metadata ?? {}) as Record<string, unknown>,
      position,
    },
    commitPosition: r.position,
  } as AllStreamResolvedEvent;
}

function readableOf<T>(items: T[], error?: Error): Readable & { cancel(): Promise<void> } {
  const stream = new Readable({ objectMode: true, read() {} }) as Readable & { cancel(): Promise<void> };
  stream.cancel = async () => undefined;
  process.nextTick(() => {
    for (const item of items) stream.push(item);
    if (error) stream.destroy(error);
    else stream.push(null);
  });
  return stream;
}

class FakeClient {
  readonly log: FakeRecord[] = [];
  private nextPosition = 100n;
  appendCalls: Array<{ streamName: string; expectedRevision: AppendExpectedRevision | undefined }> = [];
  appendDelayMs = 0;
  appendsRunning = 0;
  maxAppendsRunning = 0;
  failWith: Error | undefined;
  disposed = false;
  subscriptions: Array<PassThrough & { unsubscribed: boolean; fromPosition: ReadPosition | undefined }> = [];

  systemEvent(): void {
    this.log.push({ streamId: '$stats-127.0.0.1:2113', id: randomUUID(), type: '$statsCollected', revision: 0n, position: this.bump(), data: {}, metadata: {} });
  }

  private bump(): bigint {
    const p = this.nextPosition;
    this.nextPosition += 137n; // sparse, like commit positions
    return p;
  }

  private streamEvents(name: string): FakeRecord[] {
    return this.log.filter((r) => r.streamId === name);
  }

  async appendToStream(
    streamName: string,
    events: EventData | EventData[],
    options: { expectedRevision?: AppendExpectedRevision } = {},
  ): Promise<ClientAppendResult> {
    const batch = Array.isArray(events) ? events : [events];
    this.appendCalls.push({ streamName, expectedRevision: options.expectedRevision });
    this.appendsRunning++;
    this.maxAppendsRunning = Math.max(this.maxAppendsRunning, this.appendsRunning);
    try {
      if (this.appendDelayMs) await new Promise((r) => setTimeout(r, this.appendDelayMs));
      else await tick();
      if (this.failWith) throw this.failWith;
      const existing = this.streamEvents(streamName);
      const current = existing.length ? existing[existing.length - 1].revision : -1n;
      const expected = options.expectedRevision ?? ANY;
      const expectedNumber = expected === NO_STREAM ? -1n : typeof expected === 'bigint' ? expected : undefined;
      // idempotency: the same ids right after the expected version
      if (expectedNumber !== undefined) {
        const after = existing.filter((r) => r.revision > expectedNumber).slice(0, batch.length);
        if (after.length === batch.length && after.every((r, i) => r.id === batch[i].id)) {
          return { success: true, nextExpectedRevision: after[after.length - 1].revision, position: undefined };
        }
      }
      if (expectedNumber !== undefined && expectedNumber !== current) {
        throw new ClientWrongExpectedVersionError(undefined, {
          streamName,
          expected,
          current: current === -1n ? NO_STREAM : current,
        });
      }
      let revision = current;
      let position = 0n;
      for (const e of batch) {
        revision++;
        position = this.bump();
        this.log.push({ streamId: streamName, id: e.id, type: e.type, revision, position, data: e.data, metadata: e.metadata });
      }
      for (const sub of this.subscriptions) {
        for (const r of this.log.slice(-batch.length)) sub.write(recorded(r));
      }
      return { success: true, nextExpectedRevision: revision, position: { commit: position, prepare: position } };
    } finally {
      this.appendsRunning--;
    }
  }

  readStream(
    streamName: string,
    options: { direction?: string; fromRevision?: bigint | 'start' | 'end'; maxCount?: number | bigint } = {},
  ) {
    if (this.failWith) return readableOf([], this.failWith);
    let events = this.streamEvents(streamName);
    if (events.length === 0) return readableOf([], new StreamNotFoundError(undefined, streamName));
    const backwards = options.direction === BACKWARDS;
    const from = options.fromRevision;
    if (typeof from === 'bigint') events = events.filter((r) => (backwards ? r.revision <= from : r.revision >= from));
    if (backwards) events = [...events].reverse();
    if (options.maxCount !== undefined) events = events.slice(0, Number(options.maxCount));
    return readableOf(events.map((r) => recorded(r)));
  }

  readAllCalls = 0;
  readAll(options: { fromPosition?: ReadPosition; direction?: string; maxCount?: number | bigint } = {}) {
    this.readAllCalls++;
    if (this.failWith) return readableOf([], this.failWith);
    const backwards = options.direction === BACKWARDS;
    const from = options.fromPosition ?? (backwards ? 'end' : 'start');
    let events = [...this.log];
    if (typeof from === 'object') {
      events = events.filter((r) => (backwards ? r.position < from.commit : r.position >= from.commit));
    }
    if (backwards) events.reverse();
    if (options.maxCount !== undefined) events = events.slice(0, Number(options.maxCount));
    return readableOf(events.map((r) => recorded(r)));
  }

  subscribeToAll(options: { fromPosition?: ReadPosition } = {}, readableOptions: { highWaterMark?: number } = {}) {
    const stream = new PassThrough({ objectMode: true, highWaterMark: readableOptions.highWaterMark }) as PassThrough & {
      unsubscribed: boolean;
      fromPosition: ReadPosition | undefined;
      unsubscribe(): Promise<void>;
    };
    stream.unsubscribed = false;
    stream.fromPosition = options.fromPosition;
    stream.unsubscribe = async () => {
      stream.unsubscribed = true;
    };
    const from = options.fromPosition;
    // a catch-up subscription starts after the given position (inclusive here, to prove the
    // adapter drops the event at `after` itself)
    for (const r of this.log) if (typeof from !== 'object' || r.position >= from.commit) stream.write(recorded(r));
    this.subscriptions.push(stream);
    return stream;
  }

  async dispose(): Promise<void> {
    this.disposed = true;
  }
}

function fakeStore(options: { maxAppendsInFlight?: number } = {}) {
  const client = new FakeClient();
  const store = EventStoreDbEventStore.fromClient(client as unknown as EventStoreDbClientLike, options);
  return { client, store };
}

describe('EventStoreDbEventStore (against a fake client)', () => {
  it('maps expected versions into the append and returns the version and commit position', async () => {
    const { client, store } = fakeStore();
    const r1 = await store.append('ticket-1', [newEvent('A'), newEvent('B')], 'no-stream');
    expect(client.appendCalls[0]).toEqual({ streamName: 'ticket-1', expectedRevision: NO_STREAM });
    expect(r1.nextExpectedVersion).toBe(1n);
    expect(r1.position).toBe(client.log[client.log.length - 1].position);
    const r2 = await store.append('ticket-1', [newEvent('C')], 1n);
    expect(client.appendCalls[1].expectedRevision).toBe(1n);
    expect(r2.nextExpectedVersion).toBe(2n);
    await store.append('ticket-1', [newEvent('D')], 'any');
    expect(client.appendCalls[2].expectedRevision).toBe(ANY);
    const read = await store.readStream('ticket-1');
    expect(read.map((e) => [e.type, e.version])).toEqual([
      ['A', 0n],
      ['B', 1n],
      ['C', 2n],
      ['D', 3n],
    ]);
    expect(read[1].position).toBe(r1.position);
    expect(read[0].metadata).toMatchObject({ actor: 'user-1', schemaVersion: 1 });
  });

  it('maps an idempotent re-append (no position from the server) to the stored last event', async () => {
    const { store } = fakeStore();
    const batch = [newEvent('A'), newEvent('B')];
    const first = await store.append('ticket-2', batch, 'no-stream');
    await store.append('other', [newEvent('Noise')], 'any');
    const again = await store.append('ticket-2', batch, 'no-stream');
    expect(again).toEqual(first);
  });

  it("turns the client's version conflict into the port's WrongExpectedVersionError", async () => {
    const { store } = fakeStore();
    await store.append('ticket-3', [newEvent()], 'no-stream');
    const err = await store.append('ticket-3', [newEvent()], 'no-stream').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WrongExpectedVersionError);
    expect(err).toMatchObject({ streamId: 'ticket-3', expected: 'no-stream', actual: 0n });
    await expect(store.append('ticket-4', [newEvent()], 3n)).rejects.toMatchObject({ actual: 'no-stream' });
  });

  it('refuses an invalid batch before anything reaches the client', async () => {
    const { client, store } = fakeStore();
    await expect(store.append('ticket-5', [newEvent('Ok'), { ...newEvent(), type: '' }], 'any')).rejects.toBeInstanceOf(
      InvalidEventError,
    );
    await expect(store.append('ticket-5', [newEvent('Ok', { n: 1n as unknown as number })], 'any')).rejects.toBeInstanceOf(
      InvalidEventError,
    );
    await expect(store.append('$system', [newEvent()], 'any')).rejects.toBeInstanceOf(InvalidEventError);
    expect(client.appendCalls).toEqual([]);
  });

  it('keeps at most maxAppendsInFlight appends in flight and queues the rest', async () => {
    const { client, store } = fakeStore({ maxAppendsInFlight: 8 });
    client.appendDelayMs = 2;
    const results = await Promise.all(
      Array.from({ length: 150 }, (_, i) => store.append(`load-${i % 10}`, [newEvent('L', { i })], 'any')),
    );
    expect(client.maxAppendsRunning).toBe(8);
    expect(results).toHaveLength(150);
    expect(client.log).toHaveLength(150);
  });

  it('uses 64 appends in flight by default', async () => {
    const { client, store } = fakeStore();
    client.appendDelayMs = 2;
    await Promise.all(Array.from({ length: 200 }, (_, i) => store.append(`d-${i}`, [newEvent()], 'any')));
    expect(client.maxAppendsRunning).toBe(64);
  });

  it('reads streams forwards and backwards from a version, and a missing stream as []', async () => {
    const { store } = fakeStore();
    await store.append('ticket-6', ['A', 'B', 'C', 'D'].map((t) => newEvent(t)), 'no-stream');
    expect((await store.readStream('ticket-6', { fromVersion: 1n, maxCount: 2 })).map((e) => e.type)).toEqual(['B', 'C']);
    expect((await store.readStream('ticket-6', { direction: 'backwards', maxCount: 3 })).map((e) => e.type)).toEqual([
      'D',
      'C',
      'B',
    ]);
    expect((await store.readStream('ticket-6', { direction: 'backwards', fromVersion: 1n })).map((e) => e.type)).toEqual([
      'B',
      'A',
    ]);
    expect(await store.readStream('ticket-6', { maxCount: 0 })).toEqual([]);
    expect(await store.readStream('never-written')).toEqual([]);
  });

  it('reads $all after a position, skipping system events, and fills maxCount across runs of them', async () => {
    const { client, store } = fakeStore();
    const appended: bigint[] = [];
    for (let i = 0; i < 10; i++) {
      for (let k = 0; k < 150; k++) client.systemEvent(); // long runs of system events between ours
      appended.push((await store.append(`s-${i % 3}`, [newEvent('N', { i })], 'any')).position);
    }
    const all = await store.readAll();
    expect(all.map((e) => e.position)).toEqual(appended);
    expect(all.every((e) => !e.type.startsWith('$'))).toBe(true);

    const page = await store.readAll({ after: appended[2], maxCount: 4 });
    expect(page.map((e) => e.position)).toEqual(appended.slice(3, 7)); // exclusive `after`, exactly maxCount
    const tail = await store.readAll({ after: appended[7], maxCount: 100 });
    expect(tail.map((e) => e.data)).toEqual([{ i: 8 }, { i: 9 }]);
    expect(await store.readAll({ after: appended[9] })).toEqual([]);
  });

  it('does not repeat the event a $all page ended on when it continues from there', async () => {
    const { client, store } = fakeStore();
    for (let k = 0; k < 50; k++) client.systemEvent();
    for (let i = 0; i < 200; i++) await store.append('many', [newEvent('N', { i })], 'any');
    const page = await store.readAll({ maxCount: 100 });
    expect(page.map((e) => e.data.i)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(client.readAllCalls).toBeGreaterThan(1); // the first server page held 50 system events
  });

  it('reports the head position of the newest non-system event, 0n when there is none', async () => {
    const { client, store } = fakeStore();
    expect(await store.headPosition()).toBe(0n);
    client.systemEvent();
    expect(await store.headPosition()).toBe(0n);
    const r = await store.append('h', [newEvent()], 'any');
    for (let k = 0; k < 300; k++) client.systemEvent();
    expect(await store.headPosition()).toBe(r.position);
  });

  it('maps a failing client to EventStoreUnavailableError on every operation', async () => {
    const { client, store } = fakeStore();
    client.failWith = new UnavailableError(undefined, 'down');
    await expect(store.append('x', [newEvent()], 'any')).rejects.toBeInstanceOf(EventStoreUnavailableError);
    await expect(store.readStream('x')).rejects.toBeInstanceOf(EventStoreUnavailableError);
    await expect(store.readAll()).rejects.toBeInstanceOf(EventStoreUnavailableError);
    await expect(store.headPosition()).rejects.toBeInstanceOf(EventStoreUnavailableError);
  });

  describe('subscribeToAll', () => {
    it('delivers catch-up then live events in batches, with back-pressure and nothing at or before `after`', async () => {
      const { client, store } = fakeStore();
      const first = await store.append('sub', [newEvent('E', { i: 0 })], 'any');
      for (let i = 1; i < 40; i++) {
        if (i % 5 === 0) client.systemEvent();
        await store.append('sub', [newEvent('E', { i })], 'any');
      }
      const seen: StoredEvent[] = [];
      const batchSizes: number[] = [];
      let inHandler = 0;
      let overlapping = false;
      const sub = store.subscribeToAll(
        async (events) => {
          inHandler++;
          if (inHandler > 1) overlapping = true;
          batchSizes.push(events.length);
          seen.push(...events);
          await new Promise((r) => setTimeout(r, 2));
          inHandler--;
        },
        { after: first.position, batchSize: 7 },
      );
      expect(client.subscriptions[0].fromPosition).toEqual({ commit: first.position, prepare: first.position });
      for (let i = 40; i < 60; i++) await store.append('sub', [newEvent('E', { i })], 'any');
      for (let n = 0; n < 200 && seen.length < 59; n++) await new Promise((r) => setTimeout(r, 5));
      await sub.close();
      await expect(sub.done).resolves.toBeUndefined();
      expect(seen.map((e) => e.data.i)).toEqual(Array.from({ length: 59 }, (_, i) => i + 1));
      expect(Math.max(...batchSizes)).toBeLessThanOrEqual(7);
      expect(batchSizes.some((n) => n > 1)).toBe(true);
      expect(overlapping).toBe(false);
      expect(client.subscriptions[0].unsubscribed).toBe(true);
    });

    it('stops on a handler error and reports it through done', async () => {
      const { client, store } = fakeStore();
      await store.append('sub-err', [newEvent(), newEvent()], 'any');
      const boom = new Error('projection failed');
      let calls = 0;
      const sub = store.subscribeToAll(async () => {
        calls++;
        throw boom;
      });
      await expect(sub.done).rejects.toBe(boom);
      expect(calls).toBe(1);
      expect(client.subscriptions[0].unsubscribed).toBe(true);
    });

    it('rejects done with EventStoreUnavailableError when the server ends or drops the subscription', async () => {
      const { client, store } = fakeStore();
      const ended = store.subscribeToAll(() => undefined);
      client.subscriptions[0].end();
      await expect(ended.done).rejects.toBeInstanceOf(EventStoreUnavailableError);

      const dropped = store.subscribeToAll(() => undefined);
      client.subscriptions[1].destroy(new UnavailableError(undefined, 'connection lost'));
      await expect(dropped.done).rejects.toBeInstanceOf(EventStoreUnavailableError);
    });

    it('can be closed from inside its handler, and store.close() closes open subscriptions', async () => {
      const { client, store } = fakeStore();
      await store.append('sub-close', [newEvent(), newEvent()], 'any');
      let calls = 0;
      const sub = store.subscribeToAll(
        async () => {
          calls++;
          await sub.close();
        },
        { batchSize: 1 },
      );
      await expect(sub.done).resolves.toBeUndefined();
      expect(calls).toBe(1);

      const open = store.subscribeToAll(() => undefined);
      await store.close();
      await expect(open.done).resolves.toBeUndefined();
      expect(client.disposed).toBe(true);
    });
  });
});

describe('EventStoreDbEventStore (real client, nothing listening)', () => {
  it('reports EventStoreUnavailableError instead of hanging', async () => {
    // port 1 on loopback: connection refused immediately
    const store = EventStoreDbEventStore.connect('esdb://127.0.0.1:1?tls=false&defaultDeadline=3000');
    await expect(store.ping()).rejects.toBeInstanceOf(EventStoreUnavailableError);
    await expect(store.append('x', [newEvent()], 'any')).rejects.toBeInstanceOf(EventStoreUnavailableError);
    await expect(store.readStream('x')).rejects.toBeInstanceOf(EventStoreUnavailableError);
    await expect(store.subscribeToAll(() => undefined).done).rejects.toBeInstanceOf(EventStoreUnavailableError);
    await store.close();
  });

  it('refuses a malformed connection string as unavailable', () => {
    expect(() => EventStoreDbEventStore.connect('http://nope')).toThrow(EventStoreUnavailableError);
  });
});
