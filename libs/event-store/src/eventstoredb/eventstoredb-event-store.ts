/**
 * EventStoreDB adapter of the event-store port (@eventstore/db-client 6.x, gRPC).
 *
 * Kept thin and self-contained in this folder so that its successor client
 * (@kurrent/kurrentdb-client) can replace it without touching the rest of the code base.
 *
 * Positions: StoredEvent.position is the event's commit position in $all. Events appended
 * through gRPC are implicitly committed, so commit position == prepare position and each
 * event has its own, monotonic (not dense) position.
 *
 * Subscriptions: the Node client reconnects its gRPC channel after a failure but does NOT
 * re-establish a subscription. A dropped subscription rejects `done` (with
 * EventStoreUnavailableError); the projector is the one that resubscribes from its own
 * checkpoint. This adapter never resubscribes on its own.
 */
import {
  BACKWARDS,
  END,
  EventStoreDBClient,
  FORWARDS,
  START,
  excludeSystemEvents,
  jsonEvent,
  type AllStreamResolvedEvent,
  type AllStreamSubscription,
  type ReadPosition,
} from '@eventstore/db-client';
import {
  EventStoreUnavailableError,
  validateNewEvents,
  WrongExpectedVersionError,
  type AppendResult,
  type EventStore,
  type ExpectedVersion,
  type NewEvent,
  type ReadAllOptions,
  type ReadStreamOptions,
  type StoredEvent,
  type SubscribeOptions,
  type Subscription,
  type SubscriptionHandler,
} from '../event-store.port';
import {
  isKnownPosition,
  isStreamNotFound,
  mapClientError,
  toExpectedRevision,
  toReadPosition,
  toStoredEvent,
} from './mapping';
import { Semaphore } from './semaphore';

export interface EventStoreDbOptions {
  /**
   * Appends in flight on the one client; the rest queue in FIFO order. The Node client hangs
   * with more than ~100 concurrent appends on a fresh connection (KurrentDB-Client-NodeJS #304).
   * Default 64.
   */
  maxAppendsInFlight?: number;
}

/** the part of the client this adapter uses (lets unit tests run it against a fake) */
export type EventStoreDbClientLike = Pick<
  EventStoreDBClient,
  'appendToStream' | 'readStream' | 'readAll' | 'subscribeToAll' | 'dispose'
>;

export const DEFAULT_MAX_APPENDS_IN_FLIGHT = 64;
export const DEFAULT_SUBSCRIPTION_BATCH_SIZE = 256;
/** smallest page when reading $all, so runs of system events are skipped in few round trips */
const MIN_ALL_PAGE = 64;

export class EventStoreDbEventStore implements EventStore {
  private readonly appends: Semaphore;
  private readonly subscriptions = new Set<EventStoreDbSubscription>();
  private closed = false;

  private constructor(
    private readonly client: EventStoreDbClientLike,
    options: EventStoreDbOptions,
  ) {
    this.appends = new Semaphore(options.maxAppendsInFlight ?? DEFAULT_MAX_APPENDS_IN_FLIGHT);
  }

  /**
   * Creates the client from a connection string such as `esdb://localhost:2113?tls=false`.
   * The client connects lazily: a server that is down surfaces as EventStoreUnavailableError
   * on the first operation (call ping() to check at start-up).
   */
  static connect(url: string, options: EventStoreDbOptions = {}): EventStoreDbEventStore {
    let client: EventStoreDBClient;
    try {
      client = EventStoreDBClient.connectionString(url);
    } catch (err) {
      throw new EventStoreUnavailableError(`invalid EventStoreDB connection string: ${(err as Error).message}`, err);
    }
    return new EventStoreDbEventStore(client, options);
  }

  /** wraps an existing client (or a test double); close() disposes it */
  static fromClient(client: EventStoreDbClientLike, options: EventStoreDbOptions = {}): EventStoreDbEventStore {
    return new EventStoreDbEventStore(client, options);
  }

  /** one cheap read; throws EventStoreUnavailableError when the server cannot be reached */
  async ping(): Promise<void> {
    await this.headPosition();
  }

  async append(streamId: string, events: NewEvent[], expected: ExpectedVersion): Promise<AppendResult> {
    validateNewEvents(streamId, events); // refuses the whole batch before anything is sent
    const expectedRevision = toExpectedRevision(expected);
    if (events.length === 0) return this.appendNothing(streamId, expected);
    const eventData = events.map((e) => jsonEvent({ id: e.id, type: e.type, data: e.data, metadata: e.metadata }));
    let result;
    try {
      result = await this.appends.run(() => this.client.appendToStream(streamId, eventData, { expectedRevision }));
    } catch (err) {
      throw mapClientError(err, { streamId, expected });
    }
    // an idempotent re-append (same ids at the same expected version) succeeds without a
    // position: look up the already-stored last event instead
    const position =
      result.position && isKnownPosition(result.position.commit)
        ? result.position.commit
        : await this.positionOfRevision(streamId, result.nextExpectedRevision);
    return { nextExpectedVersion: result.nextExpectedRevision, position };
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<StoredEvent[]> {
    const backwards = options.direction === 'backwards';
    if (options.maxCount !== undefined && options.maxCount <= 0) return [];
    const out: StoredEvent[] = [];
    try {
      const read = this.client.readStream(streamId, {
        direction: backwards ? BACKWARDS : FORWARDS,
        fromRevision: options.fromVersion ?? (backwards ? END : START),
        ...(options.maxCount !== undefined ? { maxCount: options.maxCount } : {}),
      });
      for await (const resolved of read) {
        const stored = toStoredEvent(resolved);
        if (stored) out.push(stored);
      }
    } catch (err) {
      if (isStreamNotFound(err)) return [];
      throw mapClientError(err, { streamId });
    }
    return out;
  }

  /** the metadata option is not needed here: events come with their whole metadata */
  async readAll(options: ReadAllOptions = {}): Promise<StoredEvent[]> {
    const after = options.after ?? 0n;
    const maxCount = options.maxCount;
    if (maxCount !== undefined && maxCount <= 0) return [];
    const out: StoredEvent[] = [];
    let cursor = after;
    try {
      for (;;) {
        // the server reads forwards inclusively from the cursor: one more than wanted
        const pageSize = maxCount === undefined ? undefined : Math.max(maxCount - out.length + 1, MIN_ALL_PAGE);
        const page = await this.readAllPage(toReadPosition(cursor), FORWARDS, pageSize);
        let next = cursor;
        for (const resolved of page) {
          const position = rawPosition(resolved);
          if (position !== undefined) {
            if (position <= cursor) continue;
            if (position > next) next = position;
          }
          const stored = toStoredEvent(resolved);
          if (stored && stored.position > after) out.push(stored);
        }
        const reachedEnd = pageSize === undefined || page.length < pageSize;
        if (reachedEnd || (maxCount !== undefined && out.length >= maxCount) || next === cursor) break;
        cursor = next;
      }
    } catch (err) {
      throw mapClientError(err);
    }
    return maxCount === undefined ? out : out.slice(0, maxCount);
  }

  subscribeToAll(handler: SubscriptionHandler, options: SubscribeOptions = {}): Subscription {
    if (this.closed) throw new EventStoreUnavailableError('event store is closed');
    const after = options.after ?? 0n;
    const batchSize = Math.max(1, options.batchSize ?? DEFAULT_SUBSCRIPTION_BATCH_SIZE);
    const stream = this.client.subscribeToAll(
      { fromPosition: toReadPosition(after), filter: excludeSystemEvents() },
      { highWaterMark: batchSize },
    );
    const subscription = new EventStoreDbSubscription(stream, handler, after, batchSize, () =>
      this.subscriptions.delete(subscription),
    );
    this.subscriptions.add(subscription);
    return subscription;
  }

  async headPosition(): Promise<bigint> {
    let from: ReadPosition = END;
    try {
      for (;;) {
        const page = await this.readAllPage(from, BACKWARDS, MIN_ALL_PAGE);
        let oldest: bigint | undefined;
        for (const resolved of page) {
          const stored = toStoredEvent(resolved);
          if (stored && isKnownPosition(stored.position)) return stored.position;
          const position = rawPosition(resolved);
          if (position !== undefined && (oldest === undefined || position < oldest)) oldest = position;
        }
        if (page.length < MIN_ALL_PAGE || oldest === undefined) return 0n;
        // backwards reads return events strictly before the given position
        from = { commit: oldest, prepare: oldest };
      }
    } catch (err) {
      throw mapClientError(err);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.subscriptions].map((s) => s.close()));
    await this.client.dispose();
  }

  private async readAllPage(
    fromPosition: ReadPosition,
    direction: typeof FORWARDS | typeof BACKWARDS,
    maxCount: number | undefined,
  ): Promise<AllStreamResolvedEvent[]> {
    const page: AllStreamResolvedEvent[] = [];
    const read = this.client.readAll({
      fromPosition,
      direction,
      resolveLinkTos: false,
      ...(maxCount !== undefined ? { maxCount } : {}),
    });
    for await (const resolved of read) page.push(resolved);
    return page;
  }

  /** $all position of the event at `revision` (used when an append reports none) */
  private async positionOfRevision(streamId: string, revision: bigint): Promise<bigint> {
    const [event] = await this.readStream(streamId, { fromVersion: revision, maxCount: 1 });
    if (event && isKnownPosition(event.position)) return event.position;
    // a server that does not report positions on stream reads: the head is a safe upper bound
    // for "wait until the projections have seen my write"
    return this.headPosition();
  }

  /** an empty batch stores nothing but still honours the expected version */
  private async appendNothing(streamId: string, expected: ExpectedVersion): Promise<AppendResult> {
    const [last] = await this.readStream(streamId, { direction: 'backwards', maxCount: 1 });
    const actual = last ? last.version : 'no-stream';
    const ok = expected === 'any' || (expected === 'no-stream' ? actual === 'no-stream' : actual === expected);
    if (!ok) throw new WrongExpectedVersionError(streamId, expected, actual);
    return { nextExpectedVersion: last ? last.version : -1n, position: last && isKnownPosition(last.position) ? last.position : 0n };
  }
}

function rawPosition(resolved: AllStreamResolvedEvent): bigint | undefined {
  const position = resolved.event?.position?.commit ?? resolved.commitPosition;
  return isKnownPosition(position) ? position : undefined;
}

/**
 * Delivers a catch-up subscription with back-pressure: the handler's promise is awaited
 * before the next batch is taken from the client's stream (used as an async iterator; what
 * is already buffered, up to batchSize, is delivered together).
 */
export class EventStoreDbSubscription implements Subscription {
  readonly done: Promise<void>;
  private closing = false;
  private inHandler = false;

  constructor(
    private readonly stream: AllStreamSubscription,
    private readonly handler: SubscriptionHandler,
    private lastDelivered: bigint,
    private readonly batchSize: number,
    private readonly onFinished: () => void,
  ) {
    this.done = this.pump();
    this.done.catch(() => undefined); // a failure is reported through `done`, never as an unhandled rejection
  }

  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    try {
      await this.stream.unsubscribe();
    } catch {
      /* already gone */
    }
    this.stream.destroy(); // wakes the iterator if it is waiting for events
    if (!this.inHandler) await this.done.catch(() => undefined);
  }

  private async pump(): Promise<void> {
    try {
      const iterator = this.stream[Symbol.asyncIterator]();
      while (!this.closing) {
        let first: IteratorResult<AllStreamResolvedEvent>;
        try {
          first = await iterator.next();
        } catch (err) {
          if (this.closing) return;
          throw mapClientError(err);
        }
        if (first.done) break;
        const batch: AllStreamResolvedEvent[] = [first.value];
        while (batch.length < this.batchSize) {
          const more = this.stream.read() as AllStreamResolvedEvent | null;
          if (more === null) break;
          batch.push(more);
        }
        const events: StoredEvent[] = [];
        for (const resolved of batch) {
          const stored = toStoredEvent(resolved);
          if (stored && stored.position > this.lastDelivered) events.push(stored);
        }
        if (events.length === 0 || this.closing) continue;
        this.inHandler = true;
        try {
          await this.handler(events); // a handler error stops the subscription as it is
        } finally {
          this.inHandler = false;
        }
        this.lastDelivered = events[events.length - 1].position;
      }
      if (!this.closing) {
        throw new EventStoreUnavailableError('EventStoreDB subscription to $all ended; resubscribe from the checkpoint');
      }
    } finally {
      const closedByCaller = this.closing;
      this.closing = true;
      if (!closedByCaller) {
        try {
          await this.stream.unsubscribe();
        } catch {
          /* already gone */
        }
        this.stream.destroy();
      }
      this.onFinished();
    }
  }
}
