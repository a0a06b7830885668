import { Controller, Get, Inject, Param, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { conversationOf } from '@helpdesk/application';
import { EventStore, StoredEvent } from '@helpdesk/event-store';
import { ReadStore } from '@helpdesk/read-store';
import { AuthenticatedRequest, Roles, isStaff } from '../http/auth';
import { ApiProblems } from '../http/openapi';
import { notFound } from '../http/problem';
import { EVENT_STORE, READ_STORE } from '../infrastructure/tokens';
import { INSTANT } from '../queries/ticket-dtos';

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
  constructor(
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(READ_STORE) private readonly views: ReadStore,
  ) {}

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
