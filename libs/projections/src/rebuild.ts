import { EventStore, LeanStoredEvent } from '@helpdesk/event-store';
import { ReadStore, ReadStoreLocation } from '@helpdesk/read-store';
import type { PageTarget } from './page-target';
import { ParallelPages, ProjectionWorker, splitForWorker } from './parallel';
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
  /** events read at a time */
  pageSize?: number;
  /** events applied between writes to the store */
  flushEvery?: number;
  onProgress?: (p: RebuildProgress) => void;
  /** how often progress is reported */
  progressEveryMs?: number;
  /**
   * Where the read store is, for a second connection: given it, and two or more cores, the
   * projections other than tickets are applied on a worker thread (see splitForWorker).
   */
  workerLocation?: ReadStoreLocation;
}

/**
 * Feeds pages of events to appliers and flushes each page as one batch per applier, letting
 * the store commit a page while the next one is folded: at most one flush per applier is in
 * flight, and it is awaited before the next flush (batches commit in order) and before any
 * read of the store by an applier (BatchApplier waits for its own pending flush).
 */
export class PipelinedPages implements PageTarget {
  private inFlight: Promise<void> | null = null;
  private unflushed = 0;
  private position: bigint | null = null;

  /**
   * @param checkpoint the checkpoint stored before the first page (null: no compare-and-set)
   * @param flushEvery events applied between flushes: a document touched often is written
   *   once per flush
   */
  constructor(
    private readonly appliers: BatchApplier[],
    private checkpoint: bigint | null,
    private readonly flushEvery = 1,
  ) {}

  /**
   * Applies a page; `position` is where the page ends in the log (by default its last event:
   * a page filtered for these projections may have dropped the events after their last one).
   */
  async apply(page: LeanStoredEvent[], position: bigint | null = page.length > 0 ? page[page.length - 1].position : null): Promise<void> {
    if (position === null) return;
    for (const a of this.appliers) await a.applyPage(page);
    this.position = position;
    this.unflushed += page.length;
    if (this.unflushed >= this.flushEvery) await this.flush();
  }

  /** flushes what was applied (the store commits it in the background; see settle) */
  async flush(): Promise<void> {
    if (this.position === null || this.position === this.checkpoint) return;
    await this.settle();
    const position = this.position;
    const expected = this.checkpoint;
    const flushing = Promise.all(this.appliers.map((a) => a.flush(expected, position))).then(() => undefined);
    flushing.catch(() => undefined); // reported by the next settle()
    this.inFlight = flushing;
    this.checkpoint = position;
    this.unflushed = 0;
  }

  /** flushes what was applied and waits until it is committed; throws a flush's error, if any */
  async finish(): Promise<void> {
    await this.flush();
    await this.settle();
  }

  async close(): Promise<void> {
    await this.settle().catch(() => undefined);
  }

  /** waits for the last flush; throws its error, if any */
  async settle(): Promise<void> {
    const inFlight = this.inFlight;
    this.inFlight = null;
    if (inFlight) await inFlight;
  }
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
  const flushEvery = options.flushEvery ?? 20_000;
  for (const p of projections) {
    for (const c of p.collections) await store.dropCollection(shadowNames(c.name));
  }
  // indexes are built once at the swap, not maintained document by document while filling
  // (an embedded store with a writer thread keeps them on that thread instead)
  await store.ensureCollections(
    projections.flatMap((p) => p.collections.map((c) => ({ ...c, name: shadowNames(c.name) }))),
    { deferIndexes: true },
  );
  for (const p of projections) await store.setCheckpoint(shadowNames(p.name), 0n);

  const { local, remote } = splitForWorker(projections, options.workerLocation !== undefined);
  const targets: PageTarget[] = [];
  if (remote.length > 0) {
    targets.push(await ProjectionWorker.start(options.workerLocation!, remote, { shadow: true, startsEmpty: true, checkpoint: 0n, flushEvery }));
  }
  targets.push(new PipelinedPages(local.map((p) => new BatchApplier(store, p, shadowNames, { startsEmpty: true })), 0n, flushEvery));
  const pages = targets.length === 1 ? targets[0] : new ParallelPages(targets);

  const started = Date.now();
  let lastReport = 0;
  let position = 0n;
  let done = 0;
  let head = await events.headPosition();
  try {
    for (;;) {
      // projections read only occurredAt of the metadata: the rest is not parsed
      const page = await events.readAll({ after: position, maxCount: pageSize, metadata: 'occurredAt' });
      if (page.length === 0) {
        await pages.finish();
        head = await events.headPosition();
        if (head <= position) break; // caught up
        continue;
      }
      await pages.apply(page);
      position = page[page.length - 1].position;
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
  } finally {
    await pages.close();
  }
  await store.swapCollections(
    projections.flatMap((p) => p.collections.map((c) => ({ live: c.name, shadow: shadowNames(c.name) }))),
    projections.map((p) => ({ name: p.name, position })),
  );
  for (const p of projections) await store.setCheckpoint(shadowNames(p.name), 0n);
  return { events: done, position, seconds: (Date.now() - started) / 1000 };
}
