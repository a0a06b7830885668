/**
 * Query strings. Each parameter is declared once (./../http/fields): the validation and its
 * OpenAPI parameter come from the same constants. Unknown parameters are refused (400).
 */
import { SLA_TIMER_STATES } from '@helpdesk/projections';
import { DateField, DateOrInstantField, EnumField, InstantField, PatternField, QueryBooleanField, QueryIntField, TextField, UUID_PATTERN } from '../http/fields';

export class PageQuery {
  @QueryIntField({ optional: true, min: 1, max: 200, openapi: { default: 50 } }) limit?: number;
  @PatternField({
    optional: true,
    pattern: '^[A-Za-z0-9_-]{1,2000}$',
    message: 'must be a cursor returned by this query (nextCursor)',
    description: 'opaque cursor from the previous page (nextCursor, base64url); one this query did not return is 422 invalid-cursor',
  })
  cursor?: string;
}

const UUID = UUID_PATTERN.slice(1, -1);
export const MAX_QUEUE_TICKET_IDS = 200;

export const QUEUE_PRIORITIES = ['low', 'medium', 'high', '1', '2', '3', '4'] as const;

export class QueueQueryDto extends PageQuery {
  @TextField({ optional: true, max: 100, blankAllowed: true, example: 'support' }) department?: string;
  @TextField({ optional: true, max: 100, blankAllowed: true }) assigneeId?: string;
  @EnumField(QUEUE_PRIORITIES, { optional: true, description: 'priority, or a severity 1-4 under the severity scheme' }) priority?: (typeof QUEUE_PRIORITIES)[number];
  @EnumField(['open', 'awaiting-customer'] as const, { optional: true }) status?: 'open' | 'awaiting-customer';
  @QueryBooleanField({ optional: true, description: 'true: past due with the clock running; false: everything else' }) breached?: boolean;
  @PatternField({
    optional: true,
    pattern: `^${UUID}(,${UUID}){0,${MAX_QUEUE_TICKET_IDS - 1}}$`,
    message: `must be ticket ids (UUIDs) separated by commas, at most ${MAX_QUEUE_TICKET_IDS}`,
    description:
      `only these tickets (ids separated by commas, at most ${MAX_QUEUE_TICKET_IDS}), each as the queue shows it under the other filters; ` +
      'a ticket not in that queue (closed, filtered out) is simply absent. How a screen that has loaded many pages refreshes the few tickets that changed: ' +
      'it puts each one where its queueKey (then ticketId) sorts, comparing the strings',
  })
  ticketIds?: string;
}

export class TicketListQueryDto extends PageQuery {
  @TextField({ optional: true, max: 100, blankAllowed: true }) customerId?: string;
  @EnumField(['open', 'awaiting-customer', 'closed'] as const, { optional: true }) status?: 'open' | 'awaiting-customer' | 'closed';
  @TextField({ optional: true, max: 100, blankAllowed: true }) assigneeId?: string;
  @TextField({ optional: true, max: 100, blankAllowed: true }) department?: string;
}

export class SlaTimersQueryDto extends PageQuery {
  @EnumField(SLA_TIMER_STATES, { optional: true }) state?: (typeof SLA_TIMER_STATES)[number];
}

export class PeriodQueryDto {
  @DateOrInstantField({ optional: true, description: 'from this date (00:00 UTC) or instant, inclusive' }) from?: string;
  @DateOrInstantField({ optional: true, description: 'through this date (inclusive) or up to this instant (exclusive)' }) to?: string;
  @TextField({ optional: true, max: 100, blankAllowed: true }) customerId?: string;
}

export class BilledQueryDto {
  @DateField({ optional: true, description: 'work done on or after this day' }) from?: string;
  @DateField({ optional: true, description: 'work done on or before this day' }) to?: string;
  @TextField({ optional: true, max: 100, blankAllowed: true }) customerId?: string;
  @EnumField(['json', 'csv'] as const, { optional: true, openapi: { default: 'json' } }) format?: 'json' | 'csv';
}

export class HistoryQueryDto {
  @InstantField({ optional: true, description: 'only the events recorded up to then, and the state of the case at that moment' }) asOf?: string;
  @QueryIntField({ optional: true, min: 0, max: 1_000_000_000, description: 'ticket stream version: the events up to it and the state then' }) asOfVersion?: number;
  @TextField({ optional: true, max: 128, blankAllowed: true, description: 'only the events of one correlation (one request and what it caused)' }) correlationId?: string;
  @EnumField(['json', 'ndjson'] as const, { optional: true, openapi: { default: 'json' } }) format?: 'json' | 'ndjson';
  @QueryBooleanField({
    optional: true,
    openapi: { default: false },
    description: "give each event what it changed in the case's folded state (JSON Patch), and the base state: a replay screen steps through the case with them",
  })
  changes?: boolean;
}
