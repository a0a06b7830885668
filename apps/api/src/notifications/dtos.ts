/**
 * Request and response shapes of the notification, preference and webhook endpoints, with the
 * constraints the server enforces (class-validator) and their OpenAPI description.
 */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { DIGEST_KINDS, MANDATORY_EMAIL_KINDS, NOTIFICATION_KINDS, NOTIFICATION_LANGUAGES, RECIPIENT_REASONS, SUPPRESSION_REASONS } from '@helpdesk/domain/notifications';
import { WEBHOOK_EVENT_TYPES } from '@helpdesk/notifications';

const toBool = ({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value);
const LANGS = [...NOTIFICATION_LANGUAGES];
const KINDS = [...NOTIFICATION_KINDS];
const DELIVERY_STATES = ['pending', 'sent', 'failed'];

export class PageQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50, type: 'integer' })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(200) limit?: number;
  @ApiPropertyOptional({ description: 'opaque cursor from the previous page (nextCursor, base64url); one this list did not return is 422 invalid-cursor', pattern: '^[A-Za-z0-9_-]{1,2000}$', maxLength: 2000 })
  @IsOptional() @IsString() @MaxLength(2000) @Matches(/^[A-Za-z0-9_-]{1,2000}$/, { message: 'cursor must be a cursor returned by this list (nextCursor)' }) cursor?: string;
}

export class NotificationListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ type: Boolean, description: 'true: only the unread ones' })
  @IsOptional() @Transform(toBool) @IsBoolean() unread?: boolean;
}

// ------------------------------------------------------------------ preferences

const mandatory = (kind: string) => (MANDATORY_EMAIL_KINDS as readonly string[]).includes(kind);
const kindProp = (kind: string) =>
  ApiPropertyOptional({
    type: Boolean,
    ...(mandatory(kind) ? { enum: [true], description: 'an obligation: cannot be turned off' } : {}),
  });

/** per kind: whether it reaches the person by e-mail */
export class EmailPreferencesDto {
  @kindProp('quote-awaiting-authorization') @IsOptional() @IsBoolean() 'quote-awaiting-authorization'?: boolean;
  @kindProp('quote-accepted') @IsOptional() @IsBoolean() 'quote-accepted'?: boolean;
  @kindProp('quote-declined') @IsOptional() @IsBoolean() 'quote-declined'?: boolean;
  @kindProp('sla-warning') @IsOptional() @IsBoolean() 'sla-warning'?: boolean;
  @kindProp('sla-breach') @IsOptional() @IsBoolean() 'sla-breach'?: boolean;
  @kindProp('ticket-assigned') @IsOptional() @IsBoolean() 'ticket-assigned'?: boolean;
  @kindProp('customer-replied') @IsOptional() @IsBoolean() 'customer-replied'?: boolean;
  @kindProp('awaiting-customer') @IsOptional() @IsBoolean() 'awaiting-customer'?: boolean;
  @kindProp('contact-attempt') @IsOptional() @IsBoolean() 'contact-attempt'?: boolean;
  @kindProp('ticket-auto-closed') @IsOptional() @IsBoolean() 'ticket-auto-closed'?: boolean;
  @kindProp('policy-usage-80') @IsOptional() @IsBoolean() 'policy-usage-80'?: boolean;
  @kindProp('policy-exhausted') @IsOptional() @IsBoolean() 'policy-exhausted'?: boolean;
  @kindProp('policy-expiring') @IsOptional() @IsBoolean() 'policy-expiring'?: boolean;
  @kindProp('support-suspended') @IsOptional() @IsBoolean() 'support-suspended'?: boolean;
  @kindProp('user-invited') @IsOptional() @IsBoolean() 'user-invited'?: boolean;
  @kindProp('password-reset') @IsOptional() @IsBoolean() 'password-reset'?: boolean;
  @kindProp('webhook-disabled') @IsOptional() @IsBoolean() 'webhook-disabled'?: boolean;
}

export class UpdatePreferencesDto {
  @ApiPropertyOptional({ enum: LANGS, nullable: true, description: "language of notifications; null: the account's language" })
  @IsOptional() @ValidateIf((_, v) => v !== null) @IsIn(LANGS) language?: (typeof LANGS)[number] | null;
  @ApiPropertyOptional({ type: Boolean, description: `non-urgent kinds (${DIGEST_KINDS.join(', ')}) wait for one e-mail a day` })
  @IsOptional() @IsBoolean() dailyDigest?: boolean;
  @ApiPropertyOptional({ type: EmailPreferencesDto, description: 'kinds to change; the others stay as they are' })
  @IsOptional() @ValidateNested() @Type(() => EmailPreferencesDto) email?: EmailPreferencesDto;
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

/** (not `PreferencesDto`: that name is identity's PATCH /api/me/preferences body, and OpenAPI schemas are named by class) */
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

export class DeliveryQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: DELIVERY_STATES }) @IsOptional() @IsIn(DELIVERY_STATES) state?: string;
  @ApiPropertyOptional({ enum: [...KINDS, 'digest'] }) @IsOptional() @IsIn([...KINDS, 'digest']) kind?: string;
  @ApiPropertyOptional({ maxLength: 200 }) @IsOptional() @IsString() @MaxLength(200) recipientId?: string;
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
  @ApiProperty({ format: 'email' }) to!: string;
  @ApiProperty({ example: '<5f0c…@example.com>', description: 'the same on every attempt' }) messageId!: string;
  @ApiProperty({ type: [String] }) notificationIds!: string[];
  @ApiProperty({ type: String, format: 'date', nullable: true }) digestDate!: string | null;
  @ApiProperty({ enum: DELIVERY_STATES }) state!: string;
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
  @ApiProperty({ type: 'integer', minimum: 2, maximum: 20, description: "a level of the preset's chain above the assigned engineer" })
  @IsInt() @Min(2) @Max(20) level!: number;
  @ApiProperty({ type: [String], maxItems: 20, description: 'active staff told when a breach reaches this level' })
  @IsArray() @ArrayMaxSize(20) @ArrayUnique() @IsString({ each: true }) @IsNotEmpty({ each: true }) @MaxLength(200, { each: true }) userIds!: string[];
}

export class SetEscalationContactsDto {
  @ApiProperty({ type: [EscalationLevelContactsDto], maxItems: 20 })
  @IsArray() @ArrayMaxSize(20) @ValidateNested({ each: true }) @Type(() => EscalationLevelContactsDto) levels!: EscalationLevelContactsDto[];
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
export const WEBHOOK_SECRET_PATTERN = /^whsec_[A-Za-z0-9+/]{32,88}={0,2}$/;

export class CreateWebhookDto {
  @ApiProperty({ format: 'uri', maxLength: 2000, example: 'https://erp.example.com/helpdesk/events', description: 'http(s) only; must not resolve to a loopback, link-local, private, unique-local, multicast or unspecified address unless WEBHOOK_ALLOW_HOSTS names it' })
  @IsString() @IsNotEmpty() @MaxLength(2000) url!: string;
  @ApiProperty({ enum: EVENT_TYPES, isArray: true, minItems: 1, maxItems: EVENT_TYPES.length, uniqueItems: true })
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(EVENT_TYPES.length) @ArrayUnique() @IsIn(EVENT_TYPES, { each: true }) eventTypes!: string[];
  @ApiPropertyOptional({ maxLength: 200, description: "only this customer's events" })
  @IsOptional() @IsString() @IsNotEmpty() @MaxLength(200) customerId?: string;
  @ApiPropertyOptional({ maxLength: 500 }) @IsOptional() @IsString() @MaxLength(500) description?: string;
  @ApiPropertyOptional({ pattern: WEBHOOK_SECRET_PATTERN.source, description: 'whsec_ + base64 of 24 to 64 random bytes; generated when absent' })
  @IsOptional() @IsString() @Matches(WEBHOOK_SECRET_PATTERN, { message: 'secret must be whsec_ followed by the base64 of 24 to 64 bytes' }) secret?: string;
}

export class UpdateWebhookDto {
  @ApiPropertyOptional({ type: Boolean, description: 'true enables it again (and clears the failure count); false disables it' })
  @IsOptional() @IsBoolean() enabled?: boolean;
  @ApiPropertyOptional({ enum: EVENT_TYPES, isArray: true, minItems: 1, maxItems: EVENT_TYPES.length, uniqueItems: true })
  @IsOptional() @IsArray() @ArrayMinSize(1) @ArrayMaxSize(EVENT_TYPES.length) @ArrayUnique() @IsIn(EVENT_TYPES, { each: true }) eventTypes?: string[];
  @ApiPropertyOptional({ maxLength: 500, nullable: true }) @IsOptional() @ValidateIf((_, v) => v !== null) @IsString() @MaxLength(500) description?: string | null;
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

export class WebhookDeliveryQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: DELIVERY_STATES }) @IsOptional() @IsIn(DELIVERY_STATES) state?: string;
}

export class WebhookDeliveryDto {
  @ApiProperty({ example: 'msg_2f5e…', description: 'the webhook-id header: the same on every attempt and replay' }) deliveryId!: string;
  @ApiProperty({ format: 'uuid' }) webhookId!: string;
  @ApiProperty() eventId!: string;
  @ApiProperty({ enum: EVENT_TYPES }) eventType!: string;
  @ApiProperty({ description: 'global position of the event (decimal string)' }) position!: string;
  @ApiProperty({ enum: DELIVERY_STATES }) state!: string;
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
