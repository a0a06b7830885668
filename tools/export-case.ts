/**
 * npm run export-case -- <ticketId> — writes the case's complete history as NDJSON to stdout:
 * a header line, then one line per event with its stream, version, position, metadata and
 * hash chain, verifiable offline (see README, Audit).
 */
import { caseHistory, toExportedEvent } from '../libs/application/src/case-history';
import { loadConfig } from '../apps/api/src/config';
import { openEventStore, openReadStore } from '../apps/api/src/infrastructure/stores';

async function main() {
  const ticketId = process.argv[2];
  if (!ticketId) {
    console.error('usage: npm run export-case -- <ticketId>');
    process.exit(2);
  }
  const config = loadConfig();
  const events = await openEventStore(config, { readOnly: true });
  const views = await openReadStore(config);
  const history = await caseHistory(events, views, ticketId);
  if (!history) {
    console.error(`ticket ${ticketId} not found`);
    process.exit(1);
  }
  process.stdout.write(JSON.stringify({ kind: 'case-export', ticketId, exportedAt: new Date().toISOString(), events: history.events.length, chain: history.chain }) + '\n');
  for (const e of history.raw) process.stdout.write(JSON.stringify(toExportedEvent(e)) + '\n');
  await events.close();
  await views.close();
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(2);
});
