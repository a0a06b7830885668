/**
 * npm run rebuild -- <projection|all> — rebuilds read models from the event log beside the
 * live ones and switches over when caught up, showing progress. Runs while the API serves.
 */
import { allProjections, rebuildProjections } from '../libs/projections/src';
import { loadConfig } from '../apps/api/src/config';
import { openEventStore, openReadStore, readStoreLocation } from '../apps/api/src/infrastructure/stores';

async function main() {
  const which = process.argv[2];
  const available = allProjections();
  if (!which) {
    console.error(`usage: npm run rebuild -- <${available.map((p) => p.name).join('|')}|all>`);
    process.exit(2);
  }
  const selected = which === 'all' ? available : available.filter((p) => p.name === which);
  if (selected.length === 0) {
    console.error(`no projection ${which}; projections: ${available.map((p) => p.name).join(', ')}`);
    process.exit(2);
  }
  const config = loadConfig();
  const events = await openEventStore(config, { readOnly: true });
  // the embedded store commits on a writer thread of its own while pages are folded; the
  // projections other than tickets run on a worker thread with a second connection
  const views = await openReadStore(config, undefined, { writerThread: true });
  console.log(`rebuilding ${selected.map((p) => p.name).join(', ')} from the event log (head ${await events.headPosition()})`);
  const result = await rebuildProjections(events, views, selected, {
    workerLocation: readStoreLocation(config),
    onProgress: (p) =>
      console.log(
        `  ${p.eventsDone} events done, position ${p.position}/${p.head}, ${p.eventsPerSec} events/s, ` +
          `${p.secondsLeft === null ? '?' : `${p.secondsLeft} s`} left`,
      ),
  });
  console.log(`switched over at position ${result.position}: ${result.events} events in ${result.seconds.toFixed(1)} s`);
  await views.close();
  await events.close();
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
