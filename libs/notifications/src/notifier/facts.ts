/**
 * Gathers the facts a notification decision needs: the ticket or policy as it was when the
 * event happened (its stream folded up to the event, with the domain's own evolve), the people
 * who could be concerned (the `users` read model: by id, the customer's contacts, the staff),
 * their preferences, the escalation chain. Reads only; the decision itself is pure.
 */
import {
  evolve,
  evolvePolicy,
  initialPolicyState,
  initialState,
  type PolicyEvent,
  type Preset,
  type TicketEvent,
  type TicketState,
} from '@helpdesk/domain';
import {
  factsNeeded,
  isNotificationLanguage,
  type NotifiableEvent,
  type NotificationFacts,
  type NotificationLanguage,
  type Person,
  type PolicyFacts,
  type TicketFacts,
} from '@helpdesk/domain/notifications';
import type { EventStore, StoredEvent } from '@helpdesk/event-store';
import type { Doc, ReadStore } from '@helpdesk/read-store';
import type { NotificationStore } from '../notification-store';

/** the users read model (identity): collection `users` */
export const USERS_COLLECTION = 'users';

export interface UserDoc extends Doc {
  userId?: string;
  kind?: string;
  email?: string | null;
  name?: string | null;
  roles?: unknown;
  customerId?: string | null;
  approver?: boolean;
  status?: string;
  language?: string | null;
}

export function personOf(doc: UserDoc): Person {
  const roles = Array.isArray(doc.roles) ? doc.roles.filter((r): r is string => typeof r === 'string') : [];
  return {
    id: doc.userId ?? doc._id,
    kind: doc.kind === 'staff' || doc.kind === 'contact' ? doc.kind : 'unknown',
    email: typeof doc.email === 'string' && doc.email.includes('@') ? doc.email : null,
    name: typeof doc.name === 'string' ? doc.name : null,
    roles,
    customerId: typeof doc.customerId === 'string' ? doc.customerId : null,
    approver: doc.approver === true,
    status: doc.status === 'invited' || doc.status === 'deactivated' ? doc.status : 'active',
    language: isNotificationLanguage(doc.language) ? doc.language : null,
  };
}

export interface FactsSettings {
  preset: Preset;
  defaultLanguage: NotificationLanguage;
  emailEnabled: boolean;
  /** how long the staff list and the escalation contacts are reused (ms) */
  cacheMs?: number;
}

/** a ticket folded up to a version, with the role its reporter opened it with */
export interface TicketFold {
  state: TicketState;
  openedByRole: string | null;
  /** the version of the last event folded (-1: none) */
  version: bigint;
}

export function foldTicket(fold: TicketFold | null, event: { type: string; data: Record<string, unknown>; version: bigint }): TicketFold {
  const state = evolve(fold?.state ?? initialState(), { type: event.type, data: event.data } as TicketEvent);
  const openedByRole = event.type === 'TicketOpened' ? ((event.data.openedByRole as string | undefined) ?? null) : (fold?.openedByRole ?? null);
  return { state, openedByRole, version: event.version };
}

/** folds a ticket stream's events before `version` */
export function ticketFoldOf(events: StoredEvent[], beforeVersion: bigint): TicketFold {
  let fold: TicketFold = { state: initialState(), openedByRole: null, version: -1n };
  for (const e of events) {
    if (e.version >= beforeVersion) break;
    fold = foldTicket(fold, e);
  }
  return fold;
}

/** folds a ticket stream's events before `version` into the ticket's facts */
export function ticketFactsOf(events: StoredEvent[], beforeVersion: bigint): TicketFacts | null {
  return factsOfFold(ticketFoldOf(events, beforeVersion));
}

export function factsOfFold(fold: TicketFold): TicketFacts | null {
  const { state, openedByRole } = fold;
  if (!state.ticketId || !state.customerId) return null;
  const quoteIssuers: Record<string, string> = {};
  for (const q of Object.values(state.billing.quotes)) quoteIssuers[q.quoteId] = q.issuedBy;
  return {
    ticketId: state.ticketId,
    customerId: state.customerId,
    reporterId: state.reporterId,
    openedByRole,
    assigneeId: state.assigneeId,
    subject: state.subject,
    escalationLevel: state.escalationLevel,
    quoteIssuers,
  };
}

export function policyFactsOf(events: StoredEvent[], beforeVersion: bigint): PolicyFacts | null {
  let state = initialPolicyState();
  for (const e of events) {
    if (e.version >= beforeVersion) break;
    state = evolvePolicy(state, { type: e.type, data: e.data } as PolicyEvent);
  }
  const p = state.policy;
  if (!p) return null;
  return { policyId: p.policyId, customerId: p.customerId, number: p.policyNumber, minutesPurchased: p.minutes, validUntil: p.validUntil };
}

const TICKET_CACHE_LIMIT = 20_000;

export class FactsGatherer {
  private staffCache: { at: number; people: Person[] } | null = null;
  /** tickets folded up to their last event seen, most recently used last */
  private readonly tickets = new Map<string, TicketFold>();
  private contactsCache: { at: number; levels: Record<number, string[]> } | null = null;
  private readonly cacheMs: number;

  constructor(
    private readonly events: EventStore,
    private readonly views: ReadStore,
    private readonly store: NotificationStore,
    private readonly settings: FactsSettings,
    private readonly nowMs: () => number = Date.now,
  ) {
    this.cacheMs = settings.cacheMs ?? 1000;
  }

  /** drop the cached staff list and escalation contacts (after a change made in this process) */
  invalidate(): void {
    this.staffCache = null;
    this.contactsCache = null;
  }

  private async staff(): Promise<Person[]> {
    const now = this.nowMs();
    if (this.staffCache && now - this.staffCache.at < this.cacheMs) return this.staffCache.people;
    const docs = await this.views.find<UserDoc>(USERS_COLLECTION, { filter: { kind: 'staff', status: 'active' }, limit: 10_000 });
    const people = docs.map(personOf);
    this.staffCache = { at: now, people };
    return people;
  }

  private async escalationContacts(): Promise<Record<number, string[]>> {
    const now = this.nowMs();
    if (this.contactsCache && now - this.contactsCache.at < this.cacheMs) return this.contactsCache.levels;
    const stored = await this.store.escalationContacts();
    const levels: Record<number, string[]> = {};
    for (const [level, ids] of Object.entries(stored.levels)) levels[Number(level)] = ids;
    this.contactsCache = { at: now, levels };
    return levels;
  }

  /**
   * The ticket as it was just before the event at `version` of its stream: from the fold kept
   * in memory when it holds exactly the versions before (the notifier folds every ticket event
   * it sees), else from the stream.
   */
  async ticketBefore(ticketId: string, version: bigint): Promise<TicketFold> {
    const cached = this.tickets.get(ticketId);
    if (cached && cached.version === version - 1n) return cached;
    return ticketFoldOf(await this.events.readStream(`ticket-${ticketId}`, { maxCount: Number(version) }), version);
  }

  /** the fold in memory, if any */
  cachedTicket(ticketId: string): TicketFold | undefined {
    return this.tickets.get(ticketId);
  }

  /** remembers the ticket folded up to and including `event` */
  advanceTicket(ticketId: string, before: TicketFold, event: { type: string; data: Record<string, unknown>; version: bigint }): void {
    if (before.version !== event.version - 1n) return;
    this.tickets.delete(ticketId);
    this.tickets.set(ticketId, foldTicket(before, event));
    if (this.tickets.size > TICKET_CACHE_LIMIT) this.tickets.delete(this.tickets.keys().next().value!);
  }

  /** the facts for one event (`version`: the event's version in its stream; `ticket`: its fold before the event, when known) */
  async gather(event: NotifiableEvent, version: bigint | null, ticketFold?: TicketFold): Promise<NotificationFacts> {
    const needed = factsNeeded(event);
    let ticket: TicketFacts | null = null;
    let policy: PolicyFacts | null = null;
    if (needed.ticketId) ticket = factsOfFold(ticketFold ?? (await this.ticketBefore(needed.ticketId, version ?? BigInt(Number.MAX_SAFE_INTEGER))));
    // every policy fact the decision uses is in its registration, the stream's first event
    if (needed.policyId) policy = policyFactsOf(await this.events.readStream(`policy-${needed.policyId}`, { maxCount: 1 }), version ?? BigInt(Number.MAX_SAFE_INTEGER));
    const customerId = ticket?.customerId ?? policy?.customerId ?? needed.customerId;
    const escalation = await this.escalationContacts();
    const ids = new Set<string>(needed.personIds);
    if (ticket) {
      for (const id of [ticket.assigneeId, ticket.reporterId, ...Object.values(ticket.quoteIssuers)]) if (id) ids.add(id);
    }
    for (const list of Object.values(escalation)) for (const id of list) ids.add(id);
    const [byId, contacts, staff] = await Promise.all([
      this.views.getMany<UserDoc>(USERS_COLLECTION, [...ids]),
      customerId ? this.views.find<UserDoc>(USERS_COLLECTION, { filter: { kind: 'contact', customerId }, limit: 10_000 }) : Promise.resolve([] as UserDoc[]),
      this.staff(),
    ]);
    const people = new Map<string, Person>();
    for (const p of [...staff, ...contacts.map(personOf), ...byId.map(personOf)]) people.set(p.id, p);
    const customerName = customerId ? ((await this.views.get<Doc & { name?: string | null }>('customers', customerId))?.name ?? null) : null;
    const preferences = await this.store.preferencesOfMany([...people.keys()]);
    return {
      ticket,
      policy,
      customerName,
      people: [...people.values()],
      preferences,
      escalation: { levels: this.settings.preset.escalation.levels.map((l) => ({ level: l.level, name: l.name })), contacts: escalation },
      defaultLanguage: this.settings.defaultLanguage,
      emailEnabled: this.settings.emailEnabled,
    };
  }

  /** the customer an event concerns (webhook filters): from its data, else its ticket's or policy's stream */
  async customerOf(event: { streamId: string; data: Record<string, unknown> }): Promise<string | null> {
    if (typeof event.data.customerId === 'string') return event.data.customerId;
    const [prefix, ...rest] = event.streamId.split('-');
    const id = rest.join('-');
    const cached = this.customerCache.get(event.streamId);
    if (cached !== undefined) return cached;
    let customerId: string | null = null;
    if (prefix === 'ticket' || prefix === 'policy') {
      const [first] = await this.events.readStream(event.streamId, { maxCount: 1 });
      customerId = typeof first?.data.customerId === 'string' ? first.data.customerId : null;
    } else if (prefix === 'customer') customerId = id;
    if (this.customerCache.size > 50_000) this.customerCache.clear();
    this.customerCache.set(event.streamId, customerId);
    return customerId;
  }

  private readonly customerCache = new Map<string, string | null>();
}
