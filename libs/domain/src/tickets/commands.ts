/**
 * Ticket lifecycle commands. Every one carries `rules` (the preset in force and its
 * calendars, see rules.ts); `createTicketDecider(rules)` fills it in so handlers can send
 * commands without it. Facts from other aggregates (the customer, an open ticket on the
 * same topic) are looked up by the handler and passed in `facts`.
 */
import type { BillingCommand } from './billing';
import type { TicketRules } from './rules';
import type { AttachmentFile } from './events';
import { Classification, CloseReason, ContactChannel, MessageVisibility, Priority, Severity, TicketChannel } from './values';

export type OpenTicketFacts = {
  customer: {
    exists: boolean;
    /** first instant support is available again; null/absent = not suspended (unless permanently) */
    suspendedUntil?: string | null;
    suspendedPermanently?: boolean;
    supportLevel?: number | null;
    /** the customer's own calendar, when registered with one known to the preset */
    calendarId?: string | null;
  };
  /** an open ticket of the same customer with the same topicKey, found by the handler */
  existingOpenTicketId?: string | null;
  /** a special contract covers the product even past its end of life (000 item 2, 003) */
  productCoveredBySpecialContract?: boolean;
};

export type OpenTicket = {
  type: 'OpenTicket';
  ticketId: string;
  customerId: string;
  reporterId?: string;
  department: string;
  subject: string;
  description: string;
  stepsToReproduce?: string;
  errorText?: string;
  product?: string;
  channel?: TicketChannel;
  /** priority ('low'|'medium'|'high') or severity (1-4), per the preset's scheme */
  reportedPriority?: Classification;
  attachments?: string[];
  /** facts: the stored files the actor may reference, found by the handler (see referencedFiles) */
  attachmentFiles?: AttachmentFile[];
  /** staff only: when the imported email arrived; never in the future */
  receivedAt?: string;
  facts: OpenTicketFacts;
  rules: TicketRules;
};

export type ClassifySeverity = {
  type: 'ClassifySeverity';
  ticketId: string;
  priority?: Priority;
  severity?: Severity;
  reason?: string;
  rules: TicketRules;
};

export type AssignTicket = { type: 'AssignTicket'; ticketId: string; assigneeId: string; rules: TicketRules };

export type PostMessage = {
  type: 'PostMessage';
  ticketId: string;
  messageId: string;
  body: string;
  visibility: MessageVisibility;
  attachments?: string[];
  /** facts: the stored files the actor may reference, found by the handler (see referencedFiles) */
  attachmentFiles?: AttachmentFile[];
  rules: TicketRules;
};

export type Escalate = {
  type: 'Escalate';
  ticketId: string;
  reason: string;
  raisePriorityTo?: Classification;
  rules: TicketRules;
};

export type RequestCustomerInfo = { type: 'RequestCustomerInfo'; ticketId: string; question: string; rules: TicketRules };

/**
 * closeAfter: the announced wait before closing without an answer. Either
 * { businessDays: n } (the ticket may close from the start of the day after the n-th
 * business day following the attempt, in the contact calendar's zone), a date
 * 'YYYY-MM-DD' (waits through that local date) or an ISO instant. Absent: the preset's
 * defaultWaitBusinessDays.
 */
export type CloseAfter = { businessDays: number } | string;

export type RecordContactAttempt = {
  type: 'RecordContactAttempt';
  ticketId: string;
  channel: ContactChannel;
  note: string;
  closeAfter?: CloseAfter;
  rules: TicketRules;
};

export type CloseTicket = {
  type: 'CloseTicket';
  ticketId: string;
  reason: CloseReason;
  resolution: string;
  duplicateOf?: string;
  rules: TicketRules;
};

export type ReopenTicket = { type: 'ReopenTicket'; ticketId: string; reason: string; rules: TicketRules };

/** The customer asks for a follow-up (seed 002 rule 6); `note` is optional. */
export type RequestFollowUp = { type: 'RequestFollowUp'; ticketId: string; note?: string; rules: TicketRules };

/** Scheduler: the warning point of target `targetId` (`${cycle}.${revision}`) is reached. */
export type RecordSlaWarning = { type: 'RecordSlaWarning'; ticketId: string; targetId: string; rules: TicketRules };
/** Scheduler: the due instant of target `targetId` passed without a response. */
export type RecordSlaBreach = { type: 'RecordSlaBreach'; ticketId: string; targetId: string; rules: TicketRules };
/** Scheduler: close a ticket whose contact attempts and announced wait are done. */
export type CloseForNoCustomerResponse = { type: 'CloseForNoCustomerResponse'; ticketId: string; rules: TicketRules };

export type LifecycleCommand =
  | OpenTicket
  | ClassifySeverity
  | AssignTicket
  | PostMessage
  | Escalate
  | RequestCustomerInfo
  | RecordContactAttempt
  | CloseTicket
  | ReopenTicket
  | RecordSlaWarning
  | RecordSlaBreach
  | CloseForNoCustomerResponse
  | RequestFollowUp;

export const LIFECYCLE_COMMAND_TYPES: ReadonlyArray<LifecycleCommand['type']> = [
  'OpenTicket',
  'ClassifySeverity',
  'AssignTicket',
  'PostMessage',
  'Escalate',
  'RequestCustomerInfo',
  'RecordContactAttempt',
  'CloseTicket',
  'ReopenTicket',
  'RecordSlaWarning',
  'RecordSlaBreach',
  'CloseForNoCustomerResponse',
  'RequestFollowUp',
];

export function isLifecycleCommand(c: { type: string }): c is LifecycleCommand {
  return (LIFECYCLE_COMMAND_TYPES as readonly string[]).includes(c.type);
}

export type TicketCommand = LifecycleCommand | BillingCommand;

type WithoutRules<C> = C extends unknown ? Omit<C, 'rules'> : never;
/** A lifecycle command as handlers send it to `createTicketDecider(rules)`. */
export type LifecycleCommandInput = WithoutRules<LifecycleCommand>;
export type TicketCommandInput = LifecycleCommandInput | BillingCommand;
