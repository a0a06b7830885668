import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { randomBytes } from 'crypto';
import { MongoClient } from 'mongodb';
import { FileAttachmentStore } from '../../apps/api/src/attachments/file-attachment-store';
import { GridFsAttachmentStore } from '../../apps/api/src/attachments/gridfs-attachment-store';
import { sniffContentType, cleanFileName } from '../../apps/api/src/attachments/attachment-store.port';
import { describeAttachmentStoreContract } from './attachment-store.contract';

describeAttachmentStoreContract(
  'files under DATA_DIR/attachments',
  async () => FileAttachmentStore.open(fs.mkdtempSync(path.join(os.tmpdir(), 'attachments-'))),
  async (s) => {
    await s.close();
    fs.rmSync((s as FileAttachmentStore).root, { recursive: true, force: true });
  },
);

const url = process.env.MONGO_URL;
if (!url) {
  // eslint-disable-next-line no-console
  console.warn('MongoDB GridFS attachment suite SKIPPED: MONGO_URL not set');
  describe.skip('AttachmentStore contract: GridFS (SKIPPED: MONGO_URL not set)', () => {
    it('runs the attachment-store contract against GridFS', () => undefined);
  });
} else {
  const runId = `att_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  let counter = 0;
  const names = new Map<unknown, string>();
  describeAttachmentStoreContract(
    'MongoDB GridFS (FerretDB)',
    async () => {
      const db = `${runId}_${++counter}`;
      const store = await GridFsAttachmentStore.connect(url, db);
      names.set(store, db);
      return store;
    },
    async (s) => {
      await s.close();
      const admin = new MongoClient(url);
      await admin.connect();
      await admin.db(names.get(s)!).dropDatabase();
      await admin.close();
    },
  );

  describe('GridFS specifics', () => {
    it('keeps one GridFS file per content, and no pending file or chunk after a refused or repeated upload', async () => {
      const db = `${runId}_gridfs`;
      const store = await GridFsAttachmentStore.connect(url, db);
      const admin = new MongoClient(url);
      await admin.connect();
      try {
        const { Readable } = await import('stream');
        const bytes = randomBytes(600 * 1024);
        await expect(store.put(Readable.from([bytes]), 1000)).rejects.toThrow(/larger than 1000 bytes/);
        const put = await store.put(Readable.from([bytes]), bytes.length);
        await store.put(Readable.from([bytes]), bytes.length);
        const files = await admin.db(db).collection('attachments.files').find().toArray();
        expect(files.map((f) => f.filename)).toEqual([put.sha256]);
        const chunks = await admin.db(db).collection('attachments.chunks').countDocuments();
        expect(chunks).toBe(Math.ceil(bytes.length / (255 * 1024)));
      } finally {
        await store.close();
        await admin.db(db).dropDatabase();
        await admin.close();
      }
    });
  });
}

describe('sniffing the type from the first bytes', () => {
  it('png, jpeg, gif, pdf, zip, plain text; anything else octet-stream', () => {
    expect(sniffContentType(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]))).toBe('image/png');
    expect(sniffContentType(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]))).toBe('image/jpeg');
    expect(sniffContentType(Buffer.from('GIF89a\x01\x00', 'latin1'))).toBe('image/gif');
    expect(sniffContentType(Buffer.from('%PDF-1.7\n%\xe2\xe3', 'latin1'))).toBe('application/pdf');
    expect(sniffContentType(Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0]))).toBe('application/zip');
    expect(sniffContentType(Buffer.from('Línea 1\r\nLínea 2\tfin\n', 'utf8'))).toBe('text/plain; charset=utf-8');
    expect(sniffContentType(Buffer.from('\ufeffcon BOM', 'utf8'))).toBe('text/plain; charset=utf-8');
    // HTML and SVG are not trusted as anything but bytes... they are text, served as text/plain with nosniff
    expect(sniffContentType(Buffer.from('<script>alert(1)</script>', 'utf8'))).toBe('text/plain; charset=utf-8');
    expect(sniffContentType(Buffer.from([0x00, 0x01, 0x02]))).toBe('application/octet-stream');
    expect(sniffContentType(Buffer.from([0x41, 0xc3]), false)).toBe('application/octet-stream'); // a cut sequence at the real end
    expect(sniffContentType(Buffer.concat([Buffer.alloc(1023, 0x41), Buffer.from([0xc3])]))).toBe('text/plain; charset=utf-8'); // cut by the head
    expect(sniffContentType(Buffer.from([0xc0, 0x80]))).toBe('application/octet-stream'); // overlong
    expect(sniffContentType(Buffer.alloc(0))).toBe('application/octet-stream');
  });

  it('file names keep their last path segment, without control characters', () => {
    expect(cleanFileName('C:\\fakepath\\captura de pantalla.png')).toBe('captura de pantalla.png');
    expect(cleanFileName('../../etc/passwd')).toBe('passwd');
    expect(cleanFileName('a\u0000b\nc.txt')).toBe('abc.txt');
    expect(cleanFileName('')).toBe('attachment');
    expect(cleanFileName('..')).toBe('attachment');
    expect(cleanFileName('x'.repeat(300)).length).toBe(255);
  });
});
