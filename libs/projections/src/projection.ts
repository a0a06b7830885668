import { LeanStoredEvent } from '@helpdesk/event-store';
import { CollectionSpec, Doc, ReadStore, WriteOp } from '@helpdesk/read-store';

/**
 * What a projection sees while applying one event. `update` is guarded: the updater runs
 * only when the document has not yet seen this event (the position of the last event applied
 * to it is below the event's position), which makes every projection idempotent under replay
 * by construction. For a collection with a working form (see Projection.workingForms) the
 * updater receives and returns the working form instead of the document.
 */
export interface ProjectionContext {
  readonly event: LeanStoredEvent;
  update<T>(collection: string, id: string, updater: (doc: T | null) => T | null): Promise<void>;
  /** unguarded read, e.g. to look up another document (its working form, if it has one) */
  get<T>(collection: string, id: string): Promise<T | null>;
}

/**
 * A collection's documents in the form a projection folds them in. The applier keeps the
 * working form between events and turns it into the stored document once per flush, so a
 * document touched by many events of a page is built and serialized once, not per event.
 */
export interface WorkingForm<W, D extends Doc = Doc> {
  /** the working form of a stored document */
  fromDoc(doc: D): W;
  /** the document to store; must not share mutable parts the next updates could change */
  toDoc(working: W, id: string): D;
}

export interface Projection {
  /** also the checkpoint name */
  name: string;
  collections: CollectionSpec[];
  /** event types it reacts to; others only move its checkpoint */
  handles: ReadonlySet<string>;
  /** by logical collection name: collections folded in a working form */
  workingForms?: Readonly<Record<string, WorkingForm<any, any>>>;
  /** may return ctx.update's promise as is (applying then stays synchronous when it is cached) */
  apply(event: LeanStoredEvent, ctx: ProjectionContext): Promise<void> | void;
  /**
   * Called before the checkpoint moves past the events applied since the last flush: a process
   * manager that writes elsewhere (the notifier's own store) makes those writes durable here.
   */
  beforeCheckpoint?(): Promise<void>;
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
  /** cached documents kept between flushes (those touched by the last page are always kept) */
  cacheLimit?: number;
}

const RESOLVED: Promise<void> = Promise.resolve();

/** a cached document (or its working form); `pos`: the last event applied to it, 0 if none */
interface CacheEntry {
  /** logical and physical collection names */
  logical: string;
  collection: string;
  id: string;
  value: unknown;
  pos: number;
  form: WorkingForm<unknown> | undefined;
}

export class BatchApplier {
  /** by logical collection, then id (no key strings built per event) */
  private cache = new Map<string, Map<string, CacheEntry>>();
  private cached = 0;
  private dirty = new Set<CacheEntry>();
  /** ids written during this run, by logical collection (startsEmpty only) */
  private readonly written: Map<string, Set<string>> | null;
  private readonly cacheLimit: number;
  private position = 0;
  /** the last flush while its write is not settled: loads wait for it (read your own writes) */
  private committing: Promise<void> | null = null;
  private currentEvent: LeanStoredEvent | null = null;
  /** one context for every event: `event` is the one being applied */
  private readonly context: ProjectionContext;

  constructor(
    private readonly store: ReadStore,
    private readonly projection: Projection,
    private readonly names: CollectionNamer = liveNames,
    options: BatchApplierOptions = {},
  ) {
    this.written = options.startsEmpty ? new Map() : null;
    this.cacheLimit = options.cacheLimit ?? 10_000;
    const self = this;
    this.context = {
      get event() {
        return self.currentEvent!;
      },
      get: <T>(collection: string, id: string) => this.load(collection, id).then((entry) => entry.value as T | null),
      update: <T>(collection: string, id: string, updater: (doc: T | null) => T | null) => {
        // a cached (or known absent) document is updated without a round trip to the store
        const cached = this.cache.get(collection)?.get(id);
        if (cached) return this.applyUpdate(cached, updater as (doc: unknown) => unknown, this.position);
        if (this.neverWritten(collection, id)) return this.applyUpdate(this.remember(collection, id, null, 0), updater as (doc: unknown) => unknown, this.position);
        const position = this.position;
        return this.load(collection, id).then((entry) => this.applyUpdate(entry, updater as (doc: unknown) => unknown, position));
      },
    };
  }

  async applyPage(events: LeanStoredEvent[]): Promise<void> {
    for (const event of events) {
      if (!this.projection.handles.has(event.type)) continue;
      this.currentEvent = event;
      this.position = Number(event.position);
      // a projection whose updates all hit the cache finishes synchronously: no await per event
      const applied = this.projection.apply(event, this.context);
      if (applied !== undefined && applied !== RESOLVED) await applied;
    }
  }

  /** writes everything changed since the last flush, moving the checkpoint from `expected` to `position` */
  async flush(expected: bigint | null, position: bigint): Promise<void> {
    if (this.projection.beforeCheckpoint) await this.projection.beforeCheckpoint();
    const ops: WriteOp[] = [];
    for (const entry of this.dirty) {
      if (entry.value === null) {
        ops.push({ kind: 'delete', collection: entry.collection, id: entry.id, position: entry.pos });
        continue;
      }
      const { collection, id, pos: position } = entry;
      const form = entry.form;
      if (!form) {
        // a plain document is stored as is
        const doc = entry.value as Doc & { _pos: number };
        doc._id = id;
        doc._pos = position;
        ops.push({ kind: 'put', collection, doc, id, position });
        continue;
      }
      // the working form becomes a document once per flush, when the store reads it (so the
      // documents of a large flush do not all live at once); the value is captured now,
      // as the next page may replace it
      const value = entry.value;
      ops.push({
        kind: 'put',
        collection,
        id,
        position,
        get doc() {
          const doc = form.toDoc(value, id) as Doc & { _pos: number };
          doc._id = id;
          doc._pos = position;
          return doc;
        },
      });
    }
    // the store takes the documents before its promise settles (the embedded store serializes
    // them at once), so the bookkeeping below and the next page need not wait for the commit:
    // a rebuild folds the next page while the writer thread commits this one. If the write
    // fails, the caller discards this applier (the projector) or abandons the run (a rebuild).
    const committed = this.store.applyBatch(ops, { name: this.checkpointName, expected, position });
    const settled = committed.then(
      () => undefined,
      () => undefined,
    );
    this.committing = settled;
    void settled.then(() => {
      if (this.committing === settled) this.committing = null;
    });
    if (this.written) {
      for (const entry of this.dirty) {
        let ids = this.written.get(entry.logical);
        if (!ids) this.written.set(entry.logical, (ids = new Set()));
        ids.add(entry.id);
      }
    }
    // keep the cache bounded (rebuilds stream millions of events) but keep what the last page
    // touched: documents still being worked on are the likeliest to be touched again
    if (this.cached > this.cacheLimit) {
      this.cache.clear();
      this.cached = 0;
      for (const entry of this.dirty) this.cacheEntry(entry);
    }
    this.dirty.clear();
    await committed;
  }

  get pendingWrites(): number {
    return this.dirty.size;
  }

  get checkpointName(): string {
    return this.names(this.projection.name);
  }

  discard(): void {
    this.cache.clear();
    this.cached = 0;
    this.dirty.clear();
  }

  /** in a run that started empty, a document never written in it does not exist */
  private neverWritten(collection: string, id: string): boolean {
    return this.written !== null && !this.written.get(collection)?.has(id);
  }

  private cacheEntry(entry: CacheEntry): CacheEntry {
    let entries = this.cache.get(entry.logical);
    if (!entries) this.cache.set(entry.logical, (entries = new Map()));
    entries.set(entry.id, entry);
    this.cached++;
    return entry;
  }

  private remember(collection: string, id: string, doc: Doc | null, pos: number): CacheEntry {
    const form = this.projection.workingForms?.[collection];
    return this.cacheEntry({
      logical: collection,
      collection: this.names(collection),
      id,
      value: doc === null ? null : form ? form.fromDoc(doc) : doc,
      pos,
      form,
    });
  }

  private applyUpdate(entry: CacheEntry, updater: (doc: unknown) => unknown, position: number): Promise<void> {
    if (entry.pos >= position) return RESOLVED; // already applied: replay changes nothing
    // the cached value is ours (the store hands out fresh objects, toDoc builds new ones):
    // updaters may mutate it; a failing page discards the cache
    const before = entry.value;
    const next = updater(before);
    if (next === null && before === null) return RESOLVED;
    entry.value = next;
    entry.pos = position;
    this.dirty.add(entry);
    return RESOLVED;
  }

  private async load(collection: string, id: string): Promise<CacheEntry> {
    const cached = this.cache.get(collection)?.get(id);
    if (cached) return cached;
    if (this.neverWritten(collection, id)) return this.remember(collection, id, null, 0);
    if (this.committing) await this.committing;
    const doc = await this.store.get(this.names(collection), id);
    const again = this.cache.get(collection)?.get(id); // another update may have loaded it meanwhile
    if (again) return again;
    return this.remember(collection, id, doc, doc?._pos ?? 0);
  }
}
