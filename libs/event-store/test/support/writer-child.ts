// Child process for the restart tests: opens the store as its writer, appends 20 events,
// reports what its own open found, then either closes cleanly and exits ('clean') or waits to
// be killed ('wait').
import { SqliteEventStore } from '../../src';
import { newEventForChild } from './new-event';

async function main() {
  const [file, mode] = process.argv.slice(2);
  const store = SqliteEventStore.open(file);
  for (let i = 0; i < 20; i++) await store.append(`restart-${process.pid}-${i}`, [newEventForChild(i)], 'no-stream');
  process.stdout.write(`opened ${JSON.stringify(store.integrityCheck)}\n`);
  if (mode === 'clean') {
    await store.close();
    process.stdout.write('closed\n');
    return;
  }
  process.stdout.write('waiting\n');
  setInterval(() => undefined, 60_000);
}
void main();
