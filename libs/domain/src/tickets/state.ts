/**
 * Ticket state: what decisions and views need. `evolveLifecycle` only copies decided facts
 * from events; it never recomputes targets or instants.
 */
import type { BillingState } from './billing';
import { LifecycleEvent, SlaTargetData } from './events';
import { ActorRole, CloseReason, ContactChannel, Priority, Severity, TicketChannel, TicketStatus } from './values';

export type SlaPause = { from: string; to: string | null };

export type SlaState = SlaTargetData & {
  pauses: SlaPause[];
  respondedAt: string | null;
  respondedBy: string | null;
  met: boolean | null;
  warningRecorded: boolean;
  breachRecorded: boolean;
};

export type ContactAttemptState = {
  attempt: number;
  channel: ContactChannel;
  note: string;
  attemptedBy: string;
  attemptedAt: string;
  localDate: string;
  businessDay: boolean;
  closeAfter: string;
};

export type EscalationRecord = {
  fromLevel: number;
  level: number;
  levelName: string;
  requestedBy: string;
  requestedByRole: ActorRole;
  reason: string;
  automatic: boolean;
  escalatedAt: string;
};

export type TicketState = {
  /** null until TicketOpened */
  ticketId: string | null;
  customerId: string | null;
  reporterId: string | null;
  department: string | null;
  subject: string | null;
  topicKey: string | null;
  description: string | null;
  product: string | null;
  channel: TicketChannel | null;
  attachments: string[];
  /** null until opened */
  status: TicketStatus | null;
  scheme: 'priority' | 'severity' | null;
  priority: Priority | null;
  severity: Severity | null;
  supportLevel: number | null;
  assigneeId: string | null;
  escalationLevel: number;
  escalations: EscalationRecord[];
  receivedAt: string | null;
  openedAt: string | null;
  /** the current response cycle */
  sla: SlaState | null;
  /** earlier response cycles (before reopenings), oldest first */
  previousCycles: SlaState[];
  /** the open question while awaiting the customer */
  pendingQuestion: string | null;
  /** attempts within the current wait for the customer (cleared when the customer answers) */
  contactAttempts: ContactAttemptState[];
  closedAt: string | null;
  closeReason: CloseReason | null;
  resolution: string | null;
  duplicateOf: string | null;
  reopenCount: number;
  messageCount: number;
  publicMessageCount: number;
  messageIds: string[];
  lastActivityAt: string | null;
  billing: BillingState;
};

/** Lifecycle part of the initial state; the decider adds `billing`. */
export function initialLifecycleState(billing: BillingState): TicketState {
  return {
    ticketId: null,
    customerId: null,
    reporterId: null,
    department: null,
    subject: null,
    topicKey: null,
    description: null,
    product: null,
    channel: null,
    attachments: [],
    status: null,
    scheme: null,
    priority: null,
    severity: null,
    supportLevel: null,
    assigneeId: null,
    escalationLevel: 0,
    escalations: [],
    receivedAt: null,
    openedAt: null,
    sla: null,
    previousCycles: [],
    pendingQuestion: null,
    contactAttempts: [],
    closedAt: null,
    closeReason: null,
    resolution: null,
    duplicateOf: null,
    reopenCount: 0,
    messageCount: 0,
    publicMessageCount: 0,
    messageIds: [],
    lastActivityAt: null,
    billing,
  };
}

const newCycle = (t: SlaTargetData): SlaState => ({
  ...t,
  pauses: [],
  respondedAt: null,
  respondedBy: null,
  met: null,
  warningRecorded: false,
  breachRecorded: false,
});

/** A new target within the cycle: pauses and response kept, warning/breach flags reset. */
const retarget = (sla: SlaState | null, t: SlaTargetData | null): SlaState | null =>
  sla && t ? { ...sla, ...t, warningRecorded: false, breachRecorded: false } : sla;

export function evolveLifecycle(state: TicketState, event: LifecycleEvent): TicketState {
  switch (event.type) {
    case 'TicketOpened': {
      const d = event.data;
      return {
        ...state,
        ticketId: d.ticketId,
        customerId: d.customerId,
        reporterId: d.reporterId,
        department: d.department,
        subject: d.subject,
        topicKey: d.topicKey,
        description: d.description,
        product: d.product,
        channel: d.channel,
        attachments: d.attachments,
        status: 'open',
        scheme: d.scheme,
        priority: d.priority,
        severity: d.severity,
        supportLevel: d.supportLevel,
        escalationLevel: d.escalationLevel,
        receivedAt: d.receivedAt,
        openedAt: d.openedAt,
        sla: newCycle(d.sla),
        lastActivityAt: d.openedAt,
      };
    }
    case 'TicketClassified': {
      const d = event.data;
      return { ...state, priority: d.priority, severity: d.severity, sla: retarget(state.sla, d.sla), lastActivityAt: d.classifiedAt };
    }
    case 'TicketAssigned':
      return { ...state, assigneeId: event.data.assigneeId, lastActivityAt: event.data.assignedAt };
    case 'MessagePosted': {
      const d = event.data;
      return {
        ...state,
        messageCount: state.messageCount + 1,
        publicMessageCount: state.publicMessageCount + (d.visibility === 'public' ? 1 : 0),
        messageIds: [...state.messageIds, d.messageId],
        // the customer wrote: contact attempts start over
        contactAttempts: d.authorRole === 'customer' ? [] : state.contactAttempts,
        lastActivityAt: d.postedAt,
      };
    }
    case 'ResponseRecorded': {
      const d = event.data;
      if (!state.sla) return state;
      return { ...state, sla: { ...state.sla, respondedAt: d.respondedAt, respondedBy: d.respondedBy, met: d.met } };
    }
    case 'CustomerInfoRequested': {
      const d = event.data;
      const sla = state.sla && d.clockPaused ? { ...state.sla, pauses: [...state.sla.pauses, { from: d.requestedAt, to: null }] } : state.sla;
      return { ...state, status: 'awaiting-customer', pendingQuestion: d.question, sla, lastActivityAt: d.requestedAt };
    }
    case 'ClockResumed': {
      const d = event.data;
      const sla = state.sla
        ? {
            ...state.sla,
            pauses: state.sla.pauses.map((p) => (p.to === null ? { ...p, to: d.resumedAt } : p)),
            dueAt: d.dueAt,
            warningAt: d.warningAt,
          }
        : null;
      return { ...state, status: 'open', pendingQuestion: null, contactAttempts: [], sla, lastActivityAt: d.resumedAt };
    }
    case 'TicketEscalated': {
      const d = event.data;
      const { ticketId: _t, priorityChange, sla: target, ...record } = d;
      const changed = priorityChange
        ? typeof priorityChange.to === 'number'
          ? { severity: priorityChange.to as Severity }
          : { priority: priorityChange.to as Priority }
        : {};
      return {
        ...state,
        ...changed,
        escalationLevel: d.level,
        escalations: [...state.escalations, record],
        sla: retarget(state.sla, target),
        lastActivityAt: d.escalatedAt,
      };
    }
    case 'ContactAttemptRecorded': {
      const { ticketId: _t, calendarId: _c, ...attempt } = event.data;
      return { ...state, contactAttempts: [...state.contactAttempts, attempt], lastActivityAt: event.data.attemptedAt };
    }
    case 'TicketClosed': {
      const d = event.data;
      const sla = state.sla ? { ...state.sla, pauses: state.sla.pauses.map((p) => (p.to === null ? { ...p, to: d.closedAt } : p)) } : null;
      return {
        ...state,
        status: 'closed',
        sla,
        closedAt: d.closedAt,
        closeReason: d.reason,
        resolution: d.resolution,
        duplicateOf: d.duplicateOf,
        pendingQuestion: null,
        lastActivityAt: d.closedAt,
      };
    }
    case 'TicketReopened': {
      const d = event.data;
      return {
        ...state,
        status: 'open',
        previousCycles: state.sla ? [...state.previousCycles, state.sla] : state.previousCycles,
        sla: newCycle(d.sla),
        contactAttempts: [],
        closedAt: null,
        closeReason: null,
        resolution: null,
        duplicateOf: null,
        reopenCount: state.reopenCount + 1,
        lastActivityAt: d.reopenedAt,
      };
    }
    case 'SlaWarningRecorded':
      return state.sla && state.sla.targetId === event.data.targetId ? { ...state, sla: { ...state.sla, warningRecorded: true } } : state;
    case 'SlaBreachRecorded':
      return state.sla && state.sla.targetId === event.data.targetId ? { ...state, sla: { ...state.sla, breachRecorded: true } } : state;
    default:
      return state;
  }
}
