import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsISO8601, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';

const toBool = ({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value);

export class PageQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(200) limit?: number;
  @ApiPropertyOptional({ description: 'opaque cursor from the previous page (nextCursor)' })
  @IsOptional() @IsString() @MaxLength(2000) cursor?: string;
}

export class QueueQueryDto extends PageQuery {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) department?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) assigneeId?: string;
  @ApiPropertyOptional({ enum: ['low', 'medium', 'high', '1', '2', '3', '4'], description: "priority, or a severity 1-4 under the severity scheme" })
  @IsOptional() @IsIn(['low', 'medium', 'high', '1', '2', '3', '4']) priority?: string;
  @ApiPropertyOptional({ enum: ['open', 'awaiting-customer'] }) @IsOptional() @IsIn(['open', 'awaiting-customer']) status?: 'open' | 'awaiting-customer';
  @ApiPropertyOptional({ type: Boolean }) @IsOptional() @Transform(toBool) @IsBoolean() breached?: boolean;
}

export class TicketListQueryDto extends PageQuery {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) customerId?: string;
  @ApiPropertyOptional({ enum: ['open', 'awaiting-customer', 'closed'] }) @IsOptional() @IsIn(['open', 'awaiting-customer', 'closed']) status?: 'open' | 'awaiting-customer' | 'closed';
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) assigneeId?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) department?: string;
}

export class SlaTimersQueryDto extends PageQuery {
  @ApiPropertyOptional({ enum: ['running', 'paused', 'at-risk', 'breached'] })
  @IsOptional() @IsIn(['running', 'paused', 'at-risk', 'breached']) state?: 'running' | 'paused' | 'at-risk' | 'breached';
}

const DATE_OR_INSTANT = /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2}))?$/;

export class PeriodQueryDto {
  @ApiPropertyOptional({ description: 'YYYY-MM-DD (inclusive) or an ISO instant' })
  @IsOptional() @Matches(DATE_OR_INSTANT, { message: 'from must be YYYY-MM-DD or an ISO 8601 instant' }) from?: string;
  @ApiPropertyOptional({ description: 'YYYY-MM-DD (inclusive) or an ISO instant' })
  @IsOptional() @Matches(DATE_OR_INSTANT, { message: 'to must be YYYY-MM-DD or an ISO 8601 instant' }) to?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) customerId?: string;
}

export class BilledQueryDto extends PeriodQueryDto {
  @ApiPropertyOptional({ enum: ['json', 'csv'], default: 'json' }) @IsOptional() @IsIn(['json', 'csv']) format?: 'json' | 'csv';
}

export class HistoryQueryDto {
  @ApiPropertyOptional({ format: 'date-time', description: 'ISO 8601 instant: only the events recorded up to then, and the state of the case at that moment' })
  @IsOptional() @IsISO8601({ strict: true }) asOf?: string;
  @ApiPropertyOptional({ type: 'integer', minimum: 0, description: 'ticket stream version: the events up to it and the state then' })
  @IsOptional() @Type(() => Number) @IsInt() @Min(0) asOfVersion?: number;
  @ApiPropertyOptional({ description: 'only the events of one correlation (one request and what it caused)' })
  @IsOptional() @IsString() @MaxLength(128) correlationId?: string;
  @ApiPropertyOptional({ enum: ['json', 'ndjson'], default: 'json' }) @IsOptional() @IsIn(['json', 'ndjson']) format?: 'json' | 'ndjson';
  @ApiPropertyOptional({ type: Boolean, default: false, description: "give each event what it changed in the case's folded state (JSON Patch), and the base state: a replay screen steps through the case with them" })
  @IsOptional() @Transform(toBool) @IsBoolean() changes?: boolean;
}
