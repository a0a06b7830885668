/**
 * The operational store port: where notifications, e-mail and webhook deliveries, preferences
 * and webhook subscriptions live. Unlike read models they are not rebuilt from the event log:
 * they are mutable state (pending, sent, failed, attempts) written by the notifier and the
 * dispatchers, so every change is a compare-and-set on the document's revision `_rev`.
 *
 * Durability: a write survives a crash of the process once acknowledged; `sync()` makes all
 * writes so far survive a power loss. That suffices because a delivery's Message-ID (or
 * webhook-id) never depends on what was recorded about its attempts: losing a mark repeats
 * a send with the same id, which the receiving side de-duplicates.
 *
 * Two adapters implement it (embedded SQLite, MongoDB); both pass
 * libs/notifications/test/ops-store.contract.ts. Filters, sorts and keyset cursors are the read
 * store's (top-level fields, `$in` `$ne` `$gt` `$gte` `$lt` `$lte`; equality with null also
 * matches a missing field; `_id` ascending as the last sort key). Filters should not compare
 * booleans (SQLite stores them as 1/0): the records use strings for states.
 */
import type { Filter, FindQuery, SortSpec } from '@helpdesk/read-store';

export interface OpsDoc {
  _id: string;
  /** revision: 1 when inserted, +1 per replace */
  _rev?: number;
  [field: string]: unknown;
}

export interface OpsCollectionSpec {
  name: string;
  indexes: Array<{ fields: SortSpec }>;
}

export interface OpsStore {
  /** creates the collections and their indexes (idempotent) */
  ensureCollections(specs: OpsCollectionSpec[]): Promise<void>;
  /** inserts with `_rev` 1; false (and nothing written) when the `_id` exists */
  insert(collection: string, doc: OpsDoc): Promise<boolean>;
  /** several inserts (one transaction where the store has them); each result as insert's */
  insertMany(items: Array<{ collection: string; doc: OpsDoc }>): Promise<boolean[]>;
  get<T extends OpsDoc = OpsDoc>(collection: string, id: string): Promise<T | null>;
  /** the documents that exist, in the order of `ids` */
  getMany<T extends OpsDoc = OpsDoc>(collection: string, ids: string[]): Promise<T[]>;
  find<T extends OpsDoc = OpsDoc>(collection: string, query?: FindQuery): Promise<T[]>;
  count(collection: string, filter?: Filter): Promise<number>;
  /**
   * Replaces the document when the stored `_rev` equals `doc._rev` (the revision it was read
   * at), storing `_rev + 1`; false (and nothing written) when it changed or is gone.
   */
  replace(collection: string, doc: OpsDoc & { _rev: number }): Promise<boolean>;
  /** several compare-and-sets (one transaction where the store has them); each result as replace's */
  replaceMany(collection: string, docs: Array<OpsDoc & { _rev: number }>): Promise<boolean[]>;
  /** true when a document was deleted */
  delete(collection: string, id: string): Promise<boolean>;
  /**
   * Makes every write so far durable (survives a power loss). Writes are durable against a
   * crash of the process when their promise settles; the embedded adapter reaches the disk
   * here, once for many writes (the notifier calls it before its checkpoint moves).
   */
  sync(): Promise<void>;
  close(): Promise<void>;
}
