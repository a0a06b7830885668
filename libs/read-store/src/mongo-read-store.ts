/**
 * Read store on MongoDB (official driver). Also runs against FerretDB v1 (SQLite backend),
 * which the tests use; the code keeps to plain CRUD, indexes, bulkWrite, renameCollection and
 * find with sort/limit.
 *
 * Guarded writes. Each batch is collapsed to one op per document (highest position wins),
 * the stored `_pos` of those documents is read, and then:
 *   - a new document is inserted (a duplicate-key race falls back to the guarded replace);
 *   - an existing older document is replaced with `replaceOne({_id, _pos: {$lt: pos}}, doc)`;
 *   - a delete removes `{_id, _pos: {$lt: position}}`;
 *   - an op not newer than the stored document is skipped.
 * The writes go in one unordered bulkWrite. The plain "upsert with the guard and ignore
 * E11000" approach is not used because FerretDB v1 aborts the whole update command (every
 * following update of the bulk) on the duplicate key of a guarded upsert.
 *
 * The checkpoint is compared before the writes and compare-and-set after them, so a batch
 * from a stale writer is rejected before it writes anything (in the absence of races).
 * MongoDB has no transaction here: a crash between writes and checkpoint replays the batch,
 * which the guards make harmless.
 */
import {
  AnyBulkWriteOperation,
  Collection,
  Db,
  Long,
  MongoBulkWriteError,
  MongoClient,
  MongoServerError,
  type Filter as MongoFilter,
  type Document,
  type Sort,
} from 'mongodb';
import {
  CheckpointMovedError,
  type CheckpointUpdate,
  type CollectionSpec,
  type Doc,
  type Filter,
  type FindQuery,
  type ReadStore,
  type WriteOp,
} from './read-store.port';
import { assertCollectionName, assertFieldPath, collapseBatch, completeSort, keysetBranches, opId, opPosition, type KeysetTerm } from './query';

const CHECKPOINTS = '_checkpoints';
const DUPLICATE_KEY = 11000;
const ID_CHUNK = 1000;

interface CheckpointDoc {
  _id: string;
  position: Long | number;
}

function toBigInt(value: Long | number | bigint | null | undefined): bigint {
  if (value === null || value === undefined) return 0n;
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number') return BigInt(value);
  return value.toBigInt();
}

const KNOWN_OPERATORS = new Set(['$in', '$ne', '$gt', '$gte', '$lt', '$lte']);

function translateFilter(filter: Filter | undefined): Document {
  const out: Document = {};
  if (!filter) return out;
  for (const [field, condition] of Object.entries(filter)) {
    if (field !== '_id' && field !== '_pos') assertFieldPath(field);
    if (condition === null || typeof condition !== 'object') {
      out[field] = condition;
      continue;
    }
    const ops: Document = {};
    for (const [operator, value] of Object.entries(condition)) {
      if (!KNOWN_OPERATORS.has(operator)) throw new TypeError(`unsupported operator ${operator} on ${field}`);
      if (value === undefined) continue;
      if (operator === '$in' && !Array.isArray(value)) throw new TypeError(`$in on ${field} needs an array`);
      if (value === null && operator !== '$ne' && operator !== '$in') throw new TypeError(`${operator} on ${field} needs a non-null value`);
      ops[operator] = value;
    }
    if (Object.keys(ops).length > 0) out[field] = ops;
  }
  return out;
}

function keysetTerm(term: KeysetTerm): Document {
  switch (term.op) {
    case 'eq':
      return { [term.field]: term.value };
    case 'notNull':
      return { [term.field]: { $ne: null } };
    default: {
      const strict = { [term.field]: { [term.op === 'gt' ? '$gt' : '$lt']: term.value } };
      return term.orNull ? { $or: [strict, { [term.field]: null }] } : strict;
    }
  }
}

function isDuplicateKey(error: unknown): boolean {
  return error instanceof MongoServerError && error.code === DUPLICATE_KEY;
}

export class MongoReadStore implements ReadStore {
  private constructor(
    readonly client: MongoClient,
    readonly db: Db,
    private readonly ownsClient: boolean,
  ) {}

  /** connects; the database is `dbName`, else the one in the URL, else `helpdesk` */
  static async connect(url: string, dbName?: string): Promise<MongoReadStore> {
    const client = new MongoClient(url);
    await client.connect();
    const name = dbName ?? (new URL(url.replace(/^mongodb(\+srv)?:/, 'http:')).pathname.replace(/^\//, '') || 'helpdesk');
    return new MongoReadStore(client, client.db(name), true);
  }

  /** wraps an existing client; close() leaves the client open */
  static fromClient(client: MongoClient, dbName: string): MongoReadStore {
    return new MongoReadStore(client, client.db(dbName), false);
  }

  private collection<T extends Document = Doc>(name: string): Collection<T> {
    assertCollectionName(name);
    return this.db.collection<T>(name);
  }

  private get checkpoints(): Collection<CheckpointDoc> {
    return this.db.collection<CheckpointDoc>(CHECKPOINTS);
  }

  async ensureCollections(specs: CollectionSpec[]): Promise<void> {
    const existing = new Set(await this.listAll());
    for (const spec of specs) {
      const collection = this.collection(spec.name);
      if (!existing.has(spec.name)) {
        try {
          await this.db.createCollection(spec.name);
        } catch (error) {
          // NamespaceExists (48): created concurrently
          if (!(error instanceof MongoServerError && error.code === 48)) throw error;
        }
      }
      for (const index of spec.indexes) {
        if (index.fields.length === 0) throw new TypeError(`index on ${spec.name} has no fields`);
        const keys: Record<string, 1 | -1> = {};
        for (const [field, direction] of index.fields) {
          if (field !== '_id' && field !== '_pos') assertFieldPath(field);
          keys[field] = direction === -1 ? -1 : 1;
        }
        if (!index.unique && !('_id' in keys)) keys._id = 1;
        await collection.createIndex(keys, index.unique ? { unique: true } : {});
      }
    }
  }

  async get<T extends Doc = Doc>(collection: string, id: string): Promise<T | null> {
    return (await this.collection(collection).findOne({ _id: id })) as T | null;
  }

  async getMany<T extends Doc = Doc>(collection: string, ids: string[]): Promise<T[]> {
    const unique = [...new Set(ids)];
    const found = new Map<string, T>();
    for (let start = 0; start < unique.length; start += ID_CHUNK) {
      const chunk = unique.slice(start, start + ID_CHUNK);
      const docs = await this.collection(collection)
        .find({ _id: { $in: chunk } })
        .toArray();
      for (const doc of docs) found.set(doc._id, doc as T);
    }
    const result: T[] = [];
    for (const id of unique) {
      const doc = found.get(id);
      if (doc) result.push(doc);
    }
    return result;
  }

  async find<T extends Doc = Doc>(collection: string, query: FindQuery = {}): Promise<T[]> {
    const sort = completeSort(query.sort);
    const clauses: Document[] = [];
    const filter = translateFilter(query.filter);
    if (Object.keys(filter).length > 0) clauses.push(filter);
    if (query.after) {
      const branches = keysetBranches(sort, query.after);
      if (branches.length === 0) return [];
      clauses.push({ $or: branches.map((branch) => (branch.length === 1 ? keysetTerm(branch[0]) : { $and: branch.map(keysetTerm) })) });
    }
    const mongoFilter: Document = clauses.length === 0 ? {} : clauses.length === 1 ? clauses[0] : { $and: clauses };
    const mongoSort: Sort = Object.fromEntries(sort) as Record<string, 1 | -1>;
    if (query.limit !== undefined && (!Number.isInteger(query.limit) || query.limit < 0)) throw new TypeError(`invalid limit ${query.limit}`);
    if (query.limit === 0) return [];
    const omit = (query.omit ?? []).filter((field) => field !== '_id');
    const projection = omit.length > 0 ? { projection: Object.fromEntries(omit.map((field) => [field, 0])) } : {};
    let cursor = this.collection(collection).find(mongoFilter as MongoFilter<Doc>, projection).sort(mongoSort);
    if (query.limit !== undefined) cursor = cursor.limit(query.limit);
    return (await cursor.toArray()) as T[];
  }

  async count(collection: string, filter?: Filter): Promise<number> {
    return this.collection(collection).countDocuments(translateFilter(filter) as MongoFilter<Doc>);
  }

  async applyBatch(ops: WriteOp[], checkpoint?: CheckpointUpdate): Promise<void> {
    // documents are read before the first await (a put's doc may be built on access from
    // state its owner goes on changing once this call returns its promise)
    const batch = collapseBatch(ops.map((op) => (op.kind === 'put' ? { kind: 'put', collection: op.collection, doc: op.doc } : op)));
    if (checkpoint && checkpoint.expected !== null) {
      const actual = await this.getCheckpoint(checkpoint.name);
      if (actual !== checkpoint.expected) throw new CheckpointMovedError(checkpoint.name, checkpoint.expected, actual);
    }
    for (const [name, docs] of batch) await this.applyToCollection(name, [...docs.values()]);
    if (checkpoint) await this.moveCheckpoint(checkpoint);
  }

  private async storedPositions(collection: Collection<Doc>, ids: string[]): Promise<Map<string, number | null>> {
    const stored = new Map<string, number | null>();
    for (let start = 0; start < ids.length; start += ID_CHUNK) {
      const chunk = ids.slice(start, start + ID_CHUNK);
      const docs = await collection.find({ _id: { $in: chunk } }, { projection: { _pos: 1 } }).toArray();
      for (const doc of docs) stored.set(doc._id, typeof doc._pos === 'number' ? doc._pos : null);
    }
    return stored;
  }

  private async applyToCollection(name: string, ops: WriteOp[]): Promise<void> {
    const collection = this.collection<Doc>(name);
    const stored = await this.storedPositions(collection, ops.map(opId));
    const writes: AnyBulkWriteOperation<Doc>[] = [];
    const inserted: Array<Doc & { _pos: number }> = [];
    for (const op of ops) {
      const id = opId(op);
      const position = opPosition(op);
      const exists = stored.has(id);
      const storedPos = stored.get(id);
      if (exists && storedPos !== null && storedPos !== undefined && storedPos >= position) continue; // not newer
      if (op.kind === 'delete') {
        if (exists) writes.push({ deleteOne: { filter: guard(id, position, storedPos) } });
      } else {
        const doc = op.doc; // read once: it may be built on access
        if (exists) writes.push({ replaceOne: { filter: guard(id, position, storedPos), replacement: doc } });
        else {
          inserted.push(doc);
          writes.push({ insertOne: { document: doc } });
        }
      }
    }
    if (writes.length === 0) return;
    const retry: Array<Doc & { _pos: number }> = [];
    try {
      await collection.bulkWrite(writes, { ordered: false });
    } catch (error) {
      if (!(error instanceof MongoBulkWriteError)) throw error;
      const writeErrors = Array.isArray(error.writeErrors) ? error.writeErrors : [error.writeErrors];
      const insertIndexes = new Map<number, Doc & { _pos: number }>();
      let insertAt = 0;
      writes.forEach((write, index) => {
        if ('insertOne' in write) insertIndexes.set(index, inserted[insertAt++]);
      });
      for (const writeError of writeErrors) {
        const doc = insertIndexes.get(writeError.index);
        if (writeError.code !== DUPLICATE_KEY || !doc) throw error;
        retry.push(doc);
      }
    }
    // inserts that met a duplicate key: the document appeared meanwhile (or a unique index
    // refused it); apply them as guarded replaces, and rethrow if the document is not there
    if (retry.length > 0) {
      const now = await this.storedPositions(
        collection,
        retry.map((doc) => doc._id),
      );
      for (const doc of retry) {
        if (!now.has(doc._id)) {
          throw new Error(`duplicate key inserting ${name}/${doc._id} (unique index violation)`);
        }
        const storedPos = now.get(doc._id);
        if (storedPos !== null && storedPos !== undefined && storedPos >= doc._pos) continue;
        await collection.replaceOne(guard(doc._id, doc._pos, storedPos), doc);
      }
    }
  }

  private async moveCheckpoint(checkpoint: CheckpointUpdate): Promise<void> {
    const { name, expected, position } = checkpoint;
    if (expected === null) return this.setCheckpoint(name, position);
    const result = await this.checkpoints.updateOne({ _id: name, position: Long.fromBigInt(expected) }, { $set: { position: Long.fromBigInt(position) } });
    if (result.matchedCount === 1) return;
    if (expected === 0n) {
      // a missing checkpoint counts as 0
      try {
        await this.checkpoints.insertOne({ _id: name, position: Long.fromBigInt(position) });
        return;
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
      }
    }
    throw new CheckpointMovedError(name, expected, await this.getCheckpoint(name));
  }

  async getCheckpoint(name: string): Promise<bigint> {
    const doc = await this.checkpoints.findOne({ _id: name }, { promoteLongs: false });
    return toBigInt(doc?.position);
  }

  async setCheckpoint(name: string, position: bigint): Promise<void> {
    if (typeof position !== 'bigint' || position < 0n) throw new TypeError('checkpoint position must be a non-negative bigint');
    await this.checkpoints.updateOne({ _id: name }, { $set: { position: Long.fromBigInt(position) } }, { upsert: true });
  }

  /**
   * Renames each shadow over its live collection, then sets the checkpoints. MongoDB allows
   * no transaction around renames, so this is not atomic: a crash in between leaves some
   * collections swapped (a rebuild is then simply run again). renameCollection with
   * dropTarget is used where supported; FerretDB v1 does not implement dropTarget, so there
   * the live collection is dropped first.
   */
  async swapCollections(
    pairs: Array<{ live: string; shadow: string }>,
    checkpoints: Array<{ name: string; position: bigint }>,
  ): Promise<void> {
    const existing = new Set(await this.listAll());
    for (const { live, shadow } of pairs) {
      assertCollectionName(live);
      assertCollectionName(shadow);
      if (live === shadow) throw new TypeError(`cannot swap ${live} with itself`);
      if (!existing.has(shadow)) throw new Error(`shadow collection ${shadow} does not exist`);
    }
    for (const { live, shadow } of pairs) {
      try {
        await this.db.renameCollection(shadow, live, { dropTarget: true });
      } catch (error) {
        if (!isNotImplemented(error)) throw error;
        await this.dropCollection(live);
        await this.db.renameCollection(shadow, live);
      }
    }
    for (const { name, position } of checkpoints) await this.setCheckpoint(name, position);
  }

  async dropCollection(name: string): Promise<void> {
    assertCollectionName(name);
    try {
      await this.db.dropCollection(name);
    } catch (error) {
      // NamespaceNotFound (26): already gone
      if (!(error instanceof MongoServerError && (error.code === 26 || /ns not found/i.test(error.message)))) throw error;
    }
  }

  async listCollections(): Promise<string[]> {
    return (await this.listAll()).filter((name) => name !== CHECKPOINTS && !name.startsWith('system.')).sort();
  }

  private async listAll(): Promise<string[]> {
    return (await this.db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name);
  }

  async close(): Promise<void> {
    if (this.ownsClient) await this.client.close();
  }
}

/** the write guard: the stored document is older (or, for documents without `_pos`, any) */
function guard(id: string, position: number, storedPos: number | null | undefined): MongoFilter<Doc> {
  return (storedPos === null ? { _id: id, _pos: null } : { _id: id, _pos: { $lt: position } }) as MongoFilter<Doc>;
}

function isNotImplemented(error: unknown): boolean {
  // NotImplemented (238), as FerretDB reports unsupported parameters
  return error instanceof MongoServerError && (error.code === 238 || /not implemented|unimplemented/i.test(error.message));
}
