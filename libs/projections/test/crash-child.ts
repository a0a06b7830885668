/**
 * Child process of crash.spec.ts: runs every projection from its stored checkpoint over the
 * event store until caught up. The test kills it with
 * SIGKILL at random moments. Usage: crash-child.ts <events.db> <read.db> <batchSize>
 */
import { SqliteEventStore } from '@helpdesk/event-store';
import { Projector, allProjections } from '@helpdesk/projections';
import { SqliteReadStore } from '@helpdesk/read-store';

async function main() {
  const [eventsFile, readFile, batch] = process.argv.slice(2);
  const events = SqliteEventStore.open(eventsFile, { readOnly: true });
  const store = SqliteReadStore.open(readFile);
  const head = await events.headPosition();
  process.stdout.write('ready\n');
  const projector = new Projector(events, store, allProjections(), { batchSize: Number(batch) });
  await projector.start();
  await projector.waitFor(head, 60_000);
  await projector.stop();
  await store.close();
  await events.close();
  process.stdout.write(`done ${head}\n`);
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack}\n`);
  process.exit(1);
});
