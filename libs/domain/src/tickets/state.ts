/**
 * Ticket state: what decisions and views need. `evolveLifecycle` only copies decided facts
 * from events; it never recomputes targets or instants.
 */
import type { BillingState } from './billing';
import { ClassificationSource, LifecycleEvent, SlaTargetData } from './events';
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
  /** where the current class came from; null until opened */
  classificationSource: ClassificationSource | null;
  /** the last staff classification (changing or confirming the class); null: no staff member classified it yet */
  classifiedBy: { actorId: string; at: string } | null;
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
  /** follow-ups the customer asked for (absent in states stored before follow-ups: read as 0 / null) */
  followUpCount: number;
  lastFollowUpAt: string | null;
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
    classificationSource: null,
    classifiedBy: null,
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
    followUpCount: 0,
    lastFollowUpAt: null,
    billing,
  };
}

/*
 * Copies written out field by field. Every event copies the state, and V8 copies an object
 * literal like these about ten times faster than it spreads (`{ ...state }`) an object that
 * was itself built by a spread, which is what a fold does event after event (projection
 * rebuilds fold millions of events). The type checker keeps them complete: each literal must
 * name every field of its type.
 */

/** a shallow copy of a ticket state */
export function copyTicketState(s: TicketState): TicketState {
  return {
    ticketId: s.ticketId,
    customerId: s.customerId,
    reporterId: s.reporterId,
    department: s.department,
    subject: s.subject,
    topicKey: s.topicKey,
    description: s.description,
    product: s.product,
    channel: s.channel,
    attachments: s.attachments,
    status: s.status,
    scheme: s.scheme,
    priority: s.priority,
    severity: s.severity,
    classificationSource: s.classificationSource,
    classifiedBy: s.classifiedBy,
    supportLevel: s.supportLevel,
    assigneeId: s.assigneeId,
    escalationLevel: s.escalationLevel,
    escalations: s.escalations,
    receivedAt: s.receivedAt,
    openedAt: s.openedAt,
    sla: s.sla,
    previousCycles: s.previousCycles,
    pendingQuestion: s.pendingQuestion,
    contactAttempts: s.contactAttempts,
    closedAt: s.closedAt,
    closeReason: s.closeReason,
    resolution: s.resolution,
    duplicateOf: s.duplicateOf,
    reopenCount: s.reopenCount,
    messageCount: s.messageCount,
    publicMessageCount: s.publicMessageCount,
    messageIds: s.messageIds,
    lastActivityAt: s.lastActivityAt,
    followUpCount: s.followUpCount ?? 0,
    lastFollowUpAt: s.lastFollowUpAt ?? null,
    billing: s.billing,
  };
}

/** the state with `changes` applied, as a new object */
export function withTicketChanges<K extends keyof TicketState>(state: TicketState, changes: Pick<TicketState, K>): TicketState {
  return Object.assign(copyTicketState(state), changes);
}

/** a shallow copy of a response cycle */
function copySla(s: SlaState): SlaState {
  return Object.assign(targetOf(s), {
    pauses: s.pauses,
    respondedAt: s.respondedAt,
    respondedBy: s.respondedBy,
    met: s.met,
    warningRecorded: s.warningRecorded,
    breachRecorded: s.breachRecorded,
  });
}

const withSlaChanges = <K extends keyof SlaState>(sla: SlaState, changes: Pick<SlaState, K>): SlaState => Object.assign(copySla(sla), changes);

/** a response cycle's target as the state holds it (only SlaTargetData's fields, whatever the event carried) */
const targetOf = (t: SlaTargetData): SlaTargetData => ({
  cycle: t.cycle,
  revision: t.revision,
  targetId: t.targetId,
  reason: t.reason,
  classification: t.classification,
  supportLevel: t.supportLevel,
  targetMinutes: t.targetMinutes,
  warningMinutes: t.warningMinutes,
  calendarId: t.calendarId,
  mode: t.mode,
  zone: t.zone,
  startedAt: t.startedAt,
  setAt: t.setAt,
  elapsedBusinessMinutes: t.elapsedBusinessMinutes,
  dueAt: t.dueAt,
  warningAt: t.warningAt,
  presetName: t.presetName,
  presetVersion: t.presetVersion,
});

const newCycle = (t: SlaTargetData): SlaState =>
  Object.assign(targetOf(t), { pauses: [], respondedAt: null, respondedBy: null, met: null, warningRecorded: false, breachRecorded: false });

/** A new target within the cycle: pauses and response kept, warning/breach flags reset. */
const retarget = (sla: SlaState | null, t: SlaTargetData | null): SlaState | null =>
  sla && t ? Object.assign(copySla(sla), targetOf(t), { warningRecorded: false, breachRecorded: false }) : sla;

export function evolveLifecycle(state: TicketState, event: LifecycleEvent): TicketState {
  switch (event.type) {
    case 'TicketOpened': {
      const d = event.data;
      return withTicketChanges(state, {
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
        classificationSource: d.classificationSource ?? 'default',
        classifiedBy: null,
        supportLevel: d.supportLevel,
        escalationLevel: d.escalationLevel,
        receivedAt: d.receivedAt,
        openedAt: d.openedAt,
        sla: newCycle(d.sla),
        lastActivityAt: d.openedAt,
      });
    }
    case 'TicketClassified': {
      const d = event.data;
      // a confirmation (d.confirmed) carries sla null: the target stays
      return withTicketChanges(state, {
        priority: d.priority,
        severity: d.severity,
        classificationSource: 'staff',
        classifiedBy: { actorId: d.classifiedBy, at: d.classifiedAt },
        sla: retarget(state.sla, d.sla),
        lastActivityAt: d.classifiedAt,
      });
    }
    case 'TicketAssigned':
      return withTicketChanges(state, { assigneeId: event.data.assigneeId, lastActivityAt: event.data.assignedAt });
    case 'MessagePosted': {
      const d = event.data;
      return withTicketChanges(state, {
        messageCount: state.messageCount + 1,
        publicMessageCount: state.publicMessageCount + (d.visibility === 'public' ? 1 : 0),
        messageIds: [...state.messageIds, d.messageId],
        // the customer wrote: contact attempts start over
        contactAttempts: d.authorRole === 'customer' ? [] : state.contactAttempts,
        lastActivityAt: d.postedAt,
      });
    }
    case 'ResponseRecorded': {
      const d = event.data;
      if (!state.sla) return state;
      return withTicketChanges(state, { sla: withSlaChanges(state.sla, { respondedAt: d.respondedAt, respondedBy: d.respondedBy, met: d.met }) });
    }
    case 'CustomerInfoRequested': {
      const d = event.data;
      const sla =
        state.sla && d.clockPaused ? withSlaChanges(state.sla, { pauses: [...state.sla.pauses, { from: d.requestedAt, to: null }] }) : state.sla;
      return withTicketChanges(state, { status: 'awaiting-customer', pendingQuestion: d.question, sla, lastActivityAt: d.requestedAt });
    }
    case 'ClockResumed': {
      const d = event.data;
      const sla = state.sla
        ? withSlaChanges(state.sla, {
            pauses: state.sla.pauses.map((p) => (p.to === null ? { from: p.from, to: d.resumedAt } : p)),
            dueAt: d.dueAt,
            warningAt: d.warningAt,
          })
        : null;
      return withTicketChanges(state, { status: 'open', pendingQuestion: null, contactAttempts: [], sla, lastActivityAt: d.resumedAt });
    }
    case 'TicketEscalated': {
      const d = event.data;
      const { ticketId: _t, priorityChange, sla: target, ...record } = d;
      const next = withTicketChanges(state, {
        escalationLevel: d.level,
        escalations: [...state.escalations, record],
        sla: retarget(state.sla, target),
        lastActivityAt: d.escalatedAt,
      });
      if (priorityChange) {
        if (typeof priorityChange.to === 'number') next.severity = priorityChange.to as Severity;
        else next.priority = priorityChange.to as Priority;
        next.classificationSource = 'escalation';
      }
      return next;
    }
    case 'ContactAttemptRecorded': {
      const { ticketId: _t, calendarId: _c, ...attempt } = event.data;
      return withTicketChanges(state, { contactAttempts: [...state.contactAttempts, attempt], lastActivityAt: event.data.attemptedAt });
    }
    case 'TicketClosed': {
      const d = event.data;
      const sla = state.sla
        ? withSlaChanges(state.sla, { pauses: state.sla.pauses.map((p) => (p.to === null ? { from: p.from, to: d.closedAt } : p)) })
        : null;
      return withTicketChanges(state, {
        status: 'closed',
        sla,
        closedAt: d.closedAt,
        closeReason: d.reason,
        resolution: d.resolution,
        duplicateOf: d.duplicateOf,
        pendingQuestion: null,
        lastActivityAt: d.closedAt,
      });
    }
    case 'TicketReopened': {
      const d = event.data;
      return withTicketChanges(state, {
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
      });
    }
    case 'SlaWarningRecorded':
      return state.sla && state.sla.targetId === event.data.targetId
        ? withTicketChanges(state, { sla: withSlaChanges(state.sla, { warningRecorded: true }) })
        : state;
    case 'SlaBreachRecorded':
      return state.sla && state.sla.targetId === event.data.targetId
        ? withTicketChanges(state, { sla: withSlaChanges(state.sla, { breachRecorded: true }) })
        : state;
    case 'FollowUpRequested':
      return withTicketChanges(state, {
        followUpCount: (state.followUpCount ?? 0) + 1,
        lastFollowUpAt: event.data.requestedAt,
        lastActivityAt: event.data.requestedAt,
      });
    default:
      return state;
  }
}
