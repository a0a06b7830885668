/**
 * Ticket lifecycle events. Each records decided facts: a new response target carries its
 * minutes, warning, due and warning instants (UTC ISO), calendar, counting mode and the
 * preset name and version in force, so replay never recomputes the past from today's rules.
 * Billing events (quotes, authorizations, work logs) live in ./billing.
 */
import type { CountingMode } from '@helpdesk/calendar';
import { DomainEvent } from '../shared';
import type { BillingEvent } from './billing';
import {
  ActorRole,
  Classification,
  CloseReason,
  ContactChannel,
  MessageVisibility,
  Priority,
  Severity,
  TicketChannel,
} from './values';

export type SlaTargetReason = 'opened' | 'classified' | 'escalated' | 'reopened';

/**
 * Where a ticket's current class came from: the preset's default at opening, the reporter's
 * at opening, a staff classification (TicketClassified, changing or confirming the class),
 * or an escalation that raised it.
 */
export type ClassificationSource = 'default' | 'reported' | 'staff' | 'escalation';

/** A response target as decided at one moment. */
export type SlaTargetData = {
  /** response cycle: 1 from opening, +1 per reopening */
  cycle: number;
  /** 0 when the cycle starts, +1 each time the target changes within the cycle */
  revision: number;
  /** `${cycle}.${revision}`: what SLA warnings and breaches refer to */
  targetId: string;
  reason: SlaTargetReason;
  classification: Classification;
  /** support level the target was read from; null when the preset has no levels */
  supportLevel: number | null;
  targetMinutes: number;
  warningMinutes: number;
  calendarId: string;
  mode: CountingMode;
  zone: string;
  /** when this cycle's clock started (received-at for the first cycle, reopen instant later) */
  startedAt: string;
  /** when this target was set */
  setAt: string;
  /** business minutes of the cycle already elapsed when the target was set (pauses excluded) */
  elapsedBusinessMinutes: number;
  /** null when set while the clock was paused: the due instant is decided on resuming */
  dueAt: string | null;
  warningAt: string | null;
  presetName: string;
  presetVersion: string;
};

/**
 * A stored file a ticket or a message references, as recorded when it was referenced: the
 * SHA-256 of its content (also its id, so the hash chain covers the content), the name it was
 * uploaded under, its size in bytes and the type sniffed from its first bytes.
 */
export type AttachmentFile = {
  attachmentId: string;
  sha256: string;
  fileName: string;
  contentType: string;
  size: number;
};

export type TicketOpenedData = {
  ticketId: string;
  customerId: string;
  reporterId: string;
  department: string;
  subject: string;
  /** normalized product|subject, for duplicate detection */
  topicKey: string;
  description: string;
  stepsToReproduce: string | null;
  errorText: string | null;
  product: string | null;
  channel: TicketChannel;
  attachments: string[];
  /** the referenced files (absent in events recorded before attachments were stored) */
  attachmentFiles?: AttachmentFile[];
  scheme: 'priority' | 'severity';
  priority: Priority | null;
  severity: Severity | null;
  /** where the classification came from: the reporter's, or the preset default */
  classificationSource: 'reported' | 'default';
  supportLevel: number | null;
  escalationLevel: number;
  /** when the clock starts: creation, or when the imported email arrived */
  receivedAt: string;
  openedAt: string;
  openedBy: string;
  openedByRole: ActorRole;
  sla: SlaTargetData;
};

export type TicketClassifiedData = {
  ticketId: string;
  priority: Priority | null;
  severity: Severity | null;
  previousPriority: Priority | null;
  previousSeverity: Severity | null;
  reason: string | null;
  classifiedBy: string;
  classifiedAt: string;
  /**
   * true: the class did not change, staff confirmed the one the ticket had (a default that
   * was never looked at until now, the reporter's, or an earlier one); the target does not
   * move (`sla` is null). Classification is a decision by staff and is always recorded.
   * Absent in events recorded before 2026-12 (read as false: those always changed the class).
   */
  confirmed?: boolean;
  /** where the class before this decision came from (absent in events before 2026-12) */
  previousSource?: ClassificationSource;
  /**
   * the new target, keeping the business time already elapsed; null once the cycle was
   * answered, and null when the class was confirmed (the target stays)
   */
  sla: SlaTargetData | null;
};

export type TicketAssignedData = {
  ticketId: string;
  assigneeId: string;
  previousAssigneeId: string | null;
  assignedBy: string;
  assignedAt: string;
};

export type MessagePostedData = {
  ticketId: string;
  messageId: string;
  body: string;
  visibility: MessageVisibility;
  authorId: string;
  authorRole: 'customer' | 'staff';
  attachments: string[];
  /** the referenced files (absent in events recorded before attachments were stored) */
  attachmentFiles?: AttachmentFile[];
  postedAt: string;
};

export type ResponseRecordedData = {
  ticketId: string;
  cycle: number;
  targetId: string;
  messageId: string;
  respondedBy: string;
  respondedAt: string;
  dueAt: string | null;
  targetMinutes: number;
  elapsedBusinessMinutes: number;
  met: boolean;
};

export type CustomerInfoRequestedData = {
  ticketId: string;
  question: string;
  requestedBy: string;
  requestedAt: string;
  /** false when the clock was already paused (a follow-up question) */
  clockPaused: boolean;
  cycle: number;
};

export type ClockResumedData = {
  ticketId: string;
  cycle: number;
  targetId: string;
  cause: 'customer-message';
  messageId: string;
  pausedAt: string;
  resumedAt: string;
  /** business minutes the pause lasted */
  pausedBusinessMinutes: number;
  /** business minutes of the cycle elapsed at resuming (pauses excluded) */
  elapsedBusinessMinutes: number;
  previousDueAt: string | null;
  /** unchanged when the cycle was already answered */
  dueAt: string | null;
  warningAt: string | null;
};

export type TicketEscalatedData = {
  ticketId: string;
  fromLevel: number;
  level: number;
  levelName: string;
  requestedBy: string;
  requestedByRole: ActorRole;
  reason: string;
  automatic: boolean;
  priorityChange: { from: Classification; to: Classification } | null;
  escalatedAt: string;
  /** the new target when the priority was raised (elapsed business time kept) */
  sla: SlaTargetData | null;
};

export type ContactAttemptRecordedData = {
  ticketId: string;
  /** 1-based count within the current wait for the customer */
  attempt: number;
  channel: ContactChannel;
  note: string;
  attemptedBy: string;
  attemptedAt: string;
  /** the attempt's date in the contact calendar's zone */
  localDate: string;
  businessDay: boolean;
  calendarId: string;
  /** the announced wait: the ticket may close for no response from this instant (UTC) */
  closeAfter: string;
};

export type TicketClosedData = {
  ticketId: string;
  reason: CloseReason;
  resolution: string;
  duplicateOf: string | null;
  closedBy: string;
  closedAt: string;
  /** closed by the scheduler */
  automatic: boolean;
  cycle: number;
};

export type TicketReopenedData = {
  ticketId: string;
  reason: string;
  reopenedBy: string;
  reopenedByRole: ActorRole;
  reopenedAt: string;
  sla: SlaTargetData;
};

export type SlaWarningRecordedData = {
  ticketId: string;
  cycle: number;
  targetId: string;
  warningAt: string;
  dueAt: string;
  elapsedBusinessMinutes: number;
  recordedAt: string;
};

export type SlaBreachRecordedData = {
  ticketId: string;
  cycle: number;
  targetId: string;
  dueAt: string;
  targetMinutes: number;
  elapsedBusinessMinutes: number;
  recordedAt: string;
};

/** The customer asked for a follow-up of the ticket (seed 002 rule 6: not before the wait has passed). */
export type FollowUpRequestedData = {
  ticketId: string;
  /** 1 for the first follow-up of the ticket, +1 each */
  sequence: number;
  note: string | null;
  requestedBy: string;
  requestedAt: string;
  /** the wait the rule asked for (preset in force), minutes */
  minimumIntervalMinutes: number;
  /** what the wait was counted from: the opening or the previous follow-up, and when */
  since: 'opened' | 'follow-up';
  sinceAt: string;
};

export type TicketOpened = DomainEvent<'TicketOpened', TicketOpenedData>;
export type TicketClassified = DomainEvent<'TicketClassified', TicketClassifiedData>;
export type TicketAssigned = DomainEvent<'TicketAssigned', TicketAssignedData>;
export type MessagePosted = DomainEvent<'MessagePosted', MessagePostedData>;
export type ResponseRecorded = DomainEvent<'ResponseRecorded', ResponseRecordedData>;
export type CustomerInfoRequested = DomainEvent<'CustomerInfoRequested', CustomerInfoRequestedData>;
export type ClockResumed = DomainEvent<'ClockResumed', ClockResumedData>;
export type TicketEscalated = DomainEvent<'TicketEscalated', TicketEscalatedData>;
export type ContactAttemptRecorded = DomainEvent<'ContactAttemptRecorded', ContactAttemptRecordedData>;
export type TicketClosed = DomainEvent<'TicketClosed', TicketClosedData>;
export type TicketReopened = DomainEvent<'TicketReopened', TicketReopenedData>;
export type SlaWarningRecorded = DomainEvent<'SlaWarningRecorded', SlaWarningRecordedData>;
export type SlaBreachRecorded = DomainEvent<'SlaBreachRecorded', SlaBreachRecordedData>;
export type FollowUpRequested = DomainEvent<'FollowUpRequested', FollowUpRequestedData>;

export type LifecycleEvent =
  | TicketOpened
  | TicketClassified
  | TicketAssigned
  | MessagePosted
  | ResponseRecorded
  | CustomerInfoRequested
  | ClockResumed
  | TicketEscalated
  | ContactAttemptRecorded
  | TicketClosed
  | TicketReopened
  | SlaWarningRecorded
  | SlaBreachRecorded
  | FollowUpRequested;

export const LIFECYCLE_EVENT_TYPES: ReadonlyArray<LifecycleEvent['type']> = [
  'TicketOpened',
  'TicketClassified',
  'TicketAssigned',
  'MessagePosted',
  'ResponseRecorded',
  'CustomerInfoRequested',
  'ClockResumed',
  'TicketEscalated',
  'ContactAttemptRecorded',
  'TicketClosed',
  'TicketReopened',
  'SlaWarningRecorded',
  'SlaBreachRecorded',
  'FollowUpRequested',
];

const LIFECYCLE_TYPES: ReadonlySet<string> = new Set(LIFECYCLE_EVENT_TYPES);

export function isLifecycleEvent(e: { type: string }): e is LifecycleEvent {
  return LIFECYCLE_TYPES.has(e.type);
}

export type TicketEvent = LifecycleEvent | BillingEvent;
