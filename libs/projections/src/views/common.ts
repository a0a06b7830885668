/**
 * Small helpers shared by the views: collection names, ids, UTC instants.
 */
import type { StoredEvent } from '@helpdesk/event-store';

/** physical (logical) collection names of the read models */
export const COLLECTIONS = {
  tickets: 'tickets',
  policies: 'policies',
  customers: 'customers',
  authorizations: 'authorizations',
  billed: 'billed',
  /** billing projection's own ticket -> customer lookup (WorkLogged does not carry the customer) */
  billedTickets: 'billed_tickets',
  caseEvents: 'case_events',
} as const;

/** An instant as the views store it: UTC ISO 8601 with milliseconds ('...Z'), so it sorts lexically. */
export function utcIso(iso: string): string;
export function utcIso(iso: string | null | undefined): string | null;
export function utcIso(iso: string | null | undefined): string | null {
  if (iso === null || iso === undefined) return null;
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new TypeError(`not an ISO 8601 instant: ${iso}`);
  return new Date(ms).toISOString();
}

/** the id after the stream prefix (`ticket-<id>` -> `<id>`) */
export function streamEntityId(event: StoredEvent, prefix: string): string {
  return event.streamId.startsWith(prefix) ? event.streamId.slice(prefix.length) : event.streamId;
}

/** the event as the domain's evolve functions take it */
export const domainEvent = <E>(event: StoredEvent): E => ({ type: event.type, data: event.data }) as unknown as E;

/** when the event happened, UTC */
export const occurredAt = (event: StoredEvent): string => utcIso(event.metadata.occurredAt);
