/**
 * Request and response shapes of the notification, preference and webhook endpoints. Request
 * fields are declared once with the field decorators (../http/fields): the validation and the
 * OpenAPI document come from the same constants.
 */
import { ApiProperty } from '@nestjs/swagger';
import { DIGEST_KINDS, MANDATORY_EMAIL_KINDS, NOTIFICATION_KINDS, NOTIFICATION_LANGUAGES, RECIPIENT_REASONS, SUPPRESSION_REASONS } from '@helpdesk/domain/notifications';
import { WEBHOOK_EVENT_TYPES } from '@helpdesk/notifications';
import { BooleanField, EnumField, EnumListField, IntField, NestedField, NestedListField, PatternField, QueryBooleanField, TextField, TextListField } from '../http/fields';
import { PageQuery } from '../queries/query-dtos';

const LANGS = [...NOTIFICATION_LANGUAGES];
const KINDS = [...NOTIFICATION_KINDS];
const DELIVERY_STATES = ['pending', 'sent', 'failed'] as const;

/** limit and the opaque cursor (one this list did not return: 422 invalid-cursor) */
export { PageQuery as PageQueryDto };

export class NotificationListQueryDto extends PageQuery {
  @QueryBooleanField({ optional: true, description: 'true: only the unread ones' }) unread?: boolean;
}

// ------------------------------------------------------------------ preferences

const mandatory = (kind: string) => (MANDATORY_EMAIL_KINDS as readonly string[]).includes(kind);
/** a kind's e-mail: an obligation (MANDATORY_EMAIL_KINDS) takes only true */
const kindField = (kind: string) =>
  mandatory(kind)
    ? BooleanField({ optional: true, only: true, message: 'cannot be turned off: it asks you to act', description: 'an obligation: cannot be turned off' })
    : BooleanField({ optional: true });

/** per kind: whether it reaches the person by e-mail */
export class EmailPreferencesDto {
  @kindField('quote-awaiting-authorization') 'quote-awaiting-authorization'?: boolean;
  @kindField('quote-accepted') 'quote-accepted'?: boolean;
  @kindField('quote-declined') 'quote-declined'?: boolean;
  @kindField('sla-warning') 'sla-warning'?: boolean;
  @kindField('sla-breach') 'sla-breach'?: boolean;
  @kindField('ticket-assigned') 'ticket-assigned'?: boolean;
  @kindField('customer-replied') 'customer-replied'?: boolean;
  @kindField('awaiting-customer') 'awaiting-customer'?: boolean;
  @kindField('contact-attempt') 'contact-attempt'?: boolean;
  @kindField('ticket-auto-closed') 'ticket-auto-closed'?: boolean;
  @kindField('policy-usage-80') 'policy-usage-80'?: boolean;
  @kindField('policy-exhausted') 'policy-exhausted'?: boolean;
  @kindField('policy-expiring') 'policy-expiring'?: boolean;
  @kindField('support-suspended') 'support-suspended'?: boolean;
  @kindField('user-invited') 'user-invited'?: boolean;
  @kindField('password-reset') 'password-reset'?: boolean;
  @kindField('webhook-disabled') 'webhook-disabled'?: boolean;
}

export class UpdateNotificationPreferencesDto {
  @EnumField(LANGS, { optional: true, nullable: true, description: "language of notifications; null: the account's language" })
  language?: (typeof LANGS)[number] | null;
  @BooleanField({ optional: true, description: `non-urgent kinds (${DIGEST_KINDS.join(', ')}) wait for one e-mail a day` }) dailyDigest?: boolean;
  @NestedField(() => EmailPreferencesDto, { optional: true, description: 'kinds to change; the others stay as they are' }) email?: EmailPreferencesDto;
}

export class EmailPreferencesViewDto {
  // every kind, all present in answers
  @ApiProperty({ type: Boolean, enum: [true] }) 'quote-awaiting-authorization'!: boolean;
  @ApiProperty() 'quote-accepted'!: boolean;
  @ApiProperty() 'quote-declined'!: boolean;
  @ApiProperty() 'sla-warning'!: boolean;
  @ApiProperty() 'sla-breach'!: boolean;
  @ApiProperty() 'ticket-assigned'!: boolean;
  @ApiProperty() 'customer-replied'!: boolean;
  @ApiProperty() 'awaiting-customer'!: boolean;
  @ApiProperty() 'contact-attempt'!: boolean;
  @ApiProperty() 'ticket-auto-closed'!: boolean;
  @ApiProperty() 'policy-usage-80'!: boolean;
  @ApiProperty() 'policy-exhausted'!: boolean;
  @ApiProperty() 'policy-expiring'!: boolean;
  @ApiProperty() 'support-suspended'!: boolean;
  @ApiProperty({ type: Boolean, enum: [true] }) 'user-invited'!: boolean;
  @ApiProperty({ type: Boolean, enum: [true] }) 'password-reset'!: boolean;
  @ApiProperty() 'webhook-disabled'!: boolean;
}

export class NotificationPreferencesDto {
  @ApiProperty({ enum: LANGS, description: 'the language notifications are written in' }) language!: string;
  @ApiProperty({ enum: ['preference', 'account', 'default'], description: 'where the language comes from' }) languageSource!: string;
  @ApiProperty() dailyDigest!: boolean;
  @ApiProperty({ type: 'integer', minimum: 0, maximum: 23, description: 'local hour of the daily digest (NOTIFY_DIGEST_HOUR)' }) digestHour!: number;
  @ApiProperty({ example: 'America/Mexico_City' }) timeZone!: string;
  @ApiProperty({ type: EmailPreferencesViewDto }) email!: EmailPreferencesViewDto;
  @ApiProperty({ enum: KINDS, isArray: true, description: 'kinds whose e-mail cannot be turned off' }) mandatoryKinds!: string[];
  @ApiProperty({ enum: KINDS, isArray: true, description: 'kinds that wait for the digest when it is chosen' }) digestKinds!: string[];
  @ApiProperty({ description: 'false when the server sends no e-mail (no SMTP_URL): notifications stay in the console' }) emailEnabled!: boolean;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) updatedAt!: string | null;
}

// ------------------------------------------------------------------ notifications

export class NotificationCauseDto {
  @ApiProperty({ description: 'the event (or operational fact) that caused it' }) eventId!: string;
  @ApiProperty({ example: 'SlaWarningRecorded' }) eventType!: string;
  @ApiProperty({ type: String, nullable: true, description: 'global position of the event (decimal string)' }) position!: string | null;
  @ApiProperty({ format: 'date-time' }) occurredAt!: string;
}

export class NotificationEmailDto {
  @ApiProperty({ enum: ['pending', 'sent', 'failed', 'suppressed'] }) state!: string;
  @ApiProperty({ type: String, nullable: true, description: `why it is suppressed (${SUPPRESSION_REASONS.join(', ')}) or why it failed` }) reason!: string | null;
  @ApiProperty({ description: 'it waits for (or went with) the daily digest' }) digest!: boolean;
  @ApiProperty({ type: 'integer', minimum: 0 }) attempts!: number;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) sentAt!: string | null;
}

export class NotificationDto {
  @ApiProperty({ format: 'uuid' }) notificationId!: string;
  @ApiProperty({ enum: KINDS }) kind!: string;
  @ApiProperty({ description: "in the person's language" }) title!: string;
  @ApiProperty({ enum: [...RECIPIENT_REASONS], description: 'why the person is told' }) reason!: string;
  @ApiProperty({ type: String, nullable: true, example: '/tickets/6f1c…', description: 'console path to open' }) link!: string | null;
  @ApiProperty({ type: String, nullable: true }) ticketId!: string | null;
  @ApiProperty({ type: String, nullable: true }) policyId!: string | null;
  @ApiProperty({ type: String, nullable: true }) customerId!: string | null;
  @ApiProperty({ type: 'object', additionalProperties: { oneOf: [{ type: 'string' }, { type: 'number' }, { type: 'boolean' }], nullable: true }, description: 'what the title is made of (per kind)' })
  params!: Record<string, unknown>;
  @ApiProperty({ type: NotificationCauseDto }) cause!: NotificationCauseDto;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) readAt!: string | null;
  @ApiProperty({ type: NotificationEmailDto }) email!: NotificationEmailDto;
}

export class NotificationPageDto {
  @ApiProperty({ type: [NotificationDto] }) items!: NotificationDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
  @ApiProperty({ type: 'integer', minimum: 0 }) unreadCount!: number;
}

// ------------------------------------------------------------------ deliveries (admin)

export class DeliveryQueryDto extends PageQuery {
  @EnumField(DELIVERY_STATES, { optional: true }) state?: string;
  @EnumField([...KINDS, 'digest'], { optional: true }) kind?: string;
  @TextField({ optional: true, max: 200, blankAllowed: true }) recipientId?: string;
}

export class AttemptDto {
  @ApiProperty({ type: 'integer', minimum: 1 }) attempt!: number;
  @ApiProperty({ format: 'date-time' }) startedAt!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) finishedAt!: string | null;
  @ApiProperty({ enum: ['sent', 'retry', 'failed', 'interrupted'], nullable: true, description: 'null while in flight; interrupted: the process stopped before recording it' }) outcome!: string | null;
  @ApiProperty({ type: 'integer', nullable: true, description: 'SMTP reply code or HTTP status' }) code!: number | null;
  @ApiProperty({ type: String, nullable: true }) response!: string | null;
  @ApiProperty({ type: 'integer', nullable: true }) durationMs!: number | null;
}

export class MailDeliveryDto {
  @ApiProperty() deliveryId!: string;
  @ApiProperty({ enum: ['notification', 'digest'] }) type!: string;
  @ApiProperty({ enum: [...KINDS, 'digest'] }) kind!: string;
  @ApiProperty() recipientId!: string;
  @ApiProperty({ description: "the recipient's address as the server accepted it" }) to!: string;
  @ApiProperty({ example: '<5f0c…@example.com>', description: 'the same on every attempt' }) messageId!: string;
  @ApiProperty({ type: [String] }) notificationIds!: string[];
  @ApiProperty({ type: String, format: 'date', nullable: true }) digestDate!: string | null;
  @ApiProperty({ enum: [...DELIVERY_STATES] }) state!: string;
  @ApiProperty({ type: 'integer', minimum: 0 }) attempts!: number;
  @ApiProperty({ type: String, nullable: true }) failureReason!: string | null;
  @ApiProperty({ type: String, nullable: true }) lastError!: string | null;
  @ApiProperty({ format: 'date-time' }) nextAttemptAt!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) sentAt!: string | null;
  @ApiProperty({ type: [AttemptDto] }) log!: AttemptDto[];
}

export class MailDeliveryPageDto {
  @ApiProperty({ type: [MailDeliveryDto] }) items!: MailDeliveryDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}

// ------------------------------------------------------------------ escalation contacts

export class EscalationLevelContactsDto {
  @IntField({ min: 2, max: 20, description: "a level of the preset's escalation chain above the assigned engineer (another one: 422 unknown-level)" }) level!: number;
  @TextListField({ max: 200, maxItems: 20, unique: true, description: 'active staff told when a breach reaches this level (422 unknown-staff otherwise)' }) userIds!: string[];
}

export class SetEscalationContactsDto {
  @NestedListField(() => EscalationLevelContactsDto, { maxItems: 20, description: 'each level at most once (422 duplicate-level)' }) levels!: EscalationLevelContactsDto[];
}

export class EscalationLevelViewDto {
  @ApiProperty({ type: 'integer' }) level!: number;
  @ApiProperty({ example: 'quality lead' }) name!: string;
  @ApiProperty({ type: [String] }) userIds!: string[];
  @ApiProperty({ enum: ['supervisors'], nullable: true, description: 'who stands in when nobody is named: the supervisors' }) fallback!: string | null;
}

export class EscalationContactsViewDto {
  @ApiProperty({ type: [EscalationLevelViewDto] }) levels!: EscalationLevelViewDto[];
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) updatedAt!: string | null;
  @ApiProperty({ type: String, nullable: true }) updatedBy!: string | null;
}

// ------------------------------------------------------------------ webhooks

const EVENT_TYPES = [...WEBHOOK_EVENT_TYPES];
/**
 * whsec_ and the canonical base64 of 24 to 64 bytes (what isValidWebhookSecret accepts): 8 to
 * 21 groups of four, then at most one byte (two characters, ==) or two (three characters, =),
 * the unused bits zero
 */
export const WEBHOOK_SECRET_PATTERN_SOURCE =
  '^whsec_(?:(?:[A-Za-z0-9+/]{4}){8,21}(?:[A-Za-z0-9+/][AQgw]==)?|(?:[A-Za-z0-9+/]{4}){8,20}[A-Za-z0-9+/]{2}[AEIMQUYcgkosw048]=)$';
export const WEBHOOK_SECRET_PATTERN = new RegExp(WEBHOOK_SECRET_PATTERN_SOURCE);
/** http or https (any case), then something without white space or control characters */
export const WEBHOOK_URL_PATTERN = '^[Hh][Tt][Tt][Pp][Ss]?://[^\\u0000-\\u0020\\u007f]+$';

export class CreateWebhookDto {
  @PatternField({
    pattern: WEBHOOK_URL_PATTERN,
    maxLength: 2000,
    message: 'must be an http(s) URL of at most 2000 characters',
    example: 'https://erp.example.com/helpdesk/events',
    description:
      'http(s) only. 422 webhook-target-refused when it is not a URL, carries credentials, does not resolve, or resolves to a loopback, link-local, private, unique-local, multicast or unspecified address not in WEBHOOK_ALLOW_HOSTS',
  })
  url!: string;
  @EnumListField(EVENT_TYPES, { minItems: 1, maxItems: EVENT_TYPES.length, unique: true }) eventTypes!: string[];
  @TextField({ optional: true, max: 200, description: "only this customer's events (422 unknown-customer when there is no such customer)" }) customerId?: string;
  @TextField({ optional: true, max: 500, blankAllowed: true }) description?: string;
  @PatternField({ optional: true, pattern: WEBHOOK_SECRET_PATTERN_SOURCE, message: 'must be whsec_ followed by the base64 of 24 to 64 bytes', description: 'whsec_ + base64 of 24 to 64 random bytes; generated when absent' })
  secret?: string;
}

export class UpdateWebhookDto {
  @BooleanField({ optional: true, description: 'true enables it again (and clears the failure count); false disables it' }) enabled?: boolean;
  @EnumListField(EVENT_TYPES, { optional: true, minItems: 1, maxItems: EVENT_TYPES.length, unique: true }) eventTypes?: string[];
  @TextField({ optional: true, nullable: true, max: 500, blankAllowed: true }) description?: string | null;
}

export class WebhookDto {
  @ApiProperty({ format: 'uuid' }) webhookId!: string;
  @ApiProperty({ format: 'uri' }) url!: string;
  @ApiProperty({ enum: EVENT_TYPES, isArray: true }) eventTypes!: string[];
  @ApiProperty({ type: String, nullable: true }) customerId!: string | null;
  @ApiProperty({ type: String, nullable: true }) description!: string | null;
  @ApiProperty({ enum: ['enabled', 'disabled'] }) state!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) disabledAt!: string | null;
  @ApiProperty({ type: String, nullable: true }) disabledReason!: string | null;
  @ApiProperty({ type: 'integer', minimum: 0, description: 'deliveries failed in a row' }) consecutiveFailures!: number;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty() createdBy!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

export class WebhookCreatedDto extends WebhookDto {
  @ApiProperty({ example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', description: 'shown only in this answer: keep it to verify signatures' }) secret!: string;
}

export class WebhookListDto {
  @ApiProperty({ type: [WebhookDto] }) items!: WebhookDto[];
}

export class WebhookDeliveryQueryDto extends PageQuery {
  @EnumField(DELIVERY_STATES, { optional: true }) state?: string;
}

export class WebhookDeliveryDto {
  @ApiProperty({ example: 'msg_2f5e…', description: 'the webhook-id header: the same on every attempt and replay' }) deliveryId!: string;
  @ApiProperty({ format: 'uuid' }) webhookId!: string;
  @ApiProperty() eventId!: string;
  @ApiProperty({ enum: EVENT_TYPES }) eventType!: string;
  @ApiProperty({ description: 'global position of the event (decimal string)' }) position!: string;
  @ApiProperty({ enum: [...DELIVERY_STATES] }) state!: string;
  @ApiProperty({ type: 'integer', minimum: 0 }) attempts!: number;
  @ApiProperty({ type: 'integer', nullable: true, description: 'HTTP status of the last answer' }) lastStatus!: number | null;
  @ApiProperty({ type: String, nullable: true }) lastError!: string | null;
  @ApiProperty({ format: 'date-time' }) nextAttemptAt!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) deliveredAt!: string | null;
  @ApiProperty({ type: 'integer', minimum: 0 }) replays!: number;
  @ApiProperty({ type: [AttemptDto] }) log!: AttemptDto[];
}

export class WebhookDeliveryPageDto {
  @ApiProperty({ type: [WebhookDeliveryDto] }) items!: WebhookDeliveryDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}
