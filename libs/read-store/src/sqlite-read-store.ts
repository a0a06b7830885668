/**
 * Embedded read store on SQLite (better-sqlite3).
 *
 * One table per collection: `_id TEXT PRIMARY KEY, _pos INTEGER, doc TEXT` (the whole document
 * as JSON, `_id` and `_pos` included) plus one column per indexed field (`"$field"`), which the
 * writer fills from the document it already holds in memory (the value `json_extract` would
 * give: booleans as 1/0, objects as JSON text, missing as NULL). Indexes are plain column
 * indexes with `_id` appended, so a find() whose sort matches an index (same fields and
 * directions) walks the index and stops at the limit. Filters and sorts on an indexed field
 * use its column; on any other field, `json_extract(doc,'$.field')`. Keeping indexed values
 * in columns means neither index maintenance nor a bulk index build parses JSON (an
 * expression index over `json_extract` parses the whole document once per index).
 *
 * A batch of writes and its checkpoint commit in one transaction. The database runs in WAL
 * mode with synchronous=NORMAL: a commit survives a crash of the process (not necessarily of
 * the machine, which is acceptable because read models are rebuilt from the event log).
 *
 * Differences from MongoDB to keep in mind (the contract suite avoids them):
 * - booleans are compared as 1/0 (json_extract turns true into 1);
 * - range operators compare across types in SQLite order (null < numbers < text), MongoDB only
 *   within one type;
 * - a unique index allows several documents without the field (MongoDB allows one).
 */
import Database from 'better-sqlite3';
import {
  CheckpointMovedError,
  type CheckpointUpdate,
  type CollectionSpec,
  type Condition,
  type Doc,
  type Filter,
  type FindQuery,
  type ReadStore,
  type Scalar,
  type WriteOp,
} from './read-store.port';
import { assertCollectionName, assertFieldPath, collapseBatch, completeSort, keysetBranches, type KeysetTerm } from './query';
import { randomBytes } from 'crypto';
import { CHECKPOINTS_TABLE, CONNECTION_PRAGMAS, runWrites, SqliteWriterThread, whileBusy, type SqlValue, type WriteStep } from './sqlite-writes';

type Statement = Database.Statement<unknown[], unknown>;

const CHECKPOINTS = CHECKPOINTS_TABLE;
const STATEMENT_CACHE_LIMIT = 500;
const PUT_ROWS = 100;

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** the column that holds an indexed field's value */
const columnOf = (field: string): string => quoteIdent(`$${field}`);
const COLUMN_PREFIX = '$';

/** the SQL expression for a field of a table with the given field columns */
function fieldExpr(field: string, columns: ReadonlySet<string> | undefined): string {
  if (field === '_id') return '_id';
  if (field === '_pos') return '_pos';
  assertFieldPath(field);
  if (columns?.has(field)) return columnOf(field);
  return `json_extract(doc,'$.${field}')`;
}

/** the value of a field as json_extract(doc, '$.field') would give it */
function columnValue(doc: Doc, field: string): SqlValue {
  let value: unknown = doc;
  if (field.includes('.')) {
    for (const segment of field.split('.')) {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) return null;
      value = (value as Record<string, unknown>)[segment];
    }
  } else value = doc[field];
  switch (typeof value) {
    case 'string':
    case 'number':
      return value;
    case 'boolean':
      return value ? 1 : 0;
    case 'object':
      return value === null ? null : JSON.stringify(value);
    default:
      return null;
  }
}

/** the fields an index spec list needs columns for */
function indexedFields(specs: CollectionSpec[]): string[] {
  const fields = new Set<string>();
  for (const spec of specs)
    for (const index of spec.indexes)
      for (const [field] of index.fields) {
        if (field === '_id' || field === '_pos') continue;
        assertFieldPath(field);
        fields.add(field);
      }
  return [...fields];
}

function bindValue(value: Scalar): SqlValue {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value === null || typeof value === 'string' || typeof value === 'number') return value;
  throw new TypeError(`filter values must be scalars, got ${typeof value}`);
}

function isOperatorObject(condition: Condition): condition is Exclude<Condition, Scalar> {
  return condition !== null && typeof condition === 'object';
}

const KNOWN_OPERATORS = new Set(['$in', '$ne', '$gt', '$gte', '$lt', '$lte']);

export class SqliteReadStore implements ReadStore {
  private readonly statements = new Map<string, Statement>();
  private readonly tables = new Set<string>();
  /** per table, the fields that have a column (in column order) */
  private readonly columns = new Map<string, Set<string>>();
  private readonly deferred = new Map<string, CollectionSpec[]>();
  private closed = false;
  /** the schema version `tables` and `columns` were read at (another connection may change it) */
  private schemaVersion = -1;

  /** set by open(file, { writerThread: true }): writes run there, reads wait for them */
  private readonly writer: SqliteWriterThread | null;

  private constructor(
    readonly db: Database.Database,
    file: string | null,
  ) {
    for (const pragma of CONNECTION_PRAGMAS) db.pragma(pragma);
    db.exec(`CREATE TABLE IF NOT EXISTS ${CHECKPOINTS} (name TEXT PRIMARY KEY, position INTEGER NOT NULL)`);
    this.refreshTables();
    this.writer = file ? new SqliteWriterThread(file) : null;
  }

  /**
   * Opens (creating if needed) the database file; ':memory:' gives a private in-memory store.
   *
   * `writerThread` (bulk writers such as rebuilds): applyBatch serializes the documents on the
   * caller's thread and commits them on a writer thread with its own connection, so the caller
   * can fold the next page meanwhile; the port's reads wait for the writes given before them.
   * The synchronous methods refuse to run while writes are pending.
   */
  static open(file: string, options: { writerThread?: boolean } = {}): SqliteReadStore {
    const writerThread = options.writerThread === true && file !== ':memory:' && file !== '';
    return new SqliteReadStore(new Database(file), writerThread ? file : null);
  }

  // ---------------------------------------------------------------- port (async) methods

  async ensureCollections(specs: CollectionSpec[], options: { deferIndexes?: boolean } = {}): Promise<void> {
    await this.writesDone();
    this.ensureCollectionsSync(specs, options);
  }

  async get<T extends Doc = Doc>(collection: string, id: string): Promise<T | null> {
    await this.writesDone();
    return this.getSync<T>(collection, id);
  }

  async getMany<T extends Doc = Doc>(collection: string, ids: string[]): Promise<T[]> {
    await this.writesDone();
    return this.getManySync<T>(collection, ids);
  }

  async find<T extends Doc = Doc>(collection: string, query?: FindQuery): Promise<T[]> {
    await this.writesDone();
    return this.findSync<T>(collection, query);
  }

  async count(collection: string, filter?: Filter): Promise<number> {
    await this.writesDone();
    return this.countSync(collection, filter);
  }

  /**
   * With a writer thread, the documents are serialized before this returns its promise (the
   * caller may go on changing its objects) and committed on the writer thread.
   */
  async applyBatch(ops: WriteOp[], checkpoint?: CheckpointUpdate): Promise<void> {
    if (this.writer) {
      this.syncSchema();
      const batch = this.writer.begin();
      this.prepareWrites(ops, (step) => batch.step(step));
      const result = await batch.commit(checkpoint);
      if (result.moved) throw new CheckpointMovedError(result.moved.name, result.moved.expected, result.moved.actual);
      return;
    }
    this.applyBatchSync(ops, checkpoint);
  }

  async getCheckpoint(name: string): Promise<bigint> {
    await this.writesDone();
    return this.getCheckpointSync(name);
  }

  async setCheckpoint(name: string, position: bigint): Promise<void> {
    await this.writesDone();
    this.setCheckpointSync(name, position);
  }

  async swapCollections(
    pairs: Array<{ live: string; shadow: string }>,
    checkpoints: Array<{ name: string; position: bigint }>,
  ): Promise<void> {
    await this.writesDone();
    this.swapCollectionsSync(pairs, checkpoints);
  }

  async dropCollection(name: string): Promise<void> {
    await this.writesDone();
    this.dropCollectionSync(name);
  }

  async listCollections(): Promise<string[]> {
    await this.writesDone();
    return this.listCollectionsSync();
  }

  async close(): Promise<void> {
    await this.writer?.close();
    this.closeSync();
  }

  // ---------------------------------------------------------------- synchronous fast path

  /**
   * Creates the tables and indexes. With `deferIndexes` (for shadow collections during a
   * rebuild) only the tables are created now; the indexes are built in bulk, which is much
   * faster than maintaining them row by row, by buildDeferredIndexes() or by the
   * swapCollections() that promotes the shadow. Deferred indexes are remembered in memory only.
   */
  ensureCollectionsSync(specs: CollectionSpec[], options: { deferIndexes?: boolean } = {}): void {
    // with a writer thread, keeping the indexes up to date costs the writer thread, which has
    // time to spare while the caller folds events, rather than a bulk build at the end
    if (options.deferIndexes && !this.writer) {
      this.writeTransaction(() => {
        this.syncSchema();
        for (const spec of specs) {
          // the columns are needed while filling; only the indexes wait
          this.createTable(spec.name, indexedFields([spec]));
          this.deferred.set(spec.name, [...(this.deferred.get(spec.name) ?? []), spec]);
        }
      });
      return;
    }
    this.writeTransaction(() => {
      this.syncSchema();
      for (const spec of specs) {
        this.createTable(spec.name, indexedFields([spec]));
        this.deferred.delete(spec.name);
        const table = quoteIdent(spec.name);
        const indexRows = this.db
          .prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL`)
          .all(spec.name) as Array<{ name: string; sql: string }>;
        // expression indexes over json_extract come from files written before indexed fields
        // had columns: the column indexes below replace them
        for (const row of indexRows) if (row.sql.includes('json_extract(')) this.db.exec(`DROP INDEX ${quoteIdent(row.name)}`);
        const existing = indexRows.filter((row) => !row.sql.includes('json_extract(')).map((row) => normalizeIndexSql(row.sql));
        const tableColumns = this.columns.get(spec.name);
        for (const index of spec.indexes) {
          if (index.fields.length === 0) throw new TypeError(`index on ${spec.name} has no fields`);
          const columns = index.fields.map(([field, direction]) => `${fieldExpr(field, tableColumns)} ${direction === -1 ? 'DESC' : 'ASC'}`);
          if (!index.unique && !index.fields.some(([field]) => field === '_id')) columns.push('_id ASC');
          const unique = index.unique ? 'UNIQUE ' : '';
          const body = `(${columns.join(', ')})`;
          // SQLite rewrites the table name in the stored SQL on rename, so compare the column list
          if (existing.some((sql) => sql.startsWith(unique ? 'CREATE UNIQUE INDEX' : 'CREATE INDEX') && sql.endsWith(` ${body}`))) {
            continue;
          }
          // index names are global in SQLite and stay with a table when it is renamed (swap),
          // so they get a random suffix rather than being derived from the collection name
          const indexName = quoteIdent(`ix_${spec.name}_${randomBytes(4).toString('hex')}`);
          const sql = `CREATE ${unique}INDEX ${indexName} ON ${table} ${body}`;
          this.db.exec(sql);
          existing.push(normalizeIndexSql(sql));
        }
      }
    });
    this.statements.clear();
  }

  /** builds the indexes deferred by ensureCollectionsSync(specs, { deferIndexes: true }) */
  buildDeferredIndexes(collections?: string[]): void {
    const names = collections ?? [...this.deferred.keys()];
    const specs = names.flatMap((name) => this.deferred.get(name) ?? []);
    if (specs.length > 0) this.ensureCollectionsSync(specs);
  }

  getSync<T extends Doc = Doc>(collection: string, id: string): T | null {
    if (!this.tables.has(collection)) this.syncSchema();
    if (!this.hasTable(collection)) return null;
    const row = this.statement(`SELECT doc FROM ${quoteIdent(collection)} WHERE _id = ?`).pluck().get(id) as string | undefined;
    return row === undefined ? null : (JSON.parse(row) as T);
  }

  getManySync<T extends Doc = Doc>(collection: string, ids: string[]): T[] {
    if (!this.tables.has(collection)) this.syncSchema();
    if (!this.hasTable(collection) || ids.length === 0) return [];
    const found = new Map<string, T>();
    const unique = [...new Set(ids)];
    for (let start = 0; start < unique.length; start += 500) {
      const chunk = unique.slice(start, start + 500);
      const rows = this.statement(
        `SELECT _id, doc FROM ${quoteIdent(collection)} WHERE _id IN (${chunk.map(() => '?').join(',')})`,
      ).all(...chunk) as Array<{ _id: string; doc: string }>;
      for (const row of rows) found.set(row._id, JSON.parse(row.doc) as T);
    }
    // in the order asked for, missing ids left out
    const result: T[] = [];
    for (const id of unique) {
      const doc = found.get(id);
      if (doc) result.push(doc);
    }
    return result;
  }

  findSync<T extends Doc = Doc>(collection: string, query: FindQuery = {}): T[] {
    this.syncSchema();
    if (!this.hasTable(collection)) return [];
    const { sql, params } = this.findSql(collection, query);
    const rows = this.statement(sql).pluck().all(...params) as string[];
    return rows.map((row) => JSON.parse(row) as T);
  }

  private findSql(collection: string, query: FindQuery): { sql: string; params: SqlValue[] } {
    const params: SqlValue[] = [];
    const columns = this.columns.get(collection);
    const sort = completeSort(query.sort);
    const where = this.whereClauses(query.filter, params, columns, new Set(sort.slice(1).map(([field]) => field)));
    if (query.after) {
      const branches = keysetBranches(sort, query.after);
      // a leading bound on the first key lets SQLite seek in an index instead of scanning
      const [firstField, firstDirection] = sort[0];
      const firstValue = query.after.values.length > 0 ? query.after.values[0] : query.after.id;
      if (firstDirection === 1 && firstValue !== null) {
        where.push(`${fieldExpr(firstField, columns)} >= ?`);
        params.push(bindValue(firstValue));
      }
      where.push(branches.length === 0 ? '0' : `(${branches.map((branch) => this.keysetBranchSql(branch, params, columns)).join(' OR ')})`);
    }
    const omit = (query.omit ?? []).filter((field) => field !== '_id');
    for (const field of omit) if (!/^[A-Za-z_$][A-Za-z0-9_$]*(\.[A-Za-z_$][A-Za-z0-9_$]*)*$/.test(field)) throw new TypeError(`invalid field to omit: ${field}`);
    // SQLite drops them while the row is still text (no JavaScript objects made for them)
    const doc = omit.length === 0 ? 'doc' : `json_remove(doc, ${omit.map((field) => `'$.${field}'`).join(', ')})`;
    let sql = `SELECT ${doc} FROM ${quoteIdent(collection)}`;
    if (where.length > 0) sql += ` WHERE ${where.join(' AND ')}`;
    sql += ` ORDER BY ${sort.map(([field, direction]) => `${fieldExpr(field, columns)} ${direction === -1 ? 'DESC' : 'ASC'}`).join(', ')}`;
    if (query.limit !== undefined) {
      if (!Number.isInteger(query.limit) || query.limit < 0) throw new TypeError(`invalid limit ${query.limit}`);
      sql += ` LIMIT ${query.limit}`;
    }
    return { sql, params };
  }

  /** the query plan of a find() (EXPLAIN QUERY PLAN details), for tests and benchmarks */
  explainFind(collection: string, query: FindQuery = {}): string[] {
    const { sql, params } = this.findSql(collection, query);
    return (this.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as Array<{ detail: string }>).map((row) => row.detail);
  }

  countSync(collection: string, filter?: Filter): number {
    this.syncSchema();
    if (!this.hasTable(collection)) return 0;
    const params: SqlValue[] = [];
    const where = this.whereClauses(filter, params, this.columns.get(collection));
    let sql = `SELECT count(*) FROM ${quoteIdent(collection)}`;
    if (where.length > 0) sql += ` WHERE ${where.join(' AND ')}`;
    return this.statement(sql).pluck().get(...params) as number;
  }

  applyBatchSync(ops: WriteOp[], checkpoint?: CheckpointUpdate): void {
    this.assertNoPendingWrites();
    this.writeTransaction(() => {
      // inside the write transaction: the schema cannot change under it from here on
      this.syncSchema();
      const steps: WriteStep[] = [];
      this.prepareWrites(ops, (step) => steps.push(step));
      const result = runWrites(this.db, this.statements, { steps, checkpoint });
      if (result.moved) throw new CheckpointMovedError(result.moved.name, result.moved.expected, result.moved.actual);
    });
  }

  /**
   * The statements that write a batch: documents serialized and indexed values extracted here,
   * puts PUT_ROWS rows per statement (ids are unique within the collapsed batch), which saves
   * most of the per-call overhead; the rest one by one. Every put and delete is guarded by
   * position.
   */
  private prepareWrites(ops: WriteOp[], emit: (step: WriteStep) => void): void {
    for (const [collection, docs] of collapseBatch(ops)) {
      this.createTable(collection);
      const table = quoteIdent(collection);
      const fields = [...(this.columns.get(collection) ?? [])];
      const names = ['_id', '_pos', 'doc', ...fields.map(columnOf)];
      const row = `(${names.map(() => '?').join(', ')})`;
      const upsert = (rows: number) =>
        `INSERT INTO ${table} (${names.join(', ')}) VALUES ${new Array(rows).fill(row).join(', ')} ` +
        `ON CONFLICT(_id) DO UPDATE SET ${names
          .slice(1)
          .map((name) => `${name} = excluded.${name}`)
          .join(', ')} ` +
        `WHERE ${table}._pos IS NULL OR ${table}._pos < excluded._pos`;
      const del = `DELETE FROM ${table} WHERE _id = ? AND (_pos IS NULL OR _pos < ?)`;
      const bulk = upsert(PUT_ROWS);
      const width = names.length;
      let params: SqlValue[] = [];
      for (const op of docs.values()) {
        if (op.kind === 'delete') {
          emit({ sql: del, params: [op.id, op.position] });
          continue;
        }
        const doc = op.doc; // read once: it may be built on access
        params.push(doc._id, doc._pos, JSON.stringify(doc));
        for (const field of fields) params.push(columnValue(doc, field));
        if (params.length === PUT_ROWS * width) {
          emit({ sql: bulk, params });
          params = [];
        }
      }
      if (params.length > 0) emit({ sql: upsert(params.length / width), params });
    }
  }

  /** waits for the writer thread's pending writes (no-op without one) */
  private async writesDone(): Promise<void> {
    if (this.writer && this.writer.pending > 0) await this.writer.idle();
  }

  private assertNoPendingWrites(): void {
    if (this.writer && this.writer.pending > 0) {
      throw new Error('SqliteReadStore: writes are pending on the writer thread; use the asynchronous methods');
    }
  }

  getCheckpointSync(name: string): bigint {
    const value = this.statement(`SELECT position FROM ${CHECKPOINTS} WHERE name = ?`).pluck().safeIntegers(true).get(name) as
      | bigint
      | undefined;
    return value ?? 0n;
  }

  setCheckpointSync(name: string, position: bigint): void {
    this.writeTransaction(() => this.writeCheckpoint(name, position));
  }

  swapCollectionsSync(pairs: Array<{ live: string; shadow: string }>, checkpoints: Array<{ name: string; position: bigint }>): void {
    this.syncSchema();
    for (const { live, shadow } of pairs) {
      assertCollectionName(live);
      assertCollectionName(shadow);
      if (live === shadow) throw new TypeError(`cannot swap ${live} with itself`);
      if (!this.hasTable(shadow)) throw new Error(`shadow collection ${shadow} does not exist`);
    }
    this.buildDeferredIndexes(pairs.map((pair) => pair.shadow));
    try {
      this.writeTransaction(() => {
        for (const { live, shadow } of pairs) {
          if (!this.hasTable(shadow)) throw new Error(`shadow collection ${shadow} does not exist`);
          this.db.exec(`DROP TABLE IF EXISTS ${quoteIdent(live)}`);
          this.db.exec(`ALTER TABLE ${quoteIdent(shadow)} RENAME TO ${quoteIdent(live)}`);
          this.deferred.delete(live);
        }
        for (const { name, position } of checkpoints) this.writeCheckpoint(name, position);
      });
    } finally {
      this.statements.clear();
      this.refreshTables();
    }
  }

  dropCollectionSync(name: string): void {
    assertCollectionName(name);
    this.writeTransaction(() => this.db.exec(`DROP TABLE IF EXISTS ${quoteIdent(name)}`));
    this.statements.clear();
    this.tables.delete(name);
    this.columns.delete(name);
    this.deferred.delete(name);
  }

  listCollectionsSync(): string[] {
    this.refreshTables();
    return [...this.tables].sort();
  }

  closeSync(): void {
    if (this.closed) return;
    this.closed = true;
    this.statements.clear();
    this.db.close();
  }

  // ---------------------------------------------------------------- internals

  private statement(sql: string): Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      if (this.statements.size >= STATEMENT_CACHE_LIMIT) this.statements.clear();
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  /**
   * A write transaction that takes the write lock first (IMMEDIATE: a deferred transaction
   * that read first could not upgrade once another connection had written meanwhile), run
   * again while SQLite reports the database busy (see whileBusy).
   */
  private writeTransaction<T>(fn: () => T): T {
    return whileBusy(() => this.db.transaction(fn).immediate());
  }

  private writeCheckpoint(name: string, position: bigint): void {
    if (typeof position !== 'bigint' || position < 0n) throw new TypeError(`checkpoint position must be a non-negative bigint`);
    this.statement(
      `INSERT INTO ${CHECKPOINTS} (name, position) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET position = excluded.position`,
    ).run(name, position);
  }

  /**
   * Re-reads tables and columns when another connection (a rebuild in another process, a newer
   * version adding an indexed field) changed the schema: a write must fill every column.
   */
  private syncSchema(): void {
    const version = this.statement('PRAGMA schema_version').pluck().get() as number;
    if (version !== this.schemaVersion) {
      this.refreshTables();
      this.statements.clear();
    }
  }

  private refreshTables(): void {
    this.schemaVersion = this.db.prepare('PRAGMA schema_version').pluck().get() as number;
    this.tables.clear();
    const names = this.db
      .prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND name <> ?`)
      .pluck()
      .all(CHECKPOINTS) as string[];
    this.columns.clear();
    for (const name of names) {
      this.tables.add(name);
      const fields = (this.db.prepare(`SELECT name FROM pragma_table_info(?)`).pluck().all(name) as string[])
        .filter((column) => column.startsWith(COLUMN_PREFIX))
        .map((column) => column.slice(COLUMN_PREFIX.length));
      if (fields.length > 0) this.columns.set(name, new Set(fields));
    }
  }

  private hasTable(collection: string): boolean {
    assertCollectionName(collection);
    return this.tables.has(collection);
  }

  /**
   * Creates the table with a column per indexed field, or adds the missing columns to an
   * existing table, filled from the stored documents. Columns have no declared type (no
   * affinity): they hold exactly what json_extract would return.
   */
  private createTable(collection: string, fields: string[] = []): void {
    const table = quoteIdent(collection);
    if (!this.hasTable(collection)) {
      this.db.exec(
        `CREATE TABLE IF NOT EXISTS ${table} (_id TEXT PRIMARY KEY, _pos INTEGER, doc TEXT NOT NULL${fields.map((f) => `, ${columnOf(f)}`).join('')})`,
      );
      this.tables.add(collection);
      if (fields.length > 0) this.columns.set(collection, new Set(fields));
      this.statements.clear();
      return;
    }
    const have = this.columns.get(collection) ?? new Set<string>();
    const missing = fields.filter((f) => !have.has(f));
    if (missing.length === 0) return;
    for (const field of missing) {
      this.db.exec(`ALTER TABLE ${table} ADD COLUMN ${columnOf(field)}`);
      this.db.exec(`UPDATE ${table} SET ${columnOf(field)} = json_extract(doc,'$.${field}')`);
      have.add(field);
    }
    this.columns.set(collection, have);
    this.statements.clear();
  }

  /**
   * `laterSortFields`: sort keys after the first. An equality on one of them is written
   * `+column = ?`: SQLite would otherwise take that sort key as constant and sort the result
   * itself instead of walking an index that has the key in the middle (the unary plus keeps
   * the term out of index and ORDER BY analysis; the rows still come from the index).
   */
  private whereClauses(
    filter: Filter | undefined,
    params: SqlValue[],
    columns: ReadonlySet<string> | undefined,
    laterSortFields?: ReadonlySet<string>,
  ): string[] {
    const clauses: string[] = [];
    if (!filter) return clauses;
    for (const [field, condition] of Object.entries(filter)) {
      const column = fieldExpr(field, columns);
      const expr = laterSortFields?.has(field) && columns?.has(field) ? `+${column}` : column;
      if (!isOperatorObject(condition)) {
        if (condition === null) clauses.push(`${expr} IS NULL`);
        else {
          clauses.push(`${expr} = ?`);
          params.push(bindValue(condition));
        }
        continue;
      }
      for (const [operator, value] of Object.entries(condition)) {
        if (!KNOWN_OPERATORS.has(operator)) throw new TypeError(`unsupported operator ${operator} on ${field}`);
        if (value === undefined) continue;
        switch (operator) {
          case '$in': {
            const list = value as Scalar[];
            if (!Array.isArray(list)) throw new TypeError(`$in on ${field} needs an array`);
            const nonNull = list.filter((v) => v !== null);
            const parts: string[] = [];
            if (nonNull.length > 0) {
              parts.push(`${expr} IN (${nonNull.map(() => '?').join(',')})`);
              for (const v of nonNull) params.push(bindValue(v));
            }
            if (nonNull.length !== list.length) parts.push(`${expr} IS NULL`);
            clauses.push(parts.length === 0 ? '0' : parts.length === 1 ? parts[0] : `(${parts.join(' OR ')})`);
            break;
          }
          case '$ne':
            // IS NOT: a missing/null field is "not equal" to a value, as in MongoDB
            clauses.push(`${expr} IS NOT ?`);
            params.push(bindValue(value as Scalar));
            break;
          default: {
            if (value === null) throw new TypeError(`${operator} on ${field} needs a non-null value`);
            const sqlOperator = { $gt: '>', $gte: '>=', $lt: '<', $lte: '<=' }[operator as '$gt' | '$gte' | '$lt' | '$lte'];
            clauses.push(`${expr} ${sqlOperator} ?`);
            params.push(bindValue(value as Scalar));
          }
        }
      }
    }
    return clauses;
  }

  private keysetBranchSql(branch: KeysetTerm[], params: SqlValue[], columns: ReadonlySet<string> | undefined): string {
    const terms = branch.map((term) => {
      const expr = fieldExpr(term.field, columns);
      switch (term.op) {
        case 'eq':
          if (term.value === null) return `${expr} IS NULL`;
          params.push(bindValue(term.value));
          return `${expr} = ?`;
        case 'notNull':
          return `${expr} IS NOT NULL`;
        default:
          params.push(bindValue(term.value));
          return term.orNull ? `(${expr} ${term.op === 'gt' ? '>' : '<'} ? OR ${expr} IS NULL)` : `${expr} ${term.op === 'gt' ? '>' : '<'} ?`;
      }
    });
    return `(${terms.join(' AND ')})`;
  }
}

/** index SQL as stored by SQLite, with whitespace collapsed, for comparison */
function normalizeIndexSql(sql: string): string {
  return sql.replace(/\s+/g, ' ').trim();
}
