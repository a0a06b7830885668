/**
 * npm run verify-audit — walks every stream of the event log and checks its hash chain.
 * Prints the first break (stream, version, position, reason) and exits 1, or exits 0.
 * Works on the configured store (DATA_DIR / EVENT_STORE); opens the embedded store read-only.
 */
import { GENESIS_HASH, eventHash } from '../libs/event-store/src/hash-chain';
import { loadConfig } from '../apps/api/src/config';
import { openEventStore } from '../apps/api/src/infrastructure/stores';

async function main() {
  const config = loadConfig();
  const store = await openEventStore(config, { readOnly: true });
  const streams = new Map<string, { version: bigint; hash: string }>();
  let after = 0n;
  let count = 0;
  for (;;) {
    const page = await store.readAll({ after, maxCount: 5000 });
    if (page.length === 0) break;
    for (const e of page) {
      count++;
      const last = streams.get(e.streamId);
      const expectedVersion = last ? last.version + 1n : 0n;
      const prev = last?.hash ?? GENESIS_HASH;
      let reason: string | null = null;
      if (e.version !== expectedVersion) reason = `expected version ${expectedVersion}, found ${e.version} (an event is missing or reordered)`;
      else if (e.metadata.prevHash !== prev) reason = 'prevHash does not match the previous event of the stream';
      else if (e.metadata.hash !== eventHash(prev, e.streamId, e.version, e)) reason = 'hash does not match the content: the event was edited';
      if (reason) {
        console.log(`BROKEN chain in ${e.streamId} at version ${e.version} (position ${e.position}, event ${e.id}): ${reason}`);
        console.log(`checked ${count} events in ${streams.size + 1} streams before the break`);
        await store.close();
        process.exit(1);
      }
      streams.set(e.streamId, { version: e.version, hash: String(e.metadata.hash) });
    }
    after = page[page.length - 1].position;
  }
  console.log(`audit chain intact: ${count} events in ${streams.size} streams`);
  await store.close();
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(2);
});
