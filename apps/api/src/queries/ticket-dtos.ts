/**
 * OpenAPI shapes of ticket reads (queue items and their graded SLA). Response documents only:
 * nothing here validates input.
 */
import { ApiProperty } from '@nestjs/swagger';

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

// the ticket detail's schema is TicketDetailView (apps/api/src/http/responses.ts)
