/**
 * The attachment-store port: file contents stored by the SHA-256 of their bytes
 * (content-addressed: the same bytes are stored once, whoever uploads them), and the record
 * of each upload (who uploaded which content under which name, in which scope). Two adapters
 * implement it, files under DATA_DIR/attachments (embedded) and MongoDB GridFS
 * (READ_STORE=mongodb); both pass test/api/attachment-store.contract.ts.
 */
import { createHash } from 'crypto';
import { Readable, Transform, TransformCallback } from 'stream';

/** bytes kept from the start of a file, to sniff its type */
export const HEAD_BYTES = 1024;

/**
 * Who may reference an upload: `staff` (any staff member) or `customer:<customerId>` (the
 * contacts of that customer only).
 */
export type UploadScope = 'staff' | `customer:${string}`;

export interface UploadRecord {
  sha256: string;
  scope: UploadScope;
  uploadedBy: string;
  fileName: string;
  /** sniffed from the first bytes */
  contentType: string;
  size: number;
  uploadedAt: string;
}

export interface PutResult {
  sha256: string;
  size: number;
  /** the first HEAD_BYTES bytes (fewer for a smaller file) */
  head: Buffer;
}

export interface AttachmentStore {
  readonly kind: 'files' | 'gridfs';
  /**
   * Streams `content` into the store, hashing it on the way; stored once per content (a second
   * put of the same bytes stores nothing new). More than `maxBytes` bytes: nothing is kept and
   * the promise rejects with AttachmentTooLargeError.
   */
  put(content: Readable, maxBytes: number): Promise<PutResult>;
  /** the content's size and a stream of its bytes; null when not stored */
  open(sha256: string): Promise<{ size: number; stream: Readable } | null>;
  /** records an upload (one record per content and scope: a later one replaces its name and time) */
  recordUpload(upload: UploadRecord): Promise<void>;
  /** the upload of this content in this scope, if any */
  findUpload(sha256: string, scope: UploadScope): Promise<UploadRecord | null>;
  close(): Promise<void>;
}

export class AttachmentTooLargeError extends Error {
  readonly code = 'payload-too-large';
  constructor(readonly maxBytes: number) {
    super(`the file is larger than ${maxBytes} bytes`);
    this.name = 'AttachmentTooLargeError';
  }
}

export const SHA256_RE = /^[0-9a-f]{64}$/;

/**
 * A pass-through that hashes (SHA-256), counts, keeps the first HEAD_BYTES bytes and fails
 * with AttachmentTooLargeError once more than `maxBytes` went through.
 */
export class HashingMeter extends Transform {
  private readonly hash = createHash('sha256');
  private readonly headChunks: Buffer[] = [];
  private headLength = 0;
  size = 0;

  constructor(private readonly maxBytes: number) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.size += chunk.length;
    if (this.size > this.maxBytes) return callback(new AttachmentTooLargeError(this.maxBytes));
    this.hash.update(chunk);
    if (this.headLength < HEAD_BYTES) {
      const part = chunk.subarray(0, HEAD_BYTES - this.headLength);
      this.headChunks.push(Buffer.from(part));
      this.headLength += part.length;
    }
    callback(null, chunk);
  }

  /** the hash and head, once the stream has ended */
  result(): PutResult {
    return { sha256: this.hash.digest('hex'), size: this.size, head: Buffer.concat(this.headChunks) };
  }
}

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/**
 * The type of a file from its first bytes (never from the name or the type a client claims):
 * png, jpeg, gif, pdf, zip (also docx/xlsx and other zip containers), UTF-8 plain text;
 * anything else is application/octet-stream.
 */
export function sniffContentType(head: Buffer, truncated = head.length >= HEAD_BYTES): string {
  if (head.length >= 8 && head.subarray(0, 8).equals(PNG)) return 'image/png';
  if (head.length >= 3 && head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'image/jpeg';
  const ascii = head.toString('latin1', 0, Math.min(8, head.length));
  if (ascii.startsWith('GIF87a') || ascii.startsWith('GIF89a')) return 'image/gif';
  if (ascii.startsWith('%PDF-')) return 'application/pdf';
  if (head.length >= 4 && head[0] === 0x50 && head[1] === 0x4b && ((head[2] === 3 && head[3] === 4) || (head[2] === 5 && head[3] === 6) || (head[2] === 7 && head[3] === 8)))
    return 'application/zip';
  if (head.length > 0 && isPlainText(head, truncated)) return 'text/plain; charset=utf-8';
  return 'application/octet-stream';
}

/** UTF-8 (a BOM allowed) without control characters other than tab, line feed, form feed and carriage return */
function isPlainText(bytes: Buffer, truncated: boolean): boolean {
  let i = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  while (i < bytes.length) {
    const b = bytes[i];
    if (b < 0x80) {
      if ((b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0c && b !== 0x0d) || b === 0x7f) return false;
      i++;
      continue;
    }
    const extra = b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : -1;
    if (extra < 0) return false;
    if (i + extra >= bytes.length) {
      // a sequence cut by the end of the head is fine only when the file goes on
      if (!truncated) return false;
      for (let k = i + 1; k < bytes.length; k++) if ((bytes[k] & 0xc0) !== 0x80) return false;
      return true;
    }
    for (let k = 1; k <= extra; k++) if ((bytes[i + k] & 0xc0) !== 0x80) return false;
    // overlong / surrogate / out-of-range forms
    if (b === 0xe0 && bytes[i + 1] < 0xa0) return false;
    if (b === 0xed && bytes[i + 1] > 0x9f) return false;
    if (b === 0xf0 && bytes[i + 1] < 0x90) return false;
    if (b === 0xf4 && bytes[i + 1] > 0x8f) return false;
    i += extra + 1;
  }
  return true;
}

/** the name a file is kept under: its last path segment, control characters removed, at most 255 characters */
export function cleanFileName(raw: string | undefined | null): string {
  const base = String(raw ?? '')
    .split(/[\\/]/)
    .pop()!
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f]/g, '')
    .trim();
  return (base === '' || base === '.' || base === '..' ? 'attachment' : base).slice(0, 255);
}
