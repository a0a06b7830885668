import { EventStore } from '@helpdesk/event-store';
import { ReadStore } from '@helpdesk/read-store';
import { BatchApplier, Projection, shadowNames } from './projection';

export interface RebuildProgress {
  eventsDone: number;
  position: bigint;
  head: bigint;
  eventsPerSec: number;
  /** estimated seconds left to reach the head as it was when last read */
  secondsLeft: number | null;
}

export interface RebuildOptions {
  pageSize?: number;
  onProgress?: (p: RebuildProgress) => void;
  /** how often progress is reported */
  progressEveryMs?: number;
}

/**
 * Rebuild without downtime: builds fresh copies of the projections' collections beside the
 * live ones (`<name>__rebuild`), from the whole event log, then swaps them in once caught up
 * with the head and sets the live checkpoints to the rebuilt position. A live projector that
 * was ahead finds its checkpoint moved (compare-and-set) and resumes from the swapped one.
 */
export async function rebuildProjections(
  events: EventStore,
  store: ReadStore,
  projections: Projection[],
  options: RebuildOptions = {},
): Promise<{ events: number; position: bigint; seconds: number }> {
  const pageSize = options.pageSize ?? 20_000;
  const appliers = projections.map((p) => new BatchApplier(store, p, shadowNames, { startsEmpty: true }));
  for (const p of projections) {
    for (const c of p.collections) await store.dropCollection(shadowNames(c.name));
  }
  // indexes are built once at the swap, not maintained document by document while filling
  await store.ensureCollections(
    projections.flatMap((p) => p.collections.map((c) => ({ ...c, name: shadowNames(c.name) }))),
    { deferIndexes: true },
  );
  for (const a of appliers) await store.setCheckpoint(a.checkpointName, 0n);

  const started = Date.now();
  let lastReport = 0;
  let position = 0n;
  let done = 0;
  let checkpoint = 0n;
  let head = await events.headPosition();
  for (;;) {
    const page = await events.readAll({ after: position, maxCount: pageSize });
    if (page.length === 0) {
      head = await events.headPosition();
      if (head <= position) break; // caught up
      continue;
    }
    for (const a of appliers) await a.applyPage(page);
    position = page[page.length - 1].position;
    for (const a of appliers) await a.flush(checkpoint, position);
    checkpoint = position;
    done += page.length;
    const now = Date.now();
    if (options.onProgress && now - lastReport >= (options.progressEveryMs ?? 1000)) {
      lastReport = now;
      if (position > head) head = await events.headPosition();
      const rate = done / Math.max(0.001, (now - started) / 1000);
      options.onProgress({
        eventsDone: done,
        position,
        head,
        eventsPerSec: Math.round(rate),
        secondsLeft: head > position ? Math.round(Number(head - position) / rate) : 0,
      });
    }
  }
  await store.swapCollections(
    projections.flatMap((p) => p.collections.map((c) => ({ live: c.name, shadow: shadowNames(c.name) }))),
    projections.map((p) => ({ name: p.name, position })),
  );
  for (const a of appliers) await store.setCheckpoint(a.checkpointName, 0n);
  return { events: done, position, seconds: (Date.now() - started) / 1000 };
}
