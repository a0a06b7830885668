import { Body, Controller, HttpCode, Param, Post, Req } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiResponse, ApiTags } from '@nestjs/swagger';
import { randomUUID } from 'crypto';
import { CommandOutcome, CustomerCommandMessage, PolicyCommandMessage } from '../application/commands';
import { AuthenticatedRequest, Roles } from '../http/auth';
import { CommandAnswer, RegisterCustomerDto, RegisterPolicyDto, SuspendSupportDto } from '../http/dtos';
import { Envelopes } from '../http/request';

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
  @ApiResponse({ status: 201, type: CommandAnswer })
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
  @ApiResponse({ status: 200, type: CommandAnswer })
  async suspend(@Param('customerId') customerId: string, @Body() dto: SuspendSupportDto, @Req() req: AuthenticatedRequest) {
    const o = await this.bus.execute<CustomerCommandMessage, CommandOutcome>(
      new CustomerCommandMessage(customerId, { type: 'SuspendSupport', customerId, ...dto } as never, this.envelopes.for(req)),
    );
    return { customerId, version: o.version, position: o.position };
  }

  @Post('policies')
  @HttpCode(201)
  @Roles('admin', 'finance')
  @ApiResponse({ status: 201, type: CommandAnswer })
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
