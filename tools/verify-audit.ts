/**
 * npm run verify-audit — walks every stream of the event log and checks its hash chain.
 * Prints one line per broken stream (stream, version, position, event, reason: the first
 * break of that stream; the rest of it is not trusted and not checked further) and exits 1,
 * or prints "audit chain intact" and exits 0. Exits 2 when the store cannot be read.
 *
 * On the embedded store, positions are consecutive integers, so a gap in them is a removed
 * event even when it was the last of its stream (which its stream's chain alone cannot show).
 * A removal at the very end of the whole log, or a rewrite that recomputes every later hash,
 * can only be found against a head recorded elsewhere: the success line prints the head
 * position and a digest of every stream's last hash for that purpose.
 *
 * Works on the configured store (DATA_DIR / EVENT_STORE); opens the embedded store read-only.
 */
import { createHash } from 'crypto';
import { GENESIS_HASH, eventHash } from '../libs/event-store/src/hash-chain';
import { loadConfig } from '../apps/api/src/config';
import { openEventStore } from '../apps/api/src/infrastructure/stores';

async function main() {
  const config = loadConfig();
  const store = await openEventStore(config, { readOnly: true });
  const consecutivePositions = config.eventStore === 'sqlite';
  const streams = new Map<string, { version: bigint; hash: string }>();
  const broken = new Set<string>();
  const problems: string[] = [];
  let after = 0n;
  let count = 0;
  for (;;) {
    const page = await store.readAll({ after, maxCount: 5000 });
    if (page.length === 0) break;
    for (const e of page) {
      count++;
      if (consecutivePositions && e.position !== after + 1n) {
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
        problems.push(`BROKEN chain in ${e.streamId} at version ${e.version} (position ${e.position}, event ${e.id} ${e.type}): ${reason}`);
        continue;
      }
      streams.set(e.streamId, { version: e.version, hash: String(e.metadata.hash) });
    }
  }
  await store.close();
  if (problems.length > 0) {
    for (const p of problems) console.log(p);
    console.log(`checked ${count} events in ${streams.size + broken.size} streams: ${broken.size} broken stream(s), ${problems.length} problem(s)`);
    process.exit(1);
  }
  const digest = createHash('sha256');
  for (const id of [...streams.keys()].sort()) digest.update(`${id}@${streams.get(id)!.version}:${streams.get(id)!.hash}\n`);
  console.log(`audit chain intact: ${count} events in ${streams.size} streams; head position ${after}; heads digest ${digest.digest('hex')}`);
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(2);
});
