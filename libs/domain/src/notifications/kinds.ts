/**
 * Notification kinds: what a person can be told, which of them carry an obligation (their
 * e-mail cannot be turned off), and which are not urgent (they may wait for the daily digest).
 */
export const NOTIFICATION_KINDS = [
  'quote-awaiting-authorization',
  'quote-accepted',
  'quote-declined',
  'sla-warning',
  'sla-breach',
  'ticket-assigned',
  'customer-replied',
  'awaiting-customer',
  'contact-attempt',
  'ticket-auto-closed',
  'policy-usage-80',
  'policy-exhausted',
  'policy-expiring',
  'support-suspended',
  'user-invited',
  'password-reset',
  'webhook-disabled',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

export function isNotificationKind(v: unknown): v is NotificationKind {
  return typeof v === 'string' && (NOTIFICATION_KINDS as readonly string[]).includes(v);
}

/** kinds that carry an obligation for the recipient: their e-mail cannot be turned off, nor wait for the digest */
export const MANDATORY_EMAIL_KINDS: readonly NotificationKind[] = ['quote-awaiting-authorization', 'user-invited', 'password-reset'];

/**
 * Not urgent: with the daily digest chosen, their e-mail waits for it. Everything that asks
 * the recipient to act soon (SLA, questions to the customer, contact attempts, suspension,
 * exhaustion) goes out at once.
 */
export const DIGEST_KINDS: readonly NotificationKind[] = [
  'ticket-assigned',
  'customer-replied',
  'quote-accepted',
  'quote-declined',
  'ticket-auto-closed',
  'policy-usage-80',
  'policy-expiring',
];

export const NOTIFICATION_LANGUAGES = ['es-MX', 'es-CO', 'en'] as const;
export type NotificationLanguage = (typeof NOTIFICATION_LANGUAGES)[number];

export function isNotificationLanguage(v: unknown): v is NotificationLanguage {
  return typeof v === 'string' && (NOTIFICATION_LANGUAGES as readonly string[]).includes(v);
}

/** why a person receives a notification */
export const RECIPIENT_REASONS = [
  'assignee',
  'quote-issuer',
  'approver',
  'reporter',
  'customer-contact',
  'supervisor',
  'escalation-contact',
  'finance',
  'admin',
  'invitee',
  'account-holder',
] as const;
export type RecipientReason = (typeof RECIPIENT_REASONS)[number];

/** why an e-mail is not sent */
export const SUPPRESSION_REASONS = ['smtp-not-configured', 'no-address', 'preference-off'] as const;
export type SuppressionReason = (typeof SUPPRESSION_REASONS)[number];

/** the event types that may cause notifications (WebhookDisabled is an operational fact, not a domain event) */
export const NOTIFYING_EVENT_TYPES = [
  'TicketAssigned',
  'MessagePosted',
  'QuoteIssued',
  'ServiceAuthorized',
  'QuoteDeclined',
  'SlaWarningRecorded',
  'SlaBreachRecorded',
  'CustomerInfoRequested',
  'ContactAttemptRecorded',
  'TicketClosed',
  'MinutesDeducted',
  'PolicyExhausted',
  'PolicyExpiryApproaching',
  'SupportSuspended',
  'UserInvited',
  'InvitationRenewed',
  'PasswordResetRequested',
  'WebhookDisabled',
] as const;

/** share of a policy's minutes whose use is announced before exhaustion */
export const POLICY_USAGE_WARNING_PERCENT = 80;
