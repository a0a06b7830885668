import { Controller, Get, Inject, Param, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiParam, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import { FastifyReply } from 'fastify';
import { caseHistory, toExportedEvent } from '@helpdesk/application';
import { TicketRules } from '@helpdesk/domain';
import type { PolicyState } from '@helpdesk/domain';
import { EventStore } from '@helpdesk/event-store';
import {
  AUTHORIZATIONS_CSV_COLUMNS,
  authorizationsAudit,
  authorizationsCsv,
  billedMinutes,
  billedMinutesCsv,
  customerPolicies,
  getPolicy,
  getTicket,
  listTickets,
  policyStateOf,
  queryQueue,
  type PolicyDoc,
  slaTimers,
} from '@helpdesk/projections';
import { ticketView } from './ticket-view';
import { ReadStore } from '@helpdesk/read-store';
import { AuthenticatedRequest, Roles, inScope, isStaff } from '../http/auth';
import { ReadYourWrites } from '../http/min-position.interceptor';
import { forbidden, notFound } from '../http/problem';
import { Envelopes } from '../http/request';
import { BilledMinutesView, PolicyView, SlaTimerPage, TicketDetailView, TicketPage } from '../http/responses';
import { EVENT_STORE, READ_STORE, TICKET_RULES } from '../infrastructure/tokens';
import { ApiProblems } from '../http/openapi';
import { AuthorizationsAuditQueryDto } from '../insights/dtos';
import { ApiJsonOrCsv } from '../insights/openapi';
import { AUTHORIZATIONS_SCHEMA, HISTORY_SCHEMA } from '../insights/schemas';
import { QueuePageDto } from './ticket-dtos';
import { BilledQueryDto, HistoryQueryDto, QueueQueryDto, SlaTimersQueryDto, TicketListQueryDto } from './query-dtos';

/** a query's 503: a store down, or X-Min-Position not reached in time */
const UNAVAILABLE = { status: 503, codes: ['read-model-behind', 'store-unavailable'] };
const INVALID_CURSOR = { status: 422, codes: ['invalid-cursor'], description: 'The cursor is not one this query returned' };

/** response models referenced by raw schemas in this file and others */
export const QUERY_MODELS = [TicketDetailView, TicketPage, SlaTimerPage, PolicyView, BilledMinutesView];

@ApiTags('tickets')
@ApiBearerAuth()
@ReadYourWrites()
@Controller()
export class TicketQueriesController {
  constructor(
    @Inject(READ_STORE) private readonly views: ReadStore,
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(TICKET_RULES) private readonly rules: TicketRules,
    private readonly envelopes: Envelopes,
  ) {}

  @Get('tickets/:id')
  @Roles('customer', 'agent', 'supervisor', 'auditor', 'finance', 'admin')
  @ApiOperation({ summary: 'The ticket: status, classification, assignee, escalation, graded SLA, quotes, authorizations, work logs and work-log limits, follow-ups, version' })
  @ApiOkResponse({ type: TicketDetailView, headers: { ETag: { description: 'the ticket version, for If-Match', schema: { type: 'string', example: '"3"' } } } } as never)
  @ApiProblems(400, 401, [404, 'not-found: no such ticket, or not yours'], UNAVAILABLE)
  async ticket(@Param('id') id: string, @Req() req: AuthenticatedRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const doc = await getTicket(this.views, id);
    const actor = req.principal!;
    if (!doc || !inScope(actor, doc.customerId)) throw notFound(`ticket ${id}`);
    void reply.header('etag', `"${doc.version}"`);
    const staff = isStaff(actor);
    const policyIds = [...new Set(Object.values(doc.state.billing.authorizations).map((a) => a.policyId).filter((p): p is string => !!p))];
    const policies = new Map<string, PolicyState>();
    if (staff && policyIds.length > 0) {
      for (const p of await this.views.getMany<PolicyDoc>('policies', policyIds)) policies.set(p.policyId, policyStateOf(p));
    }
    return ticketView(doc, this.envelopes.now(), this.rules, { publicOnly: !staff, followUpMinutes: this.rules.preset.followUpMinutes, ...(staff ? { workLog: { engineerId: actor.id, policies } } : {}) });
  }

  @Get('tickets')
  @Roles('customer', 'agent', 'supervisor', 'auditor', 'finance', 'admin')
  @ApiOperation({ summary: 'Tickets, newest first, paged by cursor; customers see their own' })
  @ApiOkResponse({ type: TicketPage })
  @ApiProblems(400, 401, INVALID_CURSOR, UNAVAILABLE)
  async tickets(@Query() q: TicketListQueryDto, @Req() req: AuthenticatedRequest) {
    const actor = req.principal!;
    if (!isStaff(actor)) {
      if (q.customerId !== undefined && q.customerId !== actor.customerId) return { items: [], nextCursor: null };
      q.customerId = actor.customerId;
    }
    return listTickets(this.views, q);
  }

  @Get('queue')
  @Roles('agent', 'supervisor')
  @ApiOperation({ summary: 'Open work sorted by response deadline, then priority; paged by cursor; each item with its graded SLA state at now' })
  @ApiOkResponse({ type: QueuePageDto })
  @ApiProblems(400, 401, 403, INVALID_CURSOR, UNAVAILABLE)
  async queue(@Query() q: QueueQueryDto) {
    const { priority, ticketIds, ...rest } = q;
    const severity = priority && /^[1-4]$/.test(priority) ? Number(priority) : undefined;
    return queryQueue(
      this.views,
      { ...rest, ...(severity ? { severity } : priority ? { priority } : {}), ...(ticketIds ? { ticketIds: [...new Set(ticketIds.split(','))] } : {}) },
      this.envelopes.now(),
      this.rules,
    );
  }

  @Get('sla/timers')
  @Roles('agent', 'supervisor', 'auditor')
  @ApiOperation({ summary: 'SLA timers per ticket, shaped like JSM cycles: goal, elapsed, remaining, breached, paused, withinCalendarHours, breachTime' })
  @ApiOkResponse({ type: SlaTimerPage })
  @ApiProblems(400, 401, 403, INVALID_CURSOR, UNAVAILABLE)
  async timers(@Query() q: SlaTimersQueryDto) {
    return slaTimers(this.views, q, this.envelopes.now(), this.rules);
  }

  @Get('tickets/:id/history')
  @Roles('customer', 'agent', 'supervisor', 'auditor')
  @ApiOperation({
    summary: 'Every event of the case in order; with asOf/asOfVersion the state of the case then; format=ndjson exports it with its hash chain',
    description:
      'Each event names its actor and roles then, its correlation and causation (causedByPosition when the cause is in the case); ' +
      '`correlations` groups the events of one request. With changes=true each event carries what it changed in the folded state ' +
      '(JSON Patch from the step before, applied in order from baseState), so a replay screen needs one request. `chain` is the ' +
      "hash-chain verdict of every stream the case touches, with the first break. Customers see their own tickets' public part " +
      '(internal messages left out of the events, the state and the changes); the NDJSON export is for staff (403 for customers): ' +
      'a header line, then one stored event per line, verifiable offline (docs: tools/verify-case-export.mjs).',
  })
  @ApiParam({ name: 'id', description: 'the ticket', schema: { type: 'string', minLength: 1 } })
  @ApiProduces('application/json', 'application/x-ndjson')
  @ApiResponse({
    status: 200,
    description: 'the case (format=ndjson: the export, as an attachment)',
    content: { 'application/json': { schema: HISTORY_SCHEMA }, 'application/x-ndjson': { schema: { type: 'string' } } },
  })
  @ApiProblems(400, 401, { status: 403, codes: ['forbidden'], description: 'Your role does not allow this (customers: no ndjson export)' }, 404, UNAVAILABLE)
  async history(@Param('id') id: string, @Query() q: HistoryQueryDto, @Req() req: AuthenticatedRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const actor = req.principal!;
    const customer = !isStaff(actor);
    const h = await caseHistory(this.events, this.views, id, {
      asOf: q.asOf,
      asOfVersion: q.asOfVersion,
      correlationId: q.correlationId,
      publicOnly: customer,
      changes: q.changes === true,
    });
    if (!h || (customer && h.state !== null && h.state.customerId !== actor.customerId)) throw notFound(`ticket ${id}`);
    if (customer && h.state === null) {
      // nothing recorded yet at asOf: check scope on the whole stream
      const full = await caseHistory(this.events, this.views, id);
      if (!full || full.state?.customerId !== actor.customerId) throw notFound(`ticket ${id}`);
    }
    if (q.format === 'ndjson') {
      if (customer) throw forbidden('the verifiable export is for staff and auditors');
      void reply.header('content-type', 'application/x-ndjson; charset=utf-8');
      void reply.header('content-disposition', `attachment; filename="case-${id}.ndjson"`);
      const header = JSON.stringify({ kind: 'case-export', ticketId: id, exportedAt: this.envelopes.now(), events: h.raw.length, chain: h.chain });
      return [header, ...h.raw.map((e) => JSON.stringify(toExportedEvent(e)))].join('\n') + '\n';
    }
    return {
      ticketId: id,
      asOf: q.asOf ?? null,
      asOfVersion: q.asOfVersion ?? null,
      chain: h.chain,
      events: h.events,
      correlations: h.correlations,
      quotes: h.quotes,
      baseState: h.baseState,
      state: h.state,
    };
  }
}

@ApiTags('customers and policies')
@ApiBearerAuth()
@ReadYourWrites()
@Controller()
export class PolicyQueriesController {
  constructor(
    @Inject(READ_STORE) private readonly views: ReadStore,
    private readonly envelopes: Envelopes,
  ) {}

  @Get('policies/:policyId')
  @Roles('customer', 'finance', 'auditor', 'admin', 'agent', 'supervisor')
  @ApiOperation({ summary: 'Policy balance: purchased, used, remaining, validity, status, deductions' })
  @ApiOkResponse({ type: PolicyView })
  @ApiProblems(400, 401, 404, UNAVAILABLE)
  async policy(@Param('policyId') policyId: string, @Req() req: AuthenticatedRequest) {
    const p = await getPolicy(this.views, policyId, this.envelopes.now());
    if (!p || !inScope(req.principal!, p.customerId)) throw notFound(`policy ${policyId}`);
    return p;
  }

  @Get('customers/:customerId/policies')
  @Roles('customer', 'finance', 'auditor', 'admin', 'agent', 'supervisor')
  @ApiOperation({ summary: "A customer's policies with their balances, newest validity first" })
  @ApiOkResponse({ type: PolicyView, isArray: true })
  @ApiProblems(400, 401, 404, UNAVAILABLE)
  async policies(@Param('customerId') customerId: string, @Req() req: AuthenticatedRequest) {
    if (!inScope(req.principal!, customerId)) throw notFound(`customer ${customerId}`);
    return customerPolicies(this.views, customerId, this.envelopes.now());
  }
}

@ApiTags('audit and finance')
@ApiBearerAuth()
@ReadYourWrites()
@Controller()
export class FinanceQueriesController {
  constructor(@Inject(READ_STORE) private readonly views: ReadStore) {}

  @Get('audit/authorizations')
  @Roles('auditor', 'finance')
  @ApiOperation({
    summary: "Every authorization and decline with its quote's terms, purchase order, who, when, the approver's recorded rights and the ticket; format=csv for a spreadsheet",
    description: 'Filters: from/to on the decision instant, customerId. CSV: UTF-8, a header row, RFC 4180 quoting, CRLF; text a spreadsheet would run as a formula gets a leading apostrophe.',
  })
  @ApiJsonOrCsv(AUTHORIZATIONS_SCHEMA, 'decisions, oldest first', 'the same decisions, one per line (columns: ' + AUTHORIZATIONS_CSV_COLUMNS.join(', ') + ')')
  async authorizations(@Query() q: AuthorizationsAuditQueryDto, @Res({ passthrough: true }) reply: FastifyReply) {
    const { format, ...filter } = q;
    const records = await authorizationsAudit(this.views, filter);
    if (format === 'csv') {
      void reply.header('content-type', 'text/csv; charset=utf-8');
      void reply.header('content-disposition', 'attachment; filename="authorizations.csv"');
      return authorizationsCsv(records);
    }
    return records;
  }

  @Get('finance/billed-minutes')
  @Roles('finance', 'auditor')
  @ApiOperation({ summary: 'One row per deduction or per-event charge with its authorization; totals per customer and policy (json or csv)' })
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({
    description: 'the rows and totals (application/json), or with format=csv the rows as RFC 4180 CSV with a header row',
    content: {
      'application/json': { schema: { $ref: '#/components/schemas/BilledMinutesView' } },
      'text/csv': { schema: { type: 'string' } },
    },
  } as never)
  @ApiProblems(400, 401, 403, UNAVAILABLE)
  async billed(@Query() q: BilledQueryDto, @Res({ passthrough: true }) reply: FastifyReply) {
    const { format, ...filter } = q;
    const result = await billedMinutes(this.views, filter);
    if (format === 'csv') {
      void reply.header('content-type', 'text/csv; charset=utf-8');
      void reply.header('content-disposition', 'attachment; filename="billed-minutes.csv"');
      return billedMinutesCsv(result);
    }
    return result;
  }
}

export const QUERY_CONTROLLERS = [TicketQueriesController, PolicyQueriesController, FinanceQueriesController];
