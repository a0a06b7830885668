/**
 * Query and body DTOs of the dashboard, finance, audit and administration endpoints: what the
 * validation enforces is what the OpenAPI document says (pattern, enum, range, length).
 */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsNotEmpty, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { MONTH_PATTERN } from './openapi';

const MONTH = new RegExp(MONTH_PATTERN);
const DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
const DATE_PATTERN = '^\\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\\d|3[01])$';
const DATE_OR_INSTANT_PATTERN = '^\\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\\d|3[01])(T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,9})?)?(Z|[+-]\\d{2}:\\d{2}))?$';
const DATE_OR_INSTANT = new RegExp(DATE_OR_INSTANT_PATTERN);
const ID_PATTERN = '^[^\\u0000-\\u001f]{1,100}$';
const ID = new RegExp(ID_PATTERN);
const toBool = ({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value);

export const CLASSIFICATIONS = ['low', 'medium', 'high', '1', '2', '3', '4'] as const;
export const SLA_STATES = ['breached', 'at-risk', 'on-track', 'paused', 'responded'] as const;

class Paged {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 200, default: 50, description: 'page size' })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(200) limit?: number;
  @ApiPropertyOptional({ description: 'opaque cursor from the previous page (nextCursor)', maxLength: 2000 })
  @IsOptional() @IsString() @MaxLength(2000) cursor?: string;
}

export class MonthRangeQueryDto {
  @ApiPropertyOptional({ description: 'first month, inclusive (YYYY-MM)', pattern: MONTH_PATTERN, example: '2026-09' })
  @IsOptional() @Matches(MONTH, { message: 'from must be a month YYYY-MM' }) from?: string;
  @ApiPropertyOptional({ description: 'last month, inclusive (YYYY-MM)', pattern: MONTH_PATTERN, example: '2026-11' })
  @IsOptional() @Matches(MONTH, { message: 'to must be a month YYYY-MM' }) to?: string;
}

export class ResponseTargetsQueryDto extends MonthRangeQueryDto {
  @ApiPropertyOptional({ enum: CLASSIFICATIONS, description: "only this classification (a priority, or a severity '1'-'4')" })
  @IsOptional() @IsIn(CLASSIFICATIONS) classification?: string;
}

export class ResponseTargetTicketsQueryDto extends Paged {
  @ApiPropertyOptional({ description: 'one month (YYYY-MM); or give from and to', pattern: MONTH_PATTERN, example: '2026-11' })
  @IsOptional() @Matches(MONTH, { message: 'month must be a month YYYY-MM' }) month?: string;
  @ApiPropertyOptional({ description: 'first month, inclusive', pattern: MONTH_PATTERN })
  @IsOptional() @Matches(MONTH, { message: 'from must be a month YYYY-MM' }) from?: string;
  @ApiPropertyOptional({ description: 'last month, inclusive', pattern: MONTH_PATTERN })
  @IsOptional() @Matches(MONTH, { message: 'to must be a month YYYY-MM' }) to?: string;
  @ApiPropertyOptional({ enum: CLASSIFICATIONS })
  @IsOptional() @IsIn(CLASSIFICATIONS) classification?: string;
  @ApiPropertyOptional({ enum: ['met', 'missed'] })
  @IsOptional() @IsIn(['met', 'missed']) outcome?: 'met' | 'missed';
}

export class EscalationTicketsQueryDto extends Paged {
  @ApiPropertyOptional({ description: 'one month (YYYY-MM); or give from and to', pattern: MONTH_PATTERN })
  @IsOptional() @Matches(MONTH, { message: 'month must be a month YYYY-MM' }) month?: string;
  @ApiPropertyOptional({ description: 'first month, inclusive', pattern: MONTH_PATTERN })
  @IsOptional() @Matches(MONTH, { message: 'from must be a month YYYY-MM' }) from?: string;
  @ApiPropertyOptional({ description: 'last month, inclusive', pattern: MONTH_PATTERN })
  @IsOptional() @Matches(MONTH, { message: 'to must be a month YYYY-MM' }) to?: string;
  @ApiPropertyOptional({ type: 'integer', minimum: 0, maximum: 100, description: 'the escalation level reached' })
  @IsOptional() @Type(() => Number) @IsInt() @Min(0) @Max(100) level?: number;
}

export class WithinQueryDto {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 10080, default: 240, description: 'the at-risk window: business minutes ahead, on each ticket\'s own calendar' })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(10080) withinBusinessMinutes?: number;
}

export class SlaNowQueryDto extends WithinQueryDto {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 200, default: 10, description: 'how many tickets of each list to include' })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(200) limit?: number;
}

export class SlaNowTicketsQueryDto extends Paged {
  @ApiProperty({ enum: SLA_STATES, description: 'which open tickets: breached, at-risk (due inside the window), on-track, paused (awaiting the customer) or responded' })
  @IsIn(SLA_STATES) state!: (typeof SLA_STATES)[number];
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 10080, default: 240 })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(10080) withinBusinessMinutes?: number;
  @ApiPropertyOptional({ description: "only this agent's tickets (the workload chart's drill-down)", pattern: ID_PATTERN, maxLength: 100 })
  @IsOptional() @IsString() @Matches(ID, { message: 'assigneeId must be 1-100 characters' }) assigneeId?: string;
  @ApiPropertyOptional({ type: Boolean, description: 'only tickets nobody is assigned to (not with assigneeId)' })
  @IsOptional() @Transform(toBool) @IsBoolean() unassigned?: boolean;
}

// ------------------------------------------------------------------ finance

export class ReconciliationQueryDto {
  @ApiPropertyOptional({ description: 'billed minutes from this day, inclusive, on workedOn (YYYY-MM-DD)', format: 'date', pattern: DATE_PATTERN })
  @IsOptional() @Matches(DATE, { message: 'from must be a date YYYY-MM-DD' }) from?: string;
  @ApiPropertyOptional({ description: 'billed minutes through this day, inclusive (YYYY-MM-DD)', format: 'date', pattern: DATE_PATTERN })
  @IsOptional() @Matches(DATE, { message: 'to must be a date YYYY-MM-DD' }) to?: string;
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 10000, default: 1000, description: 'at most this many differences in the answer (differenceCount counts them all)' })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(10000) limit?: number;
}

export class FinancePeriodQueryDto {
  @ApiPropertyOptional({ description: 'from this day, inclusive, on workedOn (YYYY-MM-DD)', format: 'date', pattern: DATE_PATTERN })
  @IsOptional() @Matches(DATE, { message: 'from must be a date YYYY-MM-DD' }) from?: string;
  @ApiPropertyOptional({ description: 'through this day, inclusive (YYYY-MM-DD)', format: 'date', pattern: DATE_PATTERN })
  @IsOptional() @Matches(DATE, { message: 'to must be a date YYYY-MM-DD' }) to?: string;
  @ApiPropertyOptional({ description: "only this customer's", pattern: ID_PATTERN, maxLength: 100 })
  @IsOptional() @IsString() @Matches(ID, { message: 'customerId must be 1-100 characters' }) customerId?: string;
}

export const POLICY_STATUSES = ['active', 'exhausted', 'expired', 'not-started'] as const;

export class PolicyBalancesQueryDto extends Paged {
  @ApiPropertyOptional({ description: "only this customer's policies", pattern: ID_PATTERN, maxLength: 100 })
  @IsOptional() @IsString() @Matches(ID, { message: 'customerId must be 1-100 characters' }) customerId?: string;
  @ApiPropertyOptional({ enum: POLICY_STATUSES, description: 'status now (from the clock)' })
  @IsOptional() @IsIn(POLICY_STATUSES) status?: (typeof POLICY_STATUSES)[number];
}

// ------------------------------------------------------------------ audit

export class AuthorizationsAuditQueryDto {
  @ApiPropertyOptional({ description: 'YYYY-MM-DD (from its 00:00 UTC, inclusive) or an ISO 8601 instant (inclusive)', pattern: DATE_OR_INSTANT_PATTERN, example: '2026-11-01' })
  @IsOptional() @Matches(DATE_OR_INSTANT, { message: 'from must be YYYY-MM-DD or an ISO 8601 instant with offset' }) from?: string;
  @ApiPropertyOptional({ description: 'YYYY-MM-DD (through its end, UTC) or an ISO 8601 instant (exclusive)', pattern: DATE_OR_INSTANT_PATTERN, example: '2026-11-30' })
  @IsOptional() @Matches(DATE_OR_INSTANT, { message: 'to must be YYYY-MM-DD or an ISO 8601 instant with offset' }) to?: string;
  @ApiPropertyOptional({ description: "only this customer's", pattern: ID_PATTERN, maxLength: 100 })
  @IsOptional() @IsString() @Matches(ID, { message: 'customerId must be 1-100 characters' }) customerId?: string;
  @ApiPropertyOptional({ enum: ['json', 'csv'], default: 'json' })
  @IsOptional() @IsIn(['json', 'csv']) format?: 'json' | 'csv';
}

// ------------------------------------------------------------------ administration

export class ChangeSupportLevelDto {
  @ApiProperty({ type: 'integer', minimum: 1, maximum: 3, description: 'the new support level (soporte-niveles: 1-3)' })
  @IsInt() @Min(1) @Max(3) supportLevel!: 1 | 2 | 3;
  @ApiProperty({ description: 'why (kept in the customer\'s history)', minLength: 1, maxLength: 2000 })
  @IsString() @IsNotEmpty() @MaxLength(2000) reason!: string;
}

export class LiftSuspensionDto {
  @ApiProperty({ description: 'why support is reinstated (kept in the customer\'s history)', minLength: 1, maxLength: 4000 })
  @IsString() @IsNotEmpty() @MaxLength(4000) reason!: string;
}
