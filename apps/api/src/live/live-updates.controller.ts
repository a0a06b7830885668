import { Controller, Get, Inject, Injectable, OnModuleDestroy, OnModuleInit, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOkResponse, ApiOperation, ApiPropertyOptional, ApiProduces, ApiTags } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import { FastifyReply } from 'fastify';
import { APP_CONFIG, AppConfig } from '../config';
import { AuthenticatedRequest } from '../http/auth';
import { ApiProblems } from '../http/openapi';
import { ProblemException, invalidRequest, problem } from '../http/problem';
import { LiveUpdates } from './live-updates';

const POSITION = /^\d{1,19}$/;

export class StreamQueryDto {
  @ApiPropertyOptional({ pattern: '^\\d{1,19}$', description: 'resume after this position (for clients that cannot set the Last-Event-ID header)' })
  @IsOptional() @Matches(POSITION, { message: 'lastEventId must be a non-negative integer position' }) lastEventId?: string;
}

/** starts following the log with the application and ends every stream before the stores close */
@Injectable()
export class LiveUpdatesLifecycle implements OnModuleInit, OnModuleDestroy {
  constructor(private readonly live: LiveUpdates) {}
  async onModuleInit(): Promise<void> {
    await this.live.start();
  }
  async onModuleDestroy(): Promise<void> {
    await this.live.stop();
  }
}

@ApiTags('live updates')
@ApiBearerAuth()
@Controller('events')
export class LiveUpdatesController {
  constructor(
    private readonly live: LiveUpdates,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get('stream')
  @ApiOperation({
    summary: 'Live updates (server-sent events): a change per event once the read models include it, ids only; customers only their own customer\'s',
    description: [
      'On connect: `event: ready` with `data: {"position": N}` (the position the read models include; refetch, then apply changes after it).',
      'Then per event: `id: <global position>`, `event: change`, `data: {"position", "type", "streamId", "ticketId", "customerId", "policyId", "userId"}` (null where it does not apply).',
      "Customers receive only changes of their own customer's ticket, policy and customer streams; an internal note reaches them as type `TicketChanged` of their ticket.",
      'A comment `: hb` every LIVE_HEARTBEAT_MS (15 s). `Last-Event-ID` (or `?lastEventId=`) resumes after that position, replayed from the log; a client too far behind (more than 50,000 events) gets `event: reset` with `data: {"position": N}` instead and refetches.',
      'A client that does not read is dropped once 2,000 frames or 1 MB wait for it; it reconnects with Last-Event-ID. Streams end when the server shuts down.',
    ].join('\n\n'),
  })
  @ApiHeader({ name: 'Last-Event-ID', required: false, description: 'resume after this position', schema: { type: 'string', pattern: '^\\d{1,19}$' } })
  @ApiProduces('text/event-stream')
  @ApiOkResponse({ description: 'an endless text/event-stream', content: { 'text/event-stream': { schema: { type: 'string' } } } })
  @ApiProblems([400, 'invalid-request: Last-Event-ID or lastEventId is not a position; an unknown parameter'], 401, [503, 'read-model-behind: the read models have not caught up with the log yet (Retry-After)'])
  async stream(@Query() q: StreamQueryDto, @Req() req: AuthenticatedRequest, @Res() reply: FastifyReply): Promise<void> {
    const header = req.headers['last-event-id'];
    let lastEventId: bigint | null = null;
    if (typeof header === 'string' && header !== '') {
      if (!POSITION.test(header)) throw invalidRequest([{ path: 'header Last-Event-ID', message: 'must be a non-negative integer position' }]);
      lastEventId = BigInt(header);
    } else if (q.lastEventId !== undefined) {
      lastEventId = BigInt(q.lastEventId);
    }
    try {
      await this.live.ready(this.config.minPositionWaitMs);
    } catch {
      throw new ProblemException(problem(503, 'read-model-behind', 'the read models have not caught up with the log yet; retry shortly'), { 'retry-after': '1' });
    }
    reply.hijack();
    await this.live.connect(reply.raw, req.principal!, lastEventId);
  }
}
