/**
 * Ticket value types and small pure helpers (time, actors, topic keys).
 */
import { DecisionContext, DomainError, invalid, textLength } from '../shared';
import { dayExists } from '../policies/values';
import type { Classification, Priority, Severity } from '../presets';

export type { Classification, Priority, Severity };

export const TICKET_CHANNELS = ['portal', 'email', 'phone', 'chat'] as const;
export type TicketChannel = (typeof TICKET_CHANNELS)[number];

export const TICKET_STATUSES = ['open', 'awaiting-customer', 'closed'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

export const MESSAGE_VISIBILITIES = ['public', 'internal'] as const;
export type MessageVisibility = (typeof MESSAGE_VISIBILITIES)[number];

export const CONTACT_CHANNELS = ['phone', 'email'] as const;
export type ContactChannel = (typeof CONTACT_CHANNELS)[number];

export const CLOSE_REASONS = ['resolved', 'no-customer-response', 'out-of-scope', 'duplicate', 'declined'] as const;
export type CloseReason = (typeof CLOSE_REASONS)[number];

/** roles that work tickets */
export const STAFF_ROLES = ['agent', 'supervisor', 'admin'] as const;
/** the scheduler's role (SLA timers, automatic closing) */
export const SYSTEM_ROLE = 'system';

export const ticketStreamId = (ticketId: string) => `ticket-${ticketId}`;

export type ActorRole = 'customer' | 'staff' | 'system';

/** Who the actor is for ticket rules: staff wins over customer, system over both. */
export function actorRole(ctx: DecisionContext): ActorRole {
  const roles = ctx.actor.roles;
  if (roles.includes(SYSTEM_ROLE)) return 'system';
  if (roles.some((r) => (STAFF_ROLES as readonly string[]).includes(r))) return 'staff';
  return 'customer';
}

export const forbidden = (message: string) => new DomainError('forbidden', 403, message);

/** epoch ms of an ISO instant (the context's `now` and recorded instants are trusted) */
export function msOf(iso: string): number {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new Error(`not an ISO 8601 instant: ${iso}`);
  return ms;
}

/** UTC ISO 8601 ('...Z') */
export const utc = (ms: number) => new Date(ms).toISOString();

const INSTANT_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

export function isInstant(v: unknown): v is string {
  return typeof v === 'string' && INSTANT_RE.test(v) && !Number.isNaN(Date.parse(v)) && dayExists(Number(v.slice(0, 4)), Number(v.slice(5, 7)), Number(v.slice(8, 10)));
}

export function isDate(v: unknown): v is string {
  if (typeof v !== 'string' || !DATE_RE.test(v)) return false;
  const d = new Date(`${v}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v;
}

export function requireText(path: string, v: unknown, max = 20_000): string {
  if (typeof v !== 'string' || v.trim() === '') throw invalid(path, 'required non-empty text');
  if (v.length > max && textLength(v) > max) throw invalid(path, `at most ${max} characters`);
  return v;
}

export function optionalText(path: string, v: unknown, max = 20_000): string | null {
  if (v === undefined || v === null) return null;
  return requireText(path, v, max);
}

export function requireOneOf<T extends string>(path: string, v: unknown, allowed: readonly T[]): T {
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v))
    throw invalid(path, `must be one of ${allowed.join(', ')}`);
  return v as T;
}

/** Text normalized for comparison: accents stripped, lower case, punctuation and whitespace collapsed. */
export function normalizeText(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/**
 * Key of a ticket's topic, for duplicate detection: "<product>|<subject>" normalized
 * (lower case, accents stripped, punctuation and whitespace collapsed). Two open tickets of
 * one customer with the same key are the same topic.
 */
export function topicKey(subject: string, product?: string | null): string {
  const s = normalizeText(subject);
  const p = product ? normalizeText(product) : '';
  return `${p}|${s}`;
}
