/**
 * Response bodies of the main 2xx answers, for the OpenAPI document (the web console generates
 * its TypeScript types from it; the contract fuzzer checks every answer against it). These
 * classes only describe: the queries build the objects (libs/projections, ticket-view.ts).
 * Every member listed is always present; `null` where marked nullable.
 */
import { ApiProperty, ApiPropertyOptions, OmitType } from '@nestjs/swagger';
import { GradedSlaDto, TicketSummaryDto } from '../queries/ticket-dtos';

const req = (o: ApiPropertyOptions) => ApiProperty({ required: true, ...o } as ApiPropertyOptions);
const str = (o: Partial<ApiPropertyOptions> = {}) => req({ type: 'string', ...o } as ApiPropertyOptions);
const nstr = (o: Partial<ApiPropertyOptions> = {}) => str({ nullable: true, ...o } as ApiPropertyOptions);
const int = (o: Partial<ApiPropertyOptions> = {}) => req({ type: 'integer', ...o } as ApiPropertyOptions);
const nint = (o: Partial<ApiPropertyOptions> = {}) => int({ nullable: true, ...o } as ApiPropertyOptions);
const bool = (o: Partial<ApiPropertyOptions> = {}) => req({ type: 'boolean', ...o } as ApiPropertyOptions);
const nbool = (o: Partial<ApiPropertyOptions> = {}) => bool({ nullable: true, ...o } as ApiPropertyOptions);
const instant = (o: Partial<ApiPropertyOptions> = {}) => str({ format: 'date-time', example: '2026-11-16T16:00:00.000Z', ...o } as ApiPropertyOptions);
const ninstant = (o: Partial<ApiPropertyOptions> = {}) => instant({ nullable: true, ...o } as ApiPropertyOptions);
const date = (o: Partial<ApiPropertyOptions> = {}) => str({ format: 'date', example: '2026-11-20', ...o } as ApiPropertyOptions);
const oneOfEnum = (values: readonly string[], o: Partial<ApiPropertyOptions> = {}) => str({ enum: [...values], ...o } as ApiPropertyOptions);
const strings = (o: Partial<ApiPropertyOptions> = {}) => req({ type: 'array', items: { type: 'string' }, ...o } as ApiPropertyOptions);
// (@nestjs/swagger recognizes a lazy type by the function's name, `type`: hence the literal key)
const obj = (model: () => Function, o: Partial<ApiPropertyOptions> = {}) => req({ type: () => model(), ...o } as ApiPropertyOptions);
const list = (model: () => Function, o: Partial<ApiPropertyOptions> = {}) => req({ type: () => model(), isArray: true, ...o } as ApiPropertyOptions);

const TICKET_STATUSES = ['open', 'awaiting-customer', 'closed'] as const;
const PRIORITIES = ['low', 'medium', 'high'] as const;
const CURSOR = { nullable: true, description: 'pass as `cursor` for the next page; null on the last page' };

// ------------------------------------------------------------------ tickets

/** a ticket in a list: the flat, indexed fields (queue items add their SLA, ticket-dtos.ts) */
export class TicketListItem extends TicketSummaryDto {
  @int({ minimum: 0, description: 'global position of the last event applied' }) lastPosition!: number;
  @nstr({ description: 'queue sort key (null once closed)' }) queueKey!: string | null;
}

export class TicketPage {
  @list(() => TicketListItem) items!: TicketListItem[];
  @nstr(CURSOR) nextCursor!: string | null;
}

/** the SLA of the ticket's current response cycle: its graded state and the cycle's figures */
export class TicketSlaView extends GradedSlaDto {
  @int({ minimum: 1 }) cycle!: number;
  @str() targetId!: string;
  @int({ minimum: 0 }) targetMinutes!: number;
  @int({ minimum: 0 }) warningMinutes!: number;
  @str() calendarId!: string;
  @oneOfEnum(['business-hours', 'business-days']) countingMode!: string;
  @instant() startedAt!: string;
  @bool() paused!: boolean;
  @bool() atRisk!: boolean;
  @bool() breached!: boolean;
  @nbool({ description: 'null until answered' }) met!: boolean | null;
  @int() businessMinutesRemaining!: number;
  @bool() withinCalendarHours!: boolean;
  @str() presetVersion!: string;
}

export class PreviousCycleView {
  @int({ minimum: 1 }) cycle!: number;
  @int({ minimum: 0 }) targetMinutes!: number;
  @ninstant() dueAt!: string | null;
  @ninstant() respondedAt!: string | null;
  @nbool() met!: boolean | null;
}

export class EscalationView {
  @int({ minimum: 0 }) fromLevel!: number;
  @int({ minimum: 0 }) level!: number;
  @str() levelName!: string;
  @str() requestedBy!: string;
  @oneOfEnum(['customer', 'staff', 'system']) requestedByRole!: string;
  @str() reason!: string;
  @bool() automatic!: boolean;
  @instant() escalatedAt!: string;
}

export class ContactAttemptView {
  @int({ minimum: 1 }) attempt!: number;
  @oneOfEnum(['phone', 'email']) channel!: string;
  @str() note!: string;
  @str() attemptedBy!: string;
  @instant() attemptedAt!: string;
  @date({ description: 'the day in the calendar zone' }) localDate!: string;
  @bool() businessDay!: boolean;
  @instant() closeAfter!: string;
}

export class QuoteTermsView {
  @oneOfEnum(['per-event', 'policy-estimate']) kind!: string;
  @int({ minimum: 1 }) minutes!: number;
  @nint({ minimum: 0 }) hourlyRateMinor!: number | null;
  @nint({ minimum: 0 }) amountMinor!: number | null;
  @nstr({ pattern: '^[A-Z]{3}$' }) currency!: string | null;
  @nstr() paymentTerms!: string | null;
  @bool() purchaseOrderRequired!: boolean;
  @nstr() policyId!: string | null;
  @str() description!: string;
}

export class QuoteDecisionView {
  @oneOfEnum(['accept', 'decline']) decision!: string;
  @nstr() purchaseOrder!: string | null;
  @nstr() comment!: string | null;
  @str() by!: string;
  @instant() at!: string;
}

export class QuoteView {
  @str() quoteId!: string;
  @oneOfEnum(['pending', 'accepted', 'declined', 'superseded']) status!: string;
  @obj(() => QuoteTermsView) terms!: QuoteTermsView;
  @bool() supplementary!: boolean;
  @nstr() supplementsAuthorizationId!: string | null;
  @nstr() supersedesQuoteId!: string | null;
  @str() issuedBy!: string;
  @instant() issuedAt!: string;
  @obj(() => QuoteDecisionView, { nullable: true }) decision!: QuoteDecisionView | null;
}

export class AuthorizationView {
  @str() authorizationId!: string;
  @str() quoteId!: string;
  @obj(() => QuoteTermsView) terms!: QuoteTermsView;
  @int({ minimum: 0 }) minutesAuthorized!: number;
  @int({ minimum: 0 }) minutesLogged!: number;
  @int({ minimum: 0 }) chargedMinor!: number;
  @nstr() policyId!: string | null;
  @nstr() purchaseOrder!: string | null;
  @str() authorizedBy!: string;
  @instant() authorizedAt!: string;
}

export class WorkLogView {
  @str() ticketId!: string;
  @str() entryId!: string;
  @str() authorizationId!: string;
  @int({ minimum: 1 }) minutes!: number;
  @date() workedOn!: string;
  @str() engineerId!: string;
  @str() description!: string;
  @oneOfEnum(['remote', 'on-site', 'facility']) kind!: string;
  @nstr() policyId!: string | null;
  @nint({ minimum: 0 }) chargeMinor!: number | null;
  @nstr() currency!: string | null;
  @str() loggedBy!: string;
  @instant() loggedAt!: string;
}

export class AuthorizationWithBalanceView extends AuthorizationView {
  @int({ minimum: 0, description: 'minutes the authorization still allows' }) minutesLeft!: number;
}

export class FollowUpView {
  @int({ minimum: 0 }) count!: number;
  @ninstant() lastRequestedAt!: string | null;
  @ninstant({ description: 'the first instant the customer may ask for the next one; null once closed' }) availableAt!: string | null;
}

export class WorkLogPolicyView {
  @str() policyId!: string;
  @oneOfEnum(['active', 'exhausted', 'expired', 'not-started']) status!: string;
  @int() minutesRemaining!: number;
  @int() facilityMinutesLeft!: number;
  @int() onSiteMinutesLeft!: number;
  @date() validFrom!: string;
  @date() validUntil!: string;
}

export class WorkLogAuthorizationView {
  @str() authorizationId!: string;
  @str() quoteId!: string;
  @oneOfEnum(['per-event', 'policy-estimate']) kind!: string;
  @int({ minimum: 0 }) minutesAuthorized!: number;
  @int({ minimum: 0 }) minutesLogged!: number;
  @int({ minimum: 0 }) minutesLeft!: number;
  @obj(() => WorkLogPolicyView, { nullable: true }) policy!: WorkLogPolicyView | null;
  @int({ minimum: 0, description: 'the most minutes one remote entry may log now (0: none)' }) maxMinutes!: number;
  @nstr({ description: 'the code the API answers for one minute against this authorization now; null: accepted' }) refusal!: string | null;
}

export class WorkLogLimitsView {
  @nstr({ description: 'the code the API answers for a one-minute entry that names no authorization; null: accepted' }) refusal!: string | null;
  @list(() => WorkLogAuthorizationView) authorizations!: WorkLogAuthorizationView[];
}

/** GET /api/tickets/{id} */
export class TicketDetailView extends OmitType(TicketSummaryDto, ['_id'] as const) {
  @nstr() description!: string | null;
  @strings({ description: 'attachment references' }) attachments!: string[];
  @nint() supportLevel!: number | null;
  @nstr() pendingQuestion!: string | null;
  @oneOfEnum(['resolved', 'no-customer-response', 'out-of-scope', 'duplicate', 'declined'], { nullable: true }) closeReason!: string | null;
  @nstr() resolution!: string | null;
  @nstr() duplicateOf!: string | null;
  @int({ minimum: 0 }) reopenCount!: number;
  @int({ minimum: 0, description: 'public messages only, for customers' }) messageCount!: number;
  @obj(() => TicketSlaView, { nullable: true, description: 'the current response cycle at the time of the request; null before opening' }) sla!: TicketSlaView | null;
  @list(() => PreviousCycleView) previousCycles!: PreviousCycleView[];
  @list(() => EscalationView) escalations!: EscalationView[];
  @list(() => ContactAttemptView) contactAttempts!: ContactAttemptView[];
  @list(() => QuoteView) quotes!: QuoteView[];
  @list(() => AuthorizationWithBalanceView) authorizations!: AuthorizationWithBalanceView[];
  @obj(() => FollowUpView) followUp!: FollowUpView;
  @obj(() => WorkLogLimitsView, { nullable: true, description: 'staff only: what a work-log form may accept now; null for customers' }) workLog!: WorkLogLimitsView | null;
  @list(() => WorkLogView) workLogs!: WorkLogView[];
  @int({ minimum: 0 }) minutesLogged!: number;
}

// ------------------------------------------------------------------ SLA timers

export class SlaTimerView {
  @str() ticketId!: string;
  @nstr() customerId!: string | null;
  @nstr() department!: string | null;
  @nstr() assigneeId!: string | null;
  @oneOfEnum(PRIORITIES, { nullable: true }) priority!: string | null;
  @nint({ enum: [1, 2, 3, 4] }) severity!: number | null;
  @oneOfEnum(TICKET_STATUSES, { nullable: true }) status!: string | null;
  @int({ minimum: 1 }) cycle!: number;
  @str() targetId!: string;
  @str() calendarId!: string;
  @oneOfEnum(['running', 'paused', 'stopped']) clock!: string;
  @int({ minimum: 0, description: 'target, business minutes' }) goal!: number;
  @int({ minimum: 0 }) warningMinutes!: number;
  @int({ minimum: 0 }) elapsedBusinessMinutes!: number;
  @int() remainingBusinessMinutes!: number;
  @bool() breached!: boolean;
  @bool() paused!: boolean;
  @bool() atRisk!: boolean;
  @bool() withinCalendarHours!: boolean;
  @instant() startedAt!: string;
  @ninstant() dueAt!: string | null;
  @ninstant() warningAt!: string | null;
  @ninstant() respondedAt!: string | null;
  @nbool() met!: boolean | null;
}

export class SlaTimerPage {
  @list(() => SlaTimerView) items!: SlaTimerView[];
  @nstr(CURSOR) nextCursor!: string | null;
}

// ------------------------------------------------------------------ history

export class HistoryEntryView {
  @int({ minimum: 1 }) position!: number;
  @str() streamId!: string;
  @int({ minimum: 0 }) version!: number;
  @str() eventId!: string;
  @str({ example: 'TicketOpened' }) type!: string;
  @req({ type: 'object', additionalProperties: true, description: "the event's data as recorded" } as ApiPropertyOptions) data!: Record<string, unknown>;
  @instant() occurredAt!: string;
  @str() actor!: string;
  @str() correlationId!: string;
  @nstr() causationId!: string | null;
  @nstr() hash!: string | null;
  @nstr() prevHash!: string | null;
}

export class ChainBreakView {
  @str() streamId!: string;
  @int() version!: number;
  @int() position!: number;
  @str() eventId!: string;
  @str() reason!: string;
}

export class CaseChainView {
  @bool() intact!: boolean;
  @obj(() => ChainBreakView, { nullable: true }) firstBreak!: ChainBreakView | null;
  @strings({ description: "the streams checked, the ticket's first" }) streams!: string[];
}

export class CaseHistoryView {
  @str() ticketId!: string;
  @ninstant() asOf!: string | null;
  @nint() asOfVersion!: number | null;
  @obj(() => CaseChainView) chain!: CaseChainView;
  @list(() => HistoryEntryView) events!: HistoryEntryView[];
  @req({
    type: 'object',
    nullable: true,
    additionalProperties: true,
    description: "the case folded from the events in the window with the command side's own evolve (null when nothing was recorded yet)",
  } as ApiPropertyOptions)
  state!: Record<string, unknown> | null;
}

// ------------------------------------------------------------------ policies

export class PolicyDeductionView {
  @str() entryId!: string;
  @str() ticketId!: string;
  @str() authorizationId!: string;
  @int({ minimum: 1 }) minutes!: number;
  @date() workedOn!: string;
  @str() engineerId!: string;
  @str() description!: string;
  @oneOfEnum(['remote', 'on-site', 'facility']) kind!: string;
  @instant() deductedAt!: string;
  @str() deductedBy!: string;
  @int({ minimum: 0, description: 'balance after this deduction' }) minutesRemaining!: number;
}

export class PolicyView {
  @str() policyId!: string;
  @str() customerId!: string;
  @oneOfEnum(['basic', 'business', 'business-plus', 'corporate']) plan!: string;
  @str({ example: 'POL-2026-7C9E66' }) number!: string;
  @oneOfEnum(['active', 'exhausted', 'expired', 'not-started'], { description: 'at the time of the request' }) status!: string;
  @int({ minimum: 0 }) minutesPurchased!: number;
  @int({ minimum: 0 }) minutesUsed!: number;
  @int({ minimum: 0 }) minutesRemaining!: number;
  @int({ minimum: 0 }) facilityMinutes!: number;
  @int({ minimum: 0 }) facilityMinutesUsed!: number;
  @int({ minimum: 0 }) onSiteMinutes!: number;
  @int({ minimum: 0 }) onSiteMinutesUsed!: number;
  @strings() products!: string[];
  @date() validFrom!: string;
  @date() validUntil!: string;
  @str({ example: 'America/Mexico_City' }) timeZone!: string;
  @instant() registeredAt!: string;
  @ninstant() exhaustedAt!: string | null;
  @ninstant() expiredAt!: string | null;
  @list(() => PolicyDeductionView) deductions!: PolicyDeductionView[];
  @int({ minimum: 0 }) version!: number;
}

// ------------------------------------------------------------------ audit and finance

export class AuthorizationQuoteView {
  @nstr() issuedBy!: string | null;
  @ninstant() issuedAt!: string | null;
  @bool() supplementary!: boolean;
  @nstr() supplementsAuthorizationId!: string | null;
  @nstr() supersedesQuoteId!: string | null;
}

export class AuthorizationRecordView {
  @str() ticketId!: string;
  @str() quoteId!: string;
  @oneOfEnum(['accept', 'decline']) decision!: string;
  @nstr({ description: 'equal to the quoteId for an acceptance; null for a decline' }) authorizationId!: string | null;
  @nstr() customerId!: string | null;
  @obj(() => QuoteTermsView) terms!: QuoteTermsView;
  @nstr() purchaseOrder!: string | null;
  @nstr() comment!: string | null;
  @nstr() by!: string | null;
  @instant() at!: string;
  @obj(() => AuthorizationQuoteView) quote!: AuthorizationQuoteView;
  @int({ minimum: 0, description: 'global position of the deciding event' }) position!: number;
  @int({ minimum: 0 }) version!: number;
}

const MONEY_BY_CURRENCY = {
  type: 'object',
  additionalProperties: { type: 'integer' },
  description: 'minor units by ISO 4217 currency',
  example: { MXN: 260000 },
};

export class BilledRowView {
  @str() entryId!: string;
  @instant({ description: 'when the work was logged' }) at!: string;
  @date({ description: 'the day the work was done' }) workedOn!: string;
  @nstr() customerId!: string | null;
  @str() ticketId!: string;
  @nstr() policyId!: string | null;
  @str() authorizationId!: string;
  @str() quoteId!: string;
  @str() engineerId!: string;
  @int({ minimum: 1 }) minutes!: number;
  @nint({ minimum: 0 }) chargeMinor!: number | null;
  @nstr() currency!: string | null;
  @oneOfEnum(['remote', 'on-site', 'facility']) kind!: string;
  @str() description!: string;
  @str() loggedBy!: string;
  @int({ minimum: 0 }) position!: number;
}

export class BilledCustomerTotalView {
  @nstr() customerId!: string | null;
  @int({ minimum: 0 }) minutes!: number;
  @int({ minimum: 0 }) policyMinutes!: number;
  @int({ minimum: 0 }) perEventMinutes!: number;
  @req(MONEY_BY_CURRENCY as ApiPropertyOptions) chargeMinor!: Record<string, number>;
}

export class BilledPolicyTotalView {
  @str() policyId!: string;
  @nstr() customerId!: string | null;
  @int({ minimum: 0 }) minutes!: number;
}

export class BilledTotalsView {
  @int({ minimum: 0 }) minutes!: number;
  @req(MONEY_BY_CURRENCY as ApiPropertyOptions) chargeMinor!: Record<string, number>;
  @list(() => BilledCustomerTotalView) byCustomer!: BilledCustomerTotalView[];
  @list(() => BilledPolicyTotalView) byPolicy!: BilledPolicyTotalView[];
}

export class BilledMinutesView {
  @list(() => BilledRowView) rows!: BilledRowView[];
  @obj(() => BilledTotalsView) totals!: BilledTotalsView;
}

// ------------------------------------------------------------------ health

export class StoreHealthView {
  @str() kind!: string;
  @bool() ok!: boolean;
  @nstr() error!: string | null;
}

export class EventStoreHealthView extends StoreHealthView {
  @nint({ minimum: 0 }) headPosition!: number | null;
}

export class ReadStoreHealthView extends StoreHealthView {
  @nint({ minimum: 0 }) position!: number | null;
}

export class ProjectionHealthView {
  @str() projection!: string;
  @str({ pattern: '^[0-9]+$' }) checkpoint!: string;
  @bool() healthy!: boolean;
  @nstr() lastError!: string | null;
}

export class ProjectorHealthView {
  @oneOfEnum(['in-process', 'external']) mode!: string;
  @nint({ description: 'positions the read models are behind the log' }) lag!: number | null;
  @list(() => ProjectionHealthView, { description: 'empty when the projector runs elsewhere' }) projections!: ProjectionHealthView[];
}

export class PresetRefView {
  @str({ example: 'impera' }) name!: string;
  @str() version!: string;
}

export class HealthView {
  @oneOfEnum(['ok', 'degraded']) status!: string;
  @obj(() => PresetRefView) preset!: PresetRefView;
  @obj(() => EventStoreHealthView) eventStore!: EventStoreHealthView;
  @obj(() => ReadStoreHealthView) readStore!: ReadStoreHealthView;
  @obj(() => ProjectorHealthView) projector!: ProjectorHealthView;
}
