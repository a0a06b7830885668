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
export interface BatchApplierOptions {
  /**
   * The target collections start empty (a rebuild's shadow copies): a document that was never
   * written in this run does not exist, so it is not looked up in the store.
   */
  startsEmpty?: boolean;
}

const RESOLVED: Promise<void> = Promise.resolve();

export class BatchApplier {
  private cache = new Map<string, Doc | null>();
  private dirty = new Map<string, { collection: string; doc: Doc | null; position: number; id: string }>();
  /** keys written during this run (startsEmpty only) */
  private readonly written: Set<string> | null;
  private position = 0;
  private currentEvent: StoredEvent | null = null;
  /** one context for every event: `event` is the one being applied */
  private readonly context: ProjectionContext;

  constructor(
    private readonly store: ReadStore,
    private readonly projection: Projection,
    private readonly names: CollectionNamer = liveNames,
    options: BatchApplierOptions = {},
  ) {
    this.written = options.startsEmpty ? new Set() : null;
    const self = this;
    this.context = {
      get event() {
        return self.currentEvent!;
      },
      get: <T extends Doc>(collection: string, id: string) => this.load(collection, id) as Promise<T | null>,
      update: <T extends Doc>(collection: string, id: string, updater: (doc: T | null) => T | null) => {
        const key = `${this.names(collection)}\u0000${id}`;
        // a cached (or known absent) document is updated without a round trip to the store
        if (this.cache.has(key)) return this.applyUpdate(collection, id, key, (this.cache.get(key) ?? null) as T | null, updater, this.position);
        if (this.written && !this.written.has(key)) return this.applyUpdate(collection, id, key, null, updater, this.position);
        const position = this.position;
        return this.load(collection, id).then((doc) => this.applyUpdate(collection, id, key, doc as T | null, updater, position));
      },
    };
  }

  async applyPage(events: StoredEvent[]): Promise<void> {
    for (const event of events) {
      if (!this.projection.handles.has(event.type)) continue;
      this.currentEvent = event;
      this.position = Number(event.position);
      await this.projection.apply(event, this.context);
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
    if (this.written) for (const key of this.dirty.keys()) this.written.add(key);
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

  private applyUpdate<T extends Doc>(
    collection: string,
    id: string,
    key: string,
    doc: T | null,
    updater: (doc: T | null) => T | null,
    position: number,
  ): Promise<void> {
    if (doc && (doc._pos ?? 0) >= position) return RESOLVED; // already applied: replay changes nothing
    // the cached document is ours (the store hands out fresh objects): updaters may mutate it;
    // a failing page discards the cache
    const next = updater(doc);
    const physical = this.names(collection);
    if (next === null) {
      if (doc === null) return RESOLVED;
      this.cache.set(key, null);
      this.dirty.set(key, { collection: physical, doc: null, position, id });
      return RESOLVED;
    }
    // set in place: the updater's result is ours (no copy per event)
    const stored = next as Doc;
    stored._id = id;
    stored._pos = position;
    this.cache.set(key, stored);
    this.dirty.set(key, { collection: physical, doc: stored, position, id });
    return RESOLVED;
  }

  private async load(collection: string, id: string): Promise<Doc | null> {
    const physical = this.names(collection);
    const key = `${physical}\u0000${id}`;
    if (this.cache.has(key)) return this.cache.get(key) ?? null;
    if (this.written && !this.written.has(key)) return null;
    const doc = await this.store.get(physical, id);
    this.cache.set(key, doc);
    return doc;
  }
}
