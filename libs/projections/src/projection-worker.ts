/**
 * Entry of a projection worker thread (see ProjectionWorker): applies the pages it is given to
 * its projections, through its own connection to the read store, and flushes where the main
 * thread says, so its checkpoints move with the main thread's.
 */
import * as v8 from 'v8';
import { parentPort, workerData } from 'worker_threads';
import type { LeanStoredEvent } from '@helpdesk/event-store';
import { openReadStoreAt, type ReadStore } from '@helpdesk/read-store';
import { BatchApplier, liveNames, shadowNames } from './projection';
import { PipelinedPages } from './rebuild';
import { allProjections } from './views';
import type { WorkerMessage, WorkerReply, WorkerSetup } from './parallel';

async function main(): Promise<void> {
  const port = parentPort!;
  const setup = workerData as WorkerSetup;
  const reply = (message: WorkerReply) => port.postMessage(message);
  let store: ReadStore;
  let pages: PipelinedPages;
  try {
    const projections = allProjections().filter((p) => setup.projections.includes(p.name));
    if (projections.length !== setup.projections.length) throw new Error(`unknown projection among ${setup.projections.join(', ')}`);
    store = await openReadStoreAt(setup.location);
    const appliers = projections.map((p) => new BatchApplier(store, p, setup.shadow ? shadowNames : liveNames, { startsEmpty: setup.startsEmpty }));
    // the main thread decides when to flush (flushEvery: never by itself)
    pages = new PipelinedPages(appliers, setup.checkpoint, Number.POSITIVE_INFINITY);
  } catch (error) {
    reply({ type: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    return;
  }
  reply({ type: 'ready' });
  let queue = Promise.resolve();
  let failed = false;
  port.on('message', (message: WorkerMessage) => {
    queue = queue.then(async () => {
      if (failed) return;
      try {
        if (message.type === 'page') {
          await pages.apply(v8.deserialize(Buffer.from(message.events)) as LeanStoredEvent[], message.position);
          if (message.flush) await pages.flush();
          reply({ type: 'applied' });
        } else if (message.type === 'finish') {
          await pages.finish();
          reply({ type: 'finished' });
        } else {
          await pages.close();
          await store.close();
          reply({ type: 'closed' });
        }
      } catch (error) {
        failed = true;
        reply({ type: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
      }
    });
  });
}

void main();
