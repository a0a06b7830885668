import { Body, Controller, Get, HttpCode, Inject, Param, Post, Req } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiBody, ApiHeader, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import { TicketRules } from '@helpdesk/domain';
import { EventStore } from '@helpdesk/event-store';
import { CommandOutcome, CustomerCommandMessage } from '../application/commands';
import { AuthenticatedRequest, Roles } from '../http/auth';
import { ProblemException, invalidRequest, notFound, problem } from '../http/problem';
import { Envelopes } from '../http/request';
import { EVENT_STORE, TICKET_RULES } from '../infrastructure/tokens';
import { ChangeSupportLevelDto, LiftSuspensionDto } from './dtos';
import { ApiJsonQuery, ApiProblems } from './openapi';
import { CUSTOMER_COMMAND_SCHEMA, CUSTOMER_HISTORY_SCHEMA } from './schemas';

const CUSTOMER_ID = { name: 'customerId', description: 'the customer', schema: { type: 'string', minLength: 1, maxLength: 200 } } as const;
const IDEMPOTENCY_KEY = {
  name: 'Idempotency-Key',
  required: false,
  description: 'makes a retry safe: the same key and body answer as the first time and write nothing; another body is 409 id-reused',
  schema: { type: 'string', pattern: '^[A-Za-z0-9._:-]{1,128}$' },
} as const;

/**
 * Administration of customers beyond registering them (POST /api/customers) and suspending
 * them (POST /api/customers/{id}/suspension): the support level, lifting a suspension, and the
 * customer's own history (who registered, suspended, reinstated or changed the level, when, why).
 */
@ApiTags('customers and policies')
@ApiBearerAuth()
@Controller('customers')
export class CustomerAdminController {
  constructor(
    private readonly bus: CommandBus,
    private readonly envelopes: Envelopes,
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(TICKET_RULES) private readonly rules: TicketRules,
  ) {}

  @Post(':customerId/support-level')
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({
    summary: "Change a customer's support level (soporte-niveles: 1-3), with the reason; new tickets take the new level's targets",
    description: 'The level in force again appends nothing (200 with the current version). 422 support-levels-not-used under a preset without support levels.',
  })
  @ApiParam(CUSTOMER_ID)
  @ApiHeader(IDEMPOTENCY_KEY)
  @ApiBody({ type: ChangeSupportLevelDto })
  @ApiResponse({ status: 200, description: 'recorded (or already in force)', content: { 'application/json': { schema: CUSTOMER_COMMAND_SCHEMA } } })
  @ApiProblems(400, 401, 403, 404, 409, 422, 503)
  async changeSupportLevel(@Param('customerId') customerId: string, @Body() dto: ChangeSupportLevelDto, @Req() req: AuthenticatedRequest) {
    const preset = this.rules.preset;
    if (!preset.hasSupportLevels) {
      throw new ProblemException(problem(422, 'support-levels-not-used', `the preset ${preset.name} has one set of response targets for every customer: no support levels to change`));
    }
    const levels = preset.supportLevels.map((l) => l.level);
    if (!levels.includes(dto.supportLevel)) throw invalidRequest([{ path: 'supportLevel', message: `must be one of the preset's levels: ${levels.join(', ')}` }]);
    const o = await this.bus.execute<CustomerCommandMessage, CommandOutcome>(
      new CustomerCommandMessage(customerId, { type: 'ChangeSupportLevel', customerId, supportLevel: dto.supportLevel, reason: dto.reason }, this.envelopes.for(req)),
    );
    return { customerId, version: o.version, position: o.position };
  }

  @Post(':customerId/reinstatement')
  @HttpCode(200)
  @Roles('supervisor', 'admin')
  @ApiOperation({
    summary: "Lift a customer's suspension, with the reason (SupportReinstated)",
    description: 'Nothing in force (never suspended, lifted already, or run out) appends nothing: 200 with the current version.',
  })
  @ApiParam(CUSTOMER_ID)
  @ApiHeader(IDEMPOTENCY_KEY)
  @ApiBody({ type: LiftSuspensionDto })
  @ApiResponse({ status: 200, description: 'reinstated (or nothing was in force)', content: { 'application/json': { schema: CUSTOMER_COMMAND_SCHEMA } } })
  @ApiProblems(400, 401, 403, 404, 409, 503)
  async reinstate(@Param('customerId') customerId: string, @Body() dto: LiftSuspensionDto, @Req() req: AuthenticatedRequest) {
    const o = await this.bus.execute<CustomerCommandMessage, CommandOutcome>(
      new CustomerCommandMessage(customerId, { type: 'LiftSuspension', customerId, reason: dto.reason }, this.envelopes.for(req)),
    );
    return { customerId, version: o.version, position: o.position };
  }

  @Get(':customerId/history')
  @Roles('admin', 'supervisor', 'auditor')
  @ApiOperation({ summary: "The customer's history: registration, suspensions, reinstatements and support-level changes, with who, when and why (from the event log)" })
  @ApiParam(CUSTOMER_ID)
  @ApiJsonQuery(CUSTOMER_HISTORY_SCHEMA, 'oldest first (read from the event log: no read model to wait for)', [404], { minPosition: false })
  async history(@Param('customerId') customerId: string) {
    const stream = await this.events.readStream(`customer-${customerId}`);
    if (stream.length === 0) throw notFound(`customer ${customerId}`);
    return {
      customerId,
      events: stream.map((e) => ({
        position: Number(e.position),
        version: Number(e.version),
        type: e.type,
        data: e.data,
        occurredAt: String(e.metadata.occurredAt),
        actor: String(e.metadata.actor),
        actorRoles: Array.isArray(e.metadata.actorRoles) ? (e.metadata.actorRoles as unknown[]).filter((r): r is string => typeof r === 'string') : [],
        correlationId: String(e.metadata.correlationId),
      })),
    };
  }
}
