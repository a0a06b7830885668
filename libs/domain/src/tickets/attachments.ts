import { invalid, refusedField } from '../shared';
import type { AttachmentFile } from './events';

const SHA256 = /^[0-9a-f]{64}$/;

/**
 * The files a ticket or message references, checked against what the handler found stored
 * (`files`: the uploads the actor may reference, looked up by id). Every reference must be one
 * of them, once (the document says uniqueItems: twice is 400); an unknown one is 422 unknown-attachment
 * naming `attachments[i]` (well-formed, but no upload of yours has that id). Without `files` (no store
 * consulted) the references are recorded as given and no file is recorded.
 */
export function referencedFiles(references: string[], files: AttachmentFile[] | undefined): AttachmentFile[] | null {
  if (files === undefined) return null;
  const byId = new Map(files.map((f) => [f.attachmentId, f]));
  const seen = new Set<string>();
  return references.map((ref, i) => {
    const path = `attachments[${i}]`;
    if (seen.has(ref)) throw invalid(path, 'the same attachment is listed twice');
    seen.add(ref);
    const f = byId.get(ref);
    if (!f) throw refusedField('unknown-attachment', path, 'unknown attachment: upload the file first (POST /api/attachments) and send the attachmentId it answers');
    if (!SHA256.test(f.sha256) || f.attachmentId !== f.sha256) throw invalid(path, 'an attachment id is the SHA-256 of its content');
    if (!Number.isInteger(f.size) || f.size < 0) throw invalid(path, 'size must be a non-negative integer');
    if (typeof f.fileName !== 'string' || f.fileName.trim() === '' || typeof f.contentType !== 'string' || f.contentType === '')
      throw invalid(path, 'a file needs a name and a type');
    return { attachmentId: f.attachmentId, sha256: f.sha256, fileName: f.fileName, contentType: f.contentType, size: f.size };
  });
}
