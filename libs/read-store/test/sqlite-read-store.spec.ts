import { spawn } from 'child_process';
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { Worker } from 'worker_threads';
import { SqliteReadStore, whileBusy, cursorFor, type FindQuery, type ReadStore, type SortSpec, type WriteOp } from '../src';
import { describeReadStoreContract } from './read-store.contract';

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'sqlite-read-store-'));
}

/** a store on a file in a temp dir; `reopen` opens the same file again */
function fileStore(options: { writerThread?: boolean } = {}) {
  return async () => {
    const dir = tempDir();
    const file = join(dir, 'read.db');
    const stores: ReadStore[] = [];
    const store = SqliteReadStore.open(file, options);
    stores.push(store);
    return {
      store,
      reopen: async () => {
        const again = SqliteReadStore.open(file, options);
        stores.push(again);
        return again;
      },
      cleanup: async () => {
        for (const s of stores) await s.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  };
}

describeReadStoreContract('sqlite (file)', fileStore(), { atomicBatch: true });

// the same contract with writes committed on the writer thread (what rebuilds use)
describeReadStoreContract('sqlite (file, writer thread)', fileStore({ writerThread: true }), { atomicBatch: true });

describeReadStoreContract(
  'sqlite (memory)',
  async () => {
    const store = SqliteReadStore.open(':memory:');
    return { store, cleanup: () => store.close() };
  },
  { atomicBatch: true },
);

// ------------------------------------------------------------------ kill -9

const WRITER = join(__dirname, 'fixtures', 'sqlite-writer.ts');

function runWriter(file: string, batches: number, size: number, killWhen: (line: string) => boolean): Promise<{ lines: string[]; signal: string | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-r', '@swc-node/register', WRITER, file, String(batches), String(size)], {
      cwd: join(__dirname, '..', '..', '..'),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const lines: string[] = [];
    let buffer = '';
    let stderr = '';
    let killed = false;
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const parts = buffer.split('\n');
      buffer = parts.pop()!;
      for (const line of parts) {
        lines.push(line);
        if (!killed && killWhen(line)) {
          killed = true;
          child.kill('SIGKILL');
        }
      }
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (!killed) reject(new Error(`writer exited by itself (code ${code}): ${stderr}`));
      else resolve({ lines, signal });
    });
  });
}

describe('SqliteReadStore: resume after a kill -9', () => {
  let dir: string;
  beforeEach(() => {
    dir = tempDir();
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('a batch whose applyBatch resolved is there after SIGKILL, with its checkpoint', async () => {
    const file = join(dir, 'read.db');
    const { signal } = await runWriter(file, 3, 500, (line) => line === 'done');
    expect(signal).toBe('SIGKILL');
    const store = SqliteReadStore.open(file);
    try {
      expect(await store.getCheckpoint('writer')).toBe(3n);
      expect(await store.count('items')).toBe(1500);
      expect(await store.get('items', 'b3-499')).toMatchObject({ batch: 3, _pos: 3 * 500 + 499 });
    } finally {
      await store.close();
    }
    // and a new writer resumes from the checkpoint (the compare-and-set would fail otherwise)
    await runWriter(file, 5, 500, (line) => line === 'done');
    const resumed = SqliteReadStore.open(file);
    try {
      expect(await resumed.getCheckpoint('writer')).toBe(5n);
      expect(await resumed.count('items')).toBe(2500);
    } finally {
      await resumed.close();
    }
  }, 60_000);

  it('killed in the middle of a stream of batches, data and checkpoint agree exactly', async () => {
    const file = join(dir, 'read.db');
    const size = 2000;
    // kill at an arbitrary moment while the writer is busy
    const { lines } = await runWriter(file, -1, size, (line) => line === 'committed 7');
    const lastReported = Math.max(...lines.filter((l) => l.startsWith('committed ')).map((l) => Number(l.split(' ')[1])));
    const store = SqliteReadStore.open(file);
    try {
      const checkpoint = Number(await store.getCheckpoint('writer'));
      expect(checkpoint).toBeGreaterThanOrEqual(lastReported);
      // no partial batch and nothing beyond the checkpoint
      expect(await store.count('items')).toBe(checkpoint * size);
      expect(await store.count('items', { batch: { $gt: checkpoint } })).toBe(0);
      for (let k = 1; k <= checkpoint; k++) expect(await store.count('items', { batch: k })).toBe(size);
    } finally {
      await store.close();
    }
  }, 60_000);
});

// ------------------------------------------------------------------ SQLite specifics

describe('SqliteReadStore with a writer thread', () => {
  it('batches given without waiting commit in order; reads wait for them; the sync API refuses meanwhile', async () => {
    const dir = tempDir();
    const store = SqliteReadStore.open(join(dir, 'read.db'), { writerThread: true });
    try {
      await store.ensureCollections([{ name: 'c', indexes: [{ fields: [['n', 1]] }] }]);
      const doc = { _id: 'a', _pos: 1, n: 1 };
      const first = store.applyBatch([{ kind: 'put', collection: 'c', doc }], { name: 'c', expected: 0n, position: 1n });
      // the document was serialized when applyBatch was called: changing it now changes nothing
      doc.n = 99;
      const second = store.applyBatch([{ kind: 'put', collection: 'c', doc: { _id: 'b', _pos: 2, n: 2 } }], { name: 'c', expected: 1n, position: 2n });
      expect(() => store.applyBatchSync([])).toThrow(/pending/);
      expect((await store.find('c', { sort: [['n', 1]] })).map((d) => [d._id, d.n])).toEqual([
        ['a', 1],
        ['b', 2],
      ]);
      await Promise.all([first, second]);
      expect(await store.getCheckpoint('c')).toBe(2n);
      // a moved checkpoint is refused by the writer thread, as in the caller's thread
      await expect(store.applyBatch([{ kind: 'put', collection: 'c', doc: { _id: 'x', _pos: 3 } }], { name: 'c', expected: 1n, position: 3n })).rejects.toMatchObject({
        code: 'checkpoint-moved',
        actual: 2n,
      });
      expect(await store.get('c', 'x')).toBeNull();
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('SqliteReadStore when the database is busy', () => {
  const busy = () => Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });

  it('whileBusy runs a write again while SQLite says busy, and gives up after its limit', () => {
    let calls = 0;
    expect(
      whileBusy(() => {
        calls++;
        if (calls < 3) throw busy();
        return 'written';
      }),
    ).toBe('written');
    expect(calls).toBe(3);

    // how many times a write that always fails with `error` is run before whileBusy throws it
    const attempts = (error: Error, limitMs?: number) => {
      let n = 0;
      expect(() =>
        whileBusy(() => {
          n++;
          throw error;
        }, limitMs),
      ).toThrow(error.message);
      return n;
    };
    // other errors are not retried, nor this connection's own conflict (waiting would not resolve it)
    expect(attempts(Object.assign(new Error('constraint'), { code: 'SQLITE_CONSTRAINT' }))).toBe(1);
    expect(attempts(Object.assign(new Error('database table is locked'), { code: 'SQLITE_LOCKED' }))).toBe(1);
    expect(attempts(busy(), 30)).toBeGreaterThan(1);
  });

  it('a batch written while another connection holds the write lock longer than busy_timeout lands when it is released', async () => {
    const dir = tempDir();
    const file = join(dir, 'read.db');
    const store = SqliteReadStore.open(file);
    // another thread takes the write lock and keeps it for 300 ms
    const holder = new Worker(
      `const { parentPort, workerData } = require('worker_threads');
       const db = new (require(workerData.module))(workerData.file);
       db.pragma('journal_mode = WAL');
       db.exec('BEGIN IMMEDIATE');
       parentPort.postMessage('locked');
       Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 300);
       db.exec('COMMIT');
       db.close();`,
      { eval: true, workerData: { file, module: require.resolve('better-sqlite3') } },
    );
    try {
      await store.ensureCollections([{ name: 'c', indexes: [] }]);
      await new Promise((resolve) => holder.once('message', resolve));
      // SQLite itself would give up at once
      store.db.pragma('busy_timeout = 0');
      expect(() => store.db.exec('BEGIN IMMEDIATE')).toThrow(/locked|busy/i);
      await store.applyBatch([{ kind: 'put', collection: 'c', doc: { _id: 'a', _pos: 1 } }], { name: 'c', expected: 0n, position: 1n });
      expect(await store.get('c', 'a')).toEqual({ _id: 'a', _pos: 1 });
      expect(await store.getCheckpoint('c')).toBe(1n);
    } finally {
      await holder.terminate();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('SqliteReadStore specifics', () => {
  let store: SqliteReadStore;
  beforeEach(() => {
    store = SqliteReadStore.open(':memory:');
  });
  afterEach(() => store.closeSync());

  const QUEUE_SORT: SortSpec = [
    ['responseDueAt', 1],
    ['priority', 1],
  ];

  it('a find whose sort matches an index walks the index instead of sorting', async () => {
    await store.ensureCollections([{ name: 'queue', indexes: [{ fields: QUEUE_SORT }] }]);
    const plan = store.explainFind('queue', { filter: { status: { $in: ['open', 'pending'] } }, sort: QUEUE_SORT, limit: 50 }).join('\n');
    expect(plan).toMatch(/USING INDEX/);
    expect(plan).not.toMatch(/TEMP B-TREE/);
  });

  it('ensureCollections does not pile up indexes, also after a swap', async () => {
    const spec = { name: 'queue', indexes: [{ fields: QUEUE_SORT }, { fields: [['email', 1]] as SortSpec, unique: true }] };
    const indexCount = (table: string) =>
      (store.db.prepare(`SELECT count(*) FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL`).pluck().get(table) as number);
    await store.ensureCollections([spec]);
    await store.ensureCollections([spec]);
    expect(indexCount('queue')).toBe(2);
    await store.ensureCollections([{ ...spec, name: 'queue__shadow' }]);
    await store.swapCollections([{ live: 'queue', shadow: 'queue__shadow' }], []);
    await store.ensureCollections([spec]);
    expect(indexCount('queue')).toBe(2);
    await store.ensureCollections([{ ...spec, name: 'queue__shadow' }]);
    expect(indexCount('queue__shadow')).toBe(2);
  });

  it('the synchronous API sees the same data as the port methods', async () => {
    store.applyBatchSync([{ kind: 'put', collection: 'c', doc: { _id: 'a', _pos: 1, n: 1 } }], { name: 'c', expected: 0n, position: 1n });
    expect(await store.get('c', 'a')).toEqual({ _id: 'a', _pos: 1, n: 1 });
    expect(store.getSync('c', 'a')).toEqual({ _id: 'a', _pos: 1, n: 1 });
    expect(store.findSync('c', { filter: { n: 1 } })).toHaveLength(1);
    expect(store.countSync('c')).toBe(1);
    expect(store.getCheckpointSync('c')).toBe(1n);
  });

  it('indexed fields live in columns filled from the document, with json_extract semantics', async () => {
    await store.ensureCollections([{ name: 'c', indexes: [{ fields: [['flag', 1], ['n', 1]] }, { fields: [['a.b', 1]] }] }]);
    store.applyBatchSync([
      { kind: 'put', collection: 'c', doc: { _id: 'x', _pos: 1, flag: true, n: 2, a: { b: 'deep' } } },
      { kind: 'put', collection: 'c', doc: { _id: 'y', _pos: 1, flag: false, a: 'not an object' } },
    ]);
    const rows = store.db.prepare(`SELECT _id, "$flag" AS flag, "$n" AS n, "$a.b" AS ab FROM c ORDER BY _id`).all();
    expect(rows).toEqual([
      { _id: 'x', flag: 1, n: 2, ab: 'deep' },
      { _id: 'y', flag: 0, n: null, ab: null },
    ]);
    // the same as json_extract over the stored document
    const extracted = store.db.prepare(`SELECT _id, json_extract(doc,'$.flag') AS flag, json_extract(doc,'$.n') AS n, json_extract(doc,'$.a.b') AS ab FROM c ORDER BY _id`).all();
    expect(extracted).toEqual(rows);
    expect(store.findSync('c', { filter: { flag: true } }).map((d) => d._id)).toEqual(['x']);
    expect(store.findSync('c', { filter: { 'a.b': 'deep' } }).map((d) => d._id)).toEqual(['x']);
    expect(store.explainFind('c', { filter: { flag: false }, sort: [['n', 1]] }).join('\n')).toMatch(/USING INDEX/);
  });

  it('a file from before indexed columns is upgraded: columns filled, expression indexes replaced', async () => {
    store.db.exec(`CREATE TABLE legacy (_id TEXT PRIMARY KEY, _pos INTEGER, doc TEXT NOT NULL)`);
    store.db.exec(`CREATE INDEX ix_legacy_old ON legacy (json_extract(doc,'$.k') ASC, _id ASC)`);
    store.db.prepare(`INSERT INTO legacy VALUES ('a', 1, '{"_id":"a","_pos":1,"k":"b-value"}'), ('b', 1, '{"_id":"b","_pos":1,"k":"a-value"}')`).run();
    await store.ensureCollections([{ name: 'legacy', indexes: [{ fields: [['k', 1]] }] }]);
    const indexes = store.db.prepare(`SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'legacy' AND sql IS NOT NULL`).pluck().all();
    expect(indexes).toEqual([expect.stringContaining('"$k" ASC, _id ASC')]);
    expect(store.findSync('legacy', { sort: [['k', 1]] }).map((d) => d._id)).toEqual(['b', 'a']);
    expect(store.explainFind('legacy', { sort: [['k', 1]] }).join('\n')).not.toMatch(/TEMP B-TREE/);
  });

  it('a writer sees columns another connection added (no stale column left unfilled)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sqlite-columns-'));
    const file = join(dir, 'read.db');
    const first = SqliteReadStore.open(file);
    const second = SqliteReadStore.open(file);
    try {
      first.applyBatchSync([{ kind: 'put', collection: 'c', doc: { _id: 'a', _pos: 1, k: 'one' } }]);
      expect(second.findSync('c', {}).length).toBe(1);
      await second.ensureCollections([{ name: 'c', indexes: [{ fields: [['k', 1]] }] }]);
      // `first` still has its prepared upsert without the column: it must notice the change
      first.applyBatchSync([{ kind: 'put', collection: 'c', doc: { _id: 'a', _pos: 2, k: 'two' } }]);
      expect(first.db.prepare(`SELECT "$k" FROM c WHERE _id = 'a'`).pluck().get()).toBe('two');
      expect(second.findSync('c', { filter: { k: 'two' } }).map((d) => d._id)).toEqual(['a']);
    } finally {
      first.closeSync();
      second.closeSync();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('deferred indexes are built when the shadow is swapped in', async () => {
    const spec = { name: 'queue__shadow', indexes: [{ fields: QUEUE_SORT }] };
    store.ensureCollectionsSync([spec], { deferIndexes: true });
    store.applyBatchSync([{ kind: 'put', collection: 'queue__shadow', doc: { _id: 'a', _pos: 1, responseDueAt: '2025-01-01T00:00:00.000Z', priority: 1 } }]);
    expect(store.explainFind('queue__shadow', { sort: QUEUE_SORT, limit: 5 }).join('\n')).toMatch(/TEMP B-TREE/);
    await store.swapCollections([{ live: 'queue', shadow: 'queue__shadow' }], [{ name: 'queue', position: 1n }]);
    expect(store.explainFind('queue', { sort: QUEUE_SORT, limit: 5 }).join('\n')).not.toMatch(/TEMP B-TREE/);
    expect(await store.find('queue', { sort: QUEUE_SORT })).toHaveLength(1);
  });

  it('answers queue queries at 100,000 documents from an index, with no sort step, page after page', async () => {
    const statuses = ['open', 'pending', 'waiting', 'resolved', 'closed'];
    const departments = ['billing', 'network', 'hardware', 'software', 'field'];
    const spec = (name: string) => ({
      name,
      indexes: [
        { fields: QUEUE_SORT },
        { fields: [['department', 1], ['responseDueAt', 1], ['priority', 1]] as SortSpec },
        { fields: [['assigneeId', 1], ['responseDueAt', 1], ['priority', 1]] as SortSpec },
      ],
    });
    // a rebuild: the shadow is filled with indexes deferred, then swapped in
    store.ensureCollectionsSync([spec('queue__shadow')], { deferIndexes: true });
    const total = 100_000;
    const batchSize = 5_000;
    const base = Date.UTC(2025, 0, 1);
    let state = 0x9e3779b9;
    const random = () => {
      // mulberry32
      state = (state + 0x6d2b79f5) | 0;
      let t = Math.imul(state ^ (state >>> 15), 1 | state);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const batches: WriteOp[][] = [];
    for (let start = 0; start < total; start += batchSize) {
      const ops: WriteOp[] = [];
      for (let i = start; i < start + batchSize; i++) {
        ops.push({
          kind: 'put',
          collection: 'queue__shadow',
          doc: {
            _id: `ticket-${i}`,
            _pos: i + 1,
            status: statuses[Math.floor(random() * statuses.length)],
            department: departments[Math.floor(random() * departments.length)],
            priority: Math.floor(random() * 4),
            assigneeId: random() < 0.3 ? null : `agent-${Math.floor(random() * 40)}`,
            responseDueAt: new Date(base + Math.floor(random() * 90 * 24 * 60) * 60_000).toISOString(),
            breached: random() < 0.1,
            title: `Ticket ${i}: la impresora no imprime`,
            customerId: `customer-${i % 700}`,
          },
        });
      }
      batches.push(ops);
    }
    for (const ops of batches) store.applyBatchSync(ops);
    await store.swapCollections([{ live: 'queue', shadow: 'queue__shadow' }], [{ name: 'queue', position: BigInt(total) }]);
    expect(store.countSync('queue')).toBe(total);

    // speed is measured by bench/queue.bench.ts; here: every queue query is answered from an
    // index without a sort step, and its next page continues through the keyset cursor
    const queries: FindQuery[] = [
      { filter: { status: { $in: ['open', 'pending'] } }, sort: QUEUE_SORT, limit: 50 },
      { filter: { status: { $in: ['open', 'pending', 'waiting'] }, department: 'network' }, sort: QUEUE_SORT, limit: 50 },
      { filter: { status: 'open', assigneeId: 'agent-7' }, sort: QUEUE_SORT, limit: 50 },
      { filter: { status: { $ne: 'closed' }, breached: true, priority: { $lte: 1 } }, sort: QUEUE_SORT, limit: 50 },
      { filter: { status: { $in: ['open', 'pending'] }, department: 'field', priority: 0, breached: false }, sort: QUEUE_SORT, limit: 50 },
    ];
    for (const query of queries) {
      const page = store.findSync('queue', query);
      expect(page.length).toBe(50);
      const next = store.findSync('queue', { ...query, after: cursorFor(page[page.length - 1], query.sort) });
      expect(next.length).toBe(50);
      expect(new Set([...page, ...next].map((d) => d._id)).size).toBe(100);
      expect(store.explainFind('queue', query).join('\n')).not.toMatch(/TEMP B-TREE/);
    }
  }, 120_000);
});
