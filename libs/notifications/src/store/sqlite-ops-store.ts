/**
 * Embedded operational store on SQLite: one table per collection (`_id`, `_rev`, `doc` as JSON),
 * indexes over `json_extract` expressions (the records are small and written a few times each).
 * WAL with synchronous=NORMAL: a commit survives a crash of the process (what makes a crash
 * between sending and marking detectable after a restart); `sync()` forces the WAL to disk
 * (one fdatasync, off the main thread, for every write before it), which the notifier does
 * before its checkpoint moves. (Frames already checkpointed into the main file were synced by
 * SQLite's checkpoint.)
 */
import Database from 'better-sqlite3';
import * as fs from 'fs';
import { open as openFile, type FileHandle } from 'fs/promises';
import * as path from 'path';
import { assertCollectionName, assertFieldPath, completeSort, keysetBranches, whileBusy, type Filter, type FindQuery, type KeysetTerm, type Scalar } from '@helpdesk/read-store';
import type { OpsCollectionSpec, OpsDoc, OpsStore } from './ops-store.port';

type SqlValue = string | number | null;

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

function fieldExpr(field: string): string {
  if (field === '_id') return '_id';
  if (field === '_rev') return '_rev';
  assertFieldPath(field);
  return `json_extract(doc,'$.${field}')`;
}

function bind(value: Scalar): SqlValue {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value === null || typeof value === 'string' || typeof value === 'number') return value;
  throw new TypeError(`filter values must be scalars, got ${typeof value}`);
}

const OPERATORS: Record<string, string> = { $gt: '>', $gte: '>=', $lt: '<', $lte: '<=' };

function where(filter: Filter | undefined, params: SqlValue[]): string[] {
  const clauses: string[] = [];
  for (const [field, condition] of Object.entries(filter ?? {})) {
    const expr = fieldExpr(field);
    if (condition === null || typeof condition !== 'object') {
      if (condition === null) clauses.push(`${expr} IS NULL`);
      else {
        clauses.push(`${expr} = ?`);
        params.push(bind(condition));
      }
      continue;
    }
    for (const [operator, value] of Object.entries(condition)) {
      if (value === undefined) continue;
      if (operator === '$in') {
        if (!Array.isArray(value)) throw new TypeError(`$in on ${field} needs an array`);
        const nonNull = value.filter((v) => v !== null);
        const parts: string[] = [];
        if (nonNull.length > 0) {
          parts.push(`${expr} IN (${nonNull.map(() => '?').join(',')})`);
          for (const v of nonNull) params.push(bind(v));
        }
        if (nonNull.length !== value.length) parts.push(`${expr} IS NULL`);
        clauses.push(parts.length === 0 ? '0' : `(${parts.join(' OR ')})`);
      } else if (operator === '$ne') {
        clauses.push(`${expr} IS NOT ?`);
        params.push(bind(value as Scalar));
      } else if (OPERATORS[operator]) {
        if (value === null) throw new TypeError(`${operator} on ${field} needs a non-null value`);
        clauses.push(`${expr} ${OPERATORS[operator]} ?`);
        params.push(bind(value as Scalar));
      } else throw new TypeError(`unsupported operator ${operator} on ${field}`);
    }
  }
  return clauses;
}

function keysetSql(branch: KeysetTerm[], params: SqlValue[]): string {
  return `(${branch
    .map((term) => {
      const expr = fieldExpr(term.field);
      if (term.op === 'eq') {
        if (term.value === null) return `${expr} IS NULL`;
        params.push(bind(term.value));
        return `${expr} = ?`;
      }
      if (term.op === 'notNull') return `${expr} IS NOT NULL`;
      params.push(bind(term.value));
      const cmp = `${expr} ${term.op === 'gt' ? '>' : '<'} ?`;
      return term.orNull ? `(${cmp} OR ${expr} IS NULL)` : cmp;
    })
    .join(' AND ')})`;
}

export class SqliteOpsStore implements OpsStore {
  private readonly tables = new Set<string>();
  private readonly statements = new Map<string, Database.Statement>();
  private closed = false;
  private wal: Promise<FileHandle | null> | null = null;

  private constructor(
    private readonly db: Database.Database,
    private readonly file: string,
  ) {}

  static open(file: string): SqliteOpsStore {
    if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('busy_timeout = 5000');
    return new SqliteOpsStore(db, file);
  }

  private statement(sql: string): Database.Statement {
    let s = this.statements.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      if (this.statements.size > 500) this.statements.clear();
      this.statements.set(sql, s);
    }
    return s;
  }

  private hasTable(name: string): boolean {
    if (this.tables.has(name)) return true;
    const found = this.db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`).get(name);
    if (found) this.tables.add(name);
    return !!found;
  }

  private createTable(name: string): void {
    assertCollectionName(name);
    if (this.hasTable(name)) return;
    whileBusy(() => this.db.exec(`CREATE TABLE IF NOT EXISTS ${quote(name)} (_id TEXT PRIMARY KEY, _rev INTEGER NOT NULL, doc TEXT NOT NULL) WITHOUT ROWID`));
    this.tables.add(name);
  }

  async ensureCollections(specs: OpsCollectionSpec[]): Promise<void> {
    for (const spec of specs) {
      this.createTable(spec.name);
      for (const index of spec.indexes) {
        const fields = [...index.fields];
        if (!fields.some(([f]) => f === '_id')) fields.push(['_id', 1]);
        const name = `${spec.name}__${fields.map(([f, d]) => `${f}_${d === -1 ? 'desc' : 'asc'}`).join('__')}`.replace(/[^A-Za-z0-9_]/g, '_');
        const columns = fields.map(([f, d]) => `${fieldExpr(f)} ${d === -1 ? 'DESC' : 'ASC'}`).join(', ');
        whileBusy(() => this.db.exec(`CREATE INDEX IF NOT EXISTS ${quote(name)} ON ${quote(spec.name)} (${columns})`));
      }
    }
  }

  private insertSync(collection: string, doc: OpsDoc): boolean {
    this.createTable(collection);
    const stored = { ...doc, _rev: 1 };
    return this.statement(`INSERT INTO ${quote(collection)} (_id, _rev, doc) VALUES (?, 1, ?) ON CONFLICT(_id) DO NOTHING`).run(doc._id, JSON.stringify(stored)).changes === 1;
  }

  async insert(collection: string, doc: OpsDoc): Promise<boolean> {
    return whileBusy(() => this.insertSync(collection, doc));
  }

  async insertMany(items: Array<{ collection: string; doc: OpsDoc }>): Promise<boolean[]> {
    for (const { collection } of items) this.createTable(collection);
    return whileBusy(() => this.db.transaction(() => items.map(({ collection, doc }) => this.insertSync(collection, doc))).immediate());
  }

  async get<T extends OpsDoc = OpsDoc>(collection: string, id: string): Promise<T | null> {
    if (!this.hasTable(collection)) return null;
    const row = this.statement(`SELECT doc FROM ${quote(collection)} WHERE _id = ?`).pluck().get(id) as string | undefined;
    return row === undefined ? null : (JSON.parse(row) as T);
  }

  async getMany<T extends OpsDoc = OpsDoc>(collection: string, ids: string[]): Promise<T[]> {
    if (!this.hasTable(collection) || ids.length === 0) return [];
    const found = new Map<string, T>();
    const unique = [...new Set(ids)];
    for (let i = 0; i < unique.length; i += 500) {
      const chunk = unique.slice(i, i + 500);
      const rows = this.statement(`SELECT doc FROM ${quote(collection)} WHERE _id IN (${chunk.map(() => '?').join(',')})`).pluck().all(...chunk) as string[];
      for (const row of rows) {
        const doc = JSON.parse(row) as T;
        found.set(doc._id, doc);
      }
    }
    return unique.map((id) => found.get(id)).filter((d): d is T => d !== undefined);
  }

  async find<T extends OpsDoc = OpsDoc>(collection: string, query: FindQuery = {}): Promise<T[]> {
    if (!this.hasTable(collection)) return [];
    const params: SqlValue[] = [];
    const sort = completeSort(query.sort);
    const clauses = where(query.filter, params);
    if (query.after) {
      const branches = keysetBranches(sort, query.after);
      clauses.push(branches.length === 0 ? '0' : `(${branches.map((b) => keysetSql(b, params)).join(' OR ')})`);
    }
    let sql = `SELECT doc FROM ${quote(collection)}`;
    if (clauses.length) sql += ` WHERE ${clauses.join(' AND ')}`;
    sql += ` ORDER BY ${sort.map(([f, d]) => `${fieldExpr(f)} ${d === -1 ? 'DESC' : 'ASC'}`).join(', ')}`;
    if (query.limit !== undefined) {
      if (!Number.isInteger(query.limit) || query.limit < 0) throw new TypeError(`invalid limit ${query.limit}`);
      sql += ` LIMIT ${query.limit}`;
    }
    return (this.statement(sql).pluck().all(...params) as string[]).map((row) => JSON.parse(row) as T);
  }

  async count(collection: string, filter?: Filter): Promise<number> {
    if (!this.hasTable(collection)) return 0;
    const params: SqlValue[] = [];
    const clauses = where(filter, params);
    return this.statement(`SELECT count(*) FROM ${quote(collection)}${clauses.length ? ` WHERE ${clauses.join(' AND ')}` : ''}`).pluck().get(...params) as number;
  }

  private replaceSync(collection: string, doc: OpsDoc & { _rev: number }): boolean {
    const next = { ...doc, _rev: doc._rev + 1 };
    return this.statement(`UPDATE ${quote(collection)} SET _rev = ?, doc = ? WHERE _id = ? AND _rev = ?`).run(next._rev, JSON.stringify(next), doc._id, doc._rev).changes === 1;
  }

  async replace(collection: string, doc: OpsDoc & { _rev: number }): Promise<boolean> {
    if (!this.hasTable(collection)) return false;
    return whileBusy(() => this.replaceSync(collection, doc));
  }

  async replaceMany(collection: string, docs: Array<OpsDoc & { _rev: number }>): Promise<boolean[]> {
    if (!this.hasTable(collection)) return docs.map(() => false);
    return whileBusy(() => this.db.transaction(() => docs.map((doc) => this.replaceSync(collection, doc))).immediate());
  }

  async delete(collection: string, id: string): Promise<boolean> {
    if (!this.hasTable(collection)) return false;
    return whileBusy(() => this.statement(`DELETE FROM ${quote(collection)} WHERE _id = ?`).run(id)).changes === 1;
  }

  async sync(): Promise<void> {
    if (this.file === ':memory:') return;
    this.wal ??= openFile(`${this.file}-wal`, 'r').catch(() => null);
    const handle = await this.wal;
    if (handle) await handle.datasync();
    else this.wal = null; // no WAL yet: nothing written
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const wal = await this.wal;
    await wal?.close().catch(() => undefined);
    this.db.close();
  }
}
