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
 * The walk itself is verifyChains (libs/application/src/audit-chain.ts), shared with backups.
 */
import { verifyChains } from '../libs/application/src/audit-chain';
import { loadConfig } from '../apps/api/src/config';
import { openEventStore } from '../apps/api/src/infrastructure/stores';

async function main() {
  const config = loadConfig();
  const store = await openEventStore(config, { readOnly: true });
  const report = await verifyChains(store, { consecutivePositions: config.eventStore === 'sqlite' });
  await store.close();
  if (report.problems.length > 0) {
    for (const p of report.problems) console.log(p);
    console.log(
      `checked ${report.events} events in ${report.streams + report.brokenStreams} streams: ${report.brokenStreams} broken stream(s), ${report.problems.length} problem(s)`,
    );
    process.exit(1);
  }
  console.log(`audit chain intact: ${report.events} events in ${report.streams} streams; head position ${report.head}; heads digest ${report.headsDigest}`);
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(2);
});
