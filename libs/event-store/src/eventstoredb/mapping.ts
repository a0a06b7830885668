/**
 * Pure translations between the event-store port and @eventstore/db-client 6.x types.
 * No I/O here, so these are unit-tested without a server.
 */
import {
  ANY,
  NO_STREAM,
  START,
  ErrorType,
  type AllStreamResolvedEvent,
  type AppendExpectedRevision,
  type CurrentRevision,
  type ReadPosition,
  type ResolvedEvent,
} from '@eventstore/db-client';
import {
  EventStoreUnavailableError,
  InvalidEventError,
  WrongExpectedVersionError,
  type EventMetadata,
  type ExpectedVersion,
  type StoredEvent,
} from '../event-store.port';

/** port expected version -> the client's expectedRevision */
export function toExpectedRevision(expected: ExpectedVersion): AppendExpectedRevision {
  if (expected === 'any') return ANY;
  if (expected === 'no-stream') return NO_STREAM;
  if (typeof expected === 'bigint' && expected >= 0n) return expected;
  throw new InvalidEventError(`invalid expected version ${String(expected)}`);
}

/** the client's current revision (in a wrong-expected-version error) -> the port's actual version */
export function toActualVersion(current: CurrentRevision | undefined): bigint | 'no-stream' {
  if (typeof current === 'bigint' && current >= 0n) return current;
  return 'no-stream';
}

/** the client's expected revision -> the port's (only used when the caller's value is unknown) */
export function toPortExpected(expected: AppendExpectedRevision | undefined): ExpectedVersion {
  if (typeof expected === 'bigint') return expected;
  if (expected === NO_STREAM) return 'no-stream';
  return 'any';
}

/**
 * $all read position for "events with position > after", and the (inclusive) position the
 * server is asked to start from. Events appended through gRPC are implicitly committed, so
 * each event's commit position equals its prepare position; a forward read from
 * {commit: p, prepare: p} therefore starts AT the event at p, and callers drop it
 * (see isAfter). 0n means "from the start".
 */
export function toReadPosition(after: bigint): ReadPosition {
  if (after <= 0n) return START;
  return { commit: after, prepare: after };
}

/** a commit position the server reports as "none" (-1 as unsigned 64 bit) */
const NO_POSITION_THRESHOLD = 1n << 63n;

export function isKnownPosition(position: bigint | undefined): position is bigint {
  return typeof position === 'bigint' && position >= 0n && position < NO_POSITION_THRESHOLD;
}

/** system events ($stats, $metadata, $>, $settings...) are never part of the domain log */
export function isSystemEvent(streamId: string, type: string): boolean {
  return type.startsWith('$') || streamId.startsWith('$');
}

type AnyResolvedEvent = ResolvedEvent | AllStreamResolvedEvent;

/**
 * Maps a resolved event to the port's StoredEvent; null for system events and for
 * entries without an event (unresolved links). `position` is the event's commit position
 * in $all, -1n when the server did not report one (reads of a stream on servers < 22.6).
 */
export function toStoredEvent(resolved: AnyResolvedEvent): StoredEvent | null {
  const event = resolved.event;
  if (!event) return null;
  if (isSystemEvent(event.streamId, event.type)) return null;
  const commit = event.position?.commit ?? resolved.commitPosition;
  return {
    id: event.id,
    type: event.type,
    streamId: event.streamId,
    version: event.revision,
    position: isKnownPosition(commit) ? commit : -1n,
    data: toDataObject(event.data),
    metadata: toMetadata(event.metadata),
  };
}

function parseJsonBytes(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch {
    return undefined;
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array);
}

/** JSON object data as written by this adapter; anything else is wrapped so nothing is lost */
export function toDataObject(data: unknown): Record<string, unknown> {
  const value = data instanceof Uint8Array ? (parseJsonBytes(data) ?? data) : data;
  if (isPlainObject(value)) return value;
  if (value instanceof Uint8Array) return { $binary: Buffer.from(value).toString('base64') };
  return { $value: value };
}

/**
 * The client already JSON-parses metadata (and hands back raw bytes when it is not JSON).
 * Events written by other tools may have none: they get an empty object, typed as metadata.
 */
export function toMetadata(metadata: unknown): EventMetadata {
  const value = metadata instanceof Uint8Array ? parseJsonBytes(metadata) : metadata;
  if (typeof value === 'string') {
    try {
      const parsed: unknown = JSON.parse(value);
      if (isPlainObject(parsed)) return parsed as EventMetadata;
    } catch {
      /* not JSON: fall through */
    }
  }
  if (isPlainObject(value)) return value as EventMetadata;
  return {} as EventMetadata;
}

const UNAVAILABLE_TYPES: ReadonlySet<string> = new Set<string>([
  ErrorType.UNAVAILABLE,
  ErrorType.DEADLINE_EXCEEDED,
  ErrorType.TIMEOUT,
  ErrorType.NOT_LEADER,
  ErrorType.CANCELLED,
]);

/** gRPC status codes: CANCELLED 1, DEADLINE_EXCEEDED 4, RESOURCE_EXHAUSTED 8, UNAVAILABLE 14 */
const UNAVAILABLE_GRPC_CODES: ReadonlySet<number> = new Set([1, 4, 8, 14]);

const UNAVAILABLE_MESSAGE =
  /ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|EHOSTUNREACH|failed to discover|no connection established|failed to connect|connection dropped/i;

export interface ErrorContext {
  streamId?: string;
  expected?: ExpectedVersion;
}

/**
 * Maps an error thrown by the client to the port's errors; anything unrecognised is
 * returned unchanged.
 */
export function mapClientError(err: unknown, context: ErrorContext = {}): unknown {
  if (!(err instanceof Error)) return err;
  if (
    err instanceof WrongExpectedVersionError ||
    err instanceof EventStoreUnavailableError ||
    err instanceof InvalidEventError
  ) {
    return err;
  }
  const type = (err as { type?: unknown }).type;
  if (type === ErrorType.WRONG_EXPECTED_VERSION) {
    const wev = err as Error & { streamName?: string; expectedVersion?: AppendExpectedRevision; actualVersion?: CurrentRevision };
    return new WrongExpectedVersionError(
      context.streamId ?? wev.streamName ?? '',
      context.expected ?? toPortExpected(wev.expectedVersion),
      toActualVersion(wev.actualVersion),
    );
  }
  if (type === ErrorType.MAXIMUM_APPEND_SIZE_EXCEEDED) {
    return new InvalidEventError(`append to ${context.streamId ?? 'stream'} refused by the server: ${err.message}`);
  }
  if (typeof type === 'string' && UNAVAILABLE_TYPES.has(type)) {
    return new EventStoreUnavailableError(`EventStoreDB unavailable (${type}): ${err.message}`, err);
  }
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'number' && UNAVAILABLE_GRPC_CODES.has(code) && type === undefined) {
    return new EventStoreUnavailableError(`EventStoreDB unavailable (gRPC status ${code}): ${err.message}`, err);
  }
  if (UNAVAILABLE_MESSAGE.test(err.message)) {
    return new EventStoreUnavailableError(`EventStoreDB unavailable: ${err.message}`, err);
  }
  return err;
}

export function isStreamNotFound(err: unknown): boolean {
  return err instanceof Error && (err as { type?: unknown }).type === ErrorType.STREAM_NOT_FOUND;
}
