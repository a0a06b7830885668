/**
 * `tickets` read model: one document per ticket holding the ticket state folded with the
 * domain's own `evolve` (no second interpretation of events) plus flat, indexed fields for
 * lists and the agents' queue.
 *
 * Queue order (`queueKey`, null for closed tickets so they leave the queue):
 *   `${rank}|${due}|${9 - urgency}` where
 *   - rank 0: open, current response cycle not answered yet (the SLA clock runs);
 *     due = the cycle's response due instant;
 *   - rank 1: open, already answered (work goes on, no response deadline);
 *     due = the answered cycle's due instant (or received-at);
 *   - rank 2: awaiting the customer (clock paused / ball in the customer's court);
 *     due = the cycle's due instant as last decided (or received-at).
 *   Within a rank: earliest due first, then the most urgent classification first, then `_id`.
 * Since every due instant is a fixed-width UTC ISO string, "running and past due" (breached)
 * is the key range ['0|', '0|' + now) and the rest of the queue is ['0|' + now, ...).
 */
import { LIFECYCLE_EVENT_TYPES, evolve, initialState, isPaused, urgencyOf } from '@helpdesk/domain';
import type { Classification, ClassificationSource, Priority, Severity, TicketEvent, TicketState, TicketStatus } from '@helpdesk/domain';
import type { LeanStoredEvent } from '@helpdesk/event-store';
import type { Doc } from '@helpdesk/read-store';
import type { Projection, WorkingForm } from '../projection';
import { COLLECTIONS, decodeKeys, domainEvent, encodeKeys, occurredAt, streamEntityId, utcIso } from './common';

export const TICKET_BILLING_EVENT_TYPES = ['QuoteIssued', 'ServiceAuthorized', 'QuoteDeclined', 'WorkLogged'] as const;

/** The flat, indexed part of a ticket document (what lists and the queue return). */
export interface TicketSummary {
  ticketId: string;
  customerId: string | null;
  reporterId: string | null;
  status: TicketStatus | null;
  department: string | null;
  assigneeId: string | null;
  subject: string | null;
  product: string | null;
  channel: string | null;
  scheme: 'priority' | 'severity' | null;
  priority: Priority | null;
  severity: Severity | null;
  /** the one of priority / severity the ticket's scheme uses (what the queue filters on) */
  classification: Classification | null;
  /**
   * where the class came from: 'staff' (classified or confirmed by staff, see classifiedBy),
   * 'default' (the preset's default, never looked at by staff), 'reported' (the reporter's),
   * 'escalation' (raised by an escalation); null for a document folded before this field
   * existed (`npm run rebuild -- tickets` fills it)
   */
  classificationSource: ClassificationSource | null;
  /** the last staff classification (changing or confirming the class); null when none */
  classifiedBy: { actorId: string; at: string } | null;
  /** higher = more urgent (low 1 .. high 3; severity 4 -> 1 .. severity 1 -> 4); 0 unclassified */
  urgency: number;
  escalationLevel: number;
  /** current response cycle (1, +1 per reopening) */
  slaCycle: number | null;
  slaTargetId: string | null;
  slaCalendarId: string | null;
  responseTargetMinutes: number | null;
  responseDueAt: string | null;
  warningAt: string | null;
  respondedAt: string | null;
  /** the clock of the current cycle is paused (awaiting the customer, not answered, not closed) */
  paused: boolean;
  /** SlaWarningRecorded / SlaBreachRecorded recorded for the current target */
  slaWarned: boolean;
  slaBreached: boolean;
  receivedAt: string | null;
  openedAt: string | null;
  closedAt: string | null;
  lastActivityAt: string | null;
  /** occurredAt of the last event applied */
  updatedAt: string;
  /** stream version of the last event applied (for ETag / If-Match) */
  version: number;
  /** global position of the last event applied */
  lastPosition: number;
  /** sort key of the queue, null once closed (see the module comment) */
  queueKey: string | null;
}

export interface TicketDoc extends Doc, TicketSummary {
  /** the folded state; its billing records' keys are stored escaped (see ticketStateOf) */
  state: TicketState;
}

/** the folded state as stored: record keys made safe for every store (see encodeKeys) */
export function storedTicketState(state: TicketState): TicketState {
  const b = state.billing;
  const quotes = encodeKeys(b.quotes);
  const authorizations = encodeKeys(b.authorizations);
  const workLogs = encodeKeys(b.workLogs);
  if (quotes === b.quotes && authorizations === b.authorizations && workLogs === b.workLogs) return state;
  return { ...state, billing: { ...b, quotes, authorizations, workLogs } };
}

/** the domain's TicketState of a stored ticket document */
export function ticketStateOf(doc: Pick<TicketDoc, 'state'>): TicketState {
  const s = doc.state;
  const b = s.billing;
  const quotes = decodeKeys(b.quotes);
  const authorizations = decodeKeys(b.authorizations);
  const workLogs = decodeKeys(b.workLogs);
  if (quotes === b.quotes && authorizations === b.authorizations && workLogs === b.workLogs) return s;
  return { ...s, billing: { ...b, quotes, authorizations, workLogs } };
}

export const classificationOf = (s: Pick<TicketState, 'scheme' | 'priority' | 'severity'>): Classification | null =>
  s.scheme === 'severity' ? s.severity : s.scheme === 'priority' ? s.priority : (s.priority ?? s.severity);

/** the queue sort key of a ticket state (null when it is not open work) */
export function queueKeyOf(state: TicketState, urgency: number): string | null {
  if (state.status === null || state.status === 'closed') return null;
  const sla = state.sla;
  let rank: number;
  if (state.status === 'awaiting-customer') rank = 2;
  else if (sla && sla.respondedAt === null) rank = 0;
  else rank = 1;
  const due = utcIso(sla?.dueAt ?? (rank === 0 ? null : state.receivedAt)) ?? '';
  return `${rank}|${due}|${9 - Math.max(0, Math.min(9, urgency))}`;
}

/** A ticket as the projection folds it: the domain state and what the last event applied was. */
export interface TicketWorking {
  state: TicketState;
  /** stream version, global position and occurredAt (UTC) of the last event applied */
  version: number;
  position: number;
  updatedAt: string;
}

/** the ticket document of a folded ticket (built once per flush, not per event) */
export function ticketDocOf(state: TicketState, ticketId: string, last: Omit<TicketWorking, 'state'>): TicketDoc {
  const classification = classificationOf(state);
  const urgency = classification === null ? 0 : urgencyOf(classification);
  const sla = state.sla;
  return {
    _id: ticketId,
    ticketId,
    customerId: state.customerId,
    reporterId: state.reporterId,
    status: state.status,
    department: state.department,
    assigneeId: state.assigneeId,
    subject: state.subject,
    product: state.product,
    channel: state.channel,
    scheme: state.scheme,
    priority: state.priority,
    severity: state.severity,
    classification,
    classificationSource: state.classificationSource ?? null,
    classifiedBy: state.classifiedBy ? { actorId: state.classifiedBy.actorId, at: utcIso(state.classifiedBy.at) } : null,
    urgency,
    escalationLevel: state.escalationLevel,
    slaCycle: sla?.cycle ?? null,
    slaTargetId: sla?.targetId ?? null,
    slaCalendarId: sla?.calendarId ?? null,
    responseTargetMinutes: sla?.targetMinutes ?? null,
    responseDueAt: utcIso(sla?.dueAt),
    warningAt: utcIso(sla?.warningAt),
    respondedAt: utcIso(sla?.respondedAt),
    paused: !!sla && sla.respondedAt === null && state.status !== 'closed' && isPaused(sla),
    slaWarned: sla?.warningRecorded ?? false,
    slaBreached: sla?.breachRecorded ?? false,
    receivedAt: utcIso(state.receivedAt),
    openedAt: utcIso(state.openedAt),
    closedAt: utcIso(state.closedAt),
    lastActivityAt: utcIso(state.lastActivityAt),
    updatedAt: last.updatedAt,
    version: last.version,
    lastPosition: last.position,
    queueKey: queueKeyOf(state, urgency),
    state: storedTicketState(state),
  };
}

/** Folds one stored ticket event into a folded ticket; mutates and returns `working` when given. */
export function foldTicketEvent(working: TicketWorking | null, event: LeanStoredEvent): TicketWorking {
  const state = evolve(working ? working.state : initialState(), domainEvent<TicketEvent>(event));
  const version = Number(event.version);
  const position = Number(event.position);
  const updatedAt = occurredAt(event);
  if (!working) return { state, version, position, updatedAt };
  working.state = state;
  working.version = version;
  working.position = position;
  working.updatedAt = updatedAt;
  return working;
}

/** the stored ticket document as the projection folds it */
export const ticketWorkingForm: WorkingForm<TicketWorking, TicketDoc> = {
  fromDoc: (doc) => ({ state: ticketStateOf(doc), version: doc.version, position: doc.lastPosition, updatedAt: doc.updatedAt }),
  toDoc: (working, id) => ticketDocOf(working.state, id, working),
};

const ticketIdOf = (event: LeanStoredEvent): string => (event.data.ticketId as string | undefined) ?? streamEntityId(event, 'ticket-');

/** Folds one stored ticket event into the ticket document (pure; for tests and tools). */
export function applyTicketEvent(doc: TicketDoc | null, event: LeanStoredEvent): TicketDoc {
  const working = foldTicketEvent(doc ? ticketWorkingForm.fromDoc(doc) : null, event);
  return ticketDocOf(working.state, ticketIdOf(event), working);
}

export const ticketsProjection: Projection = {
  name: 'tickets',
  collections: [
    {
      name: COLLECTIONS.tickets,
      indexes: [
        // Every index costs on each write (the embedded store recomputes its expression over
        // the JSON document), so only the ones the hot queries need:
        // the queue: open work by response deadline then urgency, optionally narrowed
        { fields: [['queueKey', 1]] },
        { fields: [['department', 1], ['queueKey', 1]] },
        { fields: [['assigneeId', 1], ['queueKey', 1]] },
        { fields: [['classification', 1], ['queueKey', 1]] },
        // ticket lists, newest first (other list filters walk openedAt)
        { fields: [['openedAt', -1]] },
        { fields: [['customerId', 1], ['openedAt', -1]] },
      ],
    },
  ],
  handles: new Set<string>([...LIFECYCLE_EVENT_TYPES, ...TICKET_BILLING_EVENT_TYPES]),
  workingForms: { [COLLECTIONS.tickets]: ticketWorkingForm },
  apply(event, ctx) {
    if (!event.streamId.startsWith('ticket-')) return;
    return ctx.update<TicketWorking>(COLLECTIONS.tickets, ticketIdOf(event), (working) => foldTicketEvent(working, event));
  },
};
