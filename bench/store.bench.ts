/**
 * npm run bench:store — durable appends and reads on the embedded event store, with the raw
 * better-sqlite3 floor measured in the same run. Last line: one JSON object.
 */
import { randomUUID } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import Database from 'better-sqlite3';
import { NewEvent, SqliteEventStore } from '../libs/event-store/src';

const quick = process.argv.includes('--quick');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-store-'));

function event(i: number): NewEvent {
  return {
    id: randomUUID(),
    type: 'WorkLogged',
    data: { entryId: randomUUID(), minutes: 15 + (i % 60), workedOn: '2026-11-20', engineerId: 'ana', description: 'configured the firewall rule' },
    metadata: { actor: 'ana', occurredAt: new Date().toISOString(), correlationId: randomUUID(), causationId: null, schemaVersion: 1 },
  };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function appendRun(store: SqliteEventStore, concurrency: number, total: number) {
  const latencies: number[] = [];
  let next = 0;
  const events = Array.from({ length: total }, (_, i) => event(i));
  const t0 = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        const i = next++;
        const e = events[i];
        const s = process.hrtime.bigint();
        await store.append(`bench-${concurrency}-${i}`, [e], 'no-stream');
        latencies.push(Number(process.hrtime.bigint() - s) / 1e6);
      }
    }),
  );
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  latencies.sort((a, b) => a - b);
  return { perSec: Math.round(total / secs), p50: +percentile(latencies, 50).toFixed(3), p99: +percentile(latencies, 99).toFixed(3) };
}

function rawInserts(file: string, rows: number, perTx: number): number {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec(`CREATE TABLE IF NOT EXISTS events (position INTEGER PRIMARY KEY, stream_id TEXT NOT NULL, version INTEGER NOT NULL,
    id TEXT NOT NULL, type TEXT NOT NULL, data TEXT NOT NULL, metadata TEXT NOT NULL, UNIQUE (stream_id, version))`);
  const insert = db.prepare('INSERT INTO events (position, stream_id, version, id, type, data, metadata) VALUES (?, ?, ?, ?, ?, ?, ?)');
  const begin = db.prepare('BEGIN IMMEDIATE');
  const commit = db.prepare('COMMIT');
  let pos = (db.prepare('SELECT COALESCE(MAX(position),0) p FROM events').get() as { p: number }).p;
  // the same work the store does per event (serialize), but no validation, no checks, no batching logic
  const events = Array.from({ length: rows }, (_, i) => event(i));
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < rows; i += perTx) {
    begin.run();
    for (let j = i; j < Math.min(rows, i + perTx); j++) {
      const e = events[j];
      pos++;
      insert.run(pos, `raw-${perTx}-${j}`, 0, e.id, e.type, JSON.stringify(e.data), JSON.stringify(e.metadata));
    }
    commit.run();
  }
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  db.close();
  return Math.round(rows / secs);
}

async function main() {
  const rawSingleTxPerSec = rawInserts(path.join(dir, 'raw1.db'), quick ? 2000 : 10000, 1);
  const rawInsertsPerSec = rawInserts(path.join(dir, 'raw256.db'), quick ? 50000 : 200000, 256);
  console.log(`raw better-sqlite3, synchronous=FULL: ${rawSingleTxPerSec} single-row tx/s, ${rawInsertsPerSec} rows/s in 256-row tx`);

  const store = SqliteEventStore.open(path.join(dir, 'events.db'));
  const appendsPerSec: Record<string, number> = {};
  const appendP50Ms: Record<string, number> = {};
  const appendP99Ms: Record<string, number> = {};
  for (const [c, n] of [[1, quick ? 2000 : 10000], [16, quick ? 10000 : 50000], [256, quick ? 50000 : 200000]] as const) {
    const r = await appendRun(store, c, n);
    appendsPerSec[c] = r.perSec;
    appendP50Ms[c] = r.p50;
    appendP99Ms[c] = r.p99;
    console.log(`appends, ${c} concurrent appenders: ${r.perSec}/s, p50 ${r.p50} ms, p99 ${r.p99} ms`);
  }
  console.log(`one appender vs raw single-row transactions: ${((appendsPerSec[1] / rawSingleTxPerSec) * 100).toFixed(0)}%`);

  // one 10,000-event stream
  const streamEvents = 10000;
  for (let i = 0; i < streamEvents; i += 500) {
    await store.append('bench-long', Array.from({ length: 500 }, (_, j) => event(i + j)), i === 0 ? 'no-stream' : BigInt(i - 1));
  }
  let t0 = process.hrtime.bigint();
  const reps = 10;
  for (let r = 0; r < reps; r++) {
    const read = await store.readStream('bench-long');
    if (read.length !== streamEvents) throw new Error('short read');
  }
  const readStreamEventsPerSec = Math.round((streamEvents * reps) / (Number(process.hrtime.bigint() - t0) / 1e9));
  console.log(`read one ${streamEvents}-event stream: ${readStreamEventsPerSec} events/s`);

  t0 = process.hrtime.bigint();
  let count = 0;
  for (const page of store.iterateAll(0n, 5000)) count += page.length;
  const readAllEventsPerSec = Math.round(count / (Number(process.hrtime.bigint() - t0) / 1e9));
  console.log(`read $all (${count} events): ${readAllEventsPerSec} events/s`);
  await store.close();
  fs.rmSync(dir, { recursive: true, force: true });

  console.log(
    JSON.stringify({ bench: 'store', appendsPerSec, appendP50Ms, appendP99Ms, readStreamEventsPerSec, readAllEventsPerSec, rawInsertsPerSec, rawSingleTxPerSec }),
  );
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
