/**
 * A ticket's conversation, read from its own events: the opening (description and its
 * attachments), the messages (public replies and internal notes), the questions staff asked
 * while awaiting the customer and the customer's follow-up requests, in the order recorded.
 * Customers never see internal notes, nor the files attached only to them.
 */
import type { AttachmentFile } from '@helpdesk/domain';
import type { StoredEvent } from '@helpdesk/event-store';

export type ConversationItemKind = 'opened' | 'message' | 'question' | 'follow-up';

export interface ConversationAttachment {
  attachmentId: string;
  fileName: string;
  contentType: string;
  /** null for references recorded before files were stored */
  size: number | null;
  sha256: string | null;
}

export interface ConversationItem {
  /** the message id; for the other kinds the id of the event that recorded them */
  messageId: string;
  kind: ConversationItemKind;
  authorId: string;
  authorName: string | null;
  authorKind: 'staff' | 'customer' | 'system';
  visibility: 'public' | 'internal';
  body: string;
  attachments: ConversationAttachment[];
  postedAt: string;
  /** global position of the event (send as X-Min-Position / compare with live updates) */
  position: number;
}

const SHA256 = /^[0-9a-f]{64}$/;

/** the files of a TicketOpened or MessagePosted: as recorded, or (older events) the bare references */
export function attachmentsOf(data: { attachments?: unknown; attachmentFiles?: AttachmentFile[] }): ConversationAttachment[] {
  const files = Array.isArray(data.attachmentFiles) ? data.attachmentFiles : [];
  const byId = new Map(files.map((f) => [f.attachmentId, f]));
  const refs = Array.isArray(data.attachments) ? (data.attachments as unknown[]).filter((a): a is string => typeof a === 'string') : [];
  return refs.map((ref) => {
    const f = byId.get(ref);
    if (f) return { attachmentId: f.attachmentId, fileName: f.fileName, contentType: f.contentType, size: f.size, sha256: f.sha256 };
    return { attachmentId: ref, fileName: ref, contentType: 'application/octet-stream', size: null, sha256: SHA256.test(ref) ? ref : null };
  });
}

const authorKindOf = (role: unknown): 'staff' | 'customer' | 'system' => (role === 'customer' ? 'customer' : role === 'system' ? 'system' : 'staff');

/** The conversation items of a ticket stream (publicOnly: what a customer may see). */
export function conversationOf(events: StoredEvent[], options: { publicOnly: boolean }): ConversationItem[] {
  const items: ConversationItem[] = [];
  for (const e of events) {
    const d = e.data as Record<string, unknown>;
    const position = Number(e.position);
    switch (e.type) {
      case 'TicketOpened':
        items.push({
          messageId: e.id,
          kind: 'opened',
          authorId: String(d.reporterId ?? d.openedBy),
          authorName: null,
          authorKind: authorKindOf(d.openedByRole),
          visibility: 'public',
          body: String(d.description ?? ''),
          attachments: attachmentsOf(d),
          postedAt: String(d.openedAt),
          position,
        });
        break;
      case 'MessagePosted':
        if (options.publicOnly && d.visibility === 'internal') break;
        items.push({
          messageId: String(d.messageId),
          kind: 'message',
          authorId: String(d.authorId),
          authorName: null,
          authorKind: authorKindOf(d.authorRole),
          visibility: d.visibility === 'internal' ? 'internal' : 'public',
          body: String(d.body ?? ''),
          attachments: attachmentsOf(d),
          postedAt: String(d.postedAt),
          position,
        });
        break;
      case 'CustomerInfoRequested':
        items.push({
          messageId: e.id,
          kind: 'question',
          authorId: String(d.requestedBy),
          authorName: null,
          authorKind: 'staff',
          visibility: 'public',
          body: String(d.question ?? ''),
          attachments: [],
          postedAt: String(d.requestedAt),
          position,
        });
        break;
      case 'FollowUpRequested':
        items.push({
          messageId: e.id,
          kind: 'follow-up',
          authorId: String(d.requestedBy),
          authorName: null,
          authorKind: 'customer',
          visibility: 'public',
          body: typeof d.note === 'string' ? d.note : '',
          attachments: [],
          postedAt: String(d.requestedAt),
          position,
        });
        break;
      default:
        break;
    }
  }
  return items;
}
