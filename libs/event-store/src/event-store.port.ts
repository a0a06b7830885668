/**
 * The event-store port. Every adapter (embedded SQLite, EventStoreDB) implements it and
 * passes the shared contract suite in libs/event-store/test/event-store.contract.ts.
 *
 * Positions: `version` is the 0-based revision of an event inside its stream;
 * `position` is the 1-based global position in $all (monotonic, gap-free in the
 * embedded store; EventStoreDB commit positions are monotonic but not dense).
 */

export type ExpectedVersion = bigint | 'no-stream' | 'any';

export interface EventMetadata {
  /** principal id (JWT sub) or `system:<component>` */
  actor: string;
  /** ISO 8601 instant with offset */
  occurredAt: string;
  correlationId: string;
  causationId: string | null;
  schemaVersion: number;
  /** hash chain for tamper evidence (set by the store layer, see libs/event-store/src/hash-chain.ts) */
  hash?: string;
  prevHash?: string | null;
  [key: string]: unknown;
}

export interface NewEvent {
  /** UUID; re-appending the same ids at the same expected version is an idempotent success */
  id: string;
  type: string;
  data: Record<string, unknown>;
  metadata: EventMetadata;
}

export interface StoredEvent extends NewEvent {
  streamId: string;
  version: bigint;
  position: bigint;
}

export interface AppendResult {
  /** version of the last event now in the stream */
  nextExpectedVersion: bigint;
  /** global position of the last event appended (or of the already-stored one on idempotent re-append) */
  position: bigint;
}

export interface ReadStreamOptions {
  direction?: 'forwards' | 'backwards';
  /** inclusive start version; default start (forwards) or end (backwards) */
  fromVersion?: bigint;
  maxCount?: number;
}

export interface ReadAllOptions {
  /** exclusive: events with position > after; default 0n (from the beginning) */
  after?: bigint;
  maxCount?: number;
  /**
   * 'occurredAt': the events' metadata need hold only `occurredAt` (what projections read), so
   * a rebuild reading millions of events does not parse the rest (actor, correlation, the hash
   * chain: most of an event's metadata). An adapter may return the full metadata anyway.
   */
  metadata?: 'full' | 'occurredAt';
}

/**
 * A stored event whose metadata may hold only `occurredAt` (readAll with metadata
 * 'occurredAt'). A StoredEvent is one; projections take this type, so they can only rely on
 * `occurredAt`.
 */
export type LeanStoredEvent = Omit<StoredEvent, 'metadata'> & {
  metadata: Pick<EventMetadata, 'occurredAt'> & Partial<EventMetadata>;
};

export interface SubscribeOptions {
  /** exclusive: deliver events with position > after */
  after?: bigint;
  /** how many events to read per catch-up page */
  batchSize?: number;
}

/**
 * A subscription delivers events in global order. The handler's promise is awaited before
 * the next batch is delivered (back-pressure); a handler error stops the subscription and
 * is reported through `done`.
 */
export interface Subscription {
  close(): Promise<void>;
  /** resolves when closed, rejects if the subscription failed */
  readonly done: Promise<void>;
}

export type SubscriptionHandler = (events: StoredEvent[]) => Promise<void> | void;

export interface EventStore {
  append(streamId: string, events: NewEvent[], expected: ExpectedVersion): Promise<AppendResult>;
  readStream(streamId: string, options?: ReadStreamOptions): Promise<StoredEvent[]>;
  readAll(options?: ReadAllOptions & { metadata?: 'full' }): Promise<StoredEvent[]>;
  readAll(options: ReadAllOptions): Promise<LeanStoredEvent[]>;
  subscribeToAll(handler: SubscriptionHandler, options?: SubscribeOptions): Subscription;
  /** global position of the newest event, 0n when empty */
  headPosition(): Promise<bigint>;
  close(): Promise<void>;
}

export class WrongExpectedVersionError extends Error {
  readonly code = 'version-conflict';
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedVersion,
    readonly actual: bigint | 'no-stream',
  ) {
    super(`stream ${streamId}: expected version ${String(expected)}, actual ${String(actual)}`);
    this.name = 'WrongExpectedVersionError';
  }
}

export class InvalidEventError extends Error {
  readonly code = 'invalid-event';
  constructor(message: string) {
    super(message);
    this.name = 'InvalidEventError';
  }
}

export class EventStoreUnavailableError extends Error {
  readonly code = 'store-unavailable';
  constructor(message: string, cause?: unknown) {
    super(message, { cause });
    this.name = 'EventStoreUnavailableError';
  }
}

export const MAX_EVENT_BYTES = 1024 * 1024;

/** Validation shared by every adapter: refuse a whole batch before anything is stored. */
export function validateNewEvents(streamId: string, events: NewEvent[]): Array<{ data: string; metadata: string }> {
  if (typeof streamId !== 'string' || streamId.length === 0 || streamId.startsWith('$')) {
    throw new InvalidEventError(`invalid stream id ${JSON.stringify(streamId)}`);
  }
  const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
  const serialized: Array<{ data: string; metadata: string }> = [];
  const ids = new Set<string>();
  for (const [i, e] of events.entries()) {
    if (!e || typeof e.type !== 'string' || e.type.length === 0) {
      throw new InvalidEventError(`event ${i} of ${streamId} has no type`);
    }
    if (typeof e.id !== 'string' || !uuid.test(e.id)) {
      throw new InvalidEventError(`event ${i} (${e.type}) has no UUID id`);
    }
    if (ids.has(e.id)) throw new InvalidEventError(`event id ${e.id} appears twice in one batch`);
    ids.add(e.id);
    if (e.data === null || typeof e.data !== 'object' || Array.isArray(e.data)) {
      throw new InvalidEventError(`event ${i} (${e.type}) data must be a JSON object`);
    }
    if (e.metadata === null || typeof e.metadata !== 'object') {
      throw new InvalidEventError(`event ${i} (${e.type}) has no metadata`);
    }
    let data: string;
    let metadata: string;
    try {
      data = JSON.stringify(e.data, rejectUnserializable);
      metadata = JSON.stringify(e.metadata, rejectUnserializable);
    } catch (err) {
      throw new InvalidEventError(`event ${i} (${e.type}) is not JSON-serializable: ${(err as Error).message}`);
    }
    if (data.length + metadata.length > MAX_EVENT_BYTES / 4 && Buffer.byteLength(data) + Buffer.byteLength(metadata) > MAX_EVENT_BYTES) {
      throw new InvalidEventError(`event ${i} (${e.type}) is over 1 MB`);
    }
    serialized.push({ data, metadata });
  }
  return serialized;
}

function rejectUnserializable(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') throw new Error('bigint value');
  if (typeof value === 'function' || typeof value === 'symbol') throw new Error(`${typeof value} value`);
  if (typeof value === 'number' && !Number.isFinite(value)) throw new Error('non-finite number');
  return value;
}
