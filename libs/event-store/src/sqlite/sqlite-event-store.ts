import Database from 'better-sqlite3';
import * as fs from 'fs';
import * as path from 'path';
import { WalCheckpointer } from './checkpointer';
import {
  AppendResult,
  EventStore,
  EventStoreUnavailableError,
  EventMetadata,
  ExpectedVersion,
  LeanStoredEvent,
  NewEvent,
  ReadAllOptions,
  ReadStreamOptions,
  StoredEvent,
  SubscribeOptions,
  Subscription,
  SubscriptionHandler,
  WrongExpectedVersionError,
  validateNewEvents,
} from '../event-store.port';

/** Schema version of the store file; a file from a newer schema is refused at startup. */
export const SQLITE_EVENT_STORE_SCHEMA = 1;

export interface SqliteEventStoreOptions {
  /** open without taking the writer lock; append is refused (tools that read while the API runs) */
  readOnly?: boolean;
  /** most appends folded into one transaction (group commit) */
  maxBatch?: number;
  /**
   * `PRAGMA quick_check` at open (about 0.8 s per GB of log):
   * - 'after-unclean-shutdown' (default): only when the writer lock was left behind by a
   *   process that is gone (killed, crashed, power lost); a clean close removes the lock;
   * - 'always': on every open (`npm run check-store`);
   * - 'never'.
   */
  integrityCheck?: 'after-unclean-shutdown' | 'always' | 'never';
}

/** Whether the open ran `PRAGMA quick_check`, why, and what it found. */
export interface IntegrityCheckReport {
  ran: boolean;
  /** why it ran (or null when it did not) */
  reason: 'unclean-shutdown' | 'requested' | null;
  /** 'ok' when it ran and found nothing; null when it did not run */
  result: string | null;
  /** the lock left behind names this process id (when reason is unclean-shutdown) */
  stalePid: number | null;
  /** wall time of the check, for the log line */
  milliseconds: number;
}

interface PendingAppend {
  streamId: string;
  events: NewEvent[];
  serialized: Array<{ data: string; metadata: string }>;
  expected: ExpectedVersion;
  resolve: (r: AppendResult) => void;
  reject: (e: unknown) => void;
}

const COLUMNS = 'position, stream_id, version, id, type, data, metadata';
const LEAN_COLUMNS = "position, stream_id, version, id, type, data, json_extract(metadata, '$.occurredAt')";
/**
 * A share of the streams, for reading $all on several threads or processes at once: the
 * streams whose id's last character code is `index` modulo `of`. Every stream is in exactly
 * one share, and each share comes in global order.
 */
export interface StreamShare {
  index: number;
  of: number;
}
const SHARE_OF_STREAM = 'unicode(substr(stream_id, -1))';

export interface SqliteReadAllOptions extends ReadAllOptions {
  /** only the events of this share of the streams */
  streams?: StreamShare;
}

/** One group commit, for metrics: appends folded into it, events written, transaction time (fsync included). */
export interface GroupCommitReport {
  appends: number;
  events: number;
  seconds: number;
  ok: boolean;
}

/** a row as read in raw mode, columns in COLUMNS order */
type EventRow = [position: number, streamId: string, version: number, id: string, type: string, data: string, metadata: string];

/**
 * Embedded event store on SQLite (better-sqlite3), one file, WAL.
 *
 * Durability: synchronous=FULL, so a commit is on disk before any append of it is
 * acknowledged. Throughput comes from group commit: appends that arrive while a commit is
 * being prepared are folded into the same transaction (one fsync), each checked against its
 * expected version inside that transaction. An append that fails its check is rejected alone;
 * its events are never written, and the others of the group are unaffected.
 *
 * Single writer: a lock file beside the database holds the writer's pid; a second writer
 * gets a clear error at startup. Read-only opens (tools) do not take the lock.
 */
export class SqliteEventStore implements EventStore {
  private readonly db: Database.Database;
  private queue: PendingAppend[] = [];
  private flushScheduled = false;
  private lastPosition: number;
  private closed = false;
  private readonly listeners = new Set<() => void>();
  private readonly maxBatch: number;
  private readonly stmts: ReturnType<SqliteEventStore['prepare']>;
  private readonly checkpointer: WalCheckpointer | null = null;
  /** receives one report per group commit when set (metrics); must be cheap and must not throw */
  commitObserver: ((report: GroupCommitReport) => void) | null = null;
  /** what the open found about the integrity check (see SqliteEventStoreOptions.integrityCheck) */
  readonly integrityCheck: IntegrityCheckReport;

  private constructor(
    readonly file: string,
    private readonly lockFile: string | null,
    options: SqliteEventStoreOptions,
    /** the pid of a writer lock left behind by a process that is gone, if any */
    stalePid: number | null,
  ) {
    this.maxBatch = options.maxBatch ?? 1024;
    try {
      this.db = new Database(file, { readonly: options.readOnly ?? false, fileMustExist: options.readOnly ?? false });
      this.db.pragma('busy_timeout = 5000');
      if (!options.readOnly) {
        this.db.pragma('journal_mode = WAL');
        this.db.pragma('synchronous = FULL');
        // checkpoints run in a worker (see WalCheckpointer); this is only the safety net
        this.db.pragma('wal_autocheckpoint = 20000');
      }
      this.integrityCheck = this.checkIntegrity(options.integrityCheck ?? 'after-unclean-shutdown', stalePid);
      if (this.integrityCheck.result !== null && this.integrityCheck.result !== 'ok') {
        throw new Error(`integrity check failed: ${this.integrityCheck.result}`);
      }
      if (!options.readOnly) this.migrate();
      this.checkSchema();
    } catch (err) {
      // after an unclean shutdown the lock goes back as it was found, so that the next open
      // checks again (a failed open must not make the next one skip the check)
      this.releaseLock(stalePid);
      throw new EventStoreUnavailableError(`cannot open event store ${file}: ${(err as Error).message}`, err);
    }
    this.stmts = this.prepare();
    if (!options.readOnly && file !== ':memory:') this.checkpointer = new WalCheckpointer(file);
    this.lastPosition = (this.db.prepare('SELECT COALESCE(MAX(position), 0) AS p FROM events').get() as { p: number }).p;
  }

  static open(file: string, options: SqliteEventStoreOptions = {}): SqliteEventStore {
    fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    if (options.readOnly) return new SqliteEventStore(file, null, options, file === ':memory:' ? null : staleLockOwner(file));
    const lock = acquireLock(file);
    return new SqliteEventStore(file, lock.lockFile, options, lock.stalePid);
  }

  /**
   * A file whose writer died without closing it may hold a torn page (a disk or file system
   * that lied about a flush); SQLite's own recovery replays the WAL but does not read every
   * page. So the check runs then, and on demand, but not on every start: it reads the whole
   * file, which would make start-up grow with the log.
   */
  private checkIntegrity(mode: NonNullable<SqliteEventStoreOptions['integrityCheck']>, stalePid: number | null): IntegrityCheckReport {
    const reason = mode === 'always' ? 'requested' : mode === 'after-unclean-shutdown' && stalePid !== null ? 'unclean-shutdown' : null;
    if (reason === null) return { ran: false, reason: null, result: null, stalePid, milliseconds: 0 };
    const t0 = process.hrtime.bigint();
    const rows = (this.db.pragma('quick_check') as Array<{ quick_check: string }>).map((r) => r.quick_check);
    // SQLite lists up to 100 problems: the first few say enough for a log line
    const result = rows.length > 5 ? `${rows.slice(0, 5).join('; ')}; ... (${rows.length - 5} more)` : rows.join('; ');
    return { ran: true, reason, result, stalePid, milliseconds: Number(process.hrtime.bigint() - t0) / 1e6 };
  }

  private migrate(): void {
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS store_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS events (
        position INTEGER PRIMARY KEY,
        stream_id TEXT NOT NULL,
        version INTEGER NOT NULL,
        id TEXT NOT NULL,
        type TEXT NOT NULL,
        data TEXT NOT NULL,
        metadata TEXT NOT NULL,
        UNIQUE (stream_id, version)
      );
    `);
    this.db
      .prepare(`INSERT OR IGNORE INTO store_meta (key, value) VALUES ('schema', ?)`)
      .run(String(SQLITE_EVENT_STORE_SCHEMA));
  }

  private checkSchema(): void {
    let row: { value: string } | undefined;
    try {
      row = this.db.prepare(`SELECT value FROM store_meta WHERE key = 'schema'`).get() as { value: string } | undefined;
    } catch {
      throw new Error('not a helpdesk event store (no store_meta table)');
    }
    const schema = Number(row?.value);
    if (!Number.isInteger(schema)) throw new Error('not a helpdesk event store (no schema version)');
    if (schema > SQLITE_EVENT_STORE_SCHEMA) {
      throw new Error(
        `store schema ${schema} is newer than this build supports (${SQLITE_EVENT_STORE_SCHEMA}); upgrade the application`,
      );
    }
  }

  private prepare() {
    return {
      streamVersion: this.db.prepare('SELECT version FROM events WHERE stream_id = ? ORDER BY version DESC LIMIT 1').pluck(),
      insert: this.db.prepare(
        'INSERT INTO events (position, stream_id, version, id, type, data, metadata) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ),
      readForwards: this.db.prepare(
        `SELECT ${COLUMNS} FROM events WHERE stream_id = ? AND version >= ? ORDER BY version ASC LIMIT ?`,
      ).raw(),
      readBackwards: this.db.prepare(
        `SELECT ${COLUMNS} FROM events WHERE stream_id = ? AND version <= ? ORDER BY version DESC LIMIT ?`,
      ).raw(),
      readAll: this.db.prepare(`SELECT ${COLUMNS} FROM events WHERE position > ? ORDER BY position ASC LIMIT ?`).raw(),
      // occurredAt picked out by SQLite: the rest of the metadata is neither copied nor parsed
      readAllLean: this.db
        .prepare(`SELECT ${LEAN_COLUMNS} FROM events WHERE position > ? ORDER BY position ASC LIMIT ?`)
        .raw(),
      // a share of the streams (see StreamShare)
      readShare: this.db
        .prepare(`SELECT ${COLUMNS} FROM events WHERE position > ? AND ${SHARE_OF_STREAM} % ? = ? ORDER BY position ASC LIMIT ?`)
        .raw(),
      readShareLean: this.db
        .prepare(`SELECT ${LEAN_COLUMNS} FROM events WHERE position > ? AND ${SHARE_OF_STREAM} % ? = ? ORDER BY position ASC LIMIT ?`)
        .raw(),
      metadataAt: this.db.prepare('SELECT metadata FROM events WHERE position = ?').pluck(),
      head: this.db.prepare('SELECT MAX(position) FROM events').pluck(),
      begin: this.db.prepare('BEGIN IMMEDIATE'),
      commit: this.db.prepare('COMMIT'),
      rollback: this.db.prepare('ROLLBACK'),
    };
  }

  append(streamId: string, events: NewEvent[], expected: ExpectedVersion): Promise<AppendResult> {
    if (this.closed) return Promise.reject(new EventStoreUnavailableError('event store is closed'));
    if (this.lockFile === null) return Promise.reject(new EventStoreUnavailableError('event store opened read-only'));
    let serialized: Array<{ data: string; metadata: string }>;
    try {
      serialized = validateNewEvents(streamId, events);
    } catch (err) {
      return Promise.reject(err);
    }
    if (events.length === 0) {
      return Promise.reject(new EventStoreUnavailableError('append needs at least one event'));
    }
    return new Promise<AppendResult>((resolve, reject) => {
      this.queue.push({ streamId, events, serialized, expected, resolve, reject });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /** One transaction, one fsync, for every append queued since the last flush. */
  private flush(): void {
    this.flushScheduled = false;
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.maxBatch);
      const outcomes: Array<{ ok: true; result: AppendResult } | { ok: false; error: unknown }> = [];
      const batchVersions = new Map<string, number>();
      const startPosition = this.lastPosition;
      let position = this.lastPosition;
      const observer = this.commitObserver;
      const started = observer ? process.hrtime.bigint() : 0n;
      try {
        this.stmts.begin.run();
        for (const p of batch) {
          try {
            const result = this.appendInTransaction(p, batchVersions, position);
            if (result.written) position = Number(result.result.position);
            outcomes.push({ ok: true, result: result.result });
          } catch (error) {
            outcomes.push({ ok: false, error });
          }
        }
        this.stmts.commit.run();
        this.lastPosition = position;
      } catch (err) {
        try {
          if (this.db.inTransaction) this.stmts.rollback.run();
        } catch {
          /* the rollback error is secondary */
        }
        this.lastPosition = startPosition;
        const error = new EventStoreUnavailableError(`append failed: ${(err as Error).message}`, err);
        for (const p of batch) p.reject(error);
        observer?.({ appends: batch.length, events: 0, seconds: Number(process.hrtime.bigint() - started) / 1e9, ok: false });
        continue;
      }
      observer?.({ appends: batch.length, events: position - startPosition, seconds: Number(process.hrtime.bigint() - started) / 1e9, ok: true });
      outcomes.forEach((o, i) => (o.ok ? batch[i].resolve(o.result) : batch[i].reject(o.error)));
      this.checkpointer?.appended(position - startPosition);
      if (position !== startPosition) for (const l of this.listeners) l();
    }
  }

  private appendInTransaction(
    p: PendingAppend,
    batchVersions: Map<string, number>,
    position: number,
  ): { written: boolean; result: AppendResult } {
    let current = batchVersions.get(p.streamId);
    if (current === undefined) {
      const v = this.stmts.streamVersion.get(p.streamId) as number | undefined;
      current = v === undefined ? -1 : v;
    }
    const matches = p.expected === 'any' || (p.expected === 'no-stream' ? current === -1 : BigInt(current) === p.expected);
    if (!matches || p.expected === 'any') {
      const replay = this.idempotentReplay(p, current);
      if (replay) return { written: false, result: replay };
      if (!matches) throw new WrongExpectedVersionError(p.streamId, p.expected, current < 0 ? 'no-stream' : BigInt(current));
    }
    let version = current;
    for (let i = 0; i < p.events.length; i++) {
      const e = p.events[i];
      version++;
      position++;
      const { data, metadata } = p.serialized[i];
      this.stmts.insert.run(position, p.streamId, version, e.id, e.type, data, metadata);
    }
    batchVersions.set(p.streamId, version);
    return { written: true, result: { nextExpectedVersion: BigInt(version), position: BigInt(position) } };
  }

  /**
   * Idempotent re-append: the same event ids already stored at the versions this append
   * would have taken (for 'any': as the stream's last events). Checked only when the
   * expected version does not match, so the common path costs nothing.
   */
  private idempotentReplay(p: PendingAppend, current: number): AppendResult | null {
    if (current < 0) return null;
    const first =
      p.expected === 'any'
        ? current - p.events.length + 1
        : p.expected === 'no-stream'
          ? 0
          : Number(p.expected) + 1;
    if (first < 0 || first + p.events.length - 1 > current) return null;
    const rows = this.stmts.readForwards.all(p.streamId, first, p.events.length) as EventRow[];
    if (rows.length !== p.events.length || rows.some((r, i) => r[3] !== p.events[i].id)) return null;
    const last = rows[rows.length - 1];
    return { nextExpectedVersion: BigInt(last[2]), position: BigInt(last[0]) };
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<StoredEvent[]> {
    return this.readStreamSync(streamId, options);
  }

  readStreamSync(streamId: string, options: ReadStreamOptions = {}): StoredEvent[] {
    const limit = options.maxCount ?? -1;
    const rows =
      options.direction === 'backwards'
        ? (this.stmts.readBackwards.all(
            streamId,
            options.fromVersion === undefined ? Number.MAX_SAFE_INTEGER : Number(options.fromVersion),
            limit,
          ) as EventRow[])
        : (this.stmts.readForwards.all(streamId, Number(options.fromVersion ?? 0n), limit) as EventRow[]);
    return rows.map(toStored);
  }

  async readAll(options?: ReadAllOptions & { metadata?: 'full' }): Promise<StoredEvent[]>;
  async readAll(options: ReadAllOptions): Promise<LeanStoredEvent[]>;
  async readAll(options: ReadAllOptions = {}): Promise<LeanStoredEvent[]> {
    return this.readAllSync(options);
  }

  /** readAll, synchronously; here it may also read only a share of the streams (`streams`) */
  readAllSync(options?: SqliteReadAllOptions & { metadata?: 'full' }): StoredEvent[];
  readAllSync(options: SqliteReadAllOptions): LeanStoredEvent[];
  readAllSync(options: SqliteReadAllOptions = {}): LeanStoredEvent[] {
    const after = Number(options.after ?? 0n);
    const limit = options.maxCount ?? -1;
    const share = options.streams;
    const lean = options.metadata === 'occurredAt';
    const rows = (
      share
        ? (lean ? this.stmts.readShareLean : this.stmts.readShare).all(after, share.of, share.index, limit)
        : (lean ? this.stmts.readAllLean : this.stmts.readAll).all(after, limit)
    ) as EventRow[];
    if (!lean) return rows.map(toStored);
    // the row's last column is occurredAt here; the command pipeline always records it, and an
    // event without it comes whole
    return rows.map((r) =>
      eventOf(r, typeof r[6] === 'string' ? { occurredAt: r[6] } : (JSON.parse(this.stmts.metadataAt.get(r[0]) as string) as EventMetadata)),
    );
  }

  /** Iterates $all (or a share of its streams) in pages without holding it all in memory (metadata as readAll takes it). */
  iterateAll(after?: bigint, pageSize?: number, metadata?: 'full', streams?: StreamShare): Generator<StoredEvent[]>;
  iterateAll(after: bigint, pageSize: number, metadata: 'full' | 'occurredAt', streams?: StreamShare): Generator<LeanStoredEvent[]>;
  *iterateAll(after = 0n, pageSize = 5000, metadata: 'full' | 'occurredAt' = 'full', streams?: StreamShare): Generator<LeanStoredEvent[]> {
    let from = after;
    for (;;) {
      const page = this.readAllSync({ after: from, maxCount: pageSize, metadata, streams });
      if (page.length === 0) return;
      yield page;
      from = page[page.length - 1].position;
    }
  }

  async headPosition(): Promise<bigint> {
    if (this.closed) throw new EventStoreUnavailableError('event store is closed');
    // a read-only connection (a rebuild beside the API) sees other processes' appends: ask
    if (this.lockFile === null && !this.closed) {
      this.lastPosition = (this.stmts.head.get() as number | null) ?? 0;
    }
    return BigInt(this.lastPosition);
  }

  subscribeToAll(handler: SubscriptionHandler, options: SubscribeOptions = {}): Subscription {
    const batchSize = options.batchSize ?? 500;
    let after = options.after ?? 0n;
    let stopped = false;
    let wake: (() => void) | null = null;
    const listener = () => {
      const w = wake;
      wake = null;
      w?.();
    };
    this.listeners.add(listener);
    const run = async () => {
      try {
        while (!stopped) {
          if (this.closed) throw new EventStoreUnavailableError('event store closed under a subscription');
          const page = this.readAllSync({ after, maxCount: batchSize });
          if (page.length > 0) {
            await handler(page);
            after = page[page.length - 1].position;
            continue;
          }
          // caught up: wait for the next commit (or close)
          await new Promise<void>((resolve) => {
            wake = resolve;
            if (BigInt(this.lastPosition) > after || stopped) {
              wake = null;
              resolve();
            }
          });
        }
      } finally {
        this.listeners.delete(listener);
      }
    };
    const done = run();
    done.catch(() => undefined);
    return {
      done,
      close: async () => {
        stopped = true;
        listener();
        await done.catch(() => undefined);
      },
    };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    // let queued appends finish first: nothing acknowledged is lost, nothing queued is dropped silently
    while (this.queue.length > 0 || this.flushScheduled) await new Promise((r) => setImmediate(r));
    this.closed = true;
    for (const l of this.listeners) l();
    await this.checkpointer?.close();
    this.db.close();
    this.releaseLock();
  }

  /** `restoreStalePid`: put back the lock of the dead writer found at open instead of removing it */
  private releaseLock(restoreStalePid: number | null = null): void {
    if (this.lockFile) {
      try {
        const owner = fs.readFileSync(this.lockFile, 'utf8').trim();
        openLocks.delete(this.lockFile);
        if (owner !== String(process.pid)) return;
        if (restoreStalePid !== null) fs.writeFileSync(this.lockFile, String(restoreStalePid));
        else fs.unlinkSync(this.lockFile);
      } catch {
        /* already gone */
      }
    }
  }

  /** for tests and tools: the underlying connection */
  get database(): Database.Database {
    return this.db;
  }
}

function toStored(r: EventRow): StoredEvent {
  return eventOf(r, JSON.parse(r[6]) as EventMetadata);
}

/** the event of a row, with the metadata given (whole, or only occurredAt) */
function eventOf<M extends LeanStoredEvent['metadata']>(r: EventRow, metadata: M): Omit<StoredEvent, 'metadata'> & { metadata: M } {
  return {
    id: r[3],
    type: r[4],
    streamId: r[1],
    version: BigInt(r[2]),
    position: BigInt(r[0]),
    data: JSON.parse(r[5]),
    metadata,
  };
}

const openLocks = new Set<string>();

/**
 * Writer lock: <file>.lock holding the pid. A stale lock (dead pid) is taken over, and
 * reported: it means the last writer did not close the store (killed, crashed, power lost).
 */
function acquireLock(file: string): { lockFile: string; stalePid: number | null } {
  const lockFile = `${path.resolve(file)}.lock`;
  if (openLocks.has(lockFile)) {
    throw new EventStoreUnavailableError(`event store ${file} is already open in this process`);
  }
  let stalePid: number | null = null;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(lockFile, String(process.pid), { flag: 'wx' });
      openLocks.add(lockFile);
      return { lockFile, stalePid };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const owner = Number(fs.readFileSync(lockFile, 'utf8').trim());
      if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && isAlive(owner)) {
        throw new EventStoreUnavailableError(
          `event store ${file} is locked by another process (pid ${owner}); stop it or use another DATA_DIR`,
        );
      }
      // stale: an empty or unreadable pid counts as well (the writer died while writing it)
      stalePid = Number.isInteger(owner) && owner > 0 ? owner : 0;
      fs.unlinkSync(lockFile);
    }
  }
  throw new EventStoreUnavailableError(`cannot lock event store ${file}`);
}

/** the pid of a writer lock left behind by a process that is gone (read-only opens do not take it over) */
function staleLockOwner(file: string): number | null {
  let text: string;
  try {
    text = fs.readFileSync(`${path.resolve(file)}.lock`, 'utf8').trim();
  } catch {
    return null; // no lock: the writer closed cleanly, or none ever opened the file
  }
  const owner = Number(text);
  if (Number.isInteger(owner) && owner > 0 && (owner === process.pid || isAlive(owner))) return null;
  return Number.isInteger(owner) && owner > 0 ? owner : 0;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
