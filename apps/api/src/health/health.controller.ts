import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { FastifyReply } from 'fastify';
import { EventStore } from '@helpdesk/event-store';
import { Projector, allProjections } from '@helpdesk/projections';
import { ReadStore } from '@helpdesk/read-store';
import { APP_CONFIG, AppConfig } from '../config';
import { Public } from '../http/auth';
import { EVENT_STORE, PROJECTOR, READ_POSITION, READ_STORE } from '../infrastructure/tokens';
import { ReadPosition } from '../infrastructure/read-position';
import { Shutdown } from '../infrastructure/shutdown';
import { checkReadiness } from './readiness';

class Liveness {
  @ApiProperty({ enum: ['ok'] }) status!: 'ok';
}

class StoreCheck {
  @ApiProperty() ok!: boolean;
  @ApiProperty({ type: 'integer', nullable: true, minimum: 0 }) headPosition?: number | null;
  @ApiProperty({ type: 'string', nullable: true }) error!: string | null;
}

class ReadStoreCheck {
  @ApiProperty() ok!: boolean;
  @ApiProperty({ type: 'integer', nullable: true, minimum: 0 }) position!: number | null;
  @ApiProperty({ type: 'string', nullable: true }) error!: string | null;
}

class Readiness {
  @ApiProperty({ enum: ['ready', 'not-ready'] }) status!: 'ready' | 'not-ready';
  @ApiProperty({ type: [String], description: 'why not ready; empty when ready' }) reasons!: string[];
  @ApiProperty({ type: StoreCheck }) eventStore!: StoreCheck;
  @ApiProperty({ type: ReadStoreCheck }) readStore!: ReadStoreCheck;
  @ApiProperty({ type: 'integer', nullable: true, description: 'positions the slowest read model is behind the log' }) lag!: number | null;
  @ApiProperty({ type: 'integer', minimum: 0, description: 'READY_MAX_LAG' }) maxLag!: number;
  @ApiProperty({ description: 'true once SIGTERM was received' }) draining!: boolean;
}

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(READ_STORE) private readonly views: ReadStore,
    @Inject(READ_POSITION) private readonly readPosition: ReadPosition,
    @Inject(PROJECTOR) private readonly projector: Projector | null,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly shutdown: Shutdown,
  ) {}

  @Get()
  @Public()
  @ApiOperation({ summary: "The stores' state and the projection lag (positions behind the head); no token needed" })
  async health() {
    let head: bigint | null = null;
    let eventStoreError: string | null = null;
    try {
      head = await this.events.headPosition();
    } catch (err) {
      eventStoreError = (err as Error).message;
    }
    let position: bigint | null = null;
    let readStoreError: string | null = null;
    try {
      position = await this.readPosition.position();
    } catch (err) {
      readStoreError = (err as Error).message;
    }
    const projections = this.projector?.status() ?? [];
    const ok = !eventStoreError && !readStoreError && projections.every((p) => p.healthy);
    return {
      status: ok ? 'ok' : 'degraded',
      preset: { name: this.config.preset.name, version: this.config.preset.version },
      eventStore: { kind: this.config.eventStore, ok: !eventStoreError, headPosition: head === null ? null : Number(head), error: eventStoreError },
      readStore: { kind: this.config.readStore, ok: !readStoreError, position: position === null ? null : Number(position), error: readStoreError },
      projector: {
        mode: this.config.projector,
        lag: head !== null && position !== null ? Number(head - position) : null,
        projections,
      },
    };
  }

  @Get('live')
  @Public()
  @ApiOperation({ summary: 'Liveness: the process answers (does not look at the stores); no token needed' })
  @ApiOkResponse({ type: Liveness })
  live(): Liveness {
    return { status: 'ok' };
  }

  @Get('ready')
  @Public()
  @ApiOperation({
    summary:
      'Readiness: 200 when both stores answer and the read models are at most READY_MAX_LAG positions behind the log; 503 otherwise, and from the moment the process begins shutting down. No token needed',
  })
  @ApiOkResponse({ type: Readiness })
  @ApiServiceUnavailableResponse({ type: Readiness, description: 'not ready: `reasons` says why' })
  async ready(@Res({ passthrough: true }) reply: FastifyReply): Promise<Readiness> {
    const report = await checkReadiness({
      events: this.events,
      readPosition: () => this.readPosition.position(),
      probeReadStore: () => this.views.getCheckpoint(allProjections()[0].name),
      maxLag: this.config.readyMaxLag,
      draining: this.shutdown.draining,
    });
    void reply.status(report.status === 'ready' ? 200 : 503).header('cache-control', 'no-store');
    return report;
  }
}
