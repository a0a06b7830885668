/**
 * Operational store on MongoDB (official driver; the tests run it over FerretDB). Collections
 * are prefixed (`ops_` by default) so that they sit beside the read models in one database.
 * Compare-and-set is `replaceOne({ _id, _rev })`: atomic on MongoDB (FerretDB v1 does not
 * promise it under races, which the contract suite takes into account).
 */
import { Collection, Db, MongoClient, MongoServerError, type Document, type Filter as MongoFilter, type Sort } from 'mongodb';
import { assertCollectionName, assertFieldPath, completeSort, keysetBranches, type Filter, type FindQuery, type KeysetTerm } from '@helpdesk/read-store';
import type { OpsCollectionSpec, OpsDoc, OpsStore } from './ops-store.port';

const OPERATORS = new Set(['$in', '$ne', '$gt', '$gte', '$lt', '$lte']);

function translate(filter: Filter | undefined): Document {
  const out: Document = {};
  for (const [field, condition] of Object.entries(filter ?? {})) {
    if (field !== '_id' && field !== '_rev') assertFieldPath(field);
    if (condition === null || typeof condition !== 'object') {
      out[field] = condition;
      continue;
    }
    const ops: Document = {};
    for (const [operator, value] of Object.entries(condition)) {
      if (!OPERATORS.has(operator)) throw new TypeError(`unsupported operator ${operator} on ${field}`);
      if (value === undefined) continue;
      if (value === null && operator !== '$ne' && operator !== '$in') throw new TypeError(`${operator} on ${field} needs a non-null value`);
      ops[operator] = value;
    }
    if (Object.keys(ops).length > 0) out[field] = ops;
  }
  return out;
}

function keysetTerm(term: KeysetTerm): Document {
  if (term.op === 'eq') return { [term.field]: term.value };
  if (term.op === 'notNull') return { [term.field]: { $ne: null } };
  const strict = { [term.field]: { [term.op === 'gt' ? '$gt' : '$lt']: term.value } };
  return term.orNull ? { $or: [strict, { [term.field]: null }] } : strict;
}

export class MongoOpsStore implements OpsStore {
  private constructor(
    private readonly client: MongoClient,
    private readonly db: Db,
    private readonly prefix: string,
    private readonly ownsClient: boolean,
  ) {}

  /** connects; the database is `dbName`, else the one in the URL, else `helpdesk` */
  static async connect(url: string, options: { dbName?: string; prefix?: string } = {}): Promise<MongoOpsStore> {
    const client = new MongoClient(url);
    await client.connect();
    const name = options.dbName ?? (new URL(url.replace(/^mongodb(\+srv)?:/, 'http:')).pathname.replace(/^\//, '') || 'helpdesk');
    return new MongoOpsStore(client, client.db(name), options.prefix ?? 'ops_', true);
  }

  static fromClient(client: MongoClient, dbName: string, prefix = 'ops_'): MongoOpsStore {
    return new MongoOpsStore(client, client.db(dbName), prefix, false);
  }

  private collection(name: string): Collection<OpsDoc> {
    assertCollectionName(name);
    return this.db.collection<OpsDoc>(`${this.prefix}${name}`);
  }

  async ensureCollections(specs: OpsCollectionSpec[]): Promise<void> {
    const existing = new Set((await this.db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name));
    for (const spec of specs) {
      const full = `${this.prefix}${spec.name}`;
      if (!existing.has(full)) {
        try {
          await this.db.createCollection(full);
        } catch (error) {
          if (!(error instanceof MongoServerError && error.code === 48)) throw error;
        }
      }
      for (const index of spec.indexes) {
        const keys: Record<string, 1 | -1> = {};
        for (const [field, direction] of index.fields) {
          if (field !== '_id') assertFieldPath(field);
          keys[field] = direction === -1 ? -1 : 1;
        }
        if (!('_id' in keys)) keys._id = 1;
        await this.collection(spec.name).createIndex(keys);
      }
    }
  }

  async insert(collection: string, doc: OpsDoc): Promise<boolean> {
    try {
      await this.collection(collection).insertOne({ ...doc, _rev: 1 });
      return true;
    } catch (error) {
      if (error instanceof MongoServerError && error.code === 11000) return false;
      throw error;
    }
  }

  async insertMany(items: Array<{ collection: string; doc: OpsDoc }>): Promise<boolean[]> {
    const results: boolean[] = [];
    for (const { collection, doc } of items) results.push(await this.insert(collection, doc));
    return results;
  }

  async get<T extends OpsDoc = OpsDoc>(collection: string, id: string): Promise<T | null> {
    return (await this.collection(collection).findOne({ _id: id })) as T | null;
  }

  async getMany<T extends OpsDoc = OpsDoc>(collection: string, ids: string[]): Promise<T[]> {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return [];
    const found = new Map<string, T>();
    for (let i = 0; i < unique.length; i += 1000) {
      for (const doc of await this.collection(collection).find({ _id: { $in: unique.slice(i, i + 1000) } }).toArray()) found.set(doc._id, doc as T);
    }
    return unique.map((id) => found.get(id)).filter((d): d is T => d !== undefined);
  }

  async find<T extends OpsDoc = OpsDoc>(collection: string, query: FindQuery = {}): Promise<T[]> {
    const sort = completeSort(query.sort);
    const clauses: Document[] = [];
    const filter = translate(query.filter);
    if (Object.keys(filter).length) clauses.push(filter);
    if (query.after) {
      const branches = keysetBranches(sort, query.after);
      if (branches.length === 0) return [];
      clauses.push({ $or: branches.map((b) => (b.length === 1 ? keysetTerm(b[0]) : { $and: b.map(keysetTerm) })) });
    }
    if (query.limit !== undefined && (!Number.isInteger(query.limit) || query.limit < 0)) throw new TypeError(`invalid limit ${query.limit}`);
    if (query.limit === 0) return [];
    const mongoFilter = clauses.length === 0 ? {} : clauses.length === 1 ? clauses[0] : { $and: clauses };
    let cursor = this.collection(collection)
      .find(mongoFilter as MongoFilter<OpsDoc>)
      .sort(Object.fromEntries(sort) as Sort);
    if (query.limit !== undefined) cursor = cursor.limit(query.limit);
    return (await cursor.toArray()) as T[];
  }

  async count(collection: string, filter?: Filter): Promise<number> {
    return this.collection(collection).countDocuments(translate(filter) as MongoFilter<OpsDoc>);
  }

  async replace(collection: string, doc: OpsDoc & { _rev: number }): Promise<boolean> {
    const r = await this.collection(collection).replaceOne({ _id: doc._id, _rev: doc._rev }, { ...doc, _rev: doc._rev + 1 });
    return r.matchedCount === 1 && r.modifiedCount === 1;
  }

  async replaceMany(collection: string, docs: Array<OpsDoc & { _rev: number }>): Promise<boolean[]> {
    return Promise.all(docs.map((doc) => this.replace(collection, doc)));
  }

  async delete(collection: string, id: string): Promise<boolean> {
    return (await this.collection(collection).deleteOne({ _id: id })).deletedCount === 1;
  }

  /** acknowledged writes are the server's (its write concern decides their durability) */
  async sync(): Promise<void> {}

  async close(): Promise<void> {
    if (this.ownsClient) await this.client.close();
  }
}
