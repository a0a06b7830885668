import * as path from 'path';
import type { Actor, AttachmentFile } from '@helpdesk/domain';
import type { AppConfig } from '../config';
import { AttachmentStore, SHA256_RE, UploadScope } from './attachment-store.port';
import { FileAttachmentStore } from './file-attachment-store';

export const ATTACHMENT_STORE = Symbol('ATTACHMENT_STORE');

/** The configured store: MongoDB GridFS with READ_STORE=mongodb, else files under DATA_DIR/attachments. */
export async function openAttachmentStore(config: AppConfig): Promise<AttachmentStore> {
  if (config.readStore === 'mongodb') {
    // loaded only when selected
    const { GridFsAttachmentStore } = await import('./gridfs-attachment-store');
    return GridFsAttachmentStore.connect(config.mongoUrl!);
  }
  return FileAttachmentStore.open(path.join(config.dataDir, 'attachments'));
}

/** whose uploads an actor may reference: a customer's contacts their customer's, staff the staff's */
export function uploadScopeOf(actor: Actor): UploadScope {
  return actor.roles.includes('customer') ? `customer:${actor.customerId}` : 'staff';
}

/**
 * The files behind attachment references, as the actor may use them: only uploads made in its
 * own scope (an upload by a customer's contact can be referenced by that customer only).
 * References it may not use are left out; the domain then refuses them naming attachments[i].
 */
export async function filesFor(store: AttachmentStore, actor: Actor, references: string[] | undefined): Promise<AttachmentFile[]> {
  const scope = uploadScopeOf(actor);
  const files: AttachmentFile[] = [];
  for (const ref of new Set(references ?? [])) {
    if (!SHA256_RE.test(ref)) continue;
    const upload = await store.findUpload(ref, scope);
    if (upload) files.push({ attachmentId: ref, sha256: ref, fileName: upload.fileName, contentType: upload.contentType, size: upload.size });
  }
  return files;
}
