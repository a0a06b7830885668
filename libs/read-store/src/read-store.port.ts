/**
 * The read-store port: a small document store for the read models. Two adapters implement
 * it (embedded SQLite, MongoDB) and both pass libs/read-store/test/read-store.contract.ts.
 *
 * Documents are JSON objects keyed by `_id`. Every document written by a projection carries
 * `_pos`, the global position of the last event applied to it; a write only lands when its
 * position is greater than the stored `_pos`, so replaying an event changes nothing.
 * Instants in documents are stored as UTC ISO strings so they sort lexically.
 */

export type Scalar = string | number | boolean | null;

export interface Doc {
  _id: string;
  _pos?: number;
  [field: string]: unknown;
}

export type Condition =
  | Scalar
  | {
      $in?: Scalar[];
      $ne?: Scalar;
      $gt?: Scalar;
      $gte?: Scalar;
      $lt?: Scalar;
      $lte?: Scalar;
    };

/** AND of conditions on top-level fields. Equality with null also matches a missing field. */
export type Filter = Record<string, Condition>;

export type SortSpec = Array<[field: string, direction: 1 | -1]>;

export interface FindQuery {
  filter?: Filter;
  /** `_id` ascending is always appended as the final tie-breaker */
  sort?: SortSpec;
  limit?: number;
  /** keyset cursor: the sort-key values and `_id` of the last document of the previous page */
  after?: { values: Scalar[]; id: string };
  /**
   * fields left out of the returned documents (never `_id`), top-level or dotted paths into
   * nested objects (`state.billing`): a list that shows a few fields of large documents need
   * not read the rest (ticket lists skip each ticket's folded state)
   */
  omit?: string[];
}

export interface IndexSpec {
  fields: SortSpec;
  unique?: boolean;
}

export interface CollectionSpec {
  name: string;
  indexes: IndexSpec[];
}

export type WriteOp =
  | {
      kind: 'put';
      collection: string;
      /**
       * May be a getter that builds the document when read (a projection's working form turned
       * into a document only when the adapter serializes it, so that the documents of a large
       * batch do not all live at once). Adapters read it once per op, and before the first
       * await of applyBatch (what it is built from may change once applyBatch has returned
       * its promise); they group and guard by `id` and `position` when given.
       */
      doc: Doc & { _pos: number };
      /** the document's `_id` and `_pos`, when the op gives them apart */
      id?: string;
      position?: number;
    }
  | { kind: 'delete'; collection: string; id: string; position: number };

export interface CheckpointUpdate {
  name: string;
  /** the checkpoint the writer believes is stored (compare-and-set); null skips the check */
  expected: bigint | null;
  position: bigint;
}

export class CheckpointMovedError extends Error {
  readonly code = 'checkpoint-moved';
  constructor(readonly checkpoint: string, readonly expected: bigint, readonly actual: bigint) {
    super(`checkpoint ${checkpoint} moved: expected ${expected}, found ${actual}`);
    this.name = 'CheckpointMovedError';
  }
}

export interface ReadStore {
  /**
   * creates collections and the indexes the queries need (idempotent). With `deferIndexes`
   * (rebuilds of shadow collections) an adapter may build the indexes later, at the latest
   * in swapCollections, which is much faster than maintaining them document by document.
   */
  ensureCollections(specs: CollectionSpec[], options?: { deferIndexes?: boolean }): Promise<void>;
  get<T extends Doc = Doc>(collection: string, id: string): Promise<T | null>;
  getMany<T extends Doc = Doc>(collection: string, ids: string[]): Promise<T[]>;
  find<T extends Doc = Doc>(collection: string, query?: FindQuery): Promise<T[]>;
  count(collection: string, filter?: Filter): Promise<number>;
  /**
   * Applies the writes, each guarded by position, and moves the checkpoint. The embedded
   * store does both in one transaction; MongoDB writes first and the checkpoint last, which
   * is safe because the writes are idempotent.
   */
  applyBatch(ops: WriteOp[], checkpoint?: CheckpointUpdate): Promise<void>;
  getCheckpoint(name: string): Promise<bigint>;
  setCheckpoint(name: string, position: bigint): Promise<void>;
  /**
   * Replaces each live collection by its shadow (rename, dropping the old one) and sets the
   * given checkpoints, as one step where the store allows it.
   */
  swapCollections(pairs: Array<{ live: string; shadow: string }>, checkpoints: Array<{ name: string; position: bigint }>): Promise<void>;
  dropCollection(name: string): Promise<void>;
  listCollections(): Promise<string[]>;
  close(): Promise<void>;
}
