import { Controller, Get, Inject, Param, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { FastifyReply } from 'fastify';
import { caseHistory, toExportedEvent } from '@helpdesk/application';
import { TicketRules } from '@helpdesk/domain';
import { EventStore } from '@helpdesk/event-store';
import {
  authorizationsAudit,
  billedMinutes,
  billedMinutesCsv,
  customerPolicies,
  getPolicy,
  getTicket,
  listTickets,
  queryQueue,
  slaTimers,
} from '@helpdesk/projections';
import { ticketView } from './ticket-view';
import { ReadStore } from '@helpdesk/read-store';
import { AuthenticatedRequest, Roles, inScope, isStaff } from '../http/auth';
import { ReadYourWrites } from '../http/min-position.interceptor';
import { ApiProblems } from '../http/openapi';
import { forbidden, notFound } from '../http/problem';
import { Envelopes } from '../http/request';
import {
  AuthorizationRecordView,
  BilledMinutesView,
  CaseHistoryView,
  PolicyView,
  QueuePage,
  SlaTimerPage,
  TicketDetailView,
  TicketPage,
} from '../http/responses';
import { EVENT_STORE, READ_STORE, TICKET_RULES } from '../infrastructure/tokens';
import { BilledQueryDto, HistoryQueryDto, PeriodQueryDto, QueueQueryDto, SlaTimersQueryDto, TicketListQueryDto } from './query-dtos';

/** a query's 503: a store down, or X-Min-Position not reached in time */
const UNAVAILABLE = { status: 503, codes: ['read-model-behind', 'store-unavailable'] };
const INVALID_CURSOR = { status: 422, codes: ['invalid-cursor'], description: 'The cursor is not one this query returned' };

/** list items without the store's own fields (`_id`, the queue's sort key) */
function listItem<T extends { _id?: string; queueKey?: string | null }>(doc: T): Omit<T, '_id' | 'queueKey'> {
  const { _id, queueKey, ...item } = doc;
  return item;
}

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
  @ApiOperation({ summary: 'The ticket: status, classification, assignee, escalation, SLA, quotes, authorizations, work logs, version' })
  @ApiOkResponse({ type: TicketDetailView, headers: { ETag: { description: 'the ticket version, for If-Match', schema: { type: 'string', example: '"3"' } } } } as never)
  @ApiProblems(400, 401, 404, UNAVAILABLE)
  async ticket(@Param('id') id: string, @Req() req: AuthenticatedRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const doc = await getTicket(this.views, id);
    if (!doc || !inScope(req.principal!, doc.customerId)) throw notFound(`ticket ${id}`);
    void reply.header('etag', `"${doc.version}"`);
    return ticketView(doc, this.envelopes.now(), this.rules, { publicOnly: !isStaff(req.principal!) });
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
    const page = await listTickets(this.views, q);
    return { items: page.items.map(listItem), nextCursor: page.nextCursor };
  }

  @Get('queue')
  @Roles('agent', 'supervisor')
  @ApiOperation({ summary: 'Open work sorted by response deadline, then priority; paged by cursor' })
  @ApiOkResponse({ type: QueuePage })
  @ApiProblems(400, 401, 403, INVALID_CURSOR, UNAVAILABLE)
  async queue(@Query() q: QueueQueryDto) {
    const { priority, ...rest } = q;
    const severity = priority && /^[1-4]$/.test(priority) ? Number(priority) : undefined;
    const page = await queryQueue(this.views, { ...rest, ...(severity ? { severity } : priority ? { priority } : {}) }, this.envelopes.now());
    return { items: page.items.map(listItem), nextCursor: page.nextCursor };
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
  @ApiOperation({ summary: 'Every event of the case in order; with asOf/asOfVersion the state of the case then; format=ndjson exports it with its hash chain' })
  @ApiOkResponse({
    description: 'the history (application/json), or with format=ndjson the verifiable export: a header line, then one stored event per line',
    content: {
      'application/json': { schema: { $ref: '#/components/schemas/CaseHistoryView' } },
      'application/x-ndjson': { schema: { type: 'string' } },
    },
  } as never)
  @ApiProblems(400, 401, { status: 403, codes: ['forbidden'], description: 'Your role does not allow this (customers: no ndjson export)' }, 404, UNAVAILABLE)
  async history(@Param('id') id: string, @Query() q: HistoryQueryDto, @Req() req: AuthenticatedRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const actor = req.principal!;
    const customer = !isStaff(actor);
    const h = await caseHistory(this.events, this.views, id, {
      asOf: q.asOf,
      asOfVersion: q.asOfVersion,
      correlationId: q.correlationId,
      publicOnly: customer,
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
    return { ticketId: id, asOf: q.asOf ?? null, asOfVersion: q.asOfVersion ?? null, chain: h.chain, events: h.events, state: h.state };
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
  @ApiOperation({ summary: "Every authorization and decline with its quote's terms, who, when and the ticket" })
  @ApiOkResponse({ type: AuthorizationRecordView, isArray: true })
  @ApiProblems(400, 401, 403, UNAVAILABLE)
  async authorizations(@Query() q: PeriodQueryDto) {
    return (await authorizationsAudit(this.views, q)).map(listItem);
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

/** response models referenced by raw schemas above */
export const QUERY_MODELS = [CaseHistoryView, BilledMinutesView];

export const QUERY_CONTROLLERS = [TicketQueriesController, PolicyQueriesController, FinanceQueriesController];
