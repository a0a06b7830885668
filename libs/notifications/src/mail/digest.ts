/**
 * The daily digest, a scheduler job: once the configured local hour has come, each person
 * with notifications waiting for the digest gets one e-mail delivery for the day. Its id (and
 * Message-ID) is derived from the person and the date, and it is inserted only if absent, so
 * there is exactly one per person and day by construction, however often the job runs and
 * however many processes run it. The notifications it takes are those recorded before the
 * digest hour; later ones wait for the next day's.
 */
import { DateTime } from 'luxon';
import { notificationIdOf } from '@helpdesk/domain/notifications';
import type { NotificationStore } from '../notification-store';
import type { MailDeliveryRecord, NotificationRecord } from '../records';

export interface DigestOptions {
  /** local hour (0-23) from which the day's digest goes out */
  hour: number;
  /** the company's zone */
  zone: string;
  messageIdOf: (deliveryId: string) => string;
  /** a digest was created: wake the dispatcher */
  onCreated?: () => void;
}

export const digestIdOf = (recipientId: string, date: string): string => notificationIdOf(`digest:${date}`, recipientId, 'digest');

export class DigestJob {
  readonly name = 'notification-digest';

  constructor(
    private readonly store: NotificationStore,
    private readonly options: DigestOptions,
  ) {}

  /** creates the day's digests that are due at `now`; returns how many it created */
  async run(now: string): Promise<number> {
    const local = DateTime.fromISO(now, { zone: this.options.zone });
    if (!local.isValid || local.hour < this.options.hour) return 0;
    const date = local.toISODate()!;
    const cut = local.startOf('day').set({ hour: this.options.hour }).toUTC().toISO()!;
    const waiting = await this.store.waitingForDigest(cut);
    const byRecipient = new Map<string, NotificationRecord[]>();
    for (const n of waiting) {
      if (!n.email.address) continue;
      const list = byRecipient.get(n.recipientId) ?? [];
      list.push(n);
      byRecipient.set(n.recipientId, list);
    }
    let created = 0;
    for (const [recipientId, items] of byRecipient) {
      const deliveryId = digestIdOf(recipientId, date);
      const latest = items[items.length - 1];
      const delivery: MailDeliveryRecord = {
        _id: deliveryId,
        deliveryId,
        messageId: this.options.messageIdOf(deliveryId),
        type: 'digest',
        notificationIds: items.map((n) => n.notificationId),
        recipientId,
        to: latest.email.address!,
        language: latest.language,
        kind: 'digest',
        digestDate: date,
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
      if (await this.store.insertMailDelivery(delivery)) created++;
      // the day's digest (this one, or the one another run created) takes what it lists
      const stored = await this.store.getMailDelivery(deliveryId);
      const listed = new Set(stored?.notificationIds ?? []);
      for (const n of items) if (listed.has(n.notificationId)) await this.store.includeInDigest(n, deliveryId);
    }
    if (created > 0) this.options.onCreated?.();
    return created;
  }
}
