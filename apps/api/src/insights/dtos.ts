/**
 * Query and body DTOs of the dashboard, finance, audit and administration endpoints, declared
 * once with the field decorators (../http/fields): the validation and the OpenAPI document come
 * from the same constants (pattern, enum, range, length).
 */
import { DateField, DateOrInstantField, EnumField, IntField, PatternField, QueryBooleanField, QueryIntField, TextField } from '../http/fields';
import { PageQuery } from '../queries/query-dtos';
import { MONTH_PATTERN } from './openapi';

/** an id as given: 1 to 100 characters, no control characters */
const ID_PATTERN = '^[^\\u0000-\\u001f]+$';
const idField = (description: string) => PatternField({ optional: true, pattern: ID_PATTERN, maxLength: 100, message: 'must be 1-100 characters without control characters', description });
const monthField = (description: string, example?: string) => PatternField({ optional: true, pattern: MONTH_PATTERN, message: 'must be a month YYYY-MM', description, ...(example ? { example } : {}) });

export const CLASSIFICATIONS = ['low', 'medium', 'high', '1', '2', '3', '4'] as const;
export const SLA_STATES = ['breached', 'at-risk', 'on-track', 'paused', 'responded'] as const;

export class MonthRangeQueryDto {
  @monthField('first month, inclusive (YYYY-MM)', '2026-09') from?: string;
  @monthField('last month, inclusive (YYYY-MM)', '2026-11') to?: string;
}

export class ResponseTargetsQueryDto extends MonthRangeQueryDto {
  @EnumField(CLASSIFICATIONS, { optional: true, description: "only this classification (a priority, or a severity '1'-'4')" }) classification?: string;
}

export class ResponseTargetTicketsQueryDto extends PageQuery {
  @monthField('one month (YYYY-MM); or give from and to', '2026-11') month?: string;
  @monthField('first month, inclusive') from?: string;
  @monthField('last month, inclusive') to?: string;
  @EnumField(CLASSIFICATIONS, { optional: true }) classification?: string;
  @EnumField(['met', 'missed'] as const, { optional: true }) outcome?: 'met' | 'missed';
}

export class EscalationTicketsQueryDto extends PageQuery {
  @monthField('one month (YYYY-MM); or give from and to') month?: string;
  @monthField('first month, inclusive') from?: string;
  @monthField('last month, inclusive') to?: string;
  @QueryIntField({ optional: true, min: 0, max: 100, description: 'the escalation level reached' }) level?: number;
}

export class WithinQueryDto {
  @QueryIntField({ optional: true, min: 1, max: 10080, openapi: { default: 240 }, description: "the at-risk window: business minutes ahead, on each ticket's own calendar" })
  withinBusinessMinutes?: number;
}

export class SlaNowQueryDto extends WithinQueryDto {
  @QueryIntField({ optional: true, min: 1, max: 200, openapi: { default: 10 }, description: 'how many tickets of each list to include' }) limit?: number;
}

export class SlaNowTicketsQueryDto extends PageQuery {
  @EnumField(SLA_STATES, { description: 'which open tickets: breached, at-risk (due inside the window), on-track, paused (awaiting the customer) or responded' })
  state!: (typeof SLA_STATES)[number];
  @QueryIntField({ optional: true, min: 1, max: 10080, openapi: { default: 240 } }) withinBusinessMinutes?: number;
  @idField("only this agent's tickets (the workload chart's drill-down)") assigneeId?: string;
  @QueryBooleanField({ optional: true, description: 'only tickets nobody is assigned to (not with assigneeId: 422 conflicting-parameters)' }) unassigned?: boolean;
}

// ------------------------------------------------------------------ finance

export class ReconciliationQueryDto {
  @DateField({ optional: true, description: 'billed minutes from this day, inclusive, on workedOn (YYYY-MM-DD)' }) from?: string;
  @DateField({ optional: true, description: 'billed minutes through this day, inclusive (YYYY-MM-DD)' }) to?: string;
  @QueryIntField({ optional: true, min: 1, max: 10000, openapi: { default: 1000 }, description: 'at most this many differences in the answer (differenceCount counts them all)' })
  limit?: number;
}

export class FinancePeriodQueryDto {
  @DateField({ optional: true, description: 'from this day, inclusive, on workedOn (YYYY-MM-DD)' }) from?: string;
  @DateField({ optional: true, description: 'through this day, inclusive (YYYY-MM-DD)' }) to?: string;
  @idField("only this customer's") customerId?: string;
}

export const POLICY_STATUSES = ['active', 'exhausted', 'expired', 'not-started'] as const;

export class PolicyBalancesQueryDto extends PageQuery {
  @idField("only this customer's policies") customerId?: string;
  @EnumField(POLICY_STATUSES, { optional: true, description: 'status now (from the clock)' }) status?: (typeof POLICY_STATUSES)[number];
}

// ------------------------------------------------------------------ audit

export class AuthorizationsAuditQueryDto {
  @DateOrInstantField({ optional: true, description: 'YYYY-MM-DD (from its 00:00 UTC, inclusive) or an ISO 8601 instant with its offset (inclusive)' }) from?: string;
  @DateOrInstantField({ optional: true, description: 'YYYY-MM-DD (through its end, UTC) or an ISO 8601 instant with its offset (exclusive)' }) to?: string;
  @idField("only this customer's") customerId?: string;
  @EnumField(['json', 'csv'] as const, { optional: true, openapi: { default: 'json' } }) format?: 'json' | 'csv';
}

// ------------------------------------------------------------------ administration

export class ChangeSupportLevelDto {
  @IntField({ min: 1, max: 3, description: 'the new support level (soporte-niveles: 1-3)' }) supportLevel!: 1 | 2 | 3;
  @TextField({ max: 2000, description: "why (kept in the customer's history)" }) reason!: string;
}

export class LiftSuspensionDto {
  @TextField({ max: 4000, description: "why support is reinstated (kept in the customer's history)" }) reason!: string;
}
