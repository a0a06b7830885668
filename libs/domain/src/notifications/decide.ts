/**
 * Which notifications an event causes, for whom, and how each reaches its recipient: a pure
 * function of the event and the facts it needs (the ticket or policy it concerns, the people
 * who could be concerned, their preferences, the escalation chain). The notifier gathers the
 * facts and records what this decides; nothing here reads a store or a clock.
 *
 * Rules that hold for every kind:
 * - a contact (a customer's person) is only ever told about their own customer's tickets and
 *   policies, whatever the facts hold: a candidate contact of another customer is dropped;
 * - staff-facing notices go to staff only, customer-facing ones to contacts only;
 * - deactivated people get nothing; people still invited only get their invitation;
 * - nobody is told about what they did themselves (except the obligation kinds);
 * - one notification per person, kind and event, whatever number of reasons the person has
 *   (the first reason found is recorded);
 * - the notification id is derived from the causing event id, the recipient and the kind, so
 *   recording it twice records it once.
 */
import { createHash } from 'crypto';
import {
  DIGEST_KINDS,
  MANDATORY_EMAIL_KINDS,
  NotificationKind,
  NotificationLanguage,
  POLICY_USAGE_WARNING_PERCENT,
  RecipientReason,
  SuppressionReason,
} from './kinds';

/** the event being decided about, as stored (only ids, data and a few metadata) */
export interface NotifiableEvent {
  /** the event id (UUID), or an operational fact's own stable id */
  id: string;
  type: string;
  streamId: string;
  /** global position (as a decimal string); null for an operational fact */
  position: string | null;
  occurredAt: string;
  /** who caused it (principal id or system:...) */
  actor: string | null;
  data: Record<string, unknown>;
}

export type PersonKind = 'staff' | 'contact' | 'unknown';
export type PersonStatus = 'invited' | 'active' | 'deactivated';

/** a person as the users read model knows them; `unknown`: an id without a user record (a token's subject) */
export interface Person {
  id: string;
  kind: PersonKind;
  email: string | null;
  name: string | null;
  roles: string[];
  customerId: string | null;
  approver: boolean;
  status: PersonStatus;
  language: NotificationLanguage | null;
}

export interface NotificationPreferences {
  /** per kind: false turns its e-mail off (absent: on) */
  email: Partial<Record<NotificationKind, boolean>>;
  /** null: the account's language */
  language: NotificationLanguage | null;
  /** non-urgent kinds wait for the daily digest */
  dailyDigest: boolean;
}

export const DEFAULT_PREFERENCES: NotificationPreferences = Object.freeze({ email: {}, language: null, dailyDigest: false }) as NotificationPreferences;

/** the ticket as it was when the event happened (folded up to the event, excluding it) */
export interface TicketFacts {
  ticketId: string;
  customerId: string;
  reporterId: string | null;
  /** the role the reporter opened the ticket with ('customer': one of the customer's people) */
  openedByRole: string | null;
  assigneeId: string | null;
  subject: string | null;
  escalationLevel: number;
  /** who issued each quote, by quote id */
  quoteIssuers: Record<string, string>;
}

export interface PolicyFacts {
  policyId: string;
  customerId: string;
  number: string | null;
  minutesPurchased: number;
  validUntil: string | null;
}

export interface EscalationFacts {
  /** the preset's chain: level 1 is the assigned engineer */
  levels: Array<{ level: number; name: string }>;
  /** people named for a level (2 and up); a level without people falls back to the supervisors */
  contacts: Record<number, string[]>;
}

export interface NotificationFacts {
  ticket: TicketFacts | null;
  policy: PolicyFacts | null;
  customerName: string | null;
  /** every person the notifier found that could be concerned (by id, the customer's contacts, staff) */
  people: Person[];
  /** by person id; missing: defaults */
  preferences: Record<string, NotificationPreferences>;
  escalation: EscalationFacts;
  /** the deployment's language (the preset's locale) */
  defaultLanguage: NotificationLanguage;
  /** false when no SMTP server is configured: notifications stay in the console */
  emailEnabled: boolean;
}

export type EmailChannel = 'immediate' | 'digest' | 'none';

export interface EmailPlan {
  channel: EmailChannel;
  /** the address at decision time; null when none is known */
  address: string | null;
  suppressedReason: SuppressionReason | null;
}

export type NotificationParams = Record<string, string | number | boolean | null>;

export interface NotificationDecision {
  notificationId: string;
  recipientId: string;
  recipientKind: PersonKind;
  /** the recipient's customer (contacts), null for staff */
  recipientCustomerId: string | null;
  kind: NotificationKind;
  reason: RecipientReason;
  cause: { eventId: string; eventType: string; streamId: string; position: string | null; occurredAt: string; actor: string | null };
  ticketId: string | null;
  policyId: string | null;
  /** the customer the notification is about */
  customerId: string | null;
  /** what the templates need (scalars only; never a secret) */
  params: NotificationParams;
  language: NotificationLanguage;
  email: EmailPlan;
}

/** a deterministic UUID-shaped id (version 8: custom) from the cause, the recipient and the kind */
export function notificationIdOf(causeId: string, recipientId: string, kind: string): string {
  const h = createHash('sha256').update(`${causeId}\n${recipientId}\n${kind}`).digest();
  h[6] = (h[6] & 0x0f) | 0x80;
  h[8] = (h[8] & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
}

type Audience = 'staff' | 'customer' | 'self';

interface Candidate {
  person: Person;
  reason: RecipientReason;
  audience: Audience;
}

interface Intent {
  kind: NotificationKind;
  candidates: Candidate[];
  params: NotificationParams;
  /** the customer the notice concerns (contacts must belong to it) */
  customerId: string | null;
  ticketId: string | null;
  policyId: string | null;
}

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

class People {
  private readonly byId = new Map<string, Person>();
  constructor(people: Person[]) {
    for (const p of people) this.byId.set(p.id, p);
  }
  /** a known person, or an unknown one (an id without a user record) */
  get(id: string | null | undefined): Person | null {
    if (!id) return null;
    return this.byId.get(id) ?? { id, kind: 'unknown', email: null, name: null, roles: [], customerId: null, approver: false, status: 'active', language: null };
  }
  known(id: string | null | undefined): Person | null {
    return id ? (this.byId.get(id) ?? null) : null;
  }
  /** active staff holding the role */
  staffWithRole(role: string): Person[] {
    return [...this.byId.values()].filter((p) => p.kind === 'staff' && p.status === 'active' && p.roles.includes(role));
  }
  /** the customer's active contacts */
  contactsOf(customerId: string): Person[] {
    return [...this.byId.values()].filter((p) => p.kind === 'contact' && p.status === 'active' && p.customerId === customerId);
  }
  approversOf(customerId: string): Person[] {
    return this.contactsOf(customerId).filter((p) => p.approver);
  }
}

const staff = (person: Person | null, reason: RecipientReason): Candidate[] => (person ? [{ person, reason, audience: 'staff' }] : []);
const customer = (people: Person[], reason: RecipientReason): Candidate[] => people.map((person) => ({ person, reason, audience: 'customer' as const }));

/**
 * The customer's side of a ticket: its reporter when the reporter is one of the customer's
 * people (a known contact, or an unknown id that opened the ticket as a customer), otherwise
 * the customer's approvers.
 */
function customerSideOf(ticket: TicketFacts, people: People): Candidate[] {
  const reporter = people.known(ticket.reporterId);
  if (reporter && reporter.kind === 'contact' && reporter.customerId === ticket.customerId) return customer([reporter], 'reporter');
  if (!reporter && ticket.reporterId && ticket.openedByRole === 'customer') {
    const unknown = people.get(ticket.reporterId)!;
    return customer([{ ...unknown, customerId: ticket.customerId }], 'reporter');
  }
  return customer(people.approversOf(ticket.customerId), 'approver');
}

/** the people named for an escalation level (without any, the supervisors, told anyway, stand in) */
function escalationContacts(facts: NotificationFacts, level: number, people: People): Person[] {
  const named = facts.escalation.contacts[level] ?? [];
  return named.map((id) => people.known(id)).filter((p): p is Person => p !== null && p.kind === 'staff' && p.status === 'active');
}

function ticketIntent(kind: NotificationKind, ticket: TicketFacts, candidates: Candidate[], params: NotificationParams): Intent {
  return { kind, candidates, params: { subject: ticket.subject, ...params }, customerId: ticket.customerId, ticketId: ticket.ticketId, policyId: null };
}

function quoteParams(data: Record<string, unknown>): NotificationParams {
  const terms = (data.terms ?? {}) as Record<string, unknown>;
  return {
    quoteId: str(data.quoteId),
    quoteKind: str(terms.kind),
    minutes: num(terms.minutes),
    amountMinor: num(terms.amountMinor),
    currency: str(terms.currency),
  };
}

function intentsOf(event: NotifiableEvent, facts: NotificationFacts, people: People): Intent[] {
  const d = event.data;
  const ticket = facts.ticket;
  const policy = facts.policy;
  switch (event.type) {
    case 'TicketAssigned': {
      if (!ticket) return [];
      const assignee = people.get(str(d.assigneeId));
      return [ticketIntent('ticket-assigned', ticket, staff(assignee, 'assignee'), { assignedBy: str(d.assignedBy) })];
    }
    case 'MessagePosted': {
      if (!ticket || d.authorRole !== 'customer' || d.visibility !== 'public') return [];
      const body = str(d.body) ?? '';
      return [
        ticketIntent('customer-replied', ticket, staff(people.get(ticket.assigneeId), 'assignee'), {
          messageId: str(d.messageId),
          excerpt: body.length > 280 ? `${body.slice(0, 279)}…` : body,
        }),
      ];
    }
    case 'QuoteIssued': {
      if (!ticket) return [];
      const approvers = customer(people.approversOf(ticket.customerId), 'approver');
      const terms = (d.terms ?? {}) as Record<string, unknown>;
      return [
        ticketIntent('quote-awaiting-authorization', ticket, approvers.length > 0 ? approvers : customerSideOf(ticket, people), {
          ...quoteParams(d),
          description: str(terms.description),
          purchaseOrderRequired: terms.purchaseOrderRequired === true,
          supplementary: d.supplementary === true,
        }),
      ];
    }
    case 'ServiceAuthorized':
    case 'QuoteDeclined': {
      if (!ticket) return [];
      const quoteId = str(d.quoteId) ?? '';
      const to = ticket.assigneeId ? staff(people.get(ticket.assigneeId), 'assignee') : staff(people.get(ticket.quoteIssuers[quoteId] ?? null), 'quote-issuer');
      const accepted = event.type === 'ServiceAuthorized';
      return [
        ticketIntent(accepted ? 'quote-accepted' : 'quote-declined', ticket, to, {
          ...quoteParams(d),
          decidedBy: str(accepted ? d.authorizedBy : d.declinedBy),
          purchaseOrder: accepted ? str(d.purchaseOrder) : null,
          comment: str(d.comment),
        }),
      ];
    }
    case 'SlaWarningRecorded': {
      if (!ticket) return [];
      return [
        ticketIntent(
          'sla-warning',
          ticket,
          [...staff(people.get(ticket.assigneeId), 'assignee'), ...people.staffWithRole('supervisor').flatMap((p) => staff(p, 'supervisor'))],
          { targetId: str(d.targetId), dueAt: str(d.dueAt), elapsedBusinessMinutes: num(d.elapsedBusinessMinutes) },
        ),
      ];
    }
    case 'SlaBreachRecorded': {
      if (!ticket) return [];
      const next = facts.escalation.levels.find((l) => l.level === ticket.escalationLevel + 1) ?? null;
      return [
        ticketIntent(
          'sla-breach',
          ticket,
          [
            ...staff(people.get(ticket.assigneeId), 'assignee'),
            ...(next ? escalationContacts(facts, next.level, people).flatMap((p) => staff(p, 'escalation-contact')) : []),
            ...people.staffWithRole('supervisor').flatMap((p) => staff(p, 'supervisor')),
          ],
          {
            targetId: str(d.targetId),
            dueAt: str(d.dueAt),
            targetMinutes: num(d.targetMinutes),
            nextLevel: next?.level ?? null,
            nextLevelName: next?.name ?? null,
          },
        ),
      ];
    }
    case 'CustomerInfoRequested': {
      if (!ticket) return [];
      return [ticketIntent('awaiting-customer', ticket, customerSideOf(ticket, people), { question: str(d.question) })];
    }
    case 'ContactAttemptRecorded': {
      if (!ticket) return [];
      // the attempt's note is the agent's own record (not addressed to the customer): left out
      return [ticketIntent('contact-attempt', ticket, customerSideOf(ticket, people), { attempt: num(d.attempt), channel: str(d.channel), closeAfter: str(d.closeAfter) })];
    }
    case 'TicketClosed': {
      if (!ticket || d.automatic !== true || d.reason !== 'no-customer-response') return [];
      return [
        ticketIntent('ticket-auto-closed', ticket, [...customerSideOf(ticket, people), ...staff(people.get(ticket.assigneeId), 'assignee')], {
          resolution: str(d.resolution),
          closedAt: str(d.closedAt),
        }),
      ];
    }
    case 'MinutesDeducted': {
      if (!policy || policy.minutesPurchased <= 0) return [];
      const remaining = num(d.minutesRemaining);
      const minutes = num(d.minutes);
      if (remaining === null || minutes === null) return [];
      const usedAfter = policy.minutesPurchased - remaining;
      const usedBefore = usedAfter - minutes;
      const threshold = Math.ceil((policy.minutesPurchased * POLICY_USAGE_WARNING_PERCENT) / 100);
      // crossing 80% with this deduction; reaching 100% is PolicyExhausted's notice
      if (!(usedBefore < threshold && usedAfter >= threshold && remaining > 0)) return [];
      return [policyIntent('policy-usage-80', policy, people, { minutesUsed: usedAfter, minutesRemaining: remaining, percentUsed: Math.floor((usedAfter * 100) / policy.minutesPurchased) })];
    }
    case 'PolicyExhausted': {
      if (!policy) return [];
      return [policyIntent('policy-exhausted', policy, people, { minutesUsed: num(d.minutesUsed), minutesRemaining: 0, percentUsed: 100 })];
    }
    case 'PolicyExpiryApproaching': {
      if (!policy) return [];
      return [policyIntent('policy-expiring', policy, people, { validUntil: str(d.validUntil), daysLeft: num(d.daysLeft), minutesRemaining: num(d.minutesRemaining) })];
    }
    case 'SupportSuspended': {
      const customerId = str(d.customerId);
      if (!customerId) return [];
      return [
        {
          kind: 'support-suspended',
          candidates: customer(people.contactsOf(customerId), 'customer-contact'),
          params: { customerName: facts.customerName, reason: str(d.reason), endsAt: str(d.endsAt) },
          customerId,
          ticketId: null,
          policyId: null,
        },
      ];
    }
    case 'UserInvited':
    case 'InvitationRenewed':
    case 'PasswordResetRequested': {
      const userId = str(d.userId);
      if (!userId) return [];
      const known = people.known(userId);
      // the event may carry the address (an invitation before the users view has it)
      const person: Person = {
        id: userId,
        kind: known?.kind ?? (d.kind === 'staff' || d.kind === 'contact' ? d.kind : 'unknown'),
        email: str(d.email) ?? known?.email ?? null,
        name: str(d.name) ?? known?.name ?? null,
        roles: known?.roles ?? [],
        customerId: str(d.customerId) ?? known?.customerId ?? null,
        approver: known?.approver ?? false,
        status: known?.status ?? (event.type === 'PasswordResetRequested' ? 'active' : 'invited'),
        language: known?.language ?? (typeof d.language === 'string' ? (d.language as NotificationLanguage) : null),
      };
      const invited = event.type !== 'PasswordResetRequested';
      return [
        {
          kind: invited ? 'user-invited' : 'password-reset',
          candidates: [{ person, reason: invited ? 'invitee' : 'account-holder', audience: 'self' }],
          params: invited
            ? { userId, invitationId: str(d.invitationId), expiresAt: str(d.expiresAt), invitedBy: str(d.invitedBy) ?? str(d.by), name: person.name }
            : { userId, requestId: str(d.requestId), expiresAt: str(d.expiresAt), name: person.name },
          customerId: person.customerId,
          ticketId: null,
          policyId: null,
        },
      ];
    }
    case 'WebhookDisabled':
      return [
        {
          kind: 'webhook-disabled',
          candidates: people.staffWithRole('admin').flatMap((p) => staff(p, 'admin')),
          params: { webhookId: str(d.webhookId), url: str(d.url), consecutiveFailures: num(d.consecutiveFailures), lastError: str(d.lastError) },
          customerId: null,
          ticketId: null,
          policyId: null,
        },
      ];
    default:
      return [];
  }
}

function policyIntent(kind: NotificationKind, policy: PolicyFacts, people: People, params: NotificationParams): Intent {
  return {
    kind,
    candidates: [...customer(people.approversOf(policy.customerId), 'approver'), ...people.staffWithRole('finance').flatMap((p) => staff(p, 'finance'))],
    params: { policyNumber: policy.number, minutesPurchased: policy.minutesPurchased, validUntil: policy.validUntil, ...params },
    customerId: policy.customerId,
    ticketId: null,
    policyId: policy.policyId,
  };
}

/** may this candidate receive this intent? (scope, audience, status, not the actor) */
function admissible(c: Candidate, intent: Intent, event: NotifiableEvent): boolean {
  const p = c.person;
  if (p.status === 'deactivated') return false;
  if (p.status === 'invited' && intent.kind !== 'user-invited') return false;
  if (c.audience === 'staff' && p.kind === 'contact') return false;
  if (c.audience === 'customer') {
    if (p.kind === 'staff') return false;
    // a customer's person is told only about their own customer
    if (!intent.customerId || p.customerId !== intent.customerId) return false;
  }
  if (c.audience === 'self' && p.kind === 'contact' && intent.customerId !== null && p.customerId !== intent.customerId) return false;
  if (!MANDATORY_EMAIL_KINDS.includes(intent.kind) && event.actor !== null && p.id === event.actor) return false;
  return true;
}

/** how the notification reaches its recipient by e-mail, and in which language */
export function planEmail(
  kind: NotificationKind,
  person: Pick<Person, 'email' | 'language'>,
  preferences: NotificationPreferences,
  emailEnabled: boolean,
  defaultLanguage: NotificationLanguage,
): { language: NotificationLanguage; email: EmailPlan } {
  const language = preferences.language ?? person.language ?? defaultLanguage;
  const address = person.email;
  const none = (reason: SuppressionReason): EmailPlan => ({ channel: 'none', address, suppressedReason: reason });
  if (!emailEnabled) return { language, email: none('smtp-not-configured') };
  if (!address) return { language, email: none('no-address') };
  if (MANDATORY_EMAIL_KINDS.includes(kind)) return { language, email: { channel: 'immediate', address, suppressedReason: null } };
  if (preferences.email[kind] === false) return { language, email: none('preference-off') };
  if (preferences.dailyDigest && DIGEST_KINDS.includes(kind)) return { language, email: { channel: 'digest', address, suppressedReason: null } };
  return { language, email: { channel: 'immediate', address, suppressedReason: null } };
}

/** The notifications an event causes: one per recipient and kind, with how each is delivered. */
export function decideNotifications(event: NotifiableEvent, facts: NotificationFacts): NotificationDecision[] {
  const people = new People(facts.people);
  const out: NotificationDecision[] = [];
  for (const intent of intentsOf(event, facts, people)) {
    const seen = new Set<string>();
    for (const c of intent.candidates) {
      if (seen.has(c.person.id) || !admissible(c, intent, event)) continue;
      seen.add(c.person.id);
      const prefs = facts.preferences[c.person.id] ?? DEFAULT_PREFERENCES;
      const plan = planEmail(intent.kind, c.person, prefs, facts.emailEnabled, facts.defaultLanguage);
      out.push({
        notificationId: notificationIdOf(event.id, c.person.id, intent.kind),
        recipientId: c.person.id,
        recipientKind: c.person.kind,
        recipientCustomerId: c.person.kind === 'staff' ? null : c.person.customerId,
        kind: intent.kind,
        reason: c.reason,
        cause: { eventId: event.id, eventType: event.type, streamId: event.streamId, position: event.position, occurredAt: event.occurredAt, actor: event.actor },
        ticketId: intent.ticketId,
        policyId: intent.policyId,
        customerId: intent.customerId,
        params: intent.params,
        language: plan.language,
        email: plan.email,
      });
    }
  }
  return out;
}

/**
 * What the notifier must look up for an event: the ticket or policy it concerns, the person
 * ids it names, and whether the customer's people and the staff are needed.
 */
export function factsNeeded(event: NotifiableEvent): { ticketId: string | null; policyId: string | null; customerId: string | null; personIds: string[] } {
  const d = event.data;
  const ticketId = event.streamId.startsWith('ticket-') ? (str(d.ticketId) ?? event.streamId.slice('ticket-'.length)) : null;
  const policyId = event.streamId.startsWith('policy-') ? (str(d.policyId) ?? event.streamId.slice('policy-'.length)) : null;
  const personIds = [str(d.assigneeId), str(d.userId)].filter((x): x is string => x !== null);
  return { ticketId, policyId, customerId: str(d.customerId), personIds };
}
