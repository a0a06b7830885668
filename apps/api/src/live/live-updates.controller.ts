import { Controller, Get, Inject, Injectable, OnModuleDestroy, OnModuleInit, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { PatternField } from '../http/fields';
import { FastifyReply } from 'fastify';
import * as jwt from 'jsonwebtoken';
import type { CredentialStore } from '@helpdesk/identity';
import { APP_CONFIG, AppConfig } from '../config';
import { AuthenticatedRequest } from '../http/auth';
import { ApiProblems } from '../http/openapi';
import { ProblemException, invalidRequest, problem } from '../http/problem';
import { Shutdown } from '../infrastructure/shutdown';
import { CLOCK, Clock, CREDENTIAL_STORE } from '../infrastructure/tokens';
import { LiveUpdates, StreamCredential } from './live-updates';

const POSITION = /^\d{1,19}$/;

export class StreamQueryDto {
  @PatternField({ optional: true, pattern: '^[0-9]{1,19}$', message: 'must be a non-negative integer position', description: 'resume after this position (for clients that cannot set the Last-Event-ID header)' })
  lastEventId?: string;
}

/**
 * Starts following the log with the application; ends every stream as soon as shutdown begins
 * (SIGTERM: clients reconnect elsewhere while this instance drains) and, at the latest, before
 * the stores close.
 */
@Injectable()
export class LiveUpdatesLifecycle implements OnModuleInit, OnModuleDestroy {
  constructor(
    private readonly live: LiveUpdates,
    private readonly shutdown: Shutdown,
  ) {}
  async onModuleInit(): Promise<void> {
    await this.live.start();
    this.shutdown.signal.addEventListener('abort', () => this.live.endStreams(), { once: true });
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
    private readonly shutdown: Shutdown,
    @Inject(CREDENTIAL_STORE) private readonly credentials: CredentialStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** a bearer token holds until its expiry; a session until signed out, revoked, idle or at its absolute end */
  private credentialOf(req: AuthenticatedRequest): StreamCredential {
    const session = req.session;
    if (session) {
      const absoluteEnd = Date.parse(session.absoluteExpiresAt);
      return {
        key: session.id,
        ended: () => this.clock.now().getTime() >= absoluteEnd,
        stillValid: async () => {
          const s = await this.credentials.getSession(session.id);
          const now = this.clock.now().getTime();
          return !!s && now < Date.parse(s.lastSeenAt) + s.idleMinutes * 60_000 && now < Date.parse(s.absoluteExpiresAt);
        },
      };
    }
    const token = req.headers.authorization?.split(' ')[1];
    const claims = token ? (jwt.decode(token) as { exp?: unknown } | null) : null;
    // token expiry is checked against the real time, as verifying the token does
    const exp = typeof claims?.exp === 'number' ? claims.exp * 1000 : null;
    return exp === null ? {} : { ended: () => Date.now() >= exp };
  }

  @Get('stream')
  @ApiOperation({
    summary: 'Live updates (server-sent events): a change per event once the read models include it, ids only; customers only their own customer\'s',
    description: [
      'On connect: `event: ready` with `data: {"position": N}` (the position the read models include; refetch, then apply changes after it).',
      'Then per event: `id: <global position>`, `event: change`, `data: {"position", "type", "streamId", "ticketId", "customerId", "policyId", "userId"}` (null where it does not apply).',
      "Customers receive only changes of their own customer's ticket, policy and customer streams; an internal note reaches them as type `TicketChanged` of their ticket.",
      'A comment `: hb` every LIVE_HEARTBEAT_MS (15 s). `Last-Event-ID` (or `?lastEventId=`) resumes after that position, replayed from the log; a client too far behind (more than 50,000 events) gets `event: reset` with `data: {"position": N}` instead and refetches.',
      'A stream ends when its credential does: a bearer token at its expiry; a session when signed out or revoked (deactivation, a change of roles, approver right, password or MFA: at once, as the log records it, on every API instance), idle or at its absolute end (checked at every heartbeat).',
      'A client that does not read is dropped once 2,000 frames or 1 MB wait for it; it reconnects with Last-Event-ID. Streams end as soon as the server begins shutting down (SIGTERM).',
    ].join('\n\n'),
  })
  @ApiHeader({ name: 'Last-Event-ID', required: false, description: 'resume after this position', schema: { type: 'string', pattern: '^\\d{1,19}$' } })
  @ApiProduces('text/event-stream')
  @ApiOkResponse({ description: 'an endless text/event-stream', content: { 'text/event-stream': { schema: { type: 'string' } } } })
  @ApiProblems([400, 'invalid-request: Last-Event-ID or lastEventId is not a position; an unknown parameter'], 401, [503, 'read-model-behind: the read models have not caught up with the log yet; shutting-down: this instance is draining (Retry-After)'])
  async stream(@Query() q: StreamQueryDto, @Req() req: AuthenticatedRequest, @Res() reply: FastifyReply): Promise<void> {
    const header = req.headers['last-event-id'];
    let lastEventId: bigint | null = null;
    if (typeof header === 'string' && header !== '') {
      if (!POSITION.test(header)) throw invalidRequest([{ path: 'header Last-Event-ID', message: 'must be a non-negative integer position' }]);
      lastEventId = BigInt(header);
    } else if (q.lastEventId !== undefined) {
      lastEventId = BigInt(q.lastEventId);
    }
    if (this.shutdown.draining) {
      throw new ProblemException(problem(503, 'shutting-down', 'this instance is shutting down; reconnect (to another instance)'), { 'retry-after': '1' });
    }
    try {
      await this.live.ready(this.config.minPositionWaitMs);
    } catch {
      throw new ProblemException(problem(503, 'read-model-behind', 'the read models have not caught up with the log yet; retry shortly'), { 'retry-after': '1' });
    }
    reply.hijack();
    await this.live.connect(reply.raw, req.principal!, lastEventId, this.credentialOf(req));
  }
}
