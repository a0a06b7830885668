import { StoredEvent } from '@helpdesk/event-store';
import { CollectionSpec, Doc, ReadStore } from '@helpdesk/read-store';

/**
 * What a projection sees while applying one event. `update` is guarded: the updater runs
 * only when the document has not yet seen this event (its `_pos` is below the event's
 * position), which makes every projection idempotent under replay by construction.
 */
export interface ProjectionContext {
  readonly event: StoredEvent;
  update<T extends Doc>(collection: string, id: string, updater: (doc: T | null) => T | null): Promise<void>;
  /** unguarded read, e.g. to look up another document */
  get<T extends Doc>(collection: string, id: string): Promise<T | null>;
}

export interface Projection {
  /** also the checkpoint name */
  name: string;
  collections: CollectionSpec[];
  /** event types it reacts to; others only move its checkpoint */
  handles: ReadonlySet<string>;
  apply(event: StoredEvent, ctx: ProjectionContext): Promise<void> | void;
}

/** Collection-name mapping used by rebuilds, which write shadow copies beside the live ones. */
export type CollectionNamer = (logical: string) => string;
export const liveNames: CollectionNamer = (n) => n;
export const shadowNames: CollectionNamer = (n) => `${n}__rebuild`;

/**
 * Applies a page of events to one projection: documents are read once into a cache, the
 * guarded updates run in memory, and the final documents go to the store in one batch with
 * the checkpoint (one transaction in the embedded store).
 */
export class BatchApplier {
  private cache = new Map<string, Doc | null>();
  private dirty = new Map<string, { collection: string; doc: Doc | null; position: number; id: string }>();

  constructor(
    private readonly store: ReadStore,
    private readonly projection: Projection,
    private readonly names: CollectionNamer = liveNames,
  ) {}

  async applyPage(events: StoredEvent[]): Promise<void> {
    for (const event of events) {
      if (!this.projection.handles.has(event.type)) continue;
      await this.projection.apply(event, this.contextFor(event));
    }
  }

  /** writes everything changed since the last flush, moving the checkpoint from `expected` to `position` */
  async flush(expected: bigint | null, position: bigint): Promise<void> {
    const ops = [...this.dirty.values()].map((d) =>
      d.doc === null
        ? ({ kind: 'delete', collection: d.collection, id: d.id, position: d.position } as const)
        : ({ kind: 'put', collection: d.collection, doc: d.doc as Doc & { _pos: number } } as const),
    );
    await this.store.applyBatch(ops, { name: this.checkpointName, expected, position });
    this.dirty.clear();
    // keep the cache bounded (rebuilds stream millions of events; a ticket document is ~8 KB)
    if (this.cache.size > 10_000) this.cache.clear();
  }

  get pendingWrites(): number {
    return this.dirty.size;
  }

  get checkpointName(): string {
    return this.names(this.projection.name);
  }

  discard(): void {
    this.cache.clear();
    this.dirty.clear();
  }

  private contextFor(event: StoredEvent): ProjectionContext {
    const position = Number(event.position);
    return {
      event,
      get: <T extends Doc>(collection: string, id: string) => this.load(collection, id) as Promise<T | null>,
      update: async <T extends Doc>(collection: string, id: string, updater: (doc: T | null) => T | null) => {
        const doc = (await this.load(collection, id)) as T | null;
        if (doc && (doc._pos ?? 0) >= position) return; // already applied: replay changes nothing
        // the cached document is ours (the store hands out fresh objects): updaters may mutate it;
        // a failing page discards the cache
        const next = updater(doc);
        const physical = this.names(collection);
        const key = `${physical}\u0000${id}`;
        if (next === null) {
          if (doc === null) return;
          this.cache.set(key, null);
          this.dirty.set(key, { collection: physical, doc: null, position, id });
          return;
        }
        // set in place: the updater's result is ours (no copy per event)
        const stored = next as Doc;
        stored._id = id;
        stored._pos = position;
        this.cache.set(key, stored);
        this.dirty.set(key, { collection: physical, doc: stored, position, id });
      },
    };
  }

  private async load(collection: string, id: string): Promise<Doc | null> {
    const physical = this.names(collection);
    const key = `${physical}\u0000${id}`;
    if (this.cache.has(key)) return this.cache.get(key) ?? null;
    const doc = await this.store.get(physical, id);
    this.cache.set(key, doc);
    return doc;
  }
}
