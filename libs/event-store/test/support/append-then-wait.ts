// Child process for the durability test: appends forever and prints each acknowledged event id.
import { SqliteEventStore } from '../../src';
import { newEventForChild } from './new-event';

const store = SqliteEventStore.open(process.argv[2]);
let n = 0;
async function loop(worker: number) {
  for (;;) {
    const e = newEventForChild(n++);
    await store.append(`durable-${worker}-${n}`, [e], 'no-stream');
    process.stdout.write(`ack ${e.id}\n`);
  }
}
for (let w = 0; w < 8; w++) void loop(w);
