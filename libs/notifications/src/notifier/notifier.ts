/**
 * The notifier: a checkpointed process manager run by the projector (like the deduction
 * repairer). For every event that may notify somebody it gathers the facts, asks the pure
 * decision who is told what, and records the notifications (and their e-mail deliveries) with
 * ids derived from the event, the recipient and the kind: a page replayed after a crash
 * records nothing twice. Sending is the mail dispatcher's job, not the projector's.
 */
import { decideNotifications, NOTIFYING_EVENT_TYPES, type NotifiableEvent, type NotificationDecision } from '@helpdesk/domain/notifications';
import type { LeanStoredEvent } from '@helpdesk/event-store';
import type { Projection } from '@helpdesk/projections';
import type { NotificationStore } from '../notification-store';
import type { NotificationRecord } from '../records';
import type { FactsGatherer } from './facts';

export const NOTIFIER_NAME = 'notifier';

export function notifiableOf(event: LeanStoredEvent): NotifiableEvent {
  return {
    id: event.id,
    type: event.type,
    streamId: event.streamId,
    position: event.position.toString(),
    occurredAt: new Date(event.metadata.occurredAt).toISOString(),
    actor: typeof event.metadata.actor === 'string' ? event.metadata.actor : null,
    data: event.data,
  };
}

export interface NotifierDeps {
  gatherer: FactsGatherer;
  store: NotificationStore;
  now: () => string;
  messageIdOf: (d: NotificationDecision) => string;
  /** called with what was newly recorded (wake the dispatcher, push to the console's stream) */
  onRecorded?: (records: NotificationRecord[]) => void;
}

/** decides and records the notifications of one event (also for operational facts such as WebhookDisabled) */
export async function notify(deps: NotifierDeps, event: NotifiableEvent, version: bigint | null): Promise<NotificationRecord[]> {
  const facts = await deps.gatherer.gather(event, version);
  const decisions = decideNotifications(event, facts);
  if (decisions.length === 0) return [];
  const inserted = await deps.store.record(decisions, deps.now(), deps.messageIdOf);
  if (inserted.length > 0) deps.onRecorded?.(inserted);
  return inserted;
}

export function notifierProjection(deps: NotifierDeps): Projection {
  return {
    name: NOTIFIER_NAME,
    collections: [],
    handles: new Set<string>(NOTIFYING_EVENT_TYPES),
    async apply(event) {
      await notify(deps, notifiableOf(event), event.version);
    },
  };
}
