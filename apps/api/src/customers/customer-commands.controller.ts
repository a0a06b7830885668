import { Body, Controller, HttpCode, Param, Post, Req } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { randomUUID } from 'crypto';
import { CommandOutcome, CustomerCommandMessage, PolicyCommandMessage } from '../application/commands';
import { AuthenticatedRequest, Roles } from '../http/auth';
import { CustomerCommandAnswer, PolicyCommandAnswer, RegisterCustomerDto, RegisterPolicyDto, SuspendSupportDto } from '../http/dtos';
import { ApiProblems } from '../http/openapi';
import { ApiCommandHeaders, Envelopes } from '../http/request';

@ApiTags('customers and policies')
@ApiBearerAuth()
@Controller()
export class CustomerCommandsController {
  constructor(
    private readonly bus: CommandBus,
    private readonly envelopes: Envelopes,
  ) {}

  @Post('customers')
  @HttpCode(201)
  @Roles('admin')
  @ApiOperation({ summary: 'Register a customer' })
  @ApiResponse({ status: 201, type: CustomerCommandAnswer, description: 'registered (or the same customerId and body again: the first answer)' })
  @ApiCommandHeaders()
  @ApiProblems(400, 401, 403, { status: 409, codes: ['id-reused', 'version-conflict'] }, 413, 415, 503)
  async register(@Body() dto: RegisterCustomerDto, @Req() req: AuthenticatedRequest) {
    const customerId = dto.customerId ?? randomUUID();
    const o = await this.bus.execute<CustomerCommandMessage, CommandOutcome>(
      new CustomerCommandMessage(
        customerId,
        { type: 'RegisterCustomer', customerId, name: dto.name, supportLevel: dto.supportLevel as never, calendarId: dto.calendar } as never,
        this.envelopes.for(req, { key: `RegisterCustomer:${customerId}`, body: dto }),
      ),
    );
    return { customerId, version: o.version, position: o.position };
  }

  @Post('customers/:customerId/suspension')
  @HttpCode(200)
  @Roles('supervisor', 'admin')
  @ApiOperation({ summary: "Suspend a customer's support (abusive language, pressure, false reports), for a time or for good" })
  @ApiResponse({ status: 200, type: CustomerCommandAnswer, description: 'suspended' })
  @ApiCommandHeaders({ idempotencyKey: true })
  @ApiProblems(400, 401, 403, 404, { status: 409, codes: ['id-reused', 'version-conflict'] }, 413, 415, { status: 422, codes: ['in-the-past'] }, 503)
  async suspend(@Param('customerId') customerId: string, @Body() dto: SuspendSupportDto, @Req() req: AuthenticatedRequest) {
    const o = await this.bus.execute<CustomerCommandMessage, CommandOutcome>(
      new CustomerCommandMessage(customerId, { type: 'SuspendSupport', customerId, ...dto } as never, this.envelopes.for(req)),
    );
    return { customerId, version: o.version, position: o.position };
  }

  @Post('policies')
  @HttpCode(201)
  @Roles('admin', 'finance')
  @ApiOperation({ summary: 'Register a prepaid hours policy for a customer' })
  @ApiResponse({ status: 201, type: PolicyCommandAnswer, description: 'registered (or the same policyId and body again: the first answer)' })
  @ApiCommandHeaders()
  @ApiProblems(400, 401, 403, { status: 404, codes: ['not-found'], description: 'No such customer' }, { status: 409, codes: ['id-reused', 'version-conflict'] }, 413, 415, 503)
  async registerPolicy(@Body() dto: RegisterPolicyDto, @Req() req: AuthenticatedRequest) {
    const policyId = dto.policyId ?? randomUUID();
    const o = await this.bus.execute<PolicyCommandMessage, CommandOutcome>(
      new PolicyCommandMessage(
        policyId,
        { type: 'RegisterPolicy', ...dto, policyId } as never,
        this.envelopes.for(req, { key: `RegisterPolicy:${policyId}`, body: dto }),
      ),
    );
    return { policyId, version: o.version, position: o.position };
  }
}
