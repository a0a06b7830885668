import { Controller, Get, Inject, Param, Query, Req, UseInterceptors } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { TextField } from '../http/fields';
import { getCustomerSummary, listCustomers } from '@helpdesk/projections';
import { ReadStore } from '@helpdesk/read-store';
import { AuthenticatedRequest, Roles, inScope, isStaff } from '../http/auth';
import { MinPositionInterceptor } from '../http/min-position.interceptor';
import { ApiProblems, MIN_POSITION_HEADER } from '../http/openapi';
import { notFound } from '../http/problem';
import { Envelopes } from '../http/request';
import { READ_STORE } from '../infrastructure/tokens';
import { PageQuery } from '../queries/query-dtos';
import { INSTANT, NULLABLE_INSTANT } from '../queries/ticket-dtos';

export class CustomerListQueryDto extends PageQuery {
  @TextField({ optional: true, max: 200, blankAllowed: true, description: 'words the name contains (accents and case ignored)' }) q?: string;
}

class SuspensionDto {
  @ApiProperty({ enum: ['abusive-language', 'pressure', 'false-report', 'other'] }) reason!: string;
  @ApiProperty({ type: String, nullable: true, description: "staff only; null for the customer's own contacts" }) detail!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'the until as given (a date or an instant); null: permanent' }) until!: string | null;
  @ApiProperty({ ...NULLABLE_INSTANT, description: 'first instant support is available again; null: permanent' }) endsAt!: string | null;
  @ApiProperty(INSTANT) suspendedAt!: string;
  @ApiProperty({ type: String, nullable: true, description: 'staff only' }) suspendedBy!: string | null;
}

export class CustomerDto {
  @ApiProperty() customerId!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ type: 'integer', minimum: 1, maximum: 3, nullable: true, description: 'support level (soporte-niveles preset)' }) supportLevel!: number | null;
  @ApiProperty({ type: String, nullable: true, description: "the customer's own calendar, when registered with one" }) calendarId!: string | null;
  @ApiProperty(NULLABLE_INSTANT) registeredAt!: string | null;
  @ApiProperty({ description: 'a suspension of support is in force now' }) suspended!: boolean;
  @ApiProperty({ type: SuspensionDto, nullable: true, description: 'the latest suspension not lifted (it may have run out by time)' }) suspension!: SuspensionDto | null;
  @ApiProperty({ type: 'integer', minimum: 0, description: 'stream version' }) version!: number;
}

export class CustomerPageDto {
  @ApiProperty({ type: [CustomerDto] }) items!: CustomerDto[];
  @ApiProperty({ type: String, nullable: true, description: 'cursor of the next page; null on the last (a search page may hold fewer items than limit and still have one)' })
  nextCursor!: string | null;
}

@ApiTags('customers and policies')
@ApiBearerAuth()
@ApiHeader(MIN_POSITION_HEADER)
@UseInterceptors(MinPositionInterceptor)
@Controller('customers')
export class CustomerQueriesController {
  constructor(
    @Inject(READ_STORE) private readonly views: ReadStore,
    private readonly envelopes: Envelopes,
  ) {}

  @Get()
  @Roles('agent', 'supervisor', 'auditor', 'finance', 'admin')
  @ApiOperation({ summary: 'Customers by name (staff), paged by cursor; q searches the name' })
  @ApiOkResponse({ type: CustomerPageDto })
  @ApiProblems(400, 401, 403, 503)
  async list(@Query() q: CustomerListQueryDto) {
    return listCustomers(this.views, q, this.envelopes.now());
  }

  @Get(':customerId')
  @Roles('customer', 'agent', 'supervisor', 'auditor', 'finance', 'admin')
  @ApiOperation({ summary: "One customer; a customer's contact reads only its own (404 otherwise)" })
  @ApiOkResponse({ type: CustomerDto })
  @ApiProblems(400, 401, [404, 'not-found: no such customer, or not yours'], 503)
  async one(@Param('customerId') customerId: string, @Req() req: AuthenticatedRequest) {
    const actor = req.principal!;
    if (!inScope(actor, customerId)) throw notFound(`customer ${customerId}`);
    const c = await getCustomerSummary(this.views, customerId, this.envelopes.now(), isStaff(actor));
    if (!c) throw notFound(`customer ${customerId}`);
    return c;
  }
}
