import { randomUUID } from 'crypto';
import { Collection, Db, GridFSBucket, MongoClient, ObjectId } from 'mongodb';
import { Readable } from 'stream';
import { pipeline } from 'stream/promises';
import { AttachmentStore, HashingMeter, PutResult, SHA256_RE, UploadRecord, UploadScope } from './attachment-store.port';

const BUCKET = 'attachments';
const UPLOADS = 'attachment_uploads';
const PENDING = 'pending-';

interface UploadDoc extends UploadRecord {
  _id: string;
}

/**
 * Attachments in MongoDB GridFS (READ_STORE=mongodb): bucket `attachments`, one GridFS file
 * per content, named by its SHA-256. A content is streamed into a file named `pending-<uuid>`
 * while it is hashed, then renamed to its hash, or dropped when that content is already
 * stored; a crash leaves at most a pending file (never read; removed at the next start when
 * older than an hour). Two concurrent uploads of the same new content may both be kept: equal
 * bytes under one name, read the oldest first. Upload records in `attachment_uploads`.
 * Runs against FerretDB v1 (the tests) with plain CRUD and the driver's GridFSBucket.
 */
export class GridFsAttachmentStore implements AttachmentStore {
  readonly kind = 'gridfs' as const;
  private readonly bucket: GridFSBucket;
  private readonly files: Collection<{ _id: ObjectId; filename: string; length: number; uploadDate: Date }>;
  private readonly uploads: Collection<UploadDoc>;

  private constructor(
    private readonly client: MongoClient,
    db: Db,
    private readonly ownsClient: boolean,
  ) {
    this.bucket = new GridFSBucket(db, { bucketName: BUCKET });
    this.files = db.collection(`${BUCKET}.files`);
    this.uploads = db.collection<UploadDoc>(UPLOADS);
  }

  static async connect(url: string, dbName?: string): Promise<GridFsAttachmentStore> {
    const client = new MongoClient(url);
    await client.connect();
    const name = dbName ?? (new URL(url.replace(/^mongodb(\+srv)?:/, 'http:')).pathname.replace(/^\//, '') || 'helpdesk');
    const store = new GridFsAttachmentStore(client, client.db(name), true);
    await store.removeStalePending();
    return store;
  }

  /** pending files older than an hour: uploads a crash cut short */
  private async removeStalePending(): Promise<void> {
    const stale = await this.files.find({ filename: { $regex: `^${PENDING}` }, uploadDate: { $lt: new Date(Date.now() - 3_600_000) } }).toArray();
    for (const f of stale) await this.bucket.delete(f._id).catch(() => undefined);
  }

  async put(content: Readable, maxBytes: number): Promise<PutResult> {
    const meter = new HashingMeter(maxBytes);
    const upload = this.bucket.openUploadStream(`${PENDING}${randomUUID()}`);
    try {
      await pipeline(content, meter, upload);
    } catch (err) {
      await upload.abort().catch(() => undefined);
      await this.bucket.delete(upload.id as ObjectId).catch(() => undefined);
      throw err;
    }
    const result = meter.result();
    const existing = await this.files.findOne({ filename: result.sha256 }, { projection: { _id: 1 } });
    if (existing) await this.bucket.delete(upload.id as ObjectId);
    else await this.bucket.rename(upload.id as ObjectId, result.sha256);
    return result;
  }

  async open(sha256: string): Promise<{ size: number; stream: Readable } | null> {
    if (!SHA256_RE.test(sha256)) return null;
    const [file] = await this.files.find({ filename: sha256 }).sort({ uploadDate: 1 }).limit(1).toArray();
    if (!file) return null;
    return { size: Number(file.length), stream: this.bucket.openDownloadStream(file._id) };
  }

  async recordUpload(u: UploadRecord): Promise<void> {
    const _id = `${u.sha256}|${u.scope}`;
    await this.uploads.replaceOne({ _id }, { ...u }, { upsert: true });
  }

  async findUpload(sha256: string, scope: UploadScope): Promise<UploadRecord | null> {
    const doc = await this.uploads.findOne({ _id: `${sha256}|${scope}` });
    if (!doc) return null;
    const { _id, ...record } = doc;
    return record;
  }

  async close(): Promise<void> {
    if (this.ownsClient) await this.client.close();
  }
}
