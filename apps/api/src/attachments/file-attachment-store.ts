import Database from 'better-sqlite3';
import { randomUUID } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { Readable } from 'stream';
import { pipeline } from 'stream/promises';
import { AttachmentStore, HashingMeter, PutResult, SHA256_RE, UploadRecord, UploadScope } from './attachment-store.port';

/**
 * Attachments as files under a folder (DATA_DIR/attachments in the embedded default):
 * `<aa>/<sha256>` per content, written to `tmp/` first, flushed to disk and renamed into
 * place (a rename replaces atomically, and the same name always holds the same bytes); the
 * upload records in `uploads.db` (SQLite).
 */
export class FileAttachmentStore implements AttachmentStore {
  readonly kind = 'files' as const;
  private readonly tmp: string;

  private constructor(
    readonly root: string,
    private readonly db: Database.Database,
  ) {
    this.tmp = path.join(root, 'tmp');
  }

  static open(root: string): FileAttachmentStore {
    fs.mkdirSync(path.join(root, 'tmp'), { recursive: true });
    const db = new Database(path.join(root, 'uploads.db'));
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('busy_timeout = 5000');
    db.exec(`CREATE TABLE IF NOT EXISTS uploads (
      sha256 TEXT NOT NULL, scope TEXT NOT NULL, uploaded_by TEXT NOT NULL, file_name TEXT NOT NULL,
      content_type TEXT NOT NULL, size INTEGER NOT NULL, uploaded_at TEXT NOT NULL,
      PRIMARY KEY (sha256, scope)) WITHOUT ROWID`);
    // leftovers of uploads cut short by a crash
    for (const f of fs.readdirSync(path.join(root, 'tmp'))) fs.rmSync(path.join(root, 'tmp', f), { force: true });
    return new FileAttachmentStore(root, db);
  }

  private pathOf(sha256: string): string {
    if (!SHA256_RE.test(sha256)) throw new TypeError(`not a SHA-256: ${sha256}`);
    return path.join(this.root, sha256.slice(0, 2), sha256);
  }

  async put(content: Readable, maxBytes: number): Promise<PutResult> {
    const tmp = path.join(this.tmp, randomUUID());
    const meter = new HashingMeter(maxBytes);
    try {
      await pipeline(content, meter, fs.createWriteStream(tmp, { flags: 'wx' }));
      const fd = await fs.promises.open(tmp, 'r+');
      try {
        await fd.sync();
      } finally {
        await fd.close();
      }
      const result = meter.result();
      const final = this.pathOf(result.sha256);
      await fs.promises.mkdir(path.dirname(final), { recursive: true });
      await fs.promises.rename(tmp, final);
      await syncDirectory(path.dirname(final));
      return result;
    } catch (err) {
      await fs.promises.rm(tmp, { force: true });
      throw err;
    }
  }

  async open(sha256: string): Promise<{ size: number; stream: Readable } | null> {
    if (!SHA256_RE.test(sha256)) return null;
    const file = this.pathOf(sha256);
    try {
      const stat = await fs.promises.stat(file);
      return { size: stat.size, stream: fs.createReadStream(file) };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
  }

  async recordUpload(u: UploadRecord): Promise<void> {
    this.db
      .prepare(
        `INSERT INTO uploads (sha256, scope, uploaded_by, file_name, content_type, size, uploaded_at) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (sha256, scope) DO UPDATE SET uploaded_by = excluded.uploaded_by, file_name = excluded.file_name,
           content_type = excluded.content_type, size = excluded.size, uploaded_at = excluded.uploaded_at`,
      )
      .run(u.sha256, u.scope, u.uploadedBy, u.fileName, u.contentType, u.size, u.uploadedAt);
  }

  async findUpload(sha256: string, scope: UploadScope): Promise<UploadRecord | null> {
    const row = this.db.prepare('SELECT * FROM uploads WHERE sha256 = ? AND scope = ?').get(sha256, scope) as
      | { sha256: string; scope: UploadScope; uploaded_by: string; file_name: string; content_type: string; size: number; uploaded_at: string }
      | undefined;
    if (!row) return null;
    return {
      sha256: row.sha256,
      scope: row.scope,
      uploadedBy: row.uploaded_by,
      fileName: row.file_name,
      contentType: row.content_type,
      size: row.size,
      uploadedAt: row.uploaded_at,
    };
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}

async function syncDirectory(dir: string): Promise<void> {
  try {
    const fd = await fs.promises.open(dir, 'r');
    try {
      await fd.sync();
    } finally {
      await fd.close();
    }
  } catch {
    /* not supported on every platform: the file itself is already on disk */
  }
}
