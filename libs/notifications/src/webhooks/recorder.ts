/**
 * The webhook recorder: a checkpointed process manager (run by the projector) that records one
 * delivery per enabled subscription and matching event, with an id derived from the
 * subscription and the event (a replayed page records nothing twice) and the exact body every
 * attempt and replay will send. A subscription receives the events appended after it was
 * created. Internal messages never leave: a MessagePosted with internal visibility is not
 * delivered. Sending is the webhook dispatcher's job.
 */
import { createHash } from 'crypto';
import { LIFECYCLE_EVENT_TYPES } from '@helpdesk/domain';
import type { LeanStoredEvent } from '@helpdesk/event-store';
import type { Projection } from '@helpdesk/projections';
import type { NotificationStore } from '../notification-store';
import type { WebhookDeliveryRecord, WebhookRecord } from '../records';
import type { FactsGatherer } from '../notifier/facts';

export const WEBHOOK_RECORDER_NAME = 'webhooks';

/** the event types a subscription may ask for */
export const WEBHOOK_EVENT_TYPES: readonly string[] = [
  ...LIFECYCLE_EVENT_TYPES,
  'QuoteIssued',
  'ServiceAuthorized',
  'QuoteDeclined',
  'WorkLogged',
  'PolicyRegistered',
  'MinutesDeducted',
  'PolicyExhausted',
  'PolicyExpired',
  'PolicyExpiryApproaching',
  'CustomerRegistered',
  'SupportSuspended',
  'SupportReinstated',
  'SupportLevelChanged',
];

/** the Standard Webhooks message id of an event for a subscription (same on every attempt) */
export function webhookMessageIdOf(webhookId: string, eventId: string): string {
  return `msg_${createHash('sha256').update(`${webhookId}\n${eventId}`).digest('hex').slice(0, 32)}`;
}

export interface WebhookRecorderDeps {
  store: NotificationStore;
  gatherer: FactsGatherer;
  now: () => string;
  onRecorded?: () => void;
  /** how long the subscription list is reused (ms) */
  cacheMs?: number;
}

export interface WebhookRecorder extends Projection {
  /** re-read the subscriptions (after a change made in this process) */
  invalidate(): void;
}

export function webhookPayload(event: LeanStoredEvent, customerId: string | null): string {
  return JSON.stringify({
    type: event.type,
    timestamp: new Date(event.metadata.occurredAt).toISOString(),
    data: { eventId: event.id, streamId: event.streamId, position: event.position.toString(), customerId, ...event.data },
  });
}

export function webhookRecorder(deps: WebhookRecorderDeps): WebhookRecorder {
  let cache: { at: number; subs: WebhookRecord[] } | null = null;
  let unsynced = false;
  const cacheMs = deps.cacheMs ?? 1000;
  const subscriptions = async (): Promise<WebhookRecord[]> => {
    const now = Date.now();
    if (cache && now - cache.at < cacheMs) return cache.subs;
    const subs = (await deps.store.listWebhooks()).filter((w) => w.state === 'enabled');
    cache = { at: now, subs };
    return subs;
  };
  return {
    name: WEBHOOK_RECORDER_NAME,
    collections: [],
    handles: new Set(WEBHOOK_EVENT_TYPES),
    invalidate() {
      cache = null;
    },
    async beforeCheckpoint() {
      if (!unsynced) return;
      await deps.store.sync();
      unsynced = false;
    },
    async apply(event) {
      if (event.type === 'MessagePosted' && event.data.visibility !== 'public') return;
      const matching = (await subscriptions()).filter((w) => w.eventTypes.includes(event.type) && BigInt(w.fromPosition) < event.position);
      if (matching.length === 0) return;
      const customerId = await deps.gatherer.customerOf(event);
      const payload = webhookPayload(event, customerId);
      const now = deps.now();
      let recorded = 0;
      for (const w of matching) {
        if (w.customerId !== null && w.customerId !== customerId) continue;
        const deliveryId = webhookMessageIdOf(w.webhookId, event.id);
        const delivery: WebhookDeliveryRecord = {
          _id: deliveryId,
          deliveryId,
          webhookId: w.webhookId,
          eventId: event.id,
          eventType: event.type,
          position: event.position.toString(),
          seq: Number(event.position),
          payload,
          state: 'pending',
          attempts: 0,
          attemptsBefore: 0,
          nextAttemptAt: now,
          inFlight: null,
          lastStatus: null,
          lastError: null,
          log: [],
          replays: 0,
          createdAt: now,
          updatedAt: now,
          deliveredAt: null,
        };
        if (await deps.store.insertWebhookDelivery(delivery)) recorded++;
      }
      if (recorded > 0) {
        unsynced = true;
        deps.onRecorded?.();
      }
    },
  };
}
