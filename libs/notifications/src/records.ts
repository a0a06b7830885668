/**
 * The operational records: notifications (what a person is told), e-mail deliveries (one per
 * message to send: a notification or a day's digest), preferences, webhook subscriptions and
 * webhook deliveries. Instants are UTC ISO strings (they sort lexically).
 */
import type { NotificationDecision, NotificationKind, NotificationLanguage, NotificationParams, NotificationPreferences } from '@helpdesk/domain/notifications';
import type { OpsDoc } from './store/ops-store.port';

export type DeliveryState = 'pending' | 'sent' | 'failed';

export interface NotificationRecord extends OpsDoc, Omit<NotificationDecision, 'email'> {
  email: NotificationDecision['email'] & {
    /** the e-mail delivery carrying it (the notification id itself, or the day's digest) */
    deliveryId: string | null;
  };
  /** 'waiting' for the daily digest, 'included' once a digest took it; null when it is not digested */
  digestState: 'waiting' | 'included' | null;
  /** the cause's global position (0 for an operational fact): orders notifications recorded in the same instant */
  seq: number;
  createdAt: string;
  readAt: string | null;
}

/** one attempt to deliver (an e-mail or a webhook call); written before sending, completed after */
export interface AttemptLog {
  attempt: number;
  startedAt: string;
  finishedAt: string | null;
  /** null while in flight; 'interrupted' when the process stopped before the outcome was recorded */
  outcome: 'sent' | 'retry' | 'failed' | 'interrupted' | null;
  /** SMTP reply code or HTTP status */
  code: number | null;
  response: string | null;
  durationMs: number | null;
}

export interface MailDeliveryRecord extends OpsDoc {
  deliveryId: string;
  /** deterministic per cause and recipient: the same on every attempt, also after a crash */
  messageId: string;
  type: 'notification' | 'digest';
  notificationIds: string[];
  recipientId: string;
  to: string;
  language: NotificationLanguage;
  /** the notification's kind, or 'digest' */
  kind: NotificationKind | 'digest';
  /** YYYY-MM-DD of a digest (in the digest's zone) */
  digestDate: string | null;
  state: DeliveryState;
  attempts: number;
  /** attempts made before the last manual retry (each retry gets the full number of attempts) */
  attemptsBefore?: number;
  nextAttemptAt: string;
  /** set before sending, cleared once the outcome is recorded */
  inFlight: { since: string; by: string } | null;
  failureReason: string | null;
  lastError: string | null;
  log: AttemptLog[];
  createdAt: string;
  updatedAt: string;
  sentAt: string | null;
}

export interface PreferencesRecord extends OpsDoc, NotificationPreferences {
  userId: string;
  updatedAt: string;
}

export interface WebhookRecord extends OpsDoc {
  webhookId: string;
  url: string;
  eventTypes: string[];
  /** only events about this customer; null: every customer */
  customerId: string | null;
  description: string | null;
  /** whsec_<base64>: signs deliveries (shown once, at creation) */
  secret: string;
  state: 'enabled' | 'disabled';
  disabledAt: string | null;
  disabledReason: string | null;
  /** deliveries that failed in a row (reset by a success) */
  consecutiveFailures: number;
  /** times it was disabled automatically (ids the admins' notice) */
  disabledCount: number;
  /** global position of the log when it was created: it receives the events after it */
  fromPosition: string;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
}

export interface WebhookDeliveryRecord extends OpsDoc {
  deliveryId: string;
  webhookId: string;
  eventId: string;
  eventType: string;
  position: string;
  /** the position as a number: orders deliveries recorded in the same instant */
  seq: number;
  /** the exact body sent on every attempt and replay */
  payload: string;
  state: DeliveryState;
  attempts: number;
  /** attempts made before the last replay (each replay gets the full number of attempts) */
  attemptsBefore?: number;
  nextAttemptAt: string;
  inFlight: { since: string; by: string } | null;
  lastStatus: number | null;
  lastError: string | null;
  log: AttemptLog[];
  replays: number;
  createdAt: string;
  updatedAt: string;
  deliveredAt: string | null;
}

export type NotificationParamsRecord = NotificationParams;
