/**
 * What the API's read endpoints answer. The OpenAPI document types every request (paths,
 * parameters, bodies: see openapi.d.ts, generated); the query endpoints do not describe their
 * bodies there yet, so their shapes are written here, after the server's views
 * (libs/projections/src/queries, apps/api/src/queries/ticket-view.ts) and CONTRACTS.md.
 */
export type Language = 'es-MX' | 'es-CO' | 'en';
export type TicketStatus = 'open' | 'awaiting-customer' | 'closed';
export type Classification = 'low' | 'medium' | 'high' | 1 | 2 | 3 | 4;

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface CommandAnswer {
  version: number;
  position: number;
  [id: string]: unknown;
}

/** graded SLA state (CONTRACTS.md "Ticket reading additions") */
export type SlaState = 'on-track' | 'at-risk' | 'breached' | 'paused' | 'met' | 'none';
export type PausedReason = 'awaiting-customer' | 'outside-business-hours';

export interface GradedSla {
  state: SlaState;
  pausedReason: PausedReason | null;
  responseDueAt: string | null;
  warningAt: string | null;
  businessMinutesLeft: number | null;
  businessMinutesElapsed: number | null;
  respondedAt: string | null;
}

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
  priority: 'low' | 'medium' | 'high' | null;
  severity: 1 | 2 | 3 | 4 | null;
  classification: Classification | null;
  urgency: number;
  escalationLevel: number;
  slaCycle: number | null;
  responseTargetMinutes: number | null;
  responseDueAt: string | null;
  warningAt: string | null;
  respondedAt: string | null;
  paused: boolean;
  slaWarned: boolean;
  slaBreached: boolean;
  receivedAt: string | null;
  openedAt: string | null;
  closedAt: string | null;
  lastActivityAt: string | null;
  updatedAt: string;
  version: number;
}

export interface QueueItem extends TicketSummary {
  /** the queue's order (then ticketId), compared as strings */
  queueKey: string | null;
  breached: boolean;
  sla?: GradedSla;
}

export interface QuoteTerms {
  kind: 'per-event' | 'policy-estimate';
  minutes: number;
  hourlyRateMinor: number | null;
  amountMinor: number | null;
  currency: string | null;
  paymentTerms: string | null;
  purchaseOrderRequired: boolean;
  description: string;
  policyId: string | null;
}

export interface Quote {
  quoteId: string;
  status: 'pending' | 'accepted' | 'declined' | 'superseded';
  terms: QuoteTerms;
  supplementary: boolean;
  supplementsAuthorizationId: string | null;
  supersedesQuoteId: string | null;
  issuedBy: string;
  issuedAt: string;
  decision: { decision: 'accept' | 'decline'; purchaseOrder: string | null; comment: string | null; by: string; at: string } | null;
}

export interface Authorization {
  authorizationId: string;
  quoteId: string;
  terms: QuoteTerms;
  minutesAuthorized: number;
  minutesLogged: number;
  chargedMinor: number;
  policyId: string | null;
  purchaseOrder: string | null;
  authorizedBy: string;
  authorizedAt: string;
}

export interface WorkLog {
  ticketId: string;
  entryId: string;
  authorizationId: string;
  minutes: number;
  workedOn: string;
  description: string;
  kind: 'remote' | 'on-site' | 'facility';
  engineerId: string;
  policyId: string | null;
  chargeMinor: number | null;
  currency: string | null;
  loggedBy: string;
  loggedAt: string;
}

export interface TicketSla {
  cycle: number;
  targetId: string;
  targetMinutes: number;
  warningMinutes: number;
  calendarId: string;
  countingMode: string;
  startedAt: string;
  responseDueAt: string | null;
  warningAt: string | null;
  respondedAt: string | null;
  paused: boolean;
  atRisk: boolean;
  breached: boolean;
  met: boolean | null;
  businessMinutesElapsed: number;
  businessMinutesRemaining: number | null;
  withinCalendarHours: boolean;
  /** CONTRACTS.md additions (graded state) */
  state?: SlaState;
  pausedReason?: PausedReason | null;
  businessMinutesLeft?: number | null;
}

export interface Escalation {
  level: number;
  levelName?: string;
  reason: string;
  requestedBy?: string;
  escalatedAt?: string;
  automatic?: boolean;
  [k: string]: unknown;
}

export interface ContactAttempt {
  attempt: number;
  channel: 'phone' | 'email';
  note: string;
  attemptedBy: string;
  attemptedAt: string;
  closeAfter: string;
  businessDay?: boolean;
  [k: string]: unknown;
}

/** GET /api/tickets/{id} `workLog` (staff): what the work-log form needs to refuse with the API's reason */
export interface WorkLogLimits {
  refusal: string | null;
  authorizations: Array<{
    authorizationId: string;
    quoteId: string;
    kind: 'per-event' | 'policy-estimate';
    minutesAuthorized: number;
    minutesLogged: number;
    minutesLeft: number;
    policy: {
      policyId: string;
      status: 'active' | 'exhausted' | 'expired' | 'not-started';
      minutesRemaining: number;
      facilityMinutesLeft: number;
      onSiteMinutesLeft: number;
      validFrom: string;
      validUntil: string;
    } | null;
    maxMinutes: number;
    refusal: string | null;
  }>;
}

export interface TicketDetail extends TicketSummary {
  description: string | null;
  attachments: string[];
  supportLevel: number | null;
  pendingQuestion: string | null;
  closeReason: string | null;
  resolution: string | null;
  duplicateOf: string | null;
  reopenCount: number;
  messageCount: number;
  sla: TicketSla | null;
  escalations: Escalation[];
  contactAttempts: ContactAttempt[];
  quotes: Quote[];
  authorizations: Authorization[];
  workLogs: WorkLog[];
  minutesLogged: number;
  /** follow-ups (seed 002): null availableAt once closed */
  followUp?: { count: number; lastRequestedAt: string | null; availableAt: string | null };
  /** staff only (null for customers) */
  workLog?: WorkLogLimits | null;
}

export interface PolicyDeduction {
  entryId: string;
  ticketId: string;
  authorizationId: string;
  minutes: number;
  workedOn: string;
  engineerId: string;
  description: string;
  kind: string;
  deductedAt: string;
  deductedBy: string;
  minutesRemaining: number;
}

export interface Policy {
  policyId: string;
  customerId: string;
  plan: 'basic' | 'business' | 'business-plus' | 'corporate';
  number: string;
  status: 'active' | 'exhausted' | 'expired' | 'not-started';
  minutesPurchased: number;
  minutesUsed: number;
  minutesRemaining: number;
  facilityMinutes: number;
  facilityMinutesUsed: number;
  onSiteMinutes: number;
  onSiteMinutesUsed: number;
  products: string[];
  validFrom: string;
  validUntil: string;
  timeZone: string;
  registeredAt: string;
  exhaustedAt: string | null;
  expiredAt: string | null;
  deductions: PolicyDeduction[];
  version: number;
}

/** GET /api/me (CONTRACTS.md) */
export interface Me {
  id: string;
  kind: 'staff' | 'contact' | 'token';
  name: string;
  email: string | null;
  roles: string[];
  customerId: string | null;
  customerName: string | null;
  approver: boolean;
  language: Language;
  authenticatedBy: 'session' | 'token';
  csrfToken: string | null;
  mfaEnabled: boolean;
}

export interface WorkingRange {
  start: string;
  end: string;
}

/** GET /api/settings (CONTRACTS.md) */
export interface Settings {
  company: { name: string };
  preset: { name: string; version: string; title: string };
  locale: 'es-MX' | 'es-CO';
  currency: string;
  timeZone: string;
  defaultCalendarId: string;
  calendars: Array<{ id: string; zone: string; mode: string; week: Record<string, WorkingRange[]>; holidays: Array<{ date: string; name: string }> }>;
  classification: { scheme: 'priority' | 'severity'; values: Classification[]; default: Classification };
  supportLevels: Array<{ level: number; name: string; calendarId: string; responseTargets: Record<string, { minutes: number; warningMinutes: number }> }>;
  departments: Array<{ id: string; name: string }>;
  products: Array<{ id: string; name: string; endOfLife: string | null }>;
  plans: Array<{ id: string; minutes: number; facilityMinutes: number; onSiteMinutes: number }>;
  escalationLevels: Array<{ level: number; name: string }>;
  followUpMinutes: number;
  attachments: { maxBytes: number };
}

export interface AttachmentRef {
  attachmentId: string;
  fileName: string;
  contentType: string;
  /** null for references recorded before files were stored */
  size: number | null;
  sha256: string | null;
}

/** GET /api/tickets/{id}/conversation (CONTRACTS.md) */
export interface ConversationItem {
  messageId: string;
  /** opened (the description), message (reply or internal note), question (awaiting-customer), follow-up */
  kind?: 'opened' | 'message' | 'question' | 'follow-up';
  position?: number;
  authorId: string;
  authorName: string | null;
  authorKind: 'staff' | 'customer' | 'system';
  visibility: 'public' | 'internal';
  body: string;
  attachments: AttachmentRef[];
  postedAt: string;
}


export interface Conversation {
  ticketId: string;
  items: ConversationItem[];
}

export type SlaTimelineKind =
  | 'started'
  | 'paused'
  | 'resumed'
  | 'warning'
  | 'breached'
  | 'retargeted'
  | 'responded'
  | 'outside-business-hours'
  | 'business-hours';

/** GET /api/tickets/{id}/sla-timeline (CONTRACTS.md) */
export interface SlaTimeline {
  ticketId: string;
  now: string;
  state: SlaState;
  pausedReason?: PausedReason | null;
  calendar?: { id: string; zone: string; mode: string; known: boolean; presetVersion: string } | null;
  responseDueAt: string | null;
  warningAt: string | null;
  businessMinutesLeft: number | null;
  businessMinutesElapsed: number | null;
  entries: Array<{ at: string; kind: SlaTimelineKind; reason: string | null; detail: Record<string, unknown> | string | null }>;
}

export interface Customer {
  customerId: string;
  name: string;
  supportLevel?: number | null;
  suspended?: boolean;
  [k: string]: unknown;
}

export interface HistoryEvent {
  position: number;
  streamId?: string;
  version: number;
  type: string;
  data: Record<string, unknown>;
  occurredAt: string;
  actor: string;
}

export interface History {
  ticketId: string;
  events: HistoryEvent[];
}

export interface StaffUser {
  userId: string;
  kind: 'staff' | 'contact';
  name: string;
  email: string;
  roles: string[];
  status: string;
  customerId: string | null;
  approver: boolean;
}
