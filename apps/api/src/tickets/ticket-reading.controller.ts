import { Controller, Get, Inject, Param, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiParam, ApiProduces, ApiProperty, ApiTags } from '@nestjs/swagger';
import { FastifyReply } from 'fastify';
import { AttachmentStore } from '../attachments/attachment-store.port';
import { ATTACHMENT_STORE } from '../attachments/attachments';
import { RecordedCalendars, conversationOf, recordedCalendars, slaTimeline } from '@helpdesk/application';
import { TicketRules } from '@helpdesk/domain';
import { EventStore, StoredEvent } from '@helpdesk/event-store';
import { ReadStore } from '@helpdesk/read-store';
import { AuthenticatedRequest, Roles, isStaff } from '../http/auth';
import { ApiProblems } from '../http/openapi';
import { notFound } from '../http/problem';
import { Envelopes } from '../http/request';
import { EVENT_STORE, READ_STORE, TICKET_RULES } from '../infrastructure/tokens';
import { INSTANT, NULLABLE_INSTANT } from '../queries/ticket-dtos';

const SHA256 = '^[0-9a-f]{64}$';

export class ConversationAttachmentDto {
  @ApiProperty({ description: "the file's id: the SHA-256 of its content (older references: the reference as recorded)" }) attachmentId!: string;
  @ApiProperty({ description: 'the name it was uploaded under' }) fileName!: string;
  @ApiProperty({ example: 'image/png', description: 'sniffed from its first bytes (png, jpeg, gif, pdf, zip, plain text; else application/octet-stream)' }) contentType!: string;
  @ApiProperty({ type: 'integer', minimum: 0, nullable: true, description: 'bytes; null for references recorded before files were stored' }) size!: number | null;
  @ApiProperty({ type: String, pattern: SHA256, nullable: true, description: 'null for references recorded before files were stored' }) sha256!: string | null;
}

export class ConversationItemDto {
  @ApiProperty({ description: 'the message id; for the opening, questions and follow-ups the id of the event that recorded them' }) messageId!: string;
  @ApiProperty({
    enum: ['opened', 'message', 'question', 'follow-up'],
    description: 'opened: the description the ticket was opened with; message: a reply or internal note; question: what staff asked while awaiting the customer; follow-up: the customer asked for one',
  })
  kind!: string;
  @ApiProperty() authorId!: string;
  @ApiProperty({ type: String, nullable: true, description: 'the user\'s name when the author is a known user' }) authorName!: string | null;
  @ApiProperty({ enum: ['staff', 'customer', 'system'] }) authorKind!: 'staff' | 'customer' | 'system';
  @ApiProperty({ enum: ['public', 'internal'], description: 'customers never see internal items' }) visibility!: 'public' | 'internal';
  @ApiProperty() body!: string;
  @ApiProperty({ type: [ConversationAttachmentDto] }) attachments!: ConversationAttachmentDto[];
  @ApiProperty(INSTANT) postedAt!: string;
  @ApiProperty({ type: 'integer', minimum: 1, description: 'global position of the event that recorded it' }) position!: number;
}

export class ConversationDto {
  @ApiProperty() ticketId!: string;
  @ApiProperty({ type: [ConversationItemDto], description: 'in the order recorded' }) items!: ConversationItemDto[];
}

export class SlaTimelineEntryDto {
  @ApiProperty(INSTANT) at!: string;
  @ApiProperty({
    enum: ['started', 'paused', 'resumed', 'warning', 'breached', 'retargeted', 'responded', 'outside-business-hours', 'business-hours'],
    description:
      'started: a response cycle began (reason opened / reopened); paused: awaiting-customer, or ticket-closed unanswered; resumed: the customer answered; ' +
      'warning / breached: the warning point or the due instant passed while the clock ran (detail.recorded: the scheduler recorded it); ' +
      'retargeted: a new target (reason classified / escalated); responded: the first staff response of the cycle; ' +
      "outside-business-hours / business-hours: the recorded calendar closed / opened while the clock ran",
  })
  kind!: string;
  @ApiProperty({ type: String, nullable: true, example: 'awaiting-customer' }) reason!: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'the recorded facts of the entry (target minutes, due instants, calendar, met, ...)' })
  detail!: Record<string, unknown>;
}

class SlaCalendarRefDto {
  @ApiProperty() id!: string;
  @ApiProperty({ description: 'IANA zone as recorded' }) zone!: string;
  @ApiProperty({ enum: ['business-hours', 'business-days'] }) mode!: string;
  @ApiProperty({ description: 'false when the preset in force no longer has this calendar (no business-hours entries then)' }) known!: boolean;
  @ApiProperty({ description: 'preset version the current target was decided with' }) presetVersion!: string;
}

export class SlaTimelineDto {
  @ApiProperty() ticketId!: string;
  @ApiProperty(INSTANT) now!: string;
  @ApiProperty({ enum: ['on-track', 'at-risk', 'breached', 'paused', 'met', 'none'] }) state!: string;
  @ApiProperty({ enum: ['awaiting-customer', 'outside-business-hours'], nullable: true, type: String }) pausedReason!: string | null;
  @ApiProperty(NULLABLE_INSTANT) responseDueAt!: string | null;
  @ApiProperty(NULLABLE_INSTANT) warningAt!: string | null;
  @ApiProperty({ type: 'integer', minimum: 0 }) businessMinutesLeft!: number;
  @ApiProperty({ type: 'integer', minimum: 0 }) businessMinutesElapsed!: number;
  @ApiProperty({ type: SlaCalendarRefDto, nullable: true }) calendar!: SlaCalendarRefDto | null;
  @ApiProperty({ type: [SlaTimelineEntryDto], description: 'in time order' }) entries!: SlaTimelineEntryDto[];
}

/** `attachment` with an ASCII fallback name and the UTF-8 name (RFC 6266 / RFC 8187) */
export function contentDisposition(fileName: string): string {
  // eslint-disable-next-line no-control-regex
  const ascii = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  const encoded = encodeURIComponent(fileName).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/** reads a ticket's stream; 404 unless it exists and is in the principal's scope */
export async function ticketEventsInScope(events: EventStore, ticketId: string, req: AuthenticatedRequest): Promise<StoredEvent[]> {
  const stream = await events.readStream(`ticket-${ticketId}`);
  const opened = stream[0];
  const actor = req.principal!;
  if (!opened || opened.type !== 'TicketOpened') throw notFound(`ticket ${ticketId}`);
  if (!isStaff(actor) && (opened.data as { customerId?: string }).customerId !== actor.customerId) throw notFound(`ticket ${ticketId}`);
  return stream;
}

/**
 * Reads of one ticket computed from its recorded events (not from a read model, so they are
 * as current as the log): the conversation and, later in this file, the SLA timeline.
 */
@ApiTags('tickets')
@ApiBearerAuth()
@Controller('tickets')
export class TicketReadingController {
  private readonly calendars: RecordedCalendars;
  constructor(
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(READ_STORE) private readonly views: ReadStore,
    @Inject(TICKET_RULES) rules: TicketRules,
    private readonly envelopes: Envelopes,
    @Inject(ATTACHMENT_STORE) private readonly attachments: AttachmentStore,
  ) {
    this.calendars = recordedCalendars(rules);
  }

  @Get(':id/sla-timeline')
  @Roles('customer', 'agent', 'supervisor', 'auditor', 'finance', 'admin')
  @ApiOperation({
    summary:
      'The SLA timeline of the case from its recorded facts only: clock started, paused with reason, resumed, business-hours gaps, warning, breach, retargets, response; with the graded state now',
  })
  @ApiOkResponse({ type: SlaTimelineDto })
  @ApiProblems(401, [404, 'not-found: no such ticket, or not yours'], [503, 'store-unavailable'])
  async slaTimeline(@Param('id') id: string, @Req() req: AuthenticatedRequest): Promise<SlaTimelineDto> {
    const stream = await ticketEventsInScope(this.events, id, req);
    const visible = isStaff(req.principal!) ? stream : stream.filter((e) => (e.data as { visibility?: string }).visibility !== 'internal');
    return { ticketId: id, ...slaTimeline(visible, this.envelopes.now(), this.calendars) };
  }

  @Get(':id/attachments/:attachmentId')
  @Roles('customer', 'agent', 'supervisor', 'auditor', 'finance', 'admin')
  @ApiOperation({
    summary:
      'Download a file the ticket references (scoped like the ticket; customers only files of what they can see): served as an attachment, with the type sniffed at upload and X-Content-Type-Options: nosniff',
  })
  @ApiParam({ name: 'attachmentId', schema: { type: 'string', pattern: SHA256 } })
  @ApiProduces('application/octet-stream', 'image/png', 'image/jpeg', 'image/gif', 'application/pdf', 'application/zip', 'text/plain; charset=utf-8')
  @ApiOkResponse({
    description: 'the bytes; Content-Disposition: attachment; X-Content-Type-Options: nosniff; ETag: the SHA-256',
    content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } },
  })
  @ApiProblems(401, [404, 'not-found: no such ticket (or not yours), or the ticket references no such file'], [503, 'store-unavailable'])
  async download(@Param('id') id: string, @Param('attachmentId') attachmentId: string, @Req() req: AuthenticatedRequest, @Res() reply: FastifyReply) {
    const stream = await ticketEventsInScope(this.events, id, req);
    const items = conversationOf(stream, { publicOnly: !isStaff(req.principal!) });
    const file = items.flatMap((i) => i.attachments).find((a) => a.attachmentId === attachmentId && a.sha256 !== null);
    const content = file ? await this.attachments.open(attachmentId) : null;
    if (!file || !content) throw notFound(`attachment ${attachmentId} of ticket ${id}`);
    void reply
      .status(200)
      .header('content-type', file.contentType)
      .header('content-length', String(content.size))
      .header('content-disposition', contentDisposition(file.fileName))
      .header('x-content-type-options', 'nosniff')
      .header('content-security-policy', "default-src 'none'; sandbox")
      .header('cache-control', 'private, no-cache')
      .header('etag', `"${attachmentId}"`)
      .send(content.stream);
  }

  @Get(':id/conversation')
  @Roles('customer', 'agent', 'supervisor', 'auditor', 'finance', 'admin')
  @ApiOperation({ summary: 'The conversation: the opening, public replies and internal notes (staff only), questions and follow-ups, with attachments metadata' })
  @ApiOkResponse({ type: ConversationDto })
  @ApiProblems(401, [404, 'not-found: no such ticket, or not yours'], [503, 'store-unavailable'])
  async conversation(@Param('id') id: string, @Req() req: AuthenticatedRequest): Promise<ConversationDto> {
    const stream = await ticketEventsInScope(this.events, id, req);
    const items = conversationOf(stream, { publicOnly: !isStaff(req.principal!) });
    const authors = [...new Set(items.map((i) => i.authorId))];
    const users = await this.views.getMany<{ _id: string; name?: unknown }>('users', authors).catch(() => []);
    const names = new Map(users.filter((u) => typeof u.name === 'string').map((u) => [u._id, u.name as string]));
    for (const item of items) item.authorName = names.get(item.authorId) ?? null;
    return { ticketId: id, items };
  }
}
