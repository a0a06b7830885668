/**
 * OpenAPI shapes of ticket reads (queue items and their graded SLA). Response documents only:
 * nothing here validates input.
 */
import { ApiProperty, OmitType } from '@nestjs/swagger';

export const INSTANT = { type: String, format: 'date-time', description: 'UTC ISO 8601' } as const;
export const NULLABLE_INSTANT = { ...INSTANT, nullable: true } as const;

export class GradedSlaDto {
  @ApiProperty({
    enum: ['on-track', 'at-risk', 'breached', 'paused', 'met', 'none'],
    description:
      'answered: met or breached (late); closed unanswered: none or breached; open: breached past due, paused while awaiting the customer, at-risk inside the warning window, paused outside business hours, else on-track',
  })
  state!: 'on-track' | 'at-risk' | 'breached' | 'paused' | 'met' | 'none';
  @ApiProperty({
    enum: ['awaiting-customer', 'outside-business-hours'],
    nullable: true,
    type: String,
    description: "why the clock is not counting now (also given with breached or at-risk); null while it counts or once answered",
  })
  pausedReason!: 'awaiting-customer' | 'outside-business-hours' | null;
  @ApiProperty({ ...NULLABLE_INSTANT, description: 'response due instant (null while paused before one was decided)' }) responseDueAt!: string | null;
  @ApiProperty({ ...NULLABLE_INSTANT, description: 'start of the warning window' }) warningAt!: string | null;
  @ApiProperty({ type: 'integer', minimum: 0, description: 'business minutes of the target left (0 once used up)' }) businessMinutesLeft!: number;
  @ApiProperty({ type: 'integer', minimum: 0, description: 'business minutes counted so far (pauses excluded)' }) businessMinutesElapsed!: number;
  @ApiProperty(NULLABLE_INSTANT) respondedAt!: string | null;
}

const CLASSIFICATION = { oneOf: [{ type: 'string', enum: ['low', 'medium', 'high'] }, { type: 'integer', minimum: 1, maximum: 4 }], nullable: true };

/** the last staff classification of a ticket */
export class ClassifiedByDto {
  @ApiProperty({ description: 'the staff member who classified (or confirmed the class)' }) actorId!: string;
  @ApiProperty(INSTANT) at!: string;
}

/** the flat, indexed fields of a ticket (lists and the queue) */
export class TicketSummaryDto {
  @ApiProperty() _id!: string;
  @ApiProperty() ticketId!: string;
  @ApiProperty({ type: String, nullable: true }) customerId!: string | null;
  @ApiProperty({ type: String, nullable: true }) reporterId!: string | null;
  @ApiProperty({ enum: ['open', 'awaiting-customer', 'closed'], nullable: true, type: String }) status!: string | null;
  @ApiProperty({ type: String, nullable: true }) department!: string | null;
  @ApiProperty({ type: String, nullable: true }) assigneeId!: string | null;
  @ApiProperty({ type: String, nullable: true }) subject!: string | null;
  @ApiProperty({ type: String, nullable: true }) product!: string | null;
  @ApiProperty({ enum: ['portal', 'email', 'phone', 'chat'], nullable: true, type: String }) channel!: string | null;
  @ApiProperty({ enum: ['priority', 'severity'], nullable: true, type: String }) scheme!: string | null;
  @ApiProperty({ enum: ['low', 'medium', 'high'], nullable: true, type: String }) priority!: string | null;
  @ApiProperty({ type: 'integer', minimum: 1, maximum: 4, nullable: true }) severity!: number | null;
  @ApiProperty({ ...CLASSIFICATION, description: 'the one of priority / severity the scheme uses' }) classification!: string | number | null;
  @ApiProperty({
    enum: ['staff', 'default', 'reported', 'escalation'],
    nullable: true,
    type: String,
    description:
      "where the class came from: staff (classified or confirmed by staff, see classifiedBy), default (the preset's default, never looked at by staff), reported (the reporter's), escalation (raised by an escalation); null for a document folded before this field existed (npm run rebuild -- tickets)",
  })
  classificationSource!: 'staff' | 'default' | 'reported' | 'escalation' | null;
  @ApiProperty({ type: ClassifiedByDto, nullable: true, description: 'the last staff classification (changing or confirming the class); null when none' })
  classifiedBy!: ClassifiedByDto | null;
  @ApiProperty({ type: 'integer', minimum: 0, maximum: 4, description: 'higher = more urgent; 0 unclassified' }) urgency!: number;
  @ApiProperty({ type: 'integer', minimum: 0, description: '0 until escalated' }) escalationLevel!: number;
  @ApiProperty({ type: 'integer', minimum: 1, nullable: true }) slaCycle!: number | null;
  @ApiProperty({ type: String, nullable: true, pattern: '^\\d+\\.\\d+$' }) slaTargetId!: string | null;
  @ApiProperty({ type: String, nullable: true }) slaCalendarId!: string | null;
  @ApiProperty({ type: 'integer', nullable: true }) responseTargetMinutes!: number | null;
  @ApiProperty(NULLABLE_INSTANT) responseDueAt!: string | null;
  @ApiProperty(NULLABLE_INSTANT) warningAt!: string | null;
  @ApiProperty(NULLABLE_INSTANT) respondedAt!: string | null;
  @ApiProperty() paused!: boolean;
  @ApiProperty({ description: 'SlaWarningRecorded for the current target' }) slaWarned!: boolean;
  @ApiProperty({ description: 'SlaBreachRecorded for the current target' }) slaBreached!: boolean;
  @ApiProperty(NULLABLE_INSTANT) receivedAt!: string | null;
  @ApiProperty(NULLABLE_INSTANT) openedAt!: string | null;
  @ApiProperty(NULLABLE_INSTANT) closedAt!: string | null;
  @ApiProperty(NULLABLE_INSTANT) lastActivityAt!: string | null;
  @ApiProperty(INSTANT) updatedAt!: string;
  @ApiProperty({ type: 'integer', minimum: 0, description: 'stream version (ETag / If-Match)' }) version!: number;
}

export class QueueItemDto extends TicketSummaryDto {
  @ApiProperty({ type: 'integer', description: 'global position of the last event applied' }) lastPosition!: number;
  @ApiProperty({ type: String, nullable: true, description: 'queue sort key' }) queueKey!: string | null;
  @ApiProperty({ description: 'the clock runs and the response is past due now' }) breached!: boolean;
  @ApiProperty({ type: GradedSlaDto }) sla!: GradedSlaDto;
}

export class QueuePageDto {
  @ApiProperty({ type: [QueueItemDto] }) items!: QueueItemDto[];
  @ApiProperty({ type: String, nullable: true, description: 'cursor of the next page; null on the last' }) nextCursor!: string | null;
}

// ------------------------------------------------------------------ the ticket detail

export class TicketSlaDto extends GradedSlaDto {
  @ApiProperty({ type: 'integer', minimum: 1, description: 'response cycle (1, +1 per reopening)' }) cycle!: number;
  @ApiProperty({ pattern: '^\\d+\\.\\d+$' }) targetId!: string;
  @ApiProperty({ type: 'integer', minimum: 1 }) targetMinutes!: number;
  @ApiProperty({ type: 'integer', minimum: 1 }) warningMinutes!: number;
  @ApiProperty() calendarId!: string;
  @ApiProperty({ enum: ['business-hours', 'business-days'] }) countingMode!: string;
  @ApiProperty(INSTANT) startedAt!: string;
  @ApiProperty() paused!: boolean;
  @ApiProperty() atRisk!: boolean;
  @ApiProperty() breached!: boolean;
  @ApiProperty({ type: Boolean, nullable: true, description: 'null until answered' }) met!: boolean | null;
  @ApiProperty({ type: 'integer', minimum: 0, description: 'same as businessMinutesLeft' }) businessMinutesRemaining!: number;
  @ApiProperty({ description: "now falls inside the calendar's business time" }) withinCalendarHours!: boolean;
  @ApiProperty() presetVersion!: string;
}

export class PreviousCycleDto {
  @ApiProperty({ type: 'integer' }) cycle!: number;
  @ApiProperty({ type: 'integer' }) targetMinutes!: number;
  @ApiProperty(NULLABLE_INSTANT) dueAt!: string | null;
  @ApiProperty(NULLABLE_INSTANT) respondedAt!: string | null;
  @ApiProperty({ type: Boolean, nullable: true }) met!: boolean | null;
}

export class EscalationDto {
  @ApiProperty({ type: 'integer' }) fromLevel!: number;
  @ApiProperty({ type: 'integer' }) level!: number;
  @ApiProperty() levelName!: string;
  @ApiProperty() requestedBy!: string;
  @ApiProperty({ enum: ['customer', 'staff', 'system'] }) requestedByRole!: string;
  @ApiProperty() reason!: string;
  @ApiProperty() automatic!: boolean;
  @ApiProperty(INSTANT) escalatedAt!: string;
}

export class ContactAttemptViewDto {
  @ApiProperty({ type: 'integer', minimum: 1 }) attempt!: number;
  @ApiProperty({ enum: ['phone', 'email'] }) channel!: string;
  @ApiProperty() note!: string;
  @ApiProperty() attemptedBy!: string;
  @ApiProperty(INSTANT) attemptedAt!: string;
  @ApiProperty({ format: 'date' }) localDate!: string;
  @ApiProperty() businessDay!: boolean;
  @ApiProperty(INSTANT) closeAfter!: string;
}

export class QuoteTermsDto {
  @ApiProperty({ enum: ['per-event', 'policy-estimate'] }) kind!: string;
  @ApiProperty({ type: 'integer', minimum: 1 }) minutes!: number;
  @ApiProperty({ type: 'integer', nullable: true, description: 'per-event: minor units per hour' }) hourlyRateMinor!: number | null;
  @ApiProperty({ type: 'integer', nullable: true, description: 'per-event: minor units' }) amountMinor!: number | null;
  @ApiProperty({ type: String, nullable: true, pattern: '^[A-Z]{3}$' }) currency!: string | null;
  @ApiProperty({ type: String, nullable: true }) paymentTerms!: string | null;
  @ApiProperty() purchaseOrderRequired!: boolean;
  @ApiProperty({ type: String, nullable: true, description: 'policy-estimate: the policy drawn on' }) policyId!: string | null;
  @ApiProperty() description!: string;
}

export class QuoteDecisionDto {
  @ApiProperty({ enum: ['accept', 'decline'] }) decision!: string;
  @ApiProperty({ type: String, nullable: true }) purchaseOrder!: string | null;
  @ApiProperty({ type: String, nullable: true }) comment!: string | null;
  @ApiProperty() by!: string;
  @ApiProperty(INSTANT) at!: string;
}

export class QuoteViewDto {
  @ApiProperty() quoteId!: string;
  @ApiProperty({ enum: ['pending', 'accepted', 'declined', 'superseded'] }) status!: string;
  @ApiProperty({ type: QuoteTermsDto }) terms!: QuoteTermsDto;
  @ApiProperty() supplementary!: boolean;
  @ApiProperty({ type: String, nullable: true }) supplementsAuthorizationId!: string | null;
  @ApiProperty({ type: String, nullable: true }) supersedesQuoteId!: string | null;
  @ApiProperty() issuedBy!: string;
  @ApiProperty(INSTANT) issuedAt!: string;
  @ApiProperty({ type: QuoteDecisionDto, nullable: true }) decision!: QuoteDecisionDto | null;
}

export class AuthorizationViewDto {
  @ApiProperty() authorizationId!: string;
  @ApiProperty() quoteId!: string;
  @ApiProperty({ type: QuoteTermsDto }) terms!: QuoteTermsDto;
  @ApiProperty({ type: 'integer' }) minutesAuthorized!: number;
  @ApiProperty({ type: 'integer' }) minutesLogged!: number;
  @ApiProperty({ type: 'integer', minimum: 0, description: 'minutes the authorization still allows' }) minutesLeft!: number;
  @ApiProperty({ type: 'integer', description: 'sum of the per-event charges, minor units' }) chargedMinor!: number;
  @ApiProperty({ type: String, nullable: true }) policyId!: string | null;
  @ApiProperty({ type: String, nullable: true }) purchaseOrder!: string | null;
  @ApiProperty() authorizedBy!: string;
  @ApiProperty(INSTANT) authorizedAt!: string;
}

export class WorkLogViewDto {
  @ApiProperty() ticketId!: string;
  @ApiProperty() entryId!: string;
  @ApiProperty() authorizationId!: string;
  @ApiProperty({ type: 'integer', minimum: 1, maximum: 1440 }) minutes!: number;
  @ApiProperty({ format: 'date' }) workedOn!: string;
  @ApiProperty() engineerId!: string;
  @ApiProperty() description!: string;
  @ApiProperty({ enum: ['remote', 'on-site', 'facility'] }) kind!: string;
  @ApiProperty({ type: String, nullable: true }) policyId!: string | null;
  @ApiProperty({ type: 'integer', nullable: true }) chargeMinor!: number | null;
  @ApiProperty({ type: String, nullable: true }) currency!: string | null;
  @ApiProperty() loggedBy!: string;
  @ApiProperty(INSTANT) loggedAt!: string;
}

export class FollowUpStateDto {
  @ApiProperty({ type: 'integer', minimum: 0 }) count!: number;
  @ApiProperty(NULLABLE_INSTANT) lastRequestedAt!: string | null;
  @ApiProperty({ ...NULLABLE_INSTANT, description: 'the first instant the customer may ask for the next follow-up; null once closed' }) availableAt!: string | null;
}

const REFUSAL = { type: String, nullable: true, example: 'exceeds-authorization', description: 'the code POST /api/tickets/{id}/work-logs answers now for one minute; null: accepted' } as const;

export class WorkLogPolicyDto {
  @ApiProperty() policyId!: string;
  @ApiProperty({ enum: ['active', 'exhausted', 'expired', 'not-started'] }) status!: string;
  @ApiProperty({ type: 'integer', minimum: 0 }) minutesRemaining!: number;
  @ApiProperty({ type: 'integer', minimum: 0 }) facilityMinutesLeft!: number;
  @ApiProperty({ type: 'integer', minimum: 0 }) onSiteMinutesLeft!: number;
  @ApiProperty({ format: 'date' }) validFrom!: string;
  @ApiProperty({ format: 'date' }) validUntil!: string;
}

export class WorkLogAuthorizationDto {
  @ApiProperty() authorizationId!: string;
  @ApiProperty() quoteId!: string;
  @ApiProperty({ enum: ['per-event', 'policy-estimate'] }) kind!: string;
  @ApiProperty({ type: 'integer' }) minutesAuthorized!: number;
  @ApiProperty({ type: 'integer' }) minutesLogged!: number;
  @ApiProperty({ type: 'integer', minimum: 0 }) minutesLeft!: number;
  @ApiProperty({ type: WorkLogPolicyDto, nullable: true }) policy!: WorkLogPolicyDto | null;
  @ApiProperty({ type: 'integer', minimum: 0, maximum: 1440, description: 'the most minutes one remote entry against it may log now' }) maxMinutes!: number;
  @ApiProperty(REFUSAL) refusal!: string | null;
}

export class WorkLogLimitsDto {
  @ApiProperty({ ...REFUSAL, description: 'the code the API answers now for one minute naming no authorization; null: accepted' }) refusal!: string | null;
  @ApiProperty({ type: [WorkLogAuthorizationDto], description: 'in the order given' }) authorizations!: WorkLogAuthorizationDto[];
}

export class TicketDetailDto extends OmitType(TicketSummaryDto, ['_id'] as const) {
  @ApiProperty({ type: String, nullable: true }) description!: string | null;
  @ApiProperty({ type: [String], description: 'attachment ids (the files with their metadata are in the conversation)' }) attachments!: string[];
  @ApiProperty({ type: 'integer', nullable: true }) supportLevel!: number | null;
  @ApiProperty({ type: String, nullable: true, description: 'the open question while awaiting the customer' }) pendingQuestion!: string | null;
  @ApiProperty({ enum: ['resolved', 'no-customer-response', 'out-of-scope', 'duplicate', 'declined'], nullable: true, type: String }) closeReason!: string | null;
  @ApiProperty({ type: String, nullable: true }) resolution!: string | null;
  @ApiProperty({ type: String, nullable: true }) duplicateOf!: string | null;
  @ApiProperty({ type: 'integer', minimum: 0 }) reopenCount!: number;
  @ApiProperty({ type: 'integer', minimum: 0, description: 'customers: public messages only' }) messageCount!: number;
  @ApiProperty({ type: TicketSlaDto, nullable: true, description: 'the current response cycle at now, graded' }) sla!: TicketSlaDto | null;
  @ApiProperty({ type: [PreviousCycleDto] }) previousCycles!: PreviousCycleDto[];
  @ApiProperty({ type: [EscalationDto] }) escalations!: EscalationDto[];
  @ApiProperty({ type: [ContactAttemptViewDto] }) contactAttempts!: ContactAttemptViewDto[];
  @ApiProperty({ type: [QuoteViewDto] }) quotes!: QuoteViewDto[];
  @ApiProperty({ type: [AuthorizationViewDto] }) authorizations!: AuthorizationViewDto[];
  @ApiProperty({ type: FollowUpStateDto }) followUp!: FollowUpStateDto;
  @ApiProperty({ type: WorkLogLimitsDto, nullable: true, description: 'staff only (null for customers)' }) workLog!: WorkLogLimitsDto | null;
  @ApiProperty({ type: [WorkLogViewDto] }) workLogs!: WorkLogViewDto[];
  @ApiProperty({ type: 'integer', minimum: 0 }) minutesLogged!: number;
}
