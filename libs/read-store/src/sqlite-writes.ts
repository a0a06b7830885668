/**
 * The write half of the embedded read store, in a form that runs on the caller's thread or on
 * a writer thread with its own connection to the same file.
 *
 * The caller turns a batch into `WriteSteps` (SQL text and parameters: documents already
 * serialized, indexed values already extracted), which is the work that needs the documents;
 * `runWrites` executes them with the checkpoint compare-and-set in one transaction, which is
 * the work that needs only SQLite. A rebuild hands the second half to a `SqliteWriterThread`,
 * so SQLite inserts, commits and WAL checkpoints run on another core while the caller folds
 * the next page of events.
 */
import { Worker } from 'worker_threads';
import type Database from 'better-sqlite3';

export type SqlValue = string | number | bigint | null;

export interface WriteStep {
  sql: string;
  params: SqlValue[];
}

export interface PreparedBatch {
  steps: WriteStep[];
  /** compare-and-set: `expected` null skips the check */
  checkpoint?: { name: string; expected: bigint | null; position: bigint };
}

/** null when written; otherwise the checkpoint found (the batch was not written) */
export type WriteResult = { moved: null } | { moved: { name: string; expected: bigint; actual: bigint } };

export const CHECKPOINTS_TABLE = '_checkpoints';

/** how long a write keeps trying while the database is busy, beyond busy_timeout */
export const BUSY_RETRY_LIMIT_MS = 30_000;

/**
 * Plain JavaScript source, so that the very same function runs here and in the writer thread
 * (a worker evaluates source text; no transpiled module or coverage counters to load there).
 */
const WRITES_SOURCE = `
/**
 * Runs a write transaction again while SQLite reports the database busy or the WAL lock race
 * lost. busy_timeout waits for the write lock in most cases, but SQLite returns SQLITE_BUSY
 * without waiting it out in some WAL situations (seen here under load: two connections, one a
 * rebuild's writer thread, the other its projection worker). The refused transaction was
 * rolled back, so running it again is safe; this thread sleeps between attempts, as SQLite's
 * own busy handler does.
 */
function whileBusy(run, limitMs = ${BUSY_RETRY_LIMIT_MS}) {
  const started = Date.now();
  let pause = 5;
  for (;;) {
    try {
      return run();
    } catch (error) {
      const code = error && typeof error.code === 'string' ? error.code : '';
      // not SQLITE_LOCKED: that is this connection's own conflict, which waiting cannot resolve
      const retriable = code.startsWith('SQLITE_BUSY') || code === 'SQLITE_PROTOCOL';
      if (!retriable || Date.now() - started + pause > limitMs) throw error;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, pause);
      pause = Math.min(pause * 2, 200);
    }
  }
}

function runWrites(db, statements, batch) {
  const prepare = (sql) => {
    let statement = statements.get(sql);
    if (!statement) {
      if (statements.size >= 500) statements.clear();
      statement = db.prepare(sql);
      statements.set(sql, statement);
    }
    return statement;
  };
  // IMMEDIATE: take the write lock first (busy_timeout waits for it); a deferred transaction
  // that read first could not upgrade once another connection had written meanwhile
  return db.transaction(() => {
    const checkpoint = batch.checkpoint;
    if (checkpoint && checkpoint.expected !== null) {
      const actual = prepare('SELECT position FROM ${CHECKPOINTS_TABLE} WHERE name = ?').pluck().safeIntegers(true).get(checkpoint.name);
      const found = actual === undefined ? 0n : actual;
      if (found !== checkpoint.expected) return { moved: { name: checkpoint.name, expected: checkpoint.expected, actual: found } };
    }
    for (const step of batch.steps) prepare(step.sql).run(step.params);
    if (checkpoint) {
      prepare('INSERT INTO ${CHECKPOINTS_TABLE} (name, position) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET position = excluded.position')
        .run(checkpoint.name, checkpoint.position);
    }
    return { moved: null };
  }).immediate();
}

return { whileBusy, runWrites };`;

const writes = new Function(WRITES_SOURCE)() as {
  whileBusy<T>(run: () => T, limitMs?: number): T;
  runWrites(db: Database.Database, statements: Map<string, Database.Statement>, batch: PreparedBatch): WriteResult;
};

/**
 * Executes prepared steps and the checkpoint compare-and-set in one transaction (a savepoint
 * when the connection is already in one).
 */
export const runWrites = writes.runWrites;

/** runs a write transaction, again while SQLite says the database is busy (up to limitMs) */
export const whileBusy = writes.whileBusy;

/** the connection settings both threads use */
export const CONNECTION_PRAGMAS = [
  // larger pages suit JSON documents of a few hundred bytes (only takes effect on a new file)
  'page_size = 16384',
  'journal_mode = WAL',
  'synchronous = NORMAL',
  'busy_timeout = 5000',
  'cache_size = -65536', // 64 MiB page cache
  'temp_store = MEMORY',
];

/**
 * A worker thread with its own connection that runs prepared batches in the order they were
 * given. `write` resolves when the batch is committed; `idle` when everything given so far is.
 */
export class SqliteWriterThread {
  private readonly worker: Worker;
  private readonly waiting = new Map<number, { resolve: (r: WriteResult) => void; reject: (e: Error) => void }>();
  private sequence = 0;
  private failure: Error | null = null;

  constructor(file: string) {
    const source = `
      const { workerData, parentPort } = require('worker_threads');
      const Database = require(workerData.module);
      const { runWrites, whileBusy } = new Function(workerData.writes)();
      const db = new Database(workerData.file);
      for (const pragma of workerData.pragmas) db.pragma(pragma);
      const statements = new Map();
      // steps of the batch being received, run as one transaction when its commit arrives
      let steps = [];
      parentPort.on('message', (message) => {
        if (message === 'close') {
          try { db.close(); } catch {}
          parentPort.postMessage({ closed: true });
          return;
        }
        if (message.step) {
          steps.push(message.step);
          return;
        }
        const batch = { steps, checkpoint: message.checkpoint };
        steps = [];
        try {
          parentPort.postMessage({ id: message.id, result: whileBusy(() => runWrites(db, statements, batch)) });
        } catch (error) {
          parentPort.postMessage({ id: message.id, error: { message: String(error && error.message || error), code: error && error.code } });
        }
      });
    `;
    this.worker = new Worker(source, {
      eval: true,
      workerData: { file, module: require.resolve('better-sqlite3'), writes: WRITES_SOURCE, pragmas: CONNECTION_PRAGMAS },
    });
    this.worker.unref();
    this.worker.on('message', (message: { id?: number; result?: WriteResult; error?: { message: string; code?: string } }) => {
      if (message.id === undefined) return;
      const waiter = this.waiting.get(message.id);
      if (!waiter) return;
      this.waiting.delete(message.id);
      if (this.waiting.size === 0) this.worker.unref();
      if (message.error) {
        const error = Object.assign(new Error(`read-store writer: ${message.error.message}`), { code: message.error.code });
        waiter.reject(error);
      } else waiter.resolve(message.result!);
    });
    this.worker.on('error', (error) => this.fail(error));
    this.worker.on('exit', (code) => this.fail(new Error(`read-store writer thread exited (code ${code})`)));
  }

  /** batches given and not yet committed */
  get pending(): number {
    return this.waiting.size;
  }

  /**
   * Starts a batch: its steps are handed over one by one as they are prepared (so the
   * serialized documents die young on the caller's heap), and `commit` runs them with the
   * checkpoint in one transaction on the writer thread.
   */
  begin(): { step(step: WriteStep): void; commit(checkpoint?: PreparedBatch['checkpoint']): Promise<WriteResult> } {
    if (this.failure) throw this.failure;
    return {
      step: (step) => this.worker.postMessage({ step }),
      commit: (checkpoint) => {
        if (this.failure) return Promise.reject(this.failure);
        const id = ++this.sequence;
        const done = new Promise<WriteResult>((resolve, reject) => this.waiting.set(id, { resolve, reject }));
        // a pending write keeps the process alive until it is committed
        if (this.waiting.size === 1) this.worker.ref();
        this.worker.postMessage({ id, checkpoint });
        return done;
      },
    };
  }

  /** resolves once every batch given so far is settled (committed or failed) */
  async idle(): Promise<void> {
    if (this.waiting.size === 0) return;
    const id = this.sequence;
    const last = this.waiting.get(id);
    if (!last) return;
    await new Promise<void>((resolve) => {
      this.waiting.set(id, {
        resolve: (r) => {
          last.resolve(r);
          resolve();
        },
        reject: (e) => {
          last.reject(e);
          resolve();
        },
      });
    });
  }

  async close(): Promise<void> {
    await this.idle();
    if (this.failure) return;
    this.worker.ref();
    await new Promise<void>((resolve) => {
      const done = () => resolve();
      this.worker.once('message', done);
      this.worker.once('exit', done);
      this.worker.postMessage('close');
    });
    this.failure = new Error('read-store writer thread closed');
    await this.worker.terminate();
  }

  private fail(error: Error): void {
    if (!this.failure) this.failure = error;
    for (const waiter of this.waiting.values()) waiter.reject(error);
    this.waiting.clear();
  }
}
