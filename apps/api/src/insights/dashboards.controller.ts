import { Controller, Get, Inject, Query, UseInterceptors } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { TicketRules } from '@helpdesk/domain';
import { escalationTickets, escalationsByLevel, responseTargetTickets, responseTargets, slaNow, slaNowTickets, workload } from '@helpdesk/projections';
import { ReadStore } from '@helpdesk/read-store';
import { Roles } from '../http/auth';
import { MinPositionInterceptor } from '../http/min-position.interceptor';
import { invalidRequest, refusedField } from '../http/problem';
import { Envelopes } from '../http/request';
import { READ_STORE, TICKET_RULES } from '../infrastructure/tokens';
import {
  EscalationTicketsQueryDto,
  MonthRangeQueryDto,
  ResponseTargetTicketsQueryDto,
  ResponseTargetsQueryDto,
  SlaNowQueryDto,
  SlaNowTicketsQueryDto,
  WithinQueryDto,
} from './dtos';
import { ApiJsonQuery } from './openapi';
import {
  ESCALATIONS_SCHEMA,
  ESCALATION_TICKETS_SCHEMA,
  RESPONSE_TARGETS_SCHEMA,
  RESPONSE_TARGET_TICKETS_SCHEMA,
  SLA_NOW_SCHEMA,
  SLA_NOW_TICKETS_SCHEMA,
  WORKLOAD_SCHEMA,
} from './schemas';

/**
 * The supervisor dashboard: one query per chart, each with the drill-down that lists the
 * tickets behind a bar or cell (the same filter as the count: the drill-down's `total` is the
 * chart's number). Supervisors, admins and auditors read it.
 */
@ApiTags('dashboards')
@ApiBearerAuth()
@UseInterceptors(MinPositionInterceptor)
@Roles('supervisor', 'admin', 'auditor')
@Controller('dashboards')
export class DashboardsController {
  constructor(
    @Inject(READ_STORE) private readonly views: ReadStore,
    @Inject(TICKET_RULES) private readonly rules: TicketRules,
    private readonly envelopes: Envelopes,
  ) {}

  @Get('response-targets')
  @ApiOperation({
    summary: 'Response targets met and missed per month and classification (counts and percentages)',
    description:
      "A response cycle's target counts once, when the first of its recorded facts decides it: the first response " +
      '(met or missed, as ResponseRecorded says) or the breach recorded by the scheduler (missed). Its month is the ' +
      "decision's month in the zone the target recorded; its classification the one the target recorded. Drill-down: " +
      'GET /api/dashboards/response-targets/tickets with the same month, classification and outcome.',
  })
  @ApiJsonQuery(RESPONSE_TARGETS_SCHEMA, 'months in order; months with no decided target are left out', [422])
  async responseTargets(@Query() q: ResponseTargetsQueryDto) {
    return responseTargets(this.views, q);
  }

  @Get('response-targets/tickets')
  @ApiOperation({ summary: 'The response cycles behind a bar or cell of the response-targets chart: ticket ids and summaries, paged; `total` counts them all' })
  @ApiJsonQuery(RESPONSE_TARGET_TICKETS_SCHEMA, 'in month, then decision order', [422])
  async responseTargetTickets(@Query() q: ResponseTargetTicketsQueryDto) {
    return responseTargetTickets(this.views, q);
  }

  @Get('escalations')
  @ApiOperation({ summary: 'Escalations per month by the level reached (manual and automatic); drill-down: GET /api/dashboards/escalations/tickets' })
  @ApiJsonQuery(ESCALATIONS_SCHEMA, 'months in order, levels ascending', [422])
  async escalations(@Query() q: MonthRangeQueryDto) {
    return escalationsByLevel(this.views, q);
  }

  @Get('escalations/tickets')
  @ApiOperation({ summary: 'The escalations behind a bar of the escalations chart (month and level), paged; `total` counts them all' })
  @ApiJsonQuery(ESCALATION_TICKETS_SCHEMA, 'in month, level, then time order', [422])
  async escalationTickets(@Query() q: EscalationTicketsQueryDto) {
    return escalationTickets(this.views, q);
  }

  @Get('sla-now')
  @ApiOperation({
    summary: 'Tickets breached now and at risk: due within the next N business minutes (default 240) on their own calendar',
    description:
      'Computed at the request from the tickets view and the calendars. Counts of every SLA state of the open tickets, and the ' +
      'first `limit` breached and at-risk tickets. Drill-down: GET /api/dashboards/sla-now/tickets?state=breached|at-risk.',
  })
  @ApiJsonQuery(SLA_NOW_SCHEMA, 'counts and the first tickets of each list')
  async slaNow(@Query() q: SlaNowQueryDto) {
    return slaNow(this.views, q, this.envelopes.now(), this.rules);
  }

  @Get('sla-now/tickets')
  @ApiOperation({
    summary: "The open tickets in one SLA state, earliest due first, paged; also the workload chart's drill-down (assigneeId, or unassigned=true)",
    description:
      'States: breached (not answered, clock running, due instant passed), at-risk (due inside the window), on-track (due later), ' +
      'paused (awaiting the customer) and responded (answered, still open). `total` counts them all.',
  })
  @ApiJsonQuery(SLA_NOW_TICKETS_SCHEMA, 'earliest due first', [422])
  async slaNowTickets(@Query() q: SlaNowTicketsQueryDto) {
    // two parameters the document allows alone but not together: a rule, 422 (400 is for what the document refuses)
    if (q.unassigned && q.assigneeId !== undefined) throw refusedField(422, 'conflicting-parameters', 'unassigned', 'give assigneeId or unassigned=true, not both');
    const { unassigned, assigneeId, ...rest } = q;
    return slaNowTickets(this.views, { ...rest, ...(unassigned ? { assigneeId: null } : assigneeId !== undefined ? { assigneeId } : {}) }, this.envelopes.now(), this.rules);
  }

  @Get('workload')
  @ApiOperation({
    summary: 'Open tickets per assigned agent by SLA state (and the unassigned ones)',
    description: 'Drill-down: GET /api/dashboards/sla-now/tickets?state=...&assigneeId=<agentId> (or unassigned=true).',
  })
  @ApiJsonQuery(WORKLOAD_SCHEMA, 'agents by id')
  async workload(@Query() q: WithinQueryDto) {
    return workload(this.views, q, this.envelopes.now(), this.rules);
  }
}
