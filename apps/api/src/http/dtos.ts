import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
} from 'class-validator';

const DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
const CURRENCY = /^[A-Z]{3}$/;
const SHA256_PATTERN = '^[0-9a-f]{64}$';
const SHA256 = new RegExp(SHA256_PATTERN);

// ------------------------------------------------------------------ customers and policies

export class RegisterCustomerDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'client-supplied id, makes a retry safe' })
  @IsOptional() @IsUUID() customerId?: string;
  @ApiProperty({ example: 'Hoteles del Bajío SA de CV' })
  @IsString() @IsNotEmpty() @MaxLength(200) name!: string;
  @ApiPropertyOptional({ minimum: 1, maximum: 3, description: 'support level (soporte-niveles preset)' })
  @IsOptional() @IsInt() @Min(1) @Max(3) supportLevel?: number;
  @ApiPropertyOptional({ description: "id of one of the preset's calendars" })
  @IsOptional() @IsString() @MaxLength(100) calendar?: string;
}

export class SuspendSupportDto {
  @ApiProperty({ enum: ['abusive-language', 'pressure', 'false-report', 'other'] })
  @IsIn(['abusive-language', 'pressure', 'false-report', 'other']) reason!: 'abusive-language' | 'pressure' | 'false-report' | 'other';
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(4000) detail!: string;
  @ApiPropertyOptional({ description: 'YYYY-MM-DD or ISO instant; absent: permanent' })
  @IsOptional() @IsString() @ValidateIf((_, v) => v !== undefined) @Matches(/^\d{4}-\d{2}-\d{2}(T.*)?$/, { message: 'until must be YYYY-MM-DD or an ISO 8601 instant' }) until?: string;
}

export class RegisterPolicyDto {
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() policyId?: string;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(100) customerId!: string;
  @ApiProperty({ enum: ['basic', 'business', 'business-plus', 'corporate'] })
  @IsIn(['basic', 'business', 'business-plus', 'corporate']) plan!: 'basic' | 'business' | 'business-plus' | 'corporate';
  @ApiProperty({ example: '2026-01-15', description: 'YYYY-MM-DD' })
  @Matches(DATE, { message: 'startsOn must be a date YYYY-MM-DD' }) startsOn!: string;
  @ApiPropertyOptional({ description: 'integer minutes; default per plan (300/1200/3000/4200)' })
  @IsOptional() @IsInt() @Min(1) @Max(1_000_000) minutes?: number;
  @ApiPropertyOptional({ type: [String] })
  @IsOptional() @IsArray() @ArrayMaxSize(100) @IsString({ each: true }) @MaxLength(200, { each: true }) products?: string[];
}

// ------------------------------------------------------------------ tickets

export class OpenTicketDto {
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() ticketId?: string;
  @ApiPropertyOptional({ description: 'required for staff; a customer opens for its own customer' })
  @IsOptional() @IsString() @IsNotEmpty() @MaxLength(100) customerId?: string;
  @ApiProperty({ example: 'soporte' }) @IsString() @IsNotEmpty() @MaxLength(100) department!: string;
  @ApiProperty({ example: 'El sitio web no carga desde dos dispositivos' }) @IsString() @IsNotEmpty() @MaxLength(300) subject!: string;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(20000) description!: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(20000) stepsToReproduce?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(20000) errorText?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) product?: string;
  @ApiPropertyOptional({ enum: ['portal', 'email', 'phone', 'chat'] })
  @IsOptional() @IsIn(['portal', 'email', 'phone', 'chat']) channel?: 'portal' | 'email' | 'phone' | 'chat';
  @ApiPropertyOptional({ description: "'low'|'medium'|'high' or 1-4, per the preset's scheme", oneOf: [{ type: 'string' }, { type: 'integer' }] })
  @IsOptional() @IsIn(['low', 'medium', 'high', 1, 2, 3, 4], { message: 'reportedPriority must be low, medium, high or a severity 1-4' }) reportedPriority?: 'low' | 'medium' | 'high' | 1 | 2 | 3 | 4;
  @ApiPropertyOptional({ type: 'array', maxItems: 50, items: { type: 'string', pattern: SHA256_PATTERN }, description: 'attachmentIds answered by POST /api/attachments (uploads in your own scope)' })
  @IsOptional() @IsArray() @ArrayMaxSize(50) @Matches(SHA256, { each: true, message: 'each attachment must be an attachmentId (the SHA-256 answered by POST /api/attachments)' }) attachments?: string[];
  @ApiPropertyOptional({ description: 'staff only: when the imported email arrived (ISO 8601 with offset); never in the future' })
  @IsOptional() @IsISO8601({ strict: true }) receivedAt?: string;
}

export class ClassifyDto {
  @ApiPropertyOptional({ enum: ['low', 'medium', 'high'] }) @IsOptional() @IsIn(['low', 'medium', 'high']) priority?: 'low' | 'medium' | 'high';
  @ApiPropertyOptional({ minimum: 1, maximum: 4 }) @IsOptional() @IsInt() @Min(1) @Max(4) severity?: 1 | 2 | 3 | 4;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(2000) reason?: string;
}

export class AssignDto {
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(100) assigneeId!: string;
}

export class MessageDto {
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() messageId?: string;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(50000) body!: string;
  @ApiProperty({ enum: ['public', 'internal'] }) @IsIn(['public', 'internal']) visibility!: 'public' | 'internal';
  @ApiPropertyOptional({ type: 'array', maxItems: 50, items: { type: 'string', pattern: SHA256_PATTERN }, description: 'attachmentIds answered by POST /api/attachments (uploads in your own scope)' })
  @IsOptional() @IsArray() @ArrayMaxSize(50) @Matches(SHA256, { each: true, message: 'each attachment must be an attachmentId (the SHA-256 answered by POST /api/attachments)' }) attachments?: string[];
}

export class QuoteDto {
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() quoteId?: string;
  @ApiProperty({ enum: ['per-event', 'policy-estimate'] }) @IsIn(['per-event', 'policy-estimate']) kind!: 'per-event' | 'policy-estimate';
  @ApiProperty({ description: 'integer minutes' }) @IsInt() @Min(1) @Max(100_000) minutes!: number;
  @ApiPropertyOptional({ description: 'integer minor units per hour' }) @IsOptional() @IsInt() @Min(0) @Max(1_000_000_000) hourlyRateMinor?: number;
  @ApiPropertyOptional({ description: 'integer minor units' }) @IsOptional() @IsInt() @Min(0) @Max(1_000_000_000_000) amountMinor?: number;
  @ApiPropertyOptional({ example: 'MXN' }) @IsOptional() @Matches(CURRENCY, { message: 'currency must be an ISO 4217 code such as MXN' }) currency?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(2000) paymentTerms?: string;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() purchaseOrderRequired?: boolean;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(20000) description!: string;
  @ApiPropertyOptional({ description: 'work beyond an accepted authorization' }) @IsOptional() @IsBoolean() supplementary?: boolean;
  @ApiPropertyOptional({ description: 'quoteId of the pending quote this one replaces' }) @IsOptional() @IsString() supersedes?: string;
}

export class AuthorizationDto {
  @ApiProperty({ enum: ['accept', 'decline'] }) @IsIn(['accept', 'decline']) decision!: 'accept' | 'decline';
  @ApiPropertyOptional() @IsOptional() @IsString() @IsNotEmpty() @MaxLength(200) purchaseOrder?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(4000) comment?: string;
}

export class WorkLogDto {
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() entryId?: string;
  @ApiProperty({ description: 'integer minutes, 1-1440' }) @IsInt() @Min(1) @Max(1440) minutes!: number;
  @ApiProperty({ example: '2026-11-20' }) @Matches(DATE, { message: 'workedOn must be a date YYYY-MM-DD' }) workedOn!: string;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(20000) description!: string;
  @ApiPropertyOptional({ enum: ['remote', 'on-site', 'facility'] }) @IsOptional() @IsIn(['remote', 'on-site', 'facility']) kind?: 'remote' | 'on-site' | 'facility';
  @ApiPropertyOptional() @IsOptional() @IsString() authorizationId?: string;
}

export class EscalateDto {
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(4000) reason!: string;
  @ApiPropertyOptional({ description: "'low'|'medium'|'high' or 1-4, per the preset's scheme", oneOf: [{ type: 'string' }, { type: 'integer' }] })
  @IsOptional() @IsIn(['low', 'medium', 'high', 1, 2, 3, 4], { message: 'raisePriorityTo must be low, medium, high or a severity 1-4' }) raisePriorityTo?: 'low' | 'medium' | 'high' | 1 | 2 | 3 | 4;
}

export class AwaitingCustomerDto {
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(20000) question!: string;
}

export class ContactAttemptDto {
  @ApiProperty({ enum: ['phone', 'email'] }) @IsIn(['phone', 'email']) channel!: 'phone' | 'email';
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(4000) note!: string;
  @ApiPropertyOptional({ description: 'the announced wait before closing: YYYY-MM-DD (waits through that date) or an ISO instant; default: the preset\'s wait in business days' })
  @IsOptional() @IsString() @Matches(/^\d{4}-\d{2}-\d{2}(T.*)?$/, { message: 'closeAfter must be YYYY-MM-DD or an ISO 8601 instant' }) closeAfter?: string;
}

export class CloseDto {
  @ApiProperty({ enum: ['resolved', 'no-customer-response', 'out-of-scope', 'duplicate', 'declined'] })
  @IsIn(['resolved', 'no-customer-response', 'out-of-scope', 'duplicate', 'declined']) reason!: 'resolved' | 'no-customer-response' | 'out-of-scope' | 'duplicate' | 'declined';
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(20000) resolution!: string;
  @ApiPropertyOptional({ description: 'for reason duplicate: the ticket this one duplicates' }) @IsOptional() @IsString() duplicateOf?: string;
}

export class ReopenDto {
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(4000) reason!: string;
}

export class FollowUpDto {
  @ApiPropertyOptional({ maxLength: 2000, description: 'what the customer wants to know' }) @IsOptional() @IsString() @MaxLength(2000) note?: string;
}

export class CommandAnswer {
  @ApiProperty({ description: 'stream version the command produced' }) version!: number;
  @ApiProperty({ description: 'global position of its last event (send as X-Min-Position to read your write)' }) position!: number;
}
