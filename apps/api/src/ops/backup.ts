import Database from 'better-sqlite3';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { ChainReport, verifyChains } from '@helpdesk/application';
import { SqliteEventStore } from '@helpdesk/event-store';
import { allProjections, rebuildProjections } from '@helpdesk/projections';
import { AppConfig } from '../config';
import { openReadStore, readStoreLocation } from '../infrastructure/stores';

/** Refusals with an exit code: 1 the data is wrong (a broken chain, a manifest mismatch), 2 the request is. */
export class OpsError extends Error {
  constructor(
    message: string,
    readonly exitCode: 1 | 2,
  ) {
    super(message);
    this.name = 'OpsError';
  }
}

export interface BackupReport {
  file: string;
  events: number;
  streams: number;
  head: bigint;
  headsDigest: string;
  sha256: string;
  bytes: number;
  seconds: number;
}

const MANIFEST = 'backup_manifest';

function sha256Of(file: string): string {
  const hash = createHash('sha256');
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.allocUnsafe(1 << 20);
    for (;;) {
      const n = fs.readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      hash.update(buf.subarray(0, n));
    }
  } finally {
    fs.closeSync(fd);
  }
  return hash.digest('hex');
}

function requireEmbedded(config: AppConfig, what: string): void {
  if (config.eventStore !== 'sqlite') {
    throw new OpsError(
      `${what} works on the embedded event store (EVENT_STORE=sqlite); back up EventStoreDB and MongoDB with their own tools (docs/operations.md)`,
      2,
    );
  }
}

async function verifyFile(file: string): Promise<ChainReport> {
  const store = SqliteEventStore.open(file, { readOnly: true });
  try {
    return await verifyChains(store, { consecutivePositions: true });
  } finally {
    await store.close();
  }
}

/**
 * A consistent online copy of the embedded event store, taken while the API serves: a
 * separate read-only connection (the API keeps its writer lock) runs SQLite's online backup
 * API with every page copied in one step, so the copy is one snapshot of the log (WAL readers
 * do not block the writer, and the writer does not block them). The copy's hash chains are
 * then verified (the verify-audit walk) and a manifest (head, digest of the stream heads,
 * counts) is written into it; it is switched to rollback-journal mode so that it is one
 * self-contained file. Written as <file>.partial and renamed when complete.
 */
export async function backupEventStore(config: AppConfig, target: string, log: (m: string) => void = () => undefined): Promise<BackupReport> {
  requireEmbedded(config, 'npm run backup');
  const source = path.join(config.dataDir, 'events.db');
  if (!fs.existsSync(source)) throw new OpsError(`no event store at ${source} (DATA_DIR=${config.dataDir})`, 2);
  const file = path.resolve(target);
  if (fs.existsSync(file)) throw new OpsError(`${file} exists; choose a new file name`, 2);
  if (!fs.existsSync(path.dirname(file))) throw new OpsError(`the directory ${path.dirname(file)} does not exist`, 2);
  const partial = `${file}.partial`;
  fs.rmSync(partial, { force: true });
  const started = Date.now();

  const db = new Database(source, { readonly: true, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 10000');
    // first step copies nothing (sizes the job); the second copies every page in one read
    // transaction: one snapshot, however much the API writes meanwhile
    await db.backup(partial, { progress: () => 0x7fffffff });
  } finally {
    db.close();
  }
  try {
    const copy = new Database(partial);
    try {
      copy.pragma('journal_mode = DELETE');
    } finally {
      copy.close();
    }
    log(`copied ${source} to ${partial}; verifying the hash chains`);
    const report = await verifyFile(partial);
    if (report.problems.length > 0) {
      throw new OpsError(`the copy's hash chains are broken (the source is too: run npm run verify-audit):\n  ${report.problems.slice(0, 20).join('\n  ')}`, 1);
    }
    const takenAt = new Date().toISOString();
    const copy2 = new Database(partial);
    try {
      copy2.exec(`CREATE TABLE ${MANIFEST} (key TEXT PRIMARY KEY, value TEXT NOT NULL)`);
      const put = copy2.prepare(`INSERT INTO ${MANIFEST} (key, value) VALUES (?, ?)`);
      copy2.transaction(() => {
        put.run('takenAt', takenAt);
        put.run('source', source);
        put.run('head', report.head.toString());
        put.run('events', String(report.events));
        put.run('streams', String(report.streams));
        put.run('headsDigest', report.headsDigest);
      })();
    } finally {
      copy2.close();
    }
    fs.renameSync(partial, file);
    const bytes = fs.statSync(file).size;
    return {
      file,
      events: report.events,
      streams: report.streams,
      head: report.head,
      headsDigest: report.headsDigest,
      sha256: sha256Of(file),
      bytes,
      seconds: (Date.now() - started) / 1000,
    };
  } catch (err) {
    fs.rmSync(partial, { force: true });
    throw err;
  }
}

export interface RestoreReport {
  dataDir: string;
  events: number;
  head: bigint;
  headsDigest: string;
  rebuiltProjections: string[];
  seconds: number;
}

function readManifest(file: string): Record<string, string> {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const rows = db.prepare(`SELECT key, value FROM ${MANIFEST}`).all() as Array<{ key: string; value: string }>;
    return Object.fromEntries(rows.map((r) => [r.key, r.value]));
  } catch {
    throw new OpsError(`${file} is not a helpdesk backup (no ${MANIFEST}); make backups with npm run backup`, 2);
  } finally {
    db.close();
  }
}

/**
 * Restores a backup into an EMPTY DATA_DIR (refused otherwise, and refused when the
 * configured MongoDB read store already has collections): verifies the backup's hash chains
 * against its manifest, puts the log in place as DATA_DIR/events.db, and rebuilds every read
 * model from it with the rebuild code (npm run rebuild). The deduction repairer starts from
 * the beginning when the API next starts, so a work log cut between its two appends in the
 * backup is repaired then.
 */
export async function restoreEventStore(config: AppConfig, backupFile: string, log: (m: string) => void = () => undefined): Promise<RestoreReport> {
  requireEmbedded(config, 'npm run restore');
  const file = path.resolve(backupFile);
  if (!fs.existsSync(file)) throw new OpsError(`no backup file ${file}`, 2);
  const dataDir = config.dataDir;
  if (fs.existsSync(dataDir)) {
    const entries = fs.readdirSync(dataDir);
    if (entries.length > 0) {
      throw new OpsError(`DATA_DIR ${dataDir} is not empty (${entries.slice(0, 5).join(', ')}${entries.length > 5 ? ', ...' : ''}); restore only into an empty directory`, 2);
    }
  }
  const started = Date.now();
  const manifest = readManifest(file);
  log(`backup of ${manifest.takenAt}: ${manifest.events} events, head ${manifest.head}; verifying`);
  const report = await verifyFile(file);
  if (report.problems.length > 0) throw new OpsError(`the backup's hash chains are broken:\n  ${report.problems.slice(0, 20).join('\n  ')}`, 1);
  if (report.head.toString() !== manifest.head || report.headsDigest !== manifest.headsDigest || String(report.events) !== manifest.events) {
    throw new OpsError(
      `the backup does not match its manifest (head ${report.head} vs ${manifest.head}, digest ${report.headsDigest} vs ${manifest.headsDigest}): events were removed or rewritten`,
      1,
    );
  }

  const views = await openReadStore(config, undefined, { writerThread: true });
  let events: SqliteEventStore | null = null;
  try {
    const existing = await views.listCollections();
    if (config.readStore === 'mongodb' && existing.length > 0) {
      throw new OpsError(`the MongoDB read store already has collections (${existing.slice(0, 5).join(', ')}); restore into an empty database`, 2);
    }
    fs.mkdirSync(dataDir, { recursive: true });
    const target = path.join(dataDir, 'events.db');
    const partial = `${target}.partial`;
    fs.copyFileSync(file, partial);
    const db = new Database(partial);
    try {
      db.exec(`DROP TABLE ${MANIFEST}`);
    } finally {
      db.close();
    }
    fs.renameSync(partial, target);
    events = SqliteEventStore.open(target);
    log(`log restored to ${target}; rebuilding the read models`);
    const projections = allProjections();
    await rebuildProjections(events, views, projections, {
      workerLocation: readStoreLocation(config),
      onProgress: (p) => log(`  ${p.eventsDone} events done, position ${p.position}/${p.head}, ${p.eventsPerSec} events/s`),
    });
    return {
      dataDir,
      events: report.events,
      head: report.head,
      headsDigest: report.headsDigest,
      rebuiltProjections: projections.map((p) => p.name),
      seconds: (Date.now() - started) / 1000,
    };
  } finally {
    await views.close();
    await events?.close();
  }
}
