import { createHash, randomBytes } from 'crypto';
import { Readable } from 'stream';
import { AttachmentStore, AttachmentTooLargeError, HEAD_BYTES } from '../../apps/api/src/attachments/attachment-store.port';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const read = async (s: Readable) => {
  const chunks: Buffer[] = [];
  for await (const c of s) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
};
/** a stream of `bytes` in chunks of `chunk` */
const chunked = (bytes: Buffer, chunk = 64 * 1024) =>
  Readable.from(
    (function* () {
      for (let i = 0; i < bytes.length; i += chunk) yield bytes.subarray(i, i + chunk);
    })(),
  );

/** The contract every attachment store passes (files under a folder, MongoDB GridFS). */
export function describeAttachmentStoreContract(name: string, open: () => Promise<AttachmentStore>, close: (s: AttachmentStore) => Promise<void> = (s) => s.close()) {
  describe(`AttachmentStore contract: ${name}`, () => {
    let store: AttachmentStore;
    beforeEach(async () => {
      store = await open();
    });
    afterEach(async () => {
      await close(store);
    });

    it('stores a content under its SHA-256 and gives it back byte for byte, with its size and first bytes', async () => {
      const bytes = randomBytes(700 * 1024 + 13); // several GridFS chunks
      const put = await store.put(chunked(bytes), 10 * 1024 * 1024);
      expect(put).toEqual({ sha256: sha(bytes), size: bytes.length, head: bytes.subarray(0, HEAD_BYTES) });
      const got = await store.open(put.sha256);
      expect(got?.size).toBe(bytes.length);
      expect((await read(got!.stream)).equals(bytes)).toBe(true);
    });

    it('the same bytes twice are one content; a small file keeps its whole head', async () => {
      const bytes = Buffer.from('hola, mundo\n', 'utf8');
      const a = await store.put(Readable.from([bytes]), 100);
      const b = await store.put(chunked(bytes, 3), 100);
      expect(a).toEqual(b);
      expect(a.head.equals(bytes)).toBe(true);
      expect((await read((await store.open(a.sha256))!.stream)).toString('utf8')).toBe('hola, mundo\n');
    });

    it('refuses more than maxBytes with AttachmentTooLargeError and keeps nothing of it; exactly maxBytes is fine', async () => {
      const bytes = randomBytes(300 * 1024);
      await expect(store.put(chunked(bytes, 50 * 1024), bytes.length - 1)).rejects.toBeInstanceOf(AttachmentTooLargeError);
      expect(await store.open(sha(bytes))).toBeNull();
      const ok = await store.put(chunked(bytes, 50 * 1024), bytes.length);
      expect(ok.size).toBe(bytes.length);
    });

    it('an unknown or malformed hash opens as null', async () => {
      expect(await store.open(sha(randomBytes(8)))).toBeNull();
      expect(await store.open('../../etc/passwd')).toBeNull();
    });

    it('records uploads per content and scope; a later upload in the same scope replaces the name; scopes are apart', async () => {
      const hash = sha(randomBytes(16));
      const record = { sha256: hash, scope: 'customer:c-1' as const, uploadedBy: 'carla', fileName: 'captura.png', contentType: 'image/png', size: 16, uploadedAt: '2026-11-18T16:00:00.000Z' };
      expect(await store.findUpload(hash, 'customer:c-1')).toBeNull();
      await store.recordUpload(record);
      expect(await store.findUpload(hash, 'customer:c-1')).toEqual(record);
      expect(await store.findUpload(hash, 'customer:c-2')).toBeNull();
      expect(await store.findUpload(hash, 'staff')).toBeNull();
      await store.recordUpload({ ...record, fileName: 'otra.png', uploadedBy: 'cesar', uploadedAt: '2026-11-18T17:00:00.000Z' });
      expect(await store.findUpload(hash, 'customer:c-1')).toMatchObject({ fileName: 'otra.png', uploadedBy: 'cesar' });
      await store.recordUpload({ ...record, scope: 'staff', uploadedBy: 'ana' });
      expect(await store.findUpload(hash, 'staff')).toMatchObject({ uploadedBy: 'ana' });
    });

    it('a failing source keeps nothing and the store goes on working', async () => {
      const failing = new Readable({
        read() {
          this.push(Buffer.alloc(1000, 1));
          this.destroy(new Error('client went away'));
        },
      });
      await expect(store.put(failing, 10_000)).rejects.toThrow('client went away');
      expect(await store.open(sha(Buffer.alloc(1000, 1)))).toBeNull();
      expect((await store.put(Readable.from([Buffer.from('x')]), 10)).size).toBe(1);
    });
  });
}
