/**
 * The notifier: a checkpointed process manager run by the projector (like the deduction
 * repairer). For every event that may notify somebody it gathers the facts, asks the pure
 * decision who is told what, and records the notifications (and their e-mail deliveries) with
 * ids derived from the event, the recipient and the kind: a page replayed after a crash
 * records nothing twice. What a page decides is recorded in one write, made durable, before
 * the checkpoint moves past the page. Sending is the mail dispatcher's job.
 *
 * It also folds every ticket event it sees into an in-memory cache (the domain's own evolve),
 * so the ticket as it was before a notifying event is usually at hand without reading its
 * stream again.
 */
import { LIFECYCLE_EVENT_TYPES, USER_EVENT_TYPES } from '@helpdesk/domain';
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

const NOTIFYING: ReadonlySet<string> = new Set(NOTIFYING_EVENT_TYPES);
const TICKET_EVENTS: readonly string[] = [...LIFECYCLE_EVENT_TYPES, 'QuoteIssued', 'ServiceAuthorized', 'QuoteDeclined', 'WorkLogged'];
const USER_EVENTS: ReadonlySet<string> = new Set(USER_EVENT_TYPES);

export function notifierProjection(deps: NotifierDeps): Projection {
  /** decided during the page, recorded before its checkpoint */
  const pending = new Map<string, NotificationDecision>();
  /** a person changed in this page: the staff list is read again (now, and once the page's views are written) */
  let peopleChanged = false;
  return {
    name: NOTIFIER_NAME,
    collections: [],
    handles: new Set<string>([...NOTIFYING_EVENT_TYPES, ...TICKET_EVENTS, ...USER_EVENTS]),
    async apply(event) {
      if (USER_EVENTS.has(event.type)) {
        // the staff list is cached briefly; who is invited, accepted, given a role or let go must
        // count from the next event on, however fast the events come
        deps.gatherer.invalidate();
        peopleChanged = true;
      }
      const notifying = NOTIFYING.has(event.type);
      const ticketId = event.streamId.startsWith('ticket-') ? event.streamId.slice('ticket-'.length) : null;
      let fold = ticketId ? deps.gatherer.cachedTicket(ticketId) : undefined;
      if (ticketId && notifying) fold = await deps.gatherer.ticketBefore(ticketId, event.version);
      if (notifying) {
        const e = notifiableOf(event);
        for (const d of decideNotifications(e, await deps.gatherer.gather(e, event.version, fold))) pending.set(d.notificationId, d);
      }
      if (ticketId && fold) deps.gatherer.advanceTicket(ticketId, fold, event);
    },
    // what the page decided is recorded, and on disk, before the checkpoint says the page is done
    async beforeCheckpoint() {
      if (peopleChanged) {
        deps.gatherer.invalidate();
        peopleChanged = false;
      }
      if (pending.size === 0) return;
      const decisions = [...pending.values()];
      const inserted = await deps.store.record(decisions, deps.now(), deps.messageIdOf);
      pending.clear();
      if (inserted.length > 0) {
        await deps.store.sync();
        deps.onRecorded?.(inserted);
      }
    },
  };
}
