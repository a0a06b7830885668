import { Body, Controller, HttpCode, Inject, Param, Post, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { randomUUID } from 'crypto';
import { FastifyReply } from 'fastify';
import {
  CommandOutcome,
  IssueQuoteMessage,
  LogWorkMessage,
  OpenTicketMessage,
  TicketCommandInput,
  TicketCommandMessage,
} from '../application/commands';
import { AttachmentStore } from '../attachments/attachment-store.port';
import { ATTACHMENT_STORE, filesFor } from '../attachments/attachments';
import { AuthenticatedRequest, Roles, isStaff } from '../http/auth';
import {
  AssignDto,
  AuthorizationDto,
  AwaitingCustomerDto,
  ClassifyDto,
  CloseDto,
  ContactAttemptDto,
  EscalateDto,
  FollowUpDto,
  MessageDto,
  OpenTicketDto,
  QuoteDto,
  ReopenDto,
  WorkLogDto,
  MessageAnswer,
  QuoteAnswer,
  TicketCommandAnswer,
  WorkLogAnswer,
} from '../http/dtos';
import { ApiProblems, FollowUpTooEarlyProblem } from '../http/openapi';
import { forbidden, refusedField } from '../http/problem';

const customerRequired = () => refusedField(422, 'customer-required', 'customerId', 'staff must name the customer the ticket is for');
import { ApiCommandHeaders, Envelopes } from '../http/request';

const ETAG = { ETag: { description: 'the ticket version after the command, for If-Match', schema: { type: 'string', example: '"3"' } } };
/** what every ticket command on an existing ticket may answer besides its own refusals */
const TICKET_COMMAND = [400, 401, 403, 404, 413, 415, 503] as const;
const CONFLICTS = ['version-conflict', 'ticket-closed'];
const answered = (status: number, type: Function, description: string) => ApiResponse({ status, type, description, headers: ETAG } as never);

const answer = (reply: FastifyReply, o: CommandOutcome, extra: Record<string, unknown> = {}) => {
  void reply.header('etag', `"${o.version}"`);
  return { ...extra, version: o.version, position: o.position };
};

/** Ticket commands: translate HTTP into commands on the bus; nothing else. */
@ApiTags('tickets')
@ApiBearerAuth()
@Controller('tickets')
export class TicketCommandsController {
  constructor(
    private readonly bus: CommandBus,
    private readonly envelopes: Envelopes,
    @Inject(ATTACHMENT_STORE) private readonly attachments: AttachmentStore,
  ) {}

  @Post()
  @HttpCode(201)
  @Roles('customer', 'agent', 'supervisor')
  @ApiOperation({ summary: 'Open a ticket (one per topic); agents may import one from email with receivedAt' })
  @ApiResponse({
    status: 201,
    type: TicketCommandAnswer,
    description: 'opened (or the same request again: the first answer)',
    headers: { ...ETAG, Location: { description: 'the ticket', schema: { type: 'string', example: '/api/tickets/7c9e6679-7425-40de-944b-e07fc1f90ae7' } } },
  } as never)
  @ApiCommandHeaders()
  @ApiProblems(400, 401, 403, { status: 404, codes: ['not-found'], description: 'No such customer' }, { status: 409, codes: ['duplicate-ticket', 'id-reused', 'version-conflict'] }, 413, 415, {
    status: 422,
    codes: ['customer-required', 'support-suspended', 'end-of-life', 'in-the-future', 'unknown-attachment'],
  }, 503)
  async open(@Body() dto: OpenTicketDto, @Req() req: AuthenticatedRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const actor = req.principal!;
    let customerId: string;
    if (isStaff(actor)) {
      if (!dto.customerId) throw customerRequired();
      customerId = dto.customerId;
    } else {
      if (dto.customerId && dto.customerId !== actor.customerId) throw forbidden('customers open tickets for their own customer only');
      if (dto.receivedAt) throw forbidden('only staff may set receivedAt (for tickets imported from email)');
      customerId = actor.customerId!;
    }
    const ticketId = dto.ticketId ?? randomUUID();
    const envelope = this.envelopes.for(req, { key: `OpenTicket:${ticketId}`, body: { ...dto, customerId } });
    if (dto.receivedAt && Date.parse(dto.receivedAt) > Date.parse(envelope.now)) {
      throw refusedField(422, 'in-the-future', 'receivedAt', 'must not be in the future');
    }
    const { ticketId: _t, customerId: _c, ...fields } = dto;
    const attachmentFiles = await filesFor(this.attachments, actor, dto.attachments);
    const o = await this.bus.execute<OpenTicketMessage, CommandOutcome>(
      new OpenTicketMessage(
        { type: 'OpenTicket', ...fields, attachmentFiles, ticketId, customerId, reporterId: actor.id, channel: dto.channel ?? (dto.receivedAt ? 'email' : 'portal') } as never,
        envelope,
      ),
    );
    void reply.header('location', `/api/tickets/${ticketId}`);
    return answer(reply, o, { ticketId });
  }

  private async run(ticketId: string, command: TicketCommandInput, req: AuthenticatedRequest, reply: FastifyReply, idem?: { key: string; body: unknown }) {
    const o = await this.bus.execute<TicketCommandMessage, CommandOutcome>(
      new TicketCommandMessage(ticketId, command, this.envelopes.for(req, idem, { ifMatch: true })),
    );
    return answer(reply, o, { ticketId });
  }

  @Post(':id/classification')
  @HttpCode(200)
  @Roles('agent', 'supervisor')
  @ApiOperation({
    summary: "Classify priority or severity, per the preset's scheme",
    description:
      'Always recorded with who classified (TicketClassified): a new class sets a new response target keeping the business time elapsed; ' +
      "the class the ticket already has (the preset's default, the reporter's or an earlier one) is recorded as confirmed and the target does not move. " +
      'The ticket shows `classificationSource` (staff, default, reported, escalation) and `classifiedBy`.',
  })
  @answered(200, TicketCommandAnswer, 'classified')
  @ApiCommandHeaders({ ifMatch: true, idempotencyKey: true })
  @ApiProblems(...TICKET_COMMAND, { status: 409, codes: [...CONFLICTS, 'id-reused'] })
  classify(@Param('id') id: string, @Body() dto: ClassifyDto, @Req() req: AuthenticatedRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.run(id, { type: 'ClassifySeverity', ticketId: id, ...dto }, req, reply);
  }

  @Post(':id/assignment')
  @HttpCode(200)
  @Roles('agent', 'supervisor')
  @ApiOperation({ summary: 'Assign the ticket to an agent' })
  @answered(200, TicketCommandAnswer, 'assigned')
  @ApiCommandHeaders({ ifMatch: true, idempotencyKey: true })
  @ApiProblems(...TICKET_COMMAND, { status: 409, codes: [...CONFLICTS, 'id-reused'] })
  assign(@Param('id') id: string, @Body() dto: AssignDto, @Req() req: AuthenticatedRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.run(id, { type: 'AssignTicket', ticketId: id, assigneeId: dto.assigneeId }, req, reply);
  }

  @Post(':id/messages')
  @HttpCode(201)
  @Roles('customer', 'agent', 'supervisor')
  @ApiOperation({ summary: "Post a message; a staff public message is the response that stops the response clock" })
  @answered(201, MessageAnswer, 'posted (or the same messageId and body again: the first answer)')
  @ApiCommandHeaders({ ifMatch: true })
  @ApiProblems(...TICKET_COMMAND, { status: 409, codes: [...CONFLICTS, 'id-reused'] }, { status: 422, codes: ['unknown-attachment'] })
  async message(@Param('id') id: string, @Body() dto: MessageDto, @Req() req: AuthenticatedRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const messageId = dto.messageId ?? randomUUID();
    const attachmentFiles = await filesFor(this.attachments, req.principal!, dto.attachments);
    const r = await this.run(id, { type: 'PostMessage', ticketId: id, ...dto, attachmentFiles, messageId }, req, reply, { key: `PostMessage:${messageId}`, body: dto });
    return { ...r, messageId };
  }

  @Post(':id/quotes')
  @HttpCode(201)
  @Roles('agent', 'supervisor')
  @ApiOperation({ summary: 'Issue a per-event quote or a policy estimate' })
  @answered(201, QuoteAnswer, 'issued (or the same quoteId and body again: the first answer)')
  @ApiCommandHeaders({ ifMatch: true })
  @ApiProblems(...TICKET_COMMAND, { status: 409, codes: [...CONFLICTS, 'quote-pending', 'id-reused'] }, {
    status: 422,
    codes: ['quote-not-pending', 'authorization-required', 'no-coverage'],
  })
  async quote(@Param('id') id: string, @Body() dto: QuoteDto, @Req() req: AuthenticatedRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const quoteId = dto.quoteId ?? randomUUID();
    const o = await this.bus.execute<IssueQuoteMessage, CommandOutcome>(
      new IssueQuoteMessage(
        id,
        { type: 'IssueQuote', ticketId: id, ...dto, quoteId, facts: {} } as never,
        this.envelopes.for(req, { key: `IssueQuote:${quoteId}`, body: dto }, { ifMatch: true }),
      ),
    );
    return answer(reply, o, { ticketId: id, quoteId });
  }

  @Post(':id/quotes/:quoteId/authorization')
  @HttpCode(200)
  @Roles('customer')
  @ApiOperation({
    summary:
      "The customer's acceptance or decline of a quote or estimate, by a contact with approver rights; the answer records the approver's rights at that instant",
  })
  @answered(200, TicketCommandAnswer, 'decided')
  @ApiCommandHeaders({ ifMatch: true, idempotencyKey: true })
  @ApiProblems(
    ...TICKET_COMMAND,
    [403, 'forbidden: staff, or a contact without approver rights; csrf-token-invalid'],
    [404, 'not-found: the ticket (also outside the customer) or the quote'],
    { status: 409, codes: [...CONFLICTS, 'id-reused'] },
    { status: 422, codes: ['quote-not-pending', 'purchase-order-required'] },
  )
  authorize(
    @Param('id') id: string,
    @Param('quoteId') quoteId: string,
    @Body() dto: AuthorizationDto,
    @Req() req: AuthenticatedRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.run(id, { type: 'AuthorizeService', ticketId: id, quoteId, ...dto }, req, reply);
  }

  @Post(':id/work-logs')
  @HttpCode(201)
  @Roles('agent', 'supervisor')
  @ApiOperation({ summary: 'Log minutes against an accepted authorization (deducted from the policy when policy-backed)' })
  @answered(201, WorkLogAnswer, 'logged (or the same entryId and body again: the first answer)')
  @ApiCommandHeaders({ ifMatch: true })
  @ApiProblems(...TICKET_COMMAND, { status: 409, codes: [...CONFLICTS, 'id-reused'] }, {
    status: 422,
    codes: ['authorization-required', 'exceeds-authorization', 'insufficient-balance', 'policy-expired', 'no-coverage', 'in-the-future'],
  })
  async workLog(@Param('id') id: string, @Body() dto: WorkLogDto, @Req() req: AuthenticatedRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const entryId = dto.entryId ?? randomUUID();
    const o = await this.bus.execute<LogWorkMessage, CommandOutcome>(
      new LogWorkMessage(
        id,
        { type: 'LogWork', ticketId: id, ...dto, entryId, engineerId: req.principal!.id },
        this.envelopes.for(req, { key: `LogWork:${entryId}`, body: dto }, { ifMatch: true }),
      ),
    );
    return answer(reply, o, { ticketId: id, entryId });
  }

  @Post(':id/escalations')
  @HttpCode(200)
  @Roles('customer', 'agent', 'supervisor')
  @ApiOperation({ summary: 'Escalate to the next level, optionally raising the priority' })
  @answered(200, TicketCommandAnswer, 'escalated')
  @ApiCommandHeaders({ ifMatch: true, idempotencyKey: true })
  @ApiProblems(...TICKET_COMMAND, { status: 409, codes: [...CONFLICTS, 'id-reused'] }, { status: 422, codes: ['escalation-limit', 'not-more-urgent'] })
  escalate(@Param('id') id: string, @Body() dto: EscalateDto, @Req() req: AuthenticatedRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.run(id, { type: 'Escalate', ticketId: id, ...dto }, req, reply);
  }

  @Post(':id/awaiting-customer')
  @HttpCode(200)
  @Roles('agent', 'supervisor')
  @ApiOperation({ summary: 'Ask the customer for information; pauses the SLA clock until the customer answers' })
  @answered(200, TicketCommandAnswer, 'asked')
  @ApiCommandHeaders({ ifMatch: true, idempotencyKey: true })
  @ApiProblems(...TICKET_COMMAND, { status: 409, codes: [...CONFLICTS, 'id-reused'] })
  awaitCustomer(@Param('id') id: string, @Body() dto: AwaitingCustomerDto, @Req() req: AuthenticatedRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.run(id, { type: 'RequestCustomerInfo', ticketId: id, question: dto.question }, req, reply);
  }

  @Post(':id/contact-attempts')
  @HttpCode(201)
  @Roles('agent', 'supervisor')
  @ApiOperation({ summary: 'Record an attempt to reach the customer and the announced wait before closing' })
  @answered(201, TicketCommandAnswer, 'recorded')
  @ApiCommandHeaders({ ifMatch: true, idempotencyKey: true })
  @ApiProblems(...TICKET_COMMAND, { status: 409, codes: [...CONFLICTS, 'id-reused'] }, { status: 422, codes: ['in-the-past'] })
  contact(@Param('id') id: string, @Body() dto: ContactAttemptDto, @Req() req: AuthenticatedRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.run(id, { type: 'RecordContactAttempt', ticketId: id, ...dto }, req, reply);
  }

  @Post(':id/close')
  @HttpCode(200)
  @Roles('agent', 'supervisor')
  @ApiOperation({ summary: 'Close the ticket; no-customer-response needs three contact attempts on distinct business days' })
  @answered(200, TicketCommandAnswer, 'closed')
  @ApiCommandHeaders({ ifMatch: true, idempotencyKey: true })
  @ApiProblems(...TICKET_COMMAND, { status: 409, codes: [...CONFLICTS, 'id-reused'] }, { status: 422, codes: ['contact-attempts-required', 'duplicate-of-itself'] })
  close(@Param('id') id: string, @Body() dto: CloseDto, @Req() req: AuthenticatedRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.run(id, { type: 'CloseTicket', ticketId: id, ...dto }, req, reply);
  }

  @Post(':id/follow-ups')
  @HttpCode(201)
  @Roles('customer')
  @ApiOperation({
    summary: "The customer asks for a follow-up of its ticket (seed 002): not before followUpMinutes (40) since the ticket was opened or since the last follow-up",
  })
  @ApiResponse({
    status: 201,
    type: TicketCommandAnswer,
    description: 'asked',
    headers: { ...ETAG, Location: { description: 'the conversation', schema: { type: 'string' } } },
  } as never)
  @ApiCommandHeaders({ ifMatch: true, idempotencyKey: true })
  @ApiProblems(
    ...TICKET_COMMAND,
    [403, "forbidden: only the ticket's customer asks for a follow-up"],
    [404, 'not-found: no such ticket, or not yours'],
    { status: 409, codes: [...CONFLICTS, 'id-reused'] },
    [422, 'follow-up-too-early, with availableAt', FollowUpTooEarlyProblem],
  )
  async followUp(@Param('id') id: string, @Body() dto: FollowUpDto, @Req() req: AuthenticatedRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const r = await this.run(id, { type: 'RequestFollowUp', ticketId: id, ...(dto.note !== undefined ? { note: dto.note } : {}) }, req, reply);
    void reply.header('location', `/api/tickets/${id}/conversation`);
    return r;
  }

  @Post(':id/reopen')
  @HttpCode(200)
  @Roles('customer', 'agent', 'supervisor')
  @ApiOperation({ summary: 'Reopen a closed ticket (a new response cycle starts)' })
  @answered(200, TicketCommandAnswer, 'reopened')
  @ApiCommandHeaders({ ifMatch: true, idempotencyKey: true })
  @ApiProblems(...TICKET_COMMAND, { status: 409, codes: ['version-conflict', 'ticket-not-closed', 'id-reused'] })
  reopen(@Param('id') id: string, @Body() dto: ReopenDto, @Req() req: AuthenticatedRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.run(id, { type: 'ReopenTicket', ticketId: id, reason: dto.reason }, req, reply);
  }
}
