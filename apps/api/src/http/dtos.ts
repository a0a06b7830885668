/**
 * Command bodies. Every field is declared once with a decorator of ./fields, which applies the
 * validation AND its OpenAPI property from the same constants; the limits are the domain's own
 * (a body the document accepts is never refused by the domain as malformed).
 */
import { ApiProperty } from '@nestjs/swagger';
import {
  CLOSE_REASONS,
  CONTACT_CHANNELS,
  MESSAGE_VISIBILITIES,
  POLICY_PLANS,
  QUOTE_KINDS,
  SUSPENSION_REASONS,
  TICKET_CHANNELS,
  WORK_KINDS,
} from '@helpdesk/domain';
import {
  BooleanField,
  CurrencyField,
  DateField,
  DateOrInstantField,
  EnumField,
  IdField,
  InstantField,
  IntField,
  PatternListField,
  TextField,
  TextListField,
} from './fields';

/** attachmentIds answered by POST /api/attachments: the file's SHA-256 */
const ATTACHMENT_IDS = {
  optional: true,
  pattern: '^[0-9a-f]{64}$',
  maxItems: 50,
  unique: true,
  message: 'must hold attachmentIds (the SHA-256 answered by POST /api/attachments)',
  description: 'attachmentIds answered by POST /api/attachments (uploads in your own scope)',
} as const;

// the enums are the domain's own constants; the preset narrows some in the document (finishDocument)
export const CLASSIFICATIONS = ['low', 'medium', 'high', 1, 2, 3, 4] as const;
export const DECISIONS = ['accept', 'decline'] as const;

type Classification = (typeof CLASSIFICATIONS)[number];

// ------------------------------------------------------------------ customers and policies

export class RegisterCustomerDto {
  @IdField({ optional: true, description: 'client-supplied id, makes a retry safe' }) customerId?: string;
  @TextField({ max: 200, example: 'Hoteles del Bajío SA de CV' }) name!: string;
  @IntField({ optional: true, min: 1, max: 3, description: 'support level (soporte-niveles preset)' }) supportLevel?: number;
  @TextField({ optional: true, max: 100, description: "id of one of the preset's calendars" }) calendar?: string;
}

export class SuspendSupportDto {
  @EnumField(SUSPENSION_REASONS) reason!: (typeof SUSPENSION_REASONS)[number];
  @TextField({ max: 4000, example: 'Insultos al agente en la llamada del 12 de noviembre' }) detail!: string;
  @DateOrInstantField({ optional: true, description: 'through this date (YYYY-MM-DD) or until this instant; absent: permanent. Must be in the future (422 otherwise)' })
  until?: string;
}

export class RegisterPolicyDto {
  @IdField({ optional: true, description: 'client-supplied id, makes a retry safe' }) policyId?: string;
  @TextField({ max: 100, description: 'the customer the policy covers' }) customerId!: string;
  @EnumField(POLICY_PLANS) plan!: (typeof POLICY_PLANS)[number];
  @DateField({ example: '2026-01-15', description: 'first day of the one-year validity' }) startsOn!: string;
  @IntField({ optional: true, min: 1, max: 1_000_000, description: 'integer minutes; default per plan (300/1200/3000/4200)' }) minutes?: number;
  @TextListField({ optional: true, max: 200, maxItems: 100, example: ['Web hosting'] }) products?: string[];
}

// ------------------------------------------------------------------ tickets

export class OpenTicketDto {
  @IdField({ optional: true, description: 'client-supplied id, makes a retry safe' }) ticketId?: string;
  @TextField({ optional: true, max: 100, description: 'staff must name the customer (422 customer-required otherwise); a customer opens for its own customer' })
  customerId?: string;
  @TextField({ max: 100, example: 'support' }) department!: string;
  @TextField({ max: 300, example: 'El sitio web no carga desde dos dispositivos' }) subject!: string;
  @TextField({ max: 20_000, example: 'Desde ayer por la tarde el sitio no abre en la oficina ni en el celular.' }) description!: string;
  @TextField({ optional: true, max: 20_000 }) stepsToReproduce?: string;
  @TextField({ optional: true, max: 20_000 }) errorText?: string;
  @TextField({ optional: true, max: 200, example: 'web-hosting' }) product?: string;
  @EnumField(TICKET_CHANNELS, { optional: true, description: 'default: portal for customers, email for staff' }) channel?: (typeof TICKET_CHANNELS)[number];
  @EnumField(CLASSIFICATIONS, { optional: true, description: "'low'|'medium'|'high' or 1-4, per the preset's scheme" }) reportedPriority?: Classification;
  @PatternListField(ATTACHMENT_IDS) attachments?: string[];
  @InstantField({ optional: true, description: 'staff only (403 for customers): when the imported email arrived; never in the future (422)' })
  receivedAt?: string;
}

export class ClassifyDto {
  @EnumField(['low', 'medium', 'high'] as const, { optional: true }) priority?: 'low' | 'medium' | 'high';
  @IntField({ optional: true, min: 1, max: 4 }) severity?: 1 | 2 | 3 | 4;
  @TextField({ optional: true, max: 2000 }) reason?: string;
}

export class AssignDto {
  @TextField({ max: 100, example: 'ana' }) assigneeId!: string;
}

export class MessageDto {
  @IdField({ optional: true, description: 'client-supplied id, makes a retry safe' }) messageId?: string;
  @TextField({ max: 20_000, example: 'Ya revisamos el DNS; ¿pueden probar de nuevo?' }) body!: string;
  @EnumField(MESSAGE_VISIBILITIES, { description: 'customers may post public messages only (403)' }) visibility!: (typeof MESSAGE_VISIBILITIES)[number];
  @PatternListField(ATTACHMENT_IDS) attachments?: string[];
}

/**
 * Issue a quote. The document declares two shapes (finishDocument: PerEventQuote with its
 * required price fields, PolicyEstimateQuote without them), discriminated by `kind`.
 */
export class QuoteDto {
  @IdField({ optional: true, description: 'client-supplied id, makes a retry safe' }) quoteId?: string;
  @EnumField(QUOTE_KINDS) kind!: (typeof QUOTE_KINDS)[number];
  @IntField({ min: 1, max: 525_600, description: 'integer minutes', example: 120 }) minutes!: number;
  @IntField({ optional: true, min: 0, max: 1_000_000_000, description: 'per-event (required there): integer minor units per hour', example: 65_000 })
  hourlyRateMinor?: number;
  @IntField({ optional: true, min: 0, max: 1_000_000_000_000, description: 'per-event: integer minor units; default: the half-up price of the minutes' })
  amountMinor?: number;
  @CurrencyField({ optional: true, description: 'per-event (required there): ISO 4217' }) currency?: string;
  @TextField({ optional: true, max: 2000 }) paymentTerms?: string;
  @BooleanField({ optional: true, description: 'per-event: acceptance needs a purchase order' }) purchaseOrderRequired?: boolean;
  @TextField({ max: 5000, example: 'Revisión del DNS y del hosting' }) description!: string;
  @BooleanField({ optional: true, description: 'work beyond an accepted authorization' }) supplementary?: boolean;
  @TextField({ optional: true, max: 200, description: 'quoteId of the pending quote this one replaces' }) supersedes?: string;
}

/** the fields only a per-event quote takes; hourlyRateMinor and currency are required there */
export const PER_EVENT_ONLY = ['hourlyRateMinor', 'amountMinor', 'currency', 'purchaseOrderRequired'] as const;
export const PER_EVENT_REQUIRED = ['hourlyRateMinor', 'currency'] as const;

export class AuthorizationDto {
  @EnumField(DECISIONS) decision!: (typeof DECISIONS)[number];
  @TextField({ optional: true, max: 200, description: 'required when the quote asks for one (422 otherwise)' }) purchaseOrder?: string;
  @TextField({ optional: true, max: 4000 }) comment?: string;
}

export class WorkLogDto {
  @IdField({ optional: true, description: 'client-supplied id, makes a retry safe' }) entryId?: string;
  @IntField({ min: 1, max: 1440, description: 'integer minutes, 1-1440', example: 30 }) minutes!: number;
  @DateField({ example: '2026-11-20', description: 'the day the work was done; not after tomorrow in UTC (422)' }) workedOn!: string;
  @TextField({ max: 5000, example: 'Revisión de los registros DNS' }) description!: string;
  @EnumField(WORK_KINDS, { optional: true, description: 'default remote' }) kind?: (typeof WORK_KINDS)[number];
  @TextField({ optional: true, max: 200, description: 'which accepted authorization (default: the latest with minutes left)' }) authorizationId?: string;
}

export class EscalateDto {
  @TextField({ max: 2000, example: 'Lleva tres días sin respuesta' }) reason!: string;
  @EnumField(CLASSIFICATIONS, { optional: true, description: "'low'|'medium'|'high' or 1-4, per the preset's scheme" }) raisePriorityTo?: Classification;
}

export class AwaitingCustomerDto {
  @TextField({ max: 20_000, example: '¿Desde qué red se conectan?' }) question!: string;
}

export class ContactAttemptDto {
  @EnumField(CONTACT_CHANNELS) channel!: (typeof CONTACT_CHANNELS)[number];
  @TextField({ max: 4000, example: 'Sin respuesta al teléfono de la oficina' }) note!: string;
  @DateOrInstantField({
    optional: true,
    description: "the announced wait before closing: through this date (YYYY-MM-DD) or until this instant, in the future (422 otherwise); default: the preset's wait in business days",
  })
  closeAfter?: string;
}

export class CloseDto {
  @EnumField(CLOSE_REASONS) reason!: (typeof CLOSE_REASONS)[number];
  @TextField({ max: 20_000, example: 'Se corrigió el registro A del dominio' }) resolution!: string;
  @TextField({ optional: true, max: 200, description: "reason duplicate only: the ticket this one duplicates" }) duplicateOf?: string;
}

export class ReopenDto {
  @TextField({ max: 2000, example: 'El problema volvió a aparecer' }) reason!: string;
}

export class FollowUpDto {
  @TextField({ optional: true, max: 2000, description: 'what the customer wants to know' }) note?: string;
}

// ------------------------------------------------------------------ answers

export class CommandAnswer {
  @ApiProperty({ type: 'integer', minimum: 0, description: 'stream version the command produced', example: 0 }) version!: number;
  @ApiProperty({ type: 'integer', minimum: 0, description: 'global position of its last event (send as X-Min-Position to read your write)', example: 1042 })
  position!: number;
}

export class CustomerCommandAnswer extends CommandAnswer {
  @ApiProperty({ example: '7c9e6679-7425-40de-944b-e07fc1f90ae7' }) customerId!: string;
}

export class PolicyCommandAnswer extends CommandAnswer {
  @ApiProperty({ example: '7c9e6679-7425-40de-944b-e07fc1f90ae7' }) policyId!: string;
}

export class TicketCommandAnswer extends CommandAnswer {
  @ApiProperty({ example: '7c9e6679-7425-40de-944b-e07fc1f90ae7' }) ticketId!: string;
}

export class MessageAnswer extends TicketCommandAnswer {
  @ApiProperty({ example: '1b4e28ba-2fa1-11d2-883f-0016d3cca427' }) messageId!: string;
}

export class QuoteAnswer extends TicketCommandAnswer {
  @ApiProperty({ example: '1b4e28ba-2fa1-11d2-883f-0016d3cca427' }) quoteId!: string;
}

export class WorkLogAnswer extends TicketCommandAnswer {
  @ApiProperty({ example: '1b4e28ba-2fa1-11d2-883f-0016d3cca427' }) entryId!: string;
}


