import { createHash } from 'crypto';
import { NewEvent, StoredEvent } from './event-store.port';

/**
 * Tamper evidence: every event's metadata carries `hash` = SHA-256 over the previous event's
 * hash in the same stream and the event's canonical content (stream, version, id, type,
 * data, metadata without the hash fields). Editing, removing or reordering any stored event
 * breaks the chain from that point on. Computed in one place (the writer) for both stores.
 */
export const GENESIS_HASH = '0'.repeat(64);

/** JSON with object keys sorted, so the same content always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  const keys = Object.keys(value as Record<string, unknown>)
    .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`).join(',')}}`;
}

export function eventHash(
  prevHash: string,
  streamId: string,
  version: bigint,
  e: Pick<NewEvent, 'id' | 'type' | 'data' | 'metadata'>,
): string {
  const { hash: _h, prevHash: _p, ...metadata } = e.metadata;
  const content = canonicalJson({ streamId, version: version.toString(), id: e.id, type: e.type, data: e.data, metadata });
  return createHash('sha256').update(prevHash).update('\n').update(content).digest('hex');
}

/** Sets prevHash and hash on each event, given the hash of the stream's last stored event. */
export function chainEvents(streamId: string, firstVersion: bigint, prevHash: string | null, events: NewEvent[]): NewEvent[] {
  let prev = prevHash ?? GENESIS_HASH;
  return events.map((e, i) => {
    const metadata = { ...e.metadata, prevHash: prev };
    const hash = eventHash(prev, streamId, firstVersion + BigInt(i), { ...e, metadata });
    prev = hash;
    return { ...e, metadata: { ...metadata, hash } };
  });
}

export interface ChainBreak {
  streamId: string;
  version: bigint;
  position: bigint;
  eventId: string;
  reason: string;
}

/** Checks one stream's events (in version order, starting at version 0). Returns the first break or null. */
export function verifyChain(events: StoredEvent[]): ChainBreak | null {
  let prev = GENESIS_HASH;
  let expectedVersion = 0n;
  for (const e of events) {
    const at = { streamId: e.streamId, version: e.version, position: e.position, eventId: e.id };
    if (e.version !== expectedVersion) return { ...at, reason: `expected version ${expectedVersion}, found ${e.version} (an event is missing)` };
    if (e.metadata.prevHash !== prev) return { ...at, reason: 'prevHash does not match the previous event (removed, inserted or reordered event)' };
    const recomputed = eventHash(prev, e.streamId, e.version, e);
    if (e.metadata.hash !== recomputed) return { ...at, reason: 'hash does not match the content (the event was edited)' };
    prev = recomputed;
    expectedVersion++;
  }
  return null;
}
