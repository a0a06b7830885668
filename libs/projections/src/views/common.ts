/**
 * Small helpers shared by the views: collection names, ids, UTC instants.
 */
import type { LeanStoredEvent } from '@helpdesk/event-store';

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
  users: 'users',
  accessLog: 'access_log',
} as const;

/** An instant as the views store it: UTC ISO 8601 with milliseconds ('...Z'), so it sorts lexically. */
export function utcIso(iso: string): string;
export function utcIso(iso: string | null | undefined): string | null;
export function utcIso(iso: string | null | undefined): string | null {
  if (iso === null || iso === undefined) return null;
  // fast path: already 'YYYY-MM-DDTHH:MM:SS.mmmZ' (what the domain records)
  if (iso.length === 24 && iso.charCodeAt(23) === 90 && iso.charCodeAt(19) === 46 && iso.charCodeAt(10) === 84 && iso.charCodeAt(4) === 45) return iso;
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new TypeError(`not an ISO 8601 instant: ${iso}`);
  return new Date(ms).toISOString();
}

/** the id after the stream prefix (`ticket-<id>` -> `<id>`) */
export function streamEntityId(event: LeanStoredEvent, prefix: string): string {
  return event.streamId.startsWith(prefix) ? event.streamId.slice(prefix.length) : event.streamId;
}

/** the event as the domain's evolve functions take it */
export const domainEvent = <E>(event: LeanStoredEvent): E => ({ type: event.type, data: event.data }) as unknown as E;

/** when the event happened, UTC */
export const occurredAt = (event: LeanStoredEvent): string => utcIso(event.metadata.occurredAt);

/**
 * Record keys that come from client ids (quote, authorization and work-entry ids) or that the
 * domain builds with a NUL separator cannot all be MongoDB field names ('.', a leading '$',
 * NUL). The views store such records with those characters (and '%') percent-escaped.
 */
const UNSAFE_KEY = /[%.$\u0000]/;
const ESCAPED_KEY = /%(25|2E|24|00)/g;
const ESCAPES: Record<string, string> = { '%': '%25', '.': '%2E', $: '%24', '\u0000': '%00' };
const UNESCAPES: Record<string, string> = { '25': '%', '2E': '.', '24': '$', '00': '\u0000' };

export function encodeKeys<T>(record: Record<string, T>): Record<string, T> {
  let unsafe = false;
  for (const key in record) if (UNSAFE_KEY.test(key)) (unsafe = true);
  if (!unsafe) return record;
  const out: Record<string, T> = {};
  for (const [key, value] of Object.entries(record)) out[key.replace(/[%.$\u0000]/g, (c) => ESCAPES[c])] = value;
  return out;
}

export function decodeKeys<T>(record: Record<string, T>): Record<string, T> {
  let escaped = false;
  for (const key in record) if (key.includes('%')) (escaped = true);
  if (!escaped) return record;
  const out: Record<string, T> = {};
  for (const [key, value] of Object.entries(record)) out[key.replace(ESCAPED_KEY, (_m, code: string) => UNESCAPES[code])] = value;
  return out;
}
