import { createHash } from 'crypto';
import { EventStore, GENESIS_HASH, eventHash } from '@helpdesk/event-store';

export interface ChainReport {
  /** events read */
  events: number;
  /** streams with an intact chain */
  streams: number;
  brokenStreams: number;
  /** global position of the last event read */
  head: bigint;
  /** SHA-256 over every intact stream's id, last version and last hash (sorted by id) */
  headsDigest: string;
  /** one line per break: the first break of each stream, and gaps in the positions */
  problems: string[];
}

/**
 * Walks every stream of the log (page by page, in global order) and checks its hash chain:
 * versions consecutive, each prevHash the previous event's hash, each hash the content's.
 * On a store whose positions are consecutive (the embedded one) a gap in them is a removed
 * event even when it was the last of its stream. Used by `npm run verify-audit` and by the
 * backup and restore commands.
 *
 * @param upTo read only events at or before this position (a backup's head)
 */
export async function verifyChains(store: Pick<EventStore, 'readAll'>, options: { consecutivePositions: boolean; upTo?: bigint; pageSize?: number }): Promise<ChainReport> {
  const streams = new Map<string, { version: bigint; hash: string }>();
  const broken = new Set<string>();
  const problems: string[] = [];
  let after = 0n;
  let count = 0;
  const pageSize = options.pageSize ?? 5000;
  for (;;) {
    const page = await store.readAll({ after, maxCount: pageSize });
    if (page.length === 0) break;
    for (const e of page) {
      if (options.upTo !== undefined && e.position > options.upTo) break;
      count++;
      if (options.consecutivePositions && e.position !== after + 1n) {
        const missing = e.position - after - 1n;
        problems.push(
          `BROKEN log before position ${e.position}: ${missing === 1n ? `position ${after + 1n} is` : `positions ${after + 1n}-${e.position - 1n} are`} missing (event removed)`,
        );
      }
      after = e.position;
      if (broken.has(e.streamId)) continue;
      const last = streams.get(e.streamId);
      const expectedVersion = last ? last.version + 1n : 0n;
      const prev = last?.hash ?? GENESIS_HASH;
      let reason: string | null = null;
      if (e.version !== expectedVersion) reason = `expected version ${expectedVersion}, found ${e.version} (an event is missing or reordered)`;
      else if (e.metadata.prevHash !== prev) reason = 'prevHash does not match the previous event of the stream (removed, inserted or reordered event)';
      else if (e.metadata.hash !== eventHash(prev, e.streamId, e.version, e)) reason = 'hash does not match the content: the event was edited';
      if (reason) {
        broken.add(e.streamId);
        streams.delete(e.streamId);
        problems.push(`BROKEN chain in ${e.streamId} at version ${e.version} (position ${e.position}, event ${e.id} ${e.type}): ${reason}`);
        continue;
      }
      streams.set(e.streamId, { version: e.version, hash: String(e.metadata.hash) });
    }
    if (options.upTo !== undefined && after >= options.upTo) break;
  }
  const digest = createHash('sha256');
  for (const id of [...streams.keys()].sort()) digest.update(`${id}@${streams.get(id)!.version}:${streams.get(id)!.hash}\n`);
  return { events: count, streams: streams.size, brokenStreams: broken.size, head: after, headsDigest: digest.digest('hex'), problems };
}
