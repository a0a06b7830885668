/**
 * The notifications' records over the operational store port: every operation the notifier,
 * the dispatchers and the API need, written once for both adapters. Writes are insert-if-absent
 * (records with deterministic ids: recording twice records once) or compare-and-set on `_rev`.
 */
import { decodeCursor, encodeCursor, type Filter, type Scalar, type SortSpec } from '@helpdesk/read-store';
import { DEFAULT_PREFERENCES, type NotificationDecision, type NotificationPreferences } from '@helpdesk/domain/notifications';
import type { MailDeliveryRecord, NotificationRecord, PreferencesRecord, WebhookDeliveryRecord, WebhookRecord } from './records';
import type { OpsCollectionSpec, OpsDoc, OpsStore } from './store/ops-store.port';

export const OPS_COLLECTIONS = {
  notifications: 'notifications',
  mail: 'mail_deliveries',
  preferences: 'notification_preferences',
  webhooks: 'webhooks',
  webhookDeliveries: 'webhook_deliveries',
  settings: 'notification_settings',
} as const;

const SPECS: OpsCollectionSpec[] = [
  {
    name: OPS_COLLECTIONS.notifications,
    indexes: [
      { fields: [['recipientId', 1], ['createdAt', -1], ['seq', -1]] },
      { fields: [['recipientId', 1], ['readAt', 1], ['createdAt', -1], ['seq', -1]] },
      { fields: [['digestState', 1], ['recipientId', 1]] },
      { fields: [['createdAt', -1], ['seq', -1]] },
    ],
  },
  { name: OPS_COLLECTIONS.mail, indexes: [{ fields: [['state', 1], ['nextAttemptAt', 1]] }, { fields: [['createdAt', -1]] }] },
  { name: OPS_COLLECTIONS.preferences, indexes: [] },
  { name: OPS_COLLECTIONS.webhooks, indexes: [{ fields: [['createdAt', 1]] }] },
  {
    name: OPS_COLLECTIONS.webhookDeliveries,
    indexes: [{ fields: [['state', 1], ['nextAttemptAt', 1]] }, { fields: [['webhookId', 1], ['createdAt', -1], ['seq', -1]] }],
  },
  { name: OPS_COLLECTIONS.settings, indexes: [] },
];

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** a well-formed cursor this list did not return: 422 invalid-cursor, like every other list */
export class InvalidCursorError extends Error {
  readonly path = 'cursor';
  readonly code = 'invalid-cursor';
  constructor() {
    super('cursor: not a cursor this list gave');
    this.name = 'InvalidQueryError';
  }
}

function cursorOf(text: string | undefined, sortLength: number): { values: Scalar[]; id: string } | undefined {
  if (!text) return undefined;
  try {
    const c = decodeCursor(text);
    if (c.values.length !== sortLength) throw new Error();
    return c;
  } catch {
    throw new InvalidCursorError();
  }
}

export interface EscalationContacts {
  /** by escalation level (2 and up): the people told when a breach reaches it */
  levels: Record<string, string[]>;
  updatedAt: string | null;
  updatedBy: string | null;
}

export class NotificationStore {
  constructor(readonly ops: OpsStore) {}

  async init(): Promise<void> {
    await this.ops.ensureCollections(SPECS);
  }

  close(): Promise<void> {
    return this.ops.close();
  }

  /** every write so far survives a power loss */
  sync(): Promise<void> {
    return this.ops.sync();
  }

  private async page<T extends OpsDoc>(collection: string, filter: Filter, sort: SortSpec, limit: number, cursor?: string): Promise<Page<T>> {
    const after = cursorOf(cursor, sort.length);
    const docs = await this.ops.find<T>(collection, { filter, sort, limit: limit + 1, after });
    const items = docs.slice(0, limit);
    const last = items[items.length - 1];
    const nextCursor =
      docs.length > limit && last
        ? encodeCursor({ values: sort.map(([f]) => (last as Record<string, unknown>)[f] as Scalar ?? null), id: last._id })
        : null;
    return { items, nextCursor };
  }

  // ------------------------------------------------------------------ notifications

  /**
   * Records decided notifications (and the e-mail delivery of each immediate one), each at most
   * once, in one transaction where the store has them: returns the notifications this call
   * inserted (the others existed already). Without transactions (MongoDB) a replay after a
   * crash between the inserts completes what is missing.
   */
  async record(decisions: NotificationDecision[], now: string, messageIdOf: (d: NotificationDecision) => string): Promise<NotificationRecord[]> {
    const items: Array<{ collection: string; doc: OpsDoc }> = [];
    const records: NotificationRecord[] = [];
    for (const d of decisions) {
      const immediate = d.email.channel === 'immediate';
      if (immediate) {
        const delivery: MailDeliveryRecord = {
          _id: d.notificationId,
          deliveryId: d.notificationId,
          messageId: messageIdOf(d),
          type: 'notification',
          notificationIds: [d.notificationId],
          recipientId: d.recipientId,
          to: d.email.address!,
          language: d.language,
          kind: d.kind,
          digestDate: null,
          state: 'pending',
          attempts: 0,
          nextAttemptAt: now,
          inFlight: null,
          failureReason: null,
          lastError: null,
          log: [],
          createdAt: now,
          updatedAt: now,
          sentAt: null,
        };
        // the delivery first: a notification never exists without its delivery
        items.push({ collection: OPS_COLLECTIONS.mail, doc: delivery });
      }
      const record: NotificationRecord = {
        ...d,
        _id: d.notificationId,
        email: { ...d.email, deliveryId: immediate ? d.notificationId : null },
        digestState: d.email.channel === 'digest' ? 'waiting' : null,
        seq: d.cause.position === null ? 0 : Number(d.cause.position),
        createdAt: now,
        readAt: null,
      };
      records.push(record);
      items.push({ collection: OPS_COLLECTIONS.notifications, doc: record });
    }
    const results = await this.ops.insertMany(items);
    return records.filter((r) => results[items.findIndex((i) => i.doc === r)]);
  }

  getNotification(id: string): Promise<NotificationRecord | null> {
    return this.ops.get<NotificationRecord>(OPS_COLLECTIONS.notifications, id);
  }

  /** a person's own notifications, newest first */
  listFor(recipientId: string, options: { unreadOnly?: boolean; limit: number; cursor?: string }): Promise<Page<NotificationRecord>> {
    const filter: Filter = { recipientId, ...(options.unreadOnly ? { readAt: null } : {}) };
    return this.page<NotificationRecord>(OPS_COLLECTIONS.notifications, filter, [['createdAt', -1], ['seq', -1]], options.limit, options.cursor);
  }

  countUnread(recipientId: string): Promise<number> {
    return this.ops.count(OPS_COLLECTIONS.notifications, { recipientId, readAt: null });
  }

  /** marks the person's own notification read (once); null when it is not theirs or does not exist */
  async markRead(recipientId: string, id: string, at: string): Promise<NotificationRecord | null> {
    for (let i = 0; i < 5; i++) {
      const doc = await this.getNotification(id);
      if (!doc || doc.recipientId !== recipientId) return null;
      if (doc.readAt !== null) return doc;
      const next = { ...doc, readAt: at } as NotificationRecord & { _rev: number };
      if (await this.ops.replace(OPS_COLLECTIONS.notifications, next)) return { ...next, _rev: next._rev + 1 };
    }
    throw new Error(`notification ${id} kept changing`);
  }

  /** every notification (admins), newest first */
  listAll(filter: { kind?: string; recipientId?: string }, limit: number, cursor?: string): Promise<Page<NotificationRecord>> {
    const f: Filter = {};
    if (filter.kind) f.kind = filter.kind;
    if (filter.recipientId) f.recipientId = filter.recipientId;
    return this.page<NotificationRecord>(OPS_COLLECTIONS.notifications, f, [['createdAt', -1], ['seq', -1]], limit, cursor);
  }

  getNotifications(ids: string[]): Promise<NotificationRecord[]> {
    return this.ops.getMany<NotificationRecord>(OPS_COLLECTIONS.notifications, ids);
  }

  /** notifications waiting for a digest, recorded before `before` */
  waitingForDigest(before: string, limit = 5000): Promise<NotificationRecord[]> {
    return this.ops.find<NotificationRecord>(OPS_COLLECTIONS.notifications, {
      filter: { digestState: 'waiting', createdAt: { $lt: before } },
      sort: [['createdAt', 1]],
      limit,
    });
  }

  /** marks a waiting notification as taken by a digest (compare-and-set; false if it changed) */
  async includeInDigest(n: NotificationRecord, deliveryId: string): Promise<boolean> {
    if (n.digestState !== 'waiting') return n.email.deliveryId === deliveryId;
    return this.ops.replace(OPS_COLLECTIONS.notifications, { ...n, digestState: 'included', email: { ...n.email, deliveryId } } as NotificationRecord & { _rev: number });
  }

  // ------------------------------------------------------------------ e-mail deliveries

  insertMailDelivery(d: MailDeliveryRecord): Promise<boolean> {
    return this.ops.insert(OPS_COLLECTIONS.mail, d);
  }

  getMailDelivery(id: string): Promise<MailDeliveryRecord | null> {
    return this.ops.get<MailDeliveryRecord>(OPS_COLLECTIONS.mail, id);
  }

  getMailDeliveries(ids: string[]): Promise<MailDeliveryRecord[]> {
    return this.ops.getMany<MailDeliveryRecord>(OPS_COLLECTIONS.mail, ids);
  }

  /** pending deliveries due at `now`, oldest first */
  dueMail(now: string, limit: number): Promise<MailDeliveryRecord[]> {
    return this.ops.find<MailDeliveryRecord>(OPS_COLLECTIONS.mail, { filter: { state: 'pending', nextAttemptAt: { $lte: now } }, sort: [['nextAttemptAt', 1]], limit });
  }

  /** the earliest pending delivery's nextAttemptAt (to sleep until it) */
  async nextMailAt(): Promise<string | null> {
    const [first] = await this.ops.find<MailDeliveryRecord>(OPS_COLLECTIONS.mail, { filter: { state: 'pending' }, sort: [['nextAttemptAt', 1]], limit: 1 });
    return first?.nextAttemptAt ?? null;
  }

  /** compare-and-set of several at once; each the stored revision, or null when it changed meanwhile */
  async updateMailDeliveries(ds: MailDeliveryRecord[]): Promise<Array<MailDeliveryRecord | null>> {
    const ok = await this.ops.replaceMany(OPS_COLLECTIONS.mail, ds as Array<MailDeliveryRecord & { _rev: number }>);
    return ds.map((d, i) => (ok[i] ? { ...d, _rev: (d._rev ?? 0) + 1 } : null));
  }

  /** compare-and-set; the stored revision on success, null when it changed meanwhile */
  async updateMailDelivery(d: MailDeliveryRecord): Promise<MailDeliveryRecord | null> {
    const ok = await this.ops.replace(OPS_COLLECTIONS.mail, d as MailDeliveryRecord & { _rev: number });
    return ok ? { ...d, _rev: (d._rev ?? 0) + 1 } : null;
  }

  listMailDeliveries(filter: { state?: string; recipientId?: string; kind?: string }, limit: number, cursor?: string): Promise<Page<MailDeliveryRecord>> {
    const f: Filter = {};
    if (filter.state) f.state = filter.state;
    if (filter.recipientId) f.recipientId = filter.recipientId;
    if (filter.kind) f.kind = filter.kind;
    return this.page<MailDeliveryRecord>(OPS_COLLECTIONS.mail, f, [['createdAt', -1]], limit, cursor);
  }

  // ------------------------------------------------------------------ preferences

  async preferencesOf(userId: string): Promise<NotificationPreferences & { updatedAt: string | null }> {
    const doc = await this.ops.get<PreferencesRecord>(OPS_COLLECTIONS.preferences, userId);
    if (!doc) return { ...DEFAULT_PREFERENCES, email: {}, updatedAt: null };
    return { email: doc.email ?? {}, language: doc.language ?? null, dailyDigest: doc.dailyDigest === true, updatedAt: doc.updatedAt };
  }

  async preferencesOfMany(userIds: string[]): Promise<Record<string, NotificationPreferences>> {
    const out: Record<string, NotificationPreferences> = {};
    for (const doc of await this.ops.getMany<PreferencesRecord>(OPS_COLLECTIONS.preferences, userIds)) {
      out[doc._id] = { email: doc.email ?? {}, language: doc.language ?? null, dailyDigest: doc.dailyDigest === true };
    }
    return out;
  }

  /** applies a change to a person's preferences (compare-and-set, retried) and returns them */
  async updatePreferences(userId: string, change: (p: NotificationPreferences) => NotificationPreferences, now: string): Promise<NotificationPreferences & { updatedAt: string }> {
    for (let i = 0; i < 10; i++) {
      const doc = await this.ops.get<PreferencesRecord>(OPS_COLLECTIONS.preferences, userId);
      const current: NotificationPreferences = doc ? { email: doc.email ?? {}, language: doc.language ?? null, dailyDigest: doc.dailyDigest === true } : { ...DEFAULT_PREFERENCES, email: {} };
      const next = change(current);
      const record: PreferencesRecord = { _id: userId, userId, email: next.email, language: next.language, dailyDigest: next.dailyDigest, updatedAt: now };
      const ok = doc ? await this.ops.replace(OPS_COLLECTIONS.preferences, { ...record, _rev: doc._rev! }) : await this.ops.insert(OPS_COLLECTIONS.preferences, record);
      if (ok) return { ...next, updatedAt: now };
    }
    throw new Error(`preferences of ${userId} kept changing`);
  }

  // ------------------------------------------------------------------ settings

  async escalationContacts(): Promise<EscalationContacts> {
    const doc = await this.ops.get<OpsDoc & EscalationContacts>(OPS_COLLECTIONS.settings, 'escalation-contacts');
    return { levels: doc?.levels ?? {}, updatedAt: doc?.updatedAt ?? null, updatedBy: doc?.updatedBy ?? null };
  }

  async setEscalationContacts(levels: Record<string, string[]>, by: string, now: string): Promise<EscalationContacts> {
    for (let i = 0; i < 10; i++) {
      const doc = await this.ops.get<OpsDoc & EscalationContacts>(OPS_COLLECTIONS.settings, 'escalation-contacts');
      const next = { _id: 'escalation-contacts', levels, updatedAt: now, updatedBy: by };
      const ok = doc ? await this.ops.replace(OPS_COLLECTIONS.settings, { ...next, _rev: doc._rev! }) : await this.ops.insert(OPS_COLLECTIONS.settings, next);
      if (ok) return { levels, updatedAt: now, updatedBy: by };
    }
    throw new Error('escalation contacts kept changing');
  }

  // ------------------------------------------------------------------ webhooks

  insertWebhook(w: WebhookRecord): Promise<boolean> {
    return this.ops.insert(OPS_COLLECTIONS.webhooks, w);
  }

  getWebhook(id: string): Promise<WebhookRecord | null> {
    return this.ops.get<WebhookRecord>(OPS_COLLECTIONS.webhooks, id);
  }

  listWebhooks(limit = 1000): Promise<WebhookRecord[]> {
    return this.ops.find<WebhookRecord>(OPS_COLLECTIONS.webhooks, { sort: [['createdAt', 1]], limit });
  }

  async updateWebhook(w: WebhookRecord): Promise<WebhookRecord | null> {
    const ok = await this.ops.replace(OPS_COLLECTIONS.webhooks, w as WebhookRecord & { _rev: number });
    return ok ? { ...w, _rev: (w._rev ?? 0) + 1 } : null;
  }

  deleteWebhook(id: string): Promise<boolean> {
    return this.ops.delete(OPS_COLLECTIONS.webhooks, id);
  }

  insertWebhookDelivery(d: WebhookDeliveryRecord): Promise<boolean> {
    return this.ops.insert(OPS_COLLECTIONS.webhookDeliveries, d);
  }

  getWebhookDelivery(id: string): Promise<WebhookDeliveryRecord | null> {
    return this.ops.get<WebhookDeliveryRecord>(OPS_COLLECTIONS.webhookDeliveries, id);
  }

  dueWebhookDeliveries(now: string, limit: number): Promise<WebhookDeliveryRecord[]> {
    return this.ops.find<WebhookDeliveryRecord>(OPS_COLLECTIONS.webhookDeliveries, {
      filter: { state: 'pending', nextAttemptAt: { $lte: now } },
      sort: [['nextAttemptAt', 1]],
      limit,
    });
  }

  async nextWebhookAt(): Promise<string | null> {
    const [first] = await this.ops.find<WebhookDeliveryRecord>(OPS_COLLECTIONS.webhookDeliveries, { filter: { state: 'pending' }, sort: [['nextAttemptAt', 1]], limit: 1 });
    return first?.nextAttemptAt ?? null;
  }

  async updateWebhookDeliveries(ds: WebhookDeliveryRecord[]): Promise<Array<WebhookDeliveryRecord | null>> {
    const ok = await this.ops.replaceMany(OPS_COLLECTIONS.webhookDeliveries, ds as Array<WebhookDeliveryRecord & { _rev: number }>);
    return ds.map((d, i) => (ok[i] ? { ...d, _rev: (d._rev ?? 0) + 1 } : null));
  }

  async updateWebhookDelivery(d: WebhookDeliveryRecord): Promise<WebhookDeliveryRecord | null> {
    const ok = await this.ops.replace(OPS_COLLECTIONS.webhookDeliveries, d as WebhookDeliveryRecord & { _rev: number });
    return ok ? { ...d, _rev: (d._rev ?? 0) + 1 } : null;
  }

  listWebhookDeliveries(webhookId: string, filter: { state?: string }, limit: number, cursor?: string): Promise<Page<WebhookDeliveryRecord>> {
    return this.page<WebhookDeliveryRecord>(OPS_COLLECTIONS.webhookDeliveries, { webhookId, ...(filter.state ? { state: filter.state } : {}) }, [['createdAt', -1], ['seq', -1]], limit, cursor);
  }

  /** pending deliveries of a webhook (to fail them when it is deleted or disabled) */
  pendingWebhookDeliveries(webhookId: string, limit = 1000): Promise<WebhookDeliveryRecord[]> {
    return this.ops.find<WebhookDeliveryRecord>(OPS_COLLECTIONS.webhookDeliveries, { filter: { webhookId, state: 'pending' }, limit });
  }
}
